"""`oursociety check --repair` on real hub files: each derived table damaged with raw SQL is found by `check`,
rebuilt from the records by the repair, and the records (every table that is not derived, stamps and the hub's
clock included) stay byte for byte what they were. A sound hub's repair changes nothing; problems of the records
themselves are left and named; a file failing SQLite's integrity check is not written at all."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from oursociety_desktop.models.contact_list import ContactQuery
from oursociety_desktop.models.database import Database, set_setting
from oursociety_desktop.models.health import check_database
from oursociety_desktop.models.search import search_contact_ids
from tests.cli_helpers import file_digest, run

DERIVED = ("contact_search", "contact_phone", "lesson_search")
DERIVED_PREFIXES = ("contact_fts", "lesson_fts")


def _derived(name: str) -> bool:
    return name in DERIVED or name.startswith(DERIVED_PREFIXES)


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE "
                                       "'CREATE VIRTUAL TABLE%' ORDER BY name")]


def record_tables(folder: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table that is not derived, as stored (rowids and stamps included)."""
    conn = sqlite3.connect(folder / "oursociety.sqlite3")
    try:
        return {name: conn.execute(f'SELECT rowid, * FROM "{name}" ORDER BY rowid').fetchall()  # noqa: S608
                for name in _tables(conn) if not _derived(name)}
    finally:
        conn.close()


def derived_tables(folder: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the derived tables and of the FTS5 indexes' own tables, as stored."""
    conn = sqlite3.connect(folder / "oursociety.sqlite3")
    try:
        return {name: conn.execute(f'SELECT * FROM "{name}" ORDER BY 1').fetchall()  # noqa: S608
                for name in _tables(conn) if _derived(name)}
    finally:
        conn.close()


def damage(folder: Path, *statements: str) -> None:
    """Raw SQL on the closed hub file, as a bug or a hand edit would leave it (triggers fire as they would)."""
    conn = sqlite3.connect(folder / "oursociety.sqlite3")
    try:
        with conn:
            for statement in statements:
                conn.execute(statement)
    finally:
        conn.close()


@pytest.fixture
def full_hub(hub: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, str]:
    """Demo contacts and lessons, Zofia Wiśniewska with a phone number and a deleted contact, Ghost Gone;
    (data folder, Zofia's id)."""
    assert run(capsys, "--data-dir", hub, "demo", "--contacts", "40", "--seed", "3")[0] == 0
    code, out, _ = run(capsys, "--data-dir", hub, "contact", "add", "--given", "Zofia", "--family", "Wiśniewska",
                       "--phone", "07700 900123")
    assert code == 0
    code, ghost, _ = run(capsys, "--data-dir", hub, "contact", "add", "--given", "Ghost", "--family", "Gone")
    assert code == 0 and run(capsys, "--data-dir", hub, "contact", "delete", ghost.strip())[0] == 0
    conn = sqlite3.connect(hub / "oursociety.sqlite3")
    assert conn.execute("SELECT COUNT(*) FROM lesson_search").fetchone()[0] > 2
    assert conn.execute("SELECT COUNT(*) FROM contact_phone").fetchone()[0] > 2
    conn.close()
    return hub, out.strip()


def assert_found(folder: Path, contact_id: str) -> None:
    """She is found by name and by the end of her number, by the list's query and by the search function."""
    with Database.open(folder) as db, db.read() as session:
        conn = session.connection()
        for typed in ("wisniewska", "Zofia Wiś", "900123", "07700 900123", "+44 7700 900123"):
            assert contact_id in search_contact_ids(conn, typed), typed
            assert contact_id in [row.id for row in ContactQuery(search=typed).page(conn, 0, 50)], typed


ZOFIA = "(SELECT id FROM contact WHERE family_name = 'Wiśniewska')"
ZOFIA_ROW = f"(SELECT rowid FROM contact_search WHERE contact_id = {ZOFIA})"
FIRST_LESSON_ROW = "(SELECT MIN(rowid) FROM lesson_search)"

DAMAGES = {
    "search rows deleted": (["DELETE FROM contact_search WHERE rowid IN (SELECT rowid FROM contact_search "
                             f"WHERE contact_id = {ZOFIA} OR rowid < 3)"], "search index covers"),
    "stray search row": (["INSERT INTO contact_search (contact_id, body) VALUES ('no-such-id', 'zofia ghost')"],
                         "search row for a contact this hub does not have"),
    "wrong search text": ([f"UPDATE contact_search SET body = 'nobody' WHERE contact_id = {ZOFIA}"],
                          "search row whose text is not its contact's"),
    "wrong place in the list": (["UPDATE contact_search SET live_sort_key = 'zzz' WHERE rowid = 1",
                                 f"UPDATE contact_search SET contact_rowid = 0 WHERE contact_id = {ZOFIA}"],
                                "2 search rows out of step with their contacts' place in the list"),
    "deleted contact listed": (["UPDATE contact_search SET live_sort_key = 'a' WHERE contact_id IN "
                                "(SELECT id FROM contact WHERE deleted = 1)"],
                               "1 search row out of step with its contact's place in the list"),
    "phone rows deleted": ([f"DELETE FROM contact_phone WHERE contact_id = {ZOFIA}"],
                           "1 phone number missing from the phone index"),
    "stray phone row": (["INSERT INTO contact_phone (contact_id, e164) VALUES ('no-such-id', '+447700900999')"],
                        "1 phone index entry that no contact's phones give"),
    "full-text entry deleted": ([f"INSERT INTO contact_fts (contact_fts, rowid, body) SELECT 'delete', rowid, body "
                                 f"FROM contact_search WHERE rowid = {ZOFIA_ROW}"],
                                "1 contact search row out of step with the full-text index"),
    "stray full-text entry": (["INSERT INTO contact_fts (rowid, body) VALUES (999999, 'zofia ghost')"],
                              "1 contact search row out of step with the full-text index"),
    "full-text index emptied": (["INSERT INTO contact_fts (contact_fts) VALUES ('delete-all')"],
                                "contact search rows out of step with the full-text index"),
    "stray lesson search row": (["INSERT INTO lesson_search (lesson_id, stamp, body) VALUES ('no-such-id', 's', "
                                 "'ghost')"], "1 lesson search row for a lesson this hub does not have"),
    "wrong lesson text": ([f"UPDATE lesson_search SET body = 'nothing' WHERE rowid = {FIRST_LESSON_ROW}"],
                          "1 lesson search row whose text is not its lesson's"),
    "lesson full-text entry deleted": ([f"INSERT INTO lesson_fts (lesson_fts, rowid, body) SELECT 'delete', rowid, "
                                        f"body FROM lesson_search WHERE rowid = {FIRST_LESSON_ROW}"],
                                       "1 lesson search row out of step with the full-text index"),
}


@pytest.mark.parametrize("case", list(DAMAGES))
def test_check_names_a_damaged_derived_table_and_the_repair_rebuilds_it_from_the_records(
        full_hub: tuple[Path, str], capsys: pytest.CaptureFixture[str], case: str) -> None:
    folder, zofia = full_hub
    statements, problem = DAMAGES[case]
    records = record_tables(folder)
    damage(folder, *statements)
    code, out, err = run(capsys, "--data-dir", folder, "check")
    assert code == 1 and [line for line in out.splitlines() if line.startswith("problem: ") and problem in line], out
    assert "oursociety check --repair" in err

    code, out, err = run(capsys, "--data-dir", folder, "check", "--repair")
    assert code == 0, out + err
    assert "mended: " in out and out.rstrip().endswith("ok")
    assert "problem" not in out
    assert len(list((folder / "backups").glob("auto-*-before-repair.sqlite3"))) == 1
    assert run(capsys, "--data-dir", folder, "check") == (0, "ok\n", "")
    assert record_tables(folder) == records
    assert_found(folder, zofia)
    with Database.open(folder) as db, db.read() as session:
        assert ContactQuery(search="ghost").count(session.connection()) == 0  # the deleted one is out of the list
    conn = sqlite3.connect(folder / "oursociety.sqlite3")
    try:  # FTS5's own check, token by token (raises when an index differs from its rows)
        with conn:
            conn.execute("INSERT INTO contact_fts (contact_fts, rank) VALUES ('integrity-check', 1)")
            conn.execute("INSERT INTO lesson_fts (lesson_fts, rank) VALUES ('integrity-check', 1)")
    finally:
        conn.close()


def test_a_repair_says_what_it_mended_one_line_each_with_counts(
        full_hub: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    folder, _zofia = full_hub
    damage(folder, *DAMAGES["search rows deleted"][0], *DAMAGES["stray phone row"][0],
           *DAMAGES["stray full-text entry"][0])
    code, out, _err = run(capsys, "--data-dir", folder, "check", "--repair")
    assert code == 0
    mended = [line for line in out.splitlines() if line.startswith("mended: ")]
    assert mended == ["mended: 3 missing search rows added",
                      "mended: 1 stray entry removed from the phone index",
                      "mended: the contacts' full-text index was rebuilt from their search rows"]


def test_a_repair_of_a_sound_hub_changes_nothing_and_says_so(
        full_hub: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    folder, zofia = full_hub
    records, derived = record_tables(folder), derived_tables(folder)
    backups = sorted(p.name for p in (folder / "backups").glob("*")) if (folder / "backups").exists() else []
    for _night in range(3):  # as a nightly job would: no backup is taken, so none is rotated away
        code, out, err = run(capsys, "--data-dir", folder, "check", "--repair")
        assert code == 0 and err == ""
        assert "Nothing derived from the records was out of step; nothing was changed." in out
        assert "mended" not in out and "Backed up" not in out and out.endswith("ok\n")
    assert (sorted(p.name for p in (folder / "backups").glob("*")) if (folder / "backups").exists() else []) == \
        backups
    assert record_tables(folder) == records
    assert derived_tables(folder) == derived  # the FTS5 indexes' own tables too: nothing was rebuilt
    assert_found(folder, zofia)


def test_the_search_rows_follow_the_hubs_phone_region(full_hub: tuple[Path, str],
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """A hub in Poland: the check and the repair read numbers in its region, as the writers do."""
    folder, _zofia = full_hub
    from oursociety_desktop.models.contacts import touch_all_search_rows

    code, out, _err = run(capsys, "--data-dir", folder, "contact", "add", "--given", "Jan", "--phone", "601 234 567")
    assert code == 0
    with Database.open(folder) as db, db.write() as tx:
        set_setting(tx.session, "default_region", "PL")
        tx.session.flush()
        touch_all_search_rows(tx)
    with Database.open(folder) as db, db.read() as session:
        assert check_database(session.connection()).sound
    derived = derived_tables(folder)
    assert (out.strip(), "+48601234567") in derived["contact_phone"]
    code, out, _err = run(capsys, "--data-dir", folder, "check", "--repair")
    assert code == 0 and "nothing was changed" in out
    assert derived_tables(folder) == derived


def test_problems_of_the_records_are_left_and_named(full_hub: tuple[Path, str],
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    folder, zofia = full_hub
    code, erased, _err = run(capsys, "--data-dir", folder, "contact", "add", "--given", "Erin", "--phone", "0123 456")
    assert code == 0 and run(capsys, "--data-dir", folder, "contact", "forget", erased.strip())[0] == 0
    damage(folder, "UPDATE contact SET given_name = 'Erin' WHERE erased = 1", *DAMAGES["stray phone row"][0])
    records = record_tables(folder)
    code, out, err = run(capsys, "--data-dir", folder, "check", "--repair")
    assert code == 1
    assert "mended: 1 stray entry removed from the phone index" in out
    assert "problem: 1 erased contact still holds personal data" in out
    assert "cannot be mended by a repair" in err and "oursociety restore FILE" in err
    assert str(folder / "backups") in err
    assert record_tables(folder) == records  # the leak is in the record: left as it is, for a backup to mend
    code, out, _err = run(capsys, "--data-dir", folder, "check")
    assert code == 1 and out.splitlines() == ["problem: 1 erased contact still holds personal data"]
    assert_found(folder, zofia)


def test_a_file_failing_the_integrity_check_is_not_written(full_hub: tuple[Path, str],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    folder, _zofia = full_hub
    # An index whose declared columns no longer match its entries: SQLite's own check fails, the file still opens.
    conn = sqlite3.connect(folder / "oursociety.sqlite3")
    conn.execute("PRAGMA writable_schema = ON")
    with conn:
        conn.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX ix_contact_live_sort ON contact (deleted, "
                     "given_name)' WHERE name = 'ix_contact_live_sort'")
    conn.close()
    damage(folder, *DAMAGES["stray phone row"][0])
    code, out, _err = run(capsys, "--data-dir", folder, "check")
    assert code == 1 and "problem: SQLite integrity check" in out
    before = file_digest(folder)
    code, out, err = run(capsys, "--data-dir", folder, "check", "--repair")
    assert code == 1
    assert "problem: SQLite integrity check" in out and "mended" not in out
    assert "nothing was written" in err and "oursociety restore FILE" in err
    assert file_digest(folder) == before
    assert not list((folder / "backups").glob("auto-*-before-repair.sqlite3"))


def test_text_of_an_erased_person_left_in_a_search_row_leaves_the_file(
        full_hub: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    folder, _zofia = full_hub
    code, erased, _err = run(capsys, "--data-dir", folder, "contact", "add", "--given", "Erin")
    assert code == 0 and run(capsys, "--data-dir", folder, "contact", "forget", erased.strip())[0] == 0
    damage(folder, "UPDATE contact_search SET body = 'erin qxzvwkemberly' WHERE contact_id IN "
                   "(SELECT id FROM contact WHERE erased = 1)")
    file_digest(folder)  # folds the log in
    database = folder / "oursociety.sqlite3"
    assert b"qxzvwkemberly" in database.read_bytes()  # the control: the token is in the file before
    code, out, _err = run(capsys, "--data-dir", folder, "check", "--repair")
    assert code == 0 and "mended: 1 search row given its contact's text again" in out
    assert not [p for p in folder.iterdir() if p.is_file() and b"qxzvwkemberly" in p.read_bytes()]
