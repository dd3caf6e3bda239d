"""The command line: every command of issue 2, exit codes, one-line errors, and no change on bad input."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from oursociety_desktop.cli import main
from oursociety_desktop.models.registry import REGISTRY
from tests.cli_helpers import file_digest, run


def test_init_hub_rename_and_json(hub: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--data-dir", str(hub), "hub", "--json")
    info = json.loads(out)
    assert code == 0 and info["name"] == "Riverside Hub" and info["default_region"] == "GB"
    assert run(capsys, "--data-dir", str(hub), "hub", "rename", "Docks Hub")[0] == 0
    assert json.loads(run(capsys, "--data-dir", str(hub), "hub", "--json")[1])["name"] == "Docks Hub"
    code, _, err = run(capsys, "--data-dir", str(hub), "init")
    assert code == 1 and "already a hub" in err


def test_contact_lifecycle(hub: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(hub)]
    code, out, err = run(capsys, *d, "contact", "add", "--given", "Małgorzata", "--family", "Wójcik",
                         "--phone", "mobile:07700 900123", "--phone", "0161 496 0999", "--email", "m@example.org",
                         "--share")
    assert code == 0
    cid = out.strip()
    assert len(cid) == 36 and "warning" in err  # 07700 900xxx is a reserved range: kept, flagged
    shown = json.loads(run(capsys, *d, "contact", "show", cid, "--json")[1])
    assert shown["id"] == cid and shown["given_name"] == "Małgorzata" and shown["family_name"] == "Wójcik"
    assert shown["phones"] == [{"label": "mobile", "value": "07700 900123"}, {"label": "", "value": "0161 496 0999"}]
    assert shown["emails"] == [{"label": "", "value": "m@example.org"}]
    assert shown["deleted"] is False and shown["share_with_hubs"] is True

    assert run(capsys, *d, "contact", "edit", cid[:8], "--set", "organisation=Food Bank",
               "--set", "do_not_phone=yes", "--set", "tags=cooking, driving")[0] == 0
    shown = json.loads(run(capsys, *d, "contact", "show", cid, "--json")[1])
    assert (shown["organisation"], shown["do_not_phone"], shown["tags"]) == ("Food Bank", True, ["cooking", "driving"])

    listed = json.loads(run(capsys, *d, "contact", "list", "--search", "malgo", "--json")[1])
    assert [c["id"] for c in listed] == [cid]

    gid = run(capsys, *d, "group", "add", "Food Team")[1].strip()
    assert run(capsys, *d, "group", "add-member", "Food Team", cid)[0] == 0
    assert [c["id"] for c in json.loads(run(capsys, *d, "contact", "list", "--group", "food team", "--json")[1])] \
        == [cid]
    assert json.loads(run(capsys, *d, "group", "list", "--json")[1])[0]["members"] == 1
    code, out, _ = run(capsys, *d, "action", "add", "Plan the rota", "--due", "2026-12-01", "--assign", cid,
                       "--group", gid)
    assert code == 0 and len(out.strip()) == 36

    assert run(capsys, *d, "contact", "delete", cid)[0] == 0
    assert json.loads(run(capsys, *d, "contact", "show", cid, "--json")[1])["deleted"] is True
    code, _, err = run(capsys, *d, "contact", "forget", cid, "--reason", "her ex-partner found her here")
    assert code == 1 and err.count("\n") == 1 and "consent withdrawn" in err  # free text: refused, the list shown
    assert json.loads(run(capsys, *d, "contact", "show", cid, "--json")[1])["erased"] is False
    assert run(capsys, *d, "contact", "forget", cid, "--reason", "consent withdrawn")[0] == 0
    shown = json.loads(run(capsys, *d, "contact", "show", cid, "--json")[1])
    assert shown["erased_reason"] == "consent withdrawn"
    assert shown["given_name"] == "" and shown["phones"] == [] and shown["erased"] is True
    stats = json.loads(run(capsys, *d, "stats", "--json")[1])
    assert stats["records"]["contact"] == {"live": 0, "deleted": 1, "erased": 1, "shared": 0}
    assert run(capsys, *d, "check")[0] == 0


@pytest.mark.parametrize(
    "args",
    [
        ["contact", "show", "00000000-dead-beef-0000-000000000000"],
        ["contact", "edit", "00000000-dead-beef-0000-000000000000", "--set", "given_name=X"],
        ["contact", "edit", "{cid}", "--set", "shoe_size=9"],
        ["contact", "edit", "{cid}", "--set", "no-equals-sign"],
        ["contact", "edit", "{cid}", "--set", "emails=not an email"],
        ["contact", "edit", "{cid}", "--set", "share_with_hubs=perhaps"],
        ["contact", "add", "--given", "X", "--email", "x@"],
        ["contact", "add", "--family", ""],
        ["contact", "delete", "nope"],
        ["contact", "forget", "nope"],
        ["group", "add-member", "No Such Group", "{cid}"],
        ["group", "add", "  "],
        ["action", "add", "Thing", "--due", "soon"],
        ["action", "add", "Thing", "--assign", "nobody"],
        ["contact", "list", "--group", "No Such Group"],
        ["demo", "--contacts", "-5"],
        ["restore", "/no/such/backup.sqlite3"],
    ],
)
def test_bad_input_one_line_error_and_no_change(hub: Path, capsys: pytest.CaptureFixture[str],
                                                args: list[str]) -> None:
    cid = run(capsys, "--data-dir", str(hub), "contact", "add", "--given", "Ada")[1].strip()
    before = file_digest(hub)
    code, out, err = run(capsys, "--data-dir", str(hub), *[a.replace("{cid}", cid) for a in args])
    assert code == 1
    assert err.startswith("oursociety: ") and err.count("\n") == 1 and "Traceback" not in err
    assert file_digest(hub) == before


def test_missing_data_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "nowhere"), "stats")
    assert code == 1 and "does not exist" in err and "oursociety init" in err
    assert not (tmp_path / "nowhere").exists()


def test_data_folder_without_a_hub(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "contact", "list")
    assert code == 1 and "no hub" in err


def test_read_only_data_folder(hub: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    before = file_digest(hub)
    os.chmod(hub, 0o555)
    try:
        if os.geteuid() == 0:
            # root ignores permission bits; make os.access answer from the mode bits as it would for a user.
            real_access = os.access

            def access_by_mode(path: object, mode: int, **kw: object) -> bool:
                if Path(str(path)) == hub and mode & os.W_OK:
                    return False
                return real_access(path, mode)  # type: ignore[arg-type]

            monkeypatch.setattr(os, "access", access_by_mode)
        code, _, err = run(capsys, "--data-dir", str(hub), "contact", "add", "--given", "X")
    finally:
        os.chmod(hub, 0o755)
    assert code == 1 and "read-only" in err
    assert file_digest(hub) == before


@pytest.mark.parametrize("content", [b"", b"this is not a database at all" * 100,
                                     b"SQLite format 3\x00" + b"\xff" * 4000])
def test_corrupt_database_file(hub: Path, capsys: pytest.CaptureFixture[str], content: bytes) -> None:
    path = hub / "oursociety.sqlite3"
    for side in ("-wal", "-shm"):
        Path(str(path) + side).unlink(missing_ok=True)
    path.write_bytes(content)
    code, _, err = run(capsys, "--data-dir", str(hub), "stats")
    assert code == 1 and "damaged" in err and "restore" in err and "Traceback" not in err
    assert path.read_bytes() == content


def test_second_process_writing_gets_a_clear_message(hub: Path) -> None:
    holder = sqlite3.connect(hub / "oursociety.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE hub SET name = 'held'")
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "oursociety_desktop", "--data-dir", str(hub), "contact", "add", "--given", "X"],
            capture_output=True, text=True, timeout=30,
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert proc.returncode == 1
    assert "busy" in proc.stderr and "Traceback" not in proc.stderr
    assert sqlite3.connect(hub / "oursociety.sqlite3").execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert sqlite3.connect(hub / "oursociety.sqlite3").execute("SELECT COUNT(*) FROM contact").fetchone()[0] == 0


def test_data_dir_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("OURSOCIETY_DATA_DIR", str(tmp_path / "env-hub"))
    assert run(capsys, "init", "--hub-name", "Env")[0] == 0
    assert (tmp_path / "env-hub" / "oursociety.sqlite3").is_file()


def test_default_data_dir_is_platform_user_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from oursociety_desktop.paths import data_dir

    monkeypatch.delenv("OURSOCIETY_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert data_dir(None) == tmp_path / "xdg" / "OurSociety"
    assert data_dir(str(tmp_path / "x")) == tmp_path / "x"
    assert not (tmp_path / "xdg").exists()  # nothing created by asking


def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["contact", "frobnicate"])
    assert info.value.code == 2


def test_dump_is_canonical_and_respects_consent(hub: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(hub)]
    shared = run(capsys, *d, "contact", "add", "--given", "Shared", "--share")[1].strip()
    private = run(capsys, *d, "contact", "add", "--given", "Private", "--no-share")[1].strip()
    run(capsys, *d, "contact", "edit", shared, "--set", "private_notes=secret thing")
    run(capsys, *d, "group", "add", "G")
    run(capsys, *d, "group", "add-member", "G", shared)
    run(capsys, *d, "group", "add-member", "G", private)
    first = run(capsys, *d, "dump")[1]
    second = run(capsys, *d, "dump")[1]
    assert first == second
    data = json.loads(first)
    assert sorted(data) == sorted(REGISTRY.names())
    assert {"action", "action_link", "connection", "contact", "group", "membership"} <= set(data)
    assert [c["id"] for c in data["contact"]] == [shared]
    assert [m["contact_id"] for m in data["membership"]] == [shared]
    assert "secret thing" not in first and "private_notes" not in first and "Private" not in first
    record = data["contact"][0]
    assert list(record) == sorted(record)
    everything = json.loads(run(capsys, *d, "dump", "--include-unshared")[1])
    assert sorted(c["id"] for c in everything["contact"]) == sorted([shared, private])
    assert len(everything["membership"]) == 2 and "secret thing" in json.dumps(everything)
    assert set(record["stamps"]) == set(record) - {"id", "origin_hub", "stamps"}


def test_backup_and_restore(hub: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(hub)]
    keep = run(capsys, *d, "contact", "add", "--given", "Kept")[1].strip()
    out = tmp_path / "copy.sqlite3"
    assert run(capsys, *d, "backup", str(out))[0] == 0
    assert sqlite3.connect(out).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    later = run(capsys, *d, "contact", "add", "--given", "Later")[1].strip()

    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"SQLite format 3\x00" + os.urandom(3000))
    before = file_digest(hub)
    code, _, err = run(capsys, *d, "restore", str(garbage))
    assert code == 1 and "damaged" in err
    assert file_digest(hub) == before

    code, out_text, _ = run(capsys, *d, "restore", str(out))
    assert code == 0 and "kept as" in out_text
    ids = [c["id"] for c in json.loads(run(capsys, *d, "contact", "list", "--json")[1])]
    assert ids == [keep]
    asides = list((hub / "backups").glob("auto-*before-restore.sqlite3"))
    assert len(asides) == 1
    conn = sqlite3.connect(asides[0])
    assert {r[0] for r in conn.execute("SELECT id FROM contact")} == {keep, later}
    assert run(capsys, *d, "check")[0] == 0


def test_backup_to_unwritable_place(hub: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--data-dir", str(hub), "backup", "/no/such/folder/b.sqlite3")
    assert code == 1 and "does not exist" in err


def test_demo_and_check(hub: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--data-dir", str(hub), "demo", "--contacts", "300", "--seed", "9")
    assert code == 0 and "Contacts: 300\n" in out and "Group memberships: 600\n" in out
    stats = json.loads(run(capsys, "--data-dir", str(hub), "stats", "--json")[1])
    assert stats["records"]["contact"]["live"] == 300
    assert stats["records"]["membership"]["live"] == 600
    code, out, _ = run(capsys, "--data-dir", str(hub), "check")
    assert code == 0 and out.strip().endswith("ok")


def test_restore_replaces_a_damaged_database(hub: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(hub)]
    keep = run(capsys, *d, "contact", "add", "--given", "Kept")[1].strip()
    backup = tmp_path / "good.sqlite3"
    assert run(capsys, *d, "backup", str(backup))[0] == 0
    db_file = hub / "oursociety.sqlite3"
    for side in ("-wal", "-shm"):
        Path(str(db_file) + side).unlink(missing_ok=True)
    db_file.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50 + b"garbage" * 500)
    assert run(capsys, *d, "stats")[0] == 1
    code, out, err = run(capsys, *d, "restore", str(backup))
    assert code == 0, err
    assert list((hub / "backups").glob("damaged-*.sqlite3"))
    assert [c["id"] for c in json.loads(run(capsys, *d, "contact", "list", "--json")[1])] == [keep]
    assert run(capsys, *d, "check")[0] == 0


def test_restore_refused_while_another_process_writes(hub: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    backup = tmp_path / "b.sqlite3"
    assert run(capsys, "--data-dir", str(hub), "backup", str(backup))[0] == 0
    holder = sqlite3.connect(hub / "oursociety.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        code, _, err = run(capsys, "--data-dir", str(hub), "restore", str(backup))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 1 and "busy" in err


def test_contact_edit_records_a_consent_receipt(hub: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(hub)]
    cid = run(capsys, *d, "contact", "add", "--given", "Ngozi", "--no-share")[1].strip()
    code, out, _ = run(capsys, *d, "contact", "edit", cid, "--set", "share_with_hubs=1", "--consent-how", "paper",
                       "--recorded-by", "Sam at the desk")
    assert code == 0 and "on paper, by Sam at the desk" in out
    shown = json.loads(run(capsys, *d, "contact", "show", cid, "--json")[1])
    assert (shown["share_with_hubs"], shown["consent_method"], shown["consent_recorded_by"]) == \
        (True, "on paper", "Sam at the desk")
    assert len(shown["consent_recorded_at"]) == 10
    before = file_digest(hub)  # a receipt without a consent switched on: one line, exit 1, nothing changed
    code, _, err = run(capsys, *d, "contact", "edit", cid, "--set", "notes=hello", "--consent-how", "phone")
    assert code == 1 and "--consent-how" in err and len(err.strip().splitlines()) == 1
    assert file_digest(hub) == before
