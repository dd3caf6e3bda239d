"""Every way a contact row or its search row is written keeps the search row in step with its contact (its live sort
key and rowid, migration 17): after each, the health check finds nothing, and a search's pages in name order are
the pages sorting every match gives, where the reference reaches each contact by its id, not by the rowid the
search row keeps (so a wrong rowid cannot hide behind a reference that trusts it)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection

from oursociety_desktop.models.contact_list import ContactQuery
from oursociety_desktop.models.contacts import (
    create_contact,
    delete_contact,
    forget_contact,
    touch_all_search_rows,
    update_contact,
)
from oursociety_desktop.models.database import Database, set_setting
from oursociety_desktop.models.demo import generate_demo
from oursociety_desktop.models.duplicates import merge_contacts, undo_merge
from oursociety_desktop.models.health import check_database
from oursociety_desktop.models.search import build_match_query, count_matches, search_contact_ids
from oursociety_desktop.services.people_import import ImportOptions, run_import

LISTS = ("phones", "emails", "tags", "languages")
SEARCHES = ("pa", "ann", "leeds", "smith", "e", "nowak anna", "zy")


def _reference(conn: Connection, typed: str) -> list[str]:
    """Every live match in list order, each search row joined to its contact by id."""
    return [r[0] for r in conn.exec_driver_sql(
        "SELECT c.id FROM contact_fts JOIN contact_search s ON s.rowid = contact_fts.rowid "
        "JOIN contact c ON c.id = s.contact_id WHERE contact_fts MATCH ? AND c.deleted = 0 "
        "ORDER BY c.sort_key, c.rowid", (build_match_query(typed),))]


def assert_in_step(db: Database, searches: tuple[str, ...] = SEARCHES) -> None:
    with db.read() as session:
        conn = session.connection()
        report = check_database(conn)
        assert report.sound, report.problems
        for typed in searches:
            query = ContactQuery(search=typed)
            expected = _reference(conn, typed)
            pages = [row.id for offset in range(0, len(expected) + 7, 7) for row in query.page(conn, offset, 7)]
            assert pages == expected, typed
            assert query.count(conn) == count_matches(conn, typed) == len(expected), typed
            assert sorted(search_contact_ids(conn, typed, limit=10_000)) == sorted(expected), typed
            ids = dict(conn.exec_driver_sql("SELECT rowid, id FROM contact").all())
            assert sorted(ids[r] for r in query.matched_rowids(conn)) == sorted(expected), typed


def _people(db: Database, count: int = 12) -> list[str]:
    with db.write() as tx:
        return [create_contact(tx, {"given_name": given, "family_name": family, "locality": "Leeds"}).id
                for family in ("Patel", "Smith", "Pask") for given in ("Ann", "Paul", "Ann", "Zygmunt")][:count]


def test_edits_deletes_undeletes_and_erasures_keep_search_rows_in_step(db: Database) -> None:
    ids = _people(db)
    with db.write() as tx:
        update_contact(tx, ids[0], {"family_name": "Smith"})
        update_contact(tx, ids[1], {"given_name": "", "family_name": "", "organisation": "Paper Co"})
        delete_contact(tx, ids[2])
        delete_contact(tx, ids[3])
        delete_contact(tx, ids[3], deleted=False)
        forget_contact(tx, ids[4])
        delete_contact(tx, ids[5])
        update_contact_after = ids[6]
        update_contact(tx, update_contact_after, {"display_name": "Ann Paxton"})
    assert_in_step(db)
    with db.write() as tx:  # renamed and deleted in one transaction, then brought back
        update_contact(tx, ids[7], {"family_name": "Aardvark"})
        delete_contact(tx, ids[7])
    with db.write() as tx:
        delete_contact(tx, ids[7], deleted=False)
    assert_in_step(db)


def test_a_duplicate_merge_and_its_undo_keep_search_rows_in_step(db: Database) -> None:
    ids = _people(db)
    with db.write() as tx:
        undo = merge_contacts(tx, ids[0], ids[2])  # two Ann Patels
    assert_in_step(db)
    with db.write() as tx:
        undo_merge(tx, undo)
    assert_in_step(db)


def test_a_change_of_the_phone_region_and_a_demo_keep_search_rows_in_step(db: Database) -> None:
    generate_demo(db, 80, seed=11)
    ids = _people(db)
    with db.write() as tx:
        delete_contact(tx, ids[1])
        forget_contact(tx, ids[2])
        set_setting(tx.session, "default_region", "PL")
    with db.write() as tx:
        touch_all_search_rows(tx)
    assert_in_step(db)
    generate_demo(db, 40, seed=12)  # a second demo on a hub with contacts
    assert_in_step(db)


def test_imports_adding_and_updating_people_keep_search_rows_in_step(db: Database) -> None:
    from oursociety_desktop.formats.vcard import parse_vcards

    ids = _people(db)
    first = ("BEGIN:VCARD\nVERSION:3.0\nN:Nowak;Anna;;;\nEMAIL:anna@example.org\nEND:VCARD\n"
             "BEGIN:VCARD\nVERSION:3.0\nN:Nowak;Anna;;;\nEMAIL:ANNA@example.org\nTEL:07700 900123\nEND:VCARD\n"
             "BEGIN:VCARD\nVERSION:3.0\nN:Patel;Ann;;;\nEMAIL:ann@example.org\nEND:VCARD\n")
    run_import(db, parse_vcards(first.encode()), ImportOptions(on_duplicate="update"))
    assert_in_step(db)
    with db.write() as tx:
        delete_contact(tx, ids[0])
    second = ("BEGIN:VCARD\nVERSION:3.0\nN:Nowakowska;Anna;;;\nEMAIL:anna@example.org\nEND:VCARD\n"
              "BEGIN:VCARD\nVERSION:3.0\nN:Smith;Paul;;;\nEND:VCARD\n"
              "BEGIN:VCARD\nVERSION:3.0\nN:Patel;Ann;;;\nEMAIL:ann@example.org\nEND:VCARD\n")
    for mode in ("update", "add", "fill"):
        run_import(db, parse_vcards(second.encode()), ImportOptions(on_duplicate=mode))
        assert_in_step(db)


def test_compaction_and_a_restored_backup_keep_search_rows_in_step(db: Database, tmp_path: Path) -> None:
    from oursociety_desktop.models.backup import backup_to, restore_from
    from oursociety_desktop.models.erasure import after_erasure

    generate_demo(db, 60, seed=5)
    ids = _people(db)
    with db.write() as tx:
        for cid in ids[::2]:
            forget_contact(tx, cid)
    saved = backup_to(db.path, tmp_path / "saved.sqlite3")
    with db.write() as tx:
        update_contact(tx, ids[1], {"family_name": "Later"})
        forget_contact(tx, ids[3])  # after the backup: erased again when the backup is restored
    after_erasure(db)
    db.compact_if_freed(share=0.0)  # VACUUM whatever is free
    assert_in_step(db)
    path = db.path
    db.close()
    restore_from(saved, path)
    again = Database.open(path.parent)
    try:
        assert again.reapplied_erasures == 1
        assert_in_step(again)
    finally:
        again.close()


def test_an_upgraded_hub_compacted_after_its_migration_has_its_search_rows_in_step(tmp_path: Path) -> None:
    import sqlite3

    from tests.core.test_core_schema import OTHER, hub_at_version, insert_raw

    path = hub_at_version(tmp_path / "v16", 16)
    base = f"1700000000000.000001.{OTHER}"
    conn = sqlite3.connect(path)
    with conn:  # rowids with gaps between them, which a VACUUM renumbering the rows would close
        conn.execute("CREATE TABLE filler (blob BLOB)")  # pages the migration's compaction frees
        conn.execute("INSERT INTO filler VALUES (zeroblob(4000000))")
        for n in range(60):
            family, given = ("Patel", "Smith", "Pask")[n % 3], ("Ann", "Paul", "Zygmunt")[n % 4 % 3]
            key = f"{family.lower()} {given.lower()}"
            insert_raw(conn, "contact", {"rowid": 7 * n + 3, "id": f"c{n:02}", "base_stamp": base, "sort_key": key,
                                         "given_name": given, "family_name": family, "locality": "Leeds",
                                         "deleted": n % 5 == 0, "share_with_hubs": True,
                                         **dict.fromkeys(LISTS, "[]")})
            conn.execute("INSERT INTO contact_search (contact_id, body) VALUES (?, ?)",
                         (f"c{n:02}", f"{given.lower()} {family.lower()} leeds"))
        conn.execute("DROP TABLE filler")
    conn.close()
    db = Database.open(tmp_path / "v16")
    try:
        assert path.stat().st_size < 1_000_000  # compacted after the upgrade
        with db.read() as session:
            assert session.connection().exec_driver_sql("SELECT rowid FROM contact WHERE id = 'c59'").scalar() == 416
        assert_in_step(db)
        with db.write() as tx:
            update_contact(tx, "c01", {"family_name": "Aaron"})
            delete_contact(tx, "c02")
            delete_contact(tx, "c05", deleted=False)
        assert_in_step(db)
    finally:
        db.close()


def test_an_erased_contact_not_deleted_keeps_its_search_row_in_step(db: Database) -> None:
    """No path of the app erases without deleting, but the search row follows the one rule the check applies
    (the key while not deleted), so the check and a rewrite of the search rows agree whatever the row says."""
    with db.write() as tx:
        made = create_contact(tx, {"given_name": "Ola", "family_name": "Nowak"})
        tx.session.connection().exec_driver_sql("UPDATE contact SET erased = 1 WHERE id = ?", (made.id,))
    with db.write() as tx:
        touch_all_search_rows(tx)
    with db.read() as session:
        problems = check_database(session.connection()).problems
    assert not [p for p in problems if "search row" in p]  # (it still holds personal data: the check says that)
