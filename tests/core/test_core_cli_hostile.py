"""The command line against a careless user and a hostile file: each case gives one clear line (or does the right
thing) and a refused one leaves the database byte-for-byte unchanged."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from oursociety_desktop.cli import records as cli_records
from tests.cli_helpers import file_digest, run

HUGE = str(10**23)  # more than SQLite's 64-bit integers hold


def add(capsys: pytest.CaptureFixture[str], hub: Path, *args: str) -> str:
    code, out, err = run(capsys, "--data-dir", hub, *args)
    assert code == 0, err
    return out.strip()


def refused(capsys: pytest.CaptureFixture[str], hub: Path, *args: object) -> str:
    """Run a command that must be refused: exit 1, one line on stderr, the database unchanged. Returns the line."""
    before = file_digest(hub)
    code, _, err = run(capsys, "--data-dir", hub, *args)
    assert code == 1, err
    assert err.count("\n") == 1 and "Traceback" not in err and "unexpected error" not in err, err
    assert file_digest(hub) == before
    return err


@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.mark.parametrize("command", [("csv", "export"), ("vcard", "export"), ("backup",), ("network", "export")])
@pytest.mark.parametrize("suffix", ["", "-wal"])
def test_no_output_is_written_over_the_hub_database(hub: Path, capsys: pytest.CaptureFixture[str],
                                                    command: tuple[str, ...], suffix: str) -> None:
    add(capsys, hub, "contact", "add", "--given", "Ngozi", "--share", "--directory")
    target = hub / f"oursociety.sqlite3{suffix}"
    # A name a careless user types: the database file itself (a PNG would be refused for its name first)
    if command == ("network", "export"):
        target = hub / "oursociety.png"
        (hub / "oursociety.png").symlink_to(hub / f"oursociety.sqlite3{suffix}")
    err = refused(capsys, hub, *command, target)
    assert err == f"oursociety: Cannot write {target}: it is the hub's own database; choose another file name.\n"
    code, out, _ = run(capsys, "--data-dir", hub, "stats")
    assert code == 0 and out.startswith("Contacts: 1 live")


def test_the_log_and_a_folder_of_cards_are_the_owners_alone(hub: Path, tmp_path: Path, open_umask: None,
                                                           capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    add(capsys, hub, "contact", "add", "--given", "Ngozi")

    def broken(*_args: object) -> int:
        raise RuntimeError("Ngozi's record could not be read")

    monkeypatch.setattr(cli_records, "cmd_contact_list", broken)
    code, _, err = run(capsys, "--data-dir", hub, "contact", "list")
    assert code == 1 and f"details in {hub / 'oursociety.log'}" in err
    assert stat.S_IMODE((hub / "oursociety.log").stat().st_mode) == 0o600
    cards = tmp_path / "new" / "cards"
    add(capsys, hub, "vcard", "export", "--one-per-contact", str(cards))
    assert stat.S_IMODE(cards.stat().st_mode) == 0o700
    assert [stat.S_IMODE(p.stat().st_mode) for p in cards.iterdir()] == [0o600]


def test_numbers_beyond_what_sqlite_holds(hub: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add(capsys, hub, "contact", "add", "--given", "Ngozi")
    code, out, err = run(capsys, "--data-dir", hub, "contact", "list", "--limit", HUGE)
    assert code == 0 and "Ngozi" in out, err
    assert refused(capsys, hub, "conflicts", "resolve", "--keep", "ours", HUGE) == (
        f"oursociety: No conflict with id {HUGE}; `oursociety conflicts` lists them.\n")
    assert refused(capsys, hub, "duplicates", "--limit", "-1") == "oursociety: --limit takes a positive number.\n"


@pytest.mark.parametrize("year", [HUGE, "-1", "²⁰²⁶", " 2026"])
def test_a_year_is_four_digits_everywhere(hub: Path, capsys: pytest.CaptureFixture[str], year: str) -> None:
    expected = f"oursociety: A year is four digits, not '{year}'.\n"
    assert refused(capsys, hub, "lesson", "list", "--year", year) == expected
    assert refused(capsys, hub, "hours", "--year", year) == expected


def test_a_year_in_arabic_indic_digits_is_the_same_year(hub: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add(capsys, hub, "lesson", "add", "Bus shelter library", "--date", "2026-05-01")
    assert "Bus shelter library" in add(capsys, hub, "lesson", "list", "--year", "٢٠٢٦")


def test_an_id_longer_than_any_id_is_simply_not_found(hub: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add(capsys, hub, "contact", "add", "--given", "Ngozi")  # SQLite looks at the pattern only with rows to match
    err = refused(capsys, hub, "contact", "show", "c" * 131_000)
    assert err.startswith("oursociety: No contact with id 'ccc") and "database" not in err


@pytest.mark.parametrize("when", ["2026-02-30", "yesterday"])
def test_a_consent_date_is_a_date(hub: Path, capsys: pytest.CaptureFixture[str], when: str) -> None:
    cid = add(capsys, hub, "contact", "add", "--given", "Ngozi")
    assert refused(capsys, hub, "contact", "edit", cid, "--set", f"consent_recorded_at={when}") == (
        f"oursociety: '{when}' is not a date; use YYYY-MM-DD or YYYY-MM-DDTHH:MM.\n")


def test_control_characters_never_reach_a_name(hub: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # OSC 52 would put text on the clipboard of the terminal that lists the name; a line break splits a list line
    cid = add(capsys, hub, "contact", "add", "--given", "A\x1b]52;c;ZXZpbA==\x07nn", "--family", "Zed\r\nQ",
              "--tag", "x\x1b[2Jy", "--phone", "home\x1b:0161 496 0000")
    shown = json.loads(add(capsys, hub, "contact", "show", cid, "--json"))
    assert (shown["given_name"], shown["family_name"], shown["tags"]) == ("A]52;c;ZXZpbA==nn", "Zed Q", ["x[2Jy"])
    assert shown["phones"] == [{"label": "home", "value": "0161 496 0000"}]
    add(capsys, hub, "contact", "edit", cid, "--set", "notes=line one\r\nline\x00 two\x1b")
    assert json.loads(add(capsys, hub, "contact", "show", cid, "--json"))["notes"] == "line one\r\nline two"


def test_a_right_to_left_override_never_reaches_a_name(hub: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """'Ann' + RLO + 'gnp.live' showed as 'Annevil.png': one person could pass for another in every list."""
    cid = add(capsys, hub, "contact", "add", "--given", "Ann\u202egnp.live", "--family", "\u2067Haddad\u2069",
              "--organisation", "\u202bSt Mary's\u202c")
    gid = add(capsys, hub, "group", "add", "\u202dKitchen")
    shown = json.loads(add(capsys, hub, "contact", "show", cid, "--json"))
    assert (shown["given_name"], shown["family_name"], shown["organisation"]) == ("Anngnp.live", "Haddad", "St Mary's")
    assert json.loads(add(capsys, hub, "group", "show", gid, "--json"))["name"] == "Kitchen"
    # What names in every script need stays: the right-to-left mark and the zero-width non-joiner of Persian
    cid = add(capsys, hub, "contact", "add", "--given", "\u200fمی\u200cخواهم", "--family", "Smith\u200e")
    shown = json.loads(add(capsys, hub, "contact", "show", cid, "--json"))
    assert (shown["given_name"], shown["family_name"]) == ("\u200fمی\u200cخواهم", "Smith\u200e")
    gid = add(capsys, hub, "group", "add", "Kitchen\nrota\x1b")
    aid = add(capsys, hub, "action", "add", "Meet\n\x1b[31mAnn", "--due", "2026-03-01")
    listed = "".join(add(capsys, hub, kind, "list") for kind in ("contact", "group", "action"))
    assert "\x1b" not in listed and "\x07" not in listed
    assert "Kitchen rota" in listed and "Meet [31mAnn" in listed and gid[:8] in listed and aid[:8] in listed
    assert add(capsys, hub, "hub", "rename", "Docks\nHub\x1b") == "Hub renamed to 'Docks Hub'."


def test_a_calendar_of_a_hub_whose_name_has_a_line_break(hub: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    add(capsys, hub, "action", "add", "Meet; with, commas", "--due", "2026-03-01")
    conn = sqlite3.connect(hub / "oursociety.sqlite3")  # named so by an older version, or by another way in
    with conn:
        conn.execute("UPDATE hub SET name = 'Docks\nHub'")
    conn.close()
    out = tmp_path / "meetings.ics"
    assert add(capsys, hub, "action", "export-ics", str(out)) == f"Wrote 1 event to {out}."
    text = out.read_bytes().decode("utf-8")
    # the calendar's name is one line, as the hub's name is everywhere else ('Docks Hub' after a rename)
    assert "X-WR-CALNAME:Docks Hub\r\n" in text and "SUMMARY:Meet\\; with\\, commas\r\n" in text


@pytest.mark.parametrize("args", [("sync", ""), ("backup", " "), ("csv", "export", ""), ("vcard", "import", ""),
                                  ("print", "directory", "-o", ""), ("network", "export", "")])
def test_an_empty_file_name_is_not_the_current_folder(hub: Path, tmp_path: Path, args: tuple[str, ...],
                                                      capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    before = file_digest(hub)
    with pytest.raises(SystemExit) as exit_info:
        run(capsys, "--data-dir", hub, *args)
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and err.splitlines()[-1].endswith(
        ": a file or folder name is needed, not an empty text")
    assert list(work.iterdir()) == [] and file_digest(hub) == before


def test_a_mistyped_hub_for_a_delta_is_refused(hub: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "for-docks.oursociety"
    assert refused(capsys, hub, "export", out, "--for-hub", "dokcs") == (
        "oursociety: No hub 'dokcs' has been met yet, and it is not a hub's id; `oursociety hub` shows a hub's id.\n")
    assert not out.exists()
    unmet = "0b0e4d1c-5f7a-4a52-9d0e-7c1f0e2b9a11"  # the whole id of a hub not met yet: it gets everything
    assert json.loads(add(capsys, hub, "export", str(out), "--for-hub", unmet, "--json"))["for_hub"] == unmet


def test_calendar_ids_are_checked_and_may_be_shortened(hub: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    aid = add(capsys, hub, "action", "add", "Rota meeting", "--due", "2026-03-01")
    out = tmp_path / "rota.ics"
    err = refused(capsys, hub, "action", "export-ics", out, "--id", "nope")
    assert err == "oursociety: No action with id 'nope'.\n"
    assert add(capsys, hub, "action", "export-ics", str(out), "--id", aid[:8]) == f"Wrote 1 event to {out}."
    assert f"UID:{aid}@oursociety" in out.read_text(encoding="utf-8")


def test_a_refused_command_after_a_new_identity_changes_nothing(hub: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add(capsys, hub, "hub", "identity", "new", "--name", "Docks Hub")
    refused(capsys, hub, "contact", "show", "nope")  # the hub's empty clock is not saved by merely opening
    cid = add(capsys, hub, "contact", "add", "--given", "Ngozi")
    shown = json.loads(add(capsys, hub, "contact", "show", cid, "--json"))
    conn = sqlite3.connect(hub / "oursociety.sqlite3")
    assert conn.execute("SELECT clock FROM hub").fetchone()[0] == shown["stamp"]
    conn.close()


@pytest.mark.parametrize(("args", "word"), [
    (("group", "add", "g" * 100_001), "name"), (("action", "add", "a" * 100_001), "title"),
    (("hub", "rename", "h" * 201), "name"),
    # a field is named by its label on screen, not by its identifier ("location")
    (("action", "add", "Walk", "--set", "location=" + "l" * 100_001), "place"),
    (("group", "add", "Walkers", "--description", "d" * 100_001), "description")])
def test_a_name_has_a_length_limit_everywhere(hub: Path, capsys: pytest.CaptureFixture[str],
                                              args: tuple[str, ...], word: str) -> None:
    limit = "200 characters" if args[0] == "hub" else "100,000 characters"
    assert refused(capsys, hub, *args) == f"oursociety: {word} is longer than {limit}.\n"


def test_control_characters_never_reach_the_other_records(hub: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = add(capsys, hub, "contact", "add", "--given", "Ann")
    b = add(capsys, hub, "contact", "add", "--given", "Bo")
    lid = add(capsys, hub, "lesson", "add", "Rota\x1b[2J\nworks", "--worked", "the sign-up\x07 sheet\nby the door")
    lesson = json.loads(add(capsys, hub, "lesson", "show", lid, "--json"))
    assert (lesson["title"], lesson["worked"]) == ("Rota[2J works", "the sign-up sheet\nby the door")
    kid = add(capsys, hub, "connection", "add", a, b, "--note", "met at\x1b]0;pwned\x07 the hall")
    assert "met at]0;pwned the hall" in add(capsys, hub, "connection", "show", kid)
    oid = add(capsys, hub, "offer", "add", a, "Lifts\x1b[5m to the clinic", "--availability", "tuesdays\x1b")
    conn = sqlite3.connect(hub / "oursociety.sqlite3")
    assert conn.execute("SELECT text, availability FROM offer WHERE id = ?", (oid,)).fetchone() == (
        "Lifts[5m to the clinic", "tuesdays")
    conn.close()


def test_an_unexpected_error_is_still_one_line(hub: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object) -> int:
        raise RuntimeError("Flowable too large\nwith cell(0,0) containing\n'Name' " + "x" * 2_000)

    monkeypatch.setattr(cli_records, "cmd_contact_list", broken)
    code, _, err = run(capsys, "--data-dir", hub, "contact", "list")
    assert code == 1 and err.count("\n") == 1
    assert err.startswith("oursociety: unexpected error (RuntimeError: Flowable too large ⏎ with cell(0,0)")
    assert err.endswith(f"x…); details in {hub / 'oursociety.log'}\n")  # cut short; the log keeps the whole
    assert "x" * 2_000 in (hub / "oursociety.log").read_text(encoding="utf-8")


def test_an_erasure_takes_the_error_log_that_may_quote_the_person(hub: Path, capsys: pytest.CaptureFixture[str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    cid = add(capsys, hub, "contact", "add", "--given", "Ngozi", "--family", "Okafor")

    def broken(*_args: object) -> int:  # as SQLAlchemy's errors quote a statement's values
        raise RuntimeError("[parameters: ('Ngozi', 'Okafor')]")

    monkeypatch.setattr(cli_records, "cmd_contact_list", broken)
    assert run(capsys, "--data-dir", hub, "contact", "list")[0] == 1
    assert "Okafor" in (hub / "oursociety.log").read_text(encoding="utf-8")  # positive control
    add(capsys, hub, "contact", "forget", cid)
    assert not (hub / "oursociety.log").exists()
    assert all(b"Okafor" not in path.read_bytes() for path in hub.rglob("*") if path.is_file())


def test_a_hostile_bundle_cannot_drive_the_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b, bundle = tmp_path / "a", tmp_path / "b", tmp_path / "evil.oursociety"
    for folder in (a, b):
        add(capsys, folder, "init")
    cid = add(capsys, a, "contact", "add", "--given", "Ann", "--share")
    conn = sqlite3.connect(a / "oursociety.sqlite3")  # as a hub of an older version, or a hostile one, holds them
    with conn:
        conn.execute("UPDATE hub SET name = 'Evil' || char(27) || ']0;pwned' || char(7) || char(10) || 'Hub'")
        conn.execute("UPDATE contact SET given_name = 'Ann' || char(27) || '[2J' || char(155) || '2J'")
    conn.close()
    add(capsys, a, "export", str(bundle))
    preview = add(capsys, b, "import", str(bundle), "--dry-run")  # before anyone trusts the hub
    assert preview.startswith("Would import evil.oursociety: full bundle from hub 'Evil]0;pwned Hub' (")
    add(capsys, b, "import", str(bundle), "--trust-new-hub")
    listed = add(capsys, b, "contact", "list") + add(capsys, b, "hub")
    assert "Ann[2J2J" in listed and "Evil]0;pwned Hub" in listed
    assert not any(ch in listed for ch in "\x1b\x07\x9b")
    shown = add(capsys, b, "contact", "show", cid, "--json")  # JSON writes ESC as \u001b; a raw C1 CSI goes
    assert "\x9b" not in shown and json.loads(shown)["given_name"] == "Ann\x1b[2J2J"
    conn = sqlite3.connect(b / "oursociety.sqlite3")
    assert conn.execute("SELECT given_name FROM contact").fetchone()[0] == "Ann\x1b[2J\x9b2J"  # the hub keeps it
    conn.close()


def test_a_data_folder_that_is_a_file_is_called_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--data-dir` naming a file said the folder 'does not exist', and `init` there was refused for another reason."""
    file = tmp_path / "notes.txt"
    file.write_text("mine", encoding="utf-8")
    code, _out, err = run(capsys, "--data-dir", file, "stats")
    assert code == 1
    assert err == (f"oursociety: The data folder {file} is a file, not a folder; give the folder "
                   "that holds the hub.\n")
    assert file.read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize(("starts", "ends", "refused_with"), [
    ("2026-12-05T18:00", "2026-12-05T17:00", "2026-12-05 18:00"), ("2026-12-05", "2026-12-04T23:00", "2026-12-05"),
    ("2026-12-05T18:00", "2026-12-05", ""), ("2026-12-05T18:00", "2026-12-05T18:00", "")])
def test_an_action_cannot_end_before_it_starts(hub: Path, capsys: pytest.CaptureFixture[str], starts: str, ends: str,
                                               refused_with: str) -> None:
    """A day without a time is the whole day: a meeting at 18:00 may end 'on the 5th'."""
    args = ("action", "add", "Walk", "--set", f"starts_at={starts}", "--set", f"ends_at={ends}")
    if refused_with:
        assert refused(capsys, hub, *args) == f"oursociety: An action cannot end before it starts ({refused_with}).\n"
    else:
        add(capsys, hub, *args)


def test_moving_an_action_s_start_past_its_end_is_refused(hub: Path, capsys: pytest.CaptureFixture[str]) -> None:
    aid = add(capsys, hub, "action", "add", "Walk", "--set", "starts_at=2026-12-05T18:00",
              "--set", "ends_at=2026-12-05T19:00")
    assert refused(capsys, hub, "action", "edit", aid, "--set", "starts_at=2026-12-06T10:00") == (
        "oursociety: An action cannot end before it starts (2026-12-06 10:00).\n")
