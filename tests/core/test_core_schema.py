"""The schema comes from the migrations alone: a new hub, a hub of the first release and a hub of the previous
release end with the same schema, and the table classes agree with it."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

from oursociety_desktop.models.database import Database, utc_now_iso
from oursociety_desktop.models.health import check_database, record_counts
from oursociety_desktop.models.knowledge import knowledge_vector
from oursociety_desktop.models.migrations import (
    COMPACT_PENDING,
    FOLD_PAIRS_PENDING,
    LATEST_VERSION,
    MIGRATIONS,
    compact_if_asked,
)
from oursociety_desktop.paths import database_path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# Made by the release before format 2 (schema version 3): `oursociety demo --contacts 40 --seed 7` and a few edits.
PREVIOUS_RELEASE_HUB = FIXTURES / "hub-schema-v3.sqlite3"


def schema_of(path: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    try:
        return sorted(conn.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL").fetchall())
    finally:
        conn.close()


def first_release_hub(folder: Path) -> None:
    """A hub as the first release made it: only migration 1, and its hub row."""
    folder.mkdir(parents=True)
    [first] = [m for m in MIGRATIONS if m.version == 1]
    engine = create_engine(f"sqlite:///{database_path(folder)}")
    with engine.begin() as conn:
        first.apply(conn)
        conn.execute(text("INSERT INTO schema_version (version, applied_at) VALUES (1, :at)"), {"at": utc_now_iso()})
        conn.execute(text("INSERT INTO hub (id, name, created_at, clock) VALUES "
                          "('f1f1f1f1-0000-4000-8000-000000000001', 'Old Hub', :at, '')"), {"at": utc_now_iso()})
    engine.dispose()


def test_a_new_hub_and_upgraded_hubs_have_the_same_schema(tmp_path: Path) -> None:
    fresh = Database.create(tmp_path / "fresh", "Fresh")
    fresh.close()
    first_release_hub(tmp_path / "first")
    Database.open(tmp_path / "first").close()
    (tmp_path / "previous").mkdir()
    shutil.copy(PREVIOUS_RELEASE_HUB, database_path(tmp_path / "previous"))
    Database.open(tmp_path / "previous").close()
    expected = schema_of(database_path(tmp_path / "fresh"))
    assert schema_of(database_path(tmp_path / "first")) == expected
    assert schema_of(database_path(tmp_path / "previous")) == expected


def test_the_table_classes_agree_with_the_migrated_schema(db: Database) -> None:
    ours = [t for t in SQLModel.metadata.sorted_tables
            if any(m.class_.__module__.startswith("oursociety_desktop.") for m in _mappers_of(t.name))]
    assert len(ours) >= 16
    with db.read() as session:
        conn = session.connection()
        for table in ours:
            info = conn.execute(text(f"PRAGMA table_xinfo({table.name})")).all()
            assert {row[1] for row in info} == {c.name for c in table.columns}, table.name
            # hidden 2: a virtual generated column, which SQLite derives and the classes never write
            assert {row[1] for row in info if row[6] == 2} == {c.name for c in table.columns if c.computed}


def _mappers_of(table_name: str) -> list:
    from sqlalchemy.orm import class_mapper
    from sqlmodel.main import default_registry

    return [class_mapper(m.class_) for m in default_registry.mappers if m.local_table.name == table_name]


def test_a_hub_of_the_previous_release_upgrades_with_its_data(tmp_path: Path) -> None:
    folder = tmp_path / "previous"
    folder.mkdir()
    shutil.copy(PREVIOUS_RELEASE_HUB, database_path(folder))
    db = Database.open(folder)
    try:
        with db.read() as session:
            conn = session.connection()
            counts = record_counts(conn)
            assert counts["contact"]["live"] == 41 and counts["membership"]["live"] == 80
            assert counts["connection"]["live"] == 5
            assert check_database(conn).sound
            version = conn.execute(text("SELECT MAX(version) FROM schema_version")).scalar_one()
            assert version == LATEST_VERSION
            incarnation, key = conn.execute(text("SELECT incarnation, signing_key FROM hub")).one()
            vector = knowledge_vector(conn)
        assert len(incarnation) == 36 and len(key) == 44
        assert vector == {}  # it never imported a bundle
        assert list((folder / "backups").glob("*before-migration-v4*"))
    finally:
        db.close()


def test_stamp_indexes_are_kept_only_where_a_query_walks_them(db: Database) -> None:
    from oursociety_desktop.models.outgoing import OutgoingEncoder, _delta_condition
    from oursociety_desktop.models.registry import REGISTRY

    with db.read() as session:
        conn = session.connection()
        stamp_indexes = {row[0] for row in conn.execute(text(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '%(stamp)'"))}
        assert stamp_indexes == {"ix_contact_stamp", "ix_opaque_record_stamp"}
        today = " ".join(str(r[-1]) for r in conn.execute(text(
            "EXPLAIN QUERY PLAN SELECT id FROM contact WHERE +deleted = 0 ORDER BY stamp DESC LIMIT 20")))
        assert "ix_contact_stamp" in today and "TEMP B-TREE" not in today
        # A delta reads each type in id order (its stamp condition never chose a stamp index) and finds the
        # contacts changed since the stamp through theirs.
        membership = REGISTRY.get("membership")
        assert membership is not None
        plan = " ".join(str(r[-1]) for r in conn.execute(text(
            "EXPLAIN QUERY PLAN " + OutgoingEncoder(membership).select_sql(_delta_condition(membership))),
            {"since": "1"}))
        assert "TEMP B-TREE" not in plan and "ix_contact_stamp" in plan, plan


def hub_at_version(folder: Path, version: int) -> Path:
    """A hub whose schema went through the steps up to `version` only, as that release left it."""
    first_release_hub(folder)
    engine = create_engine(f"sqlite:///{database_path(folder)}")
    with engine.begin() as conn:
        for step in MIGRATIONS:
            if 1 < step.version <= version:
                step.apply(conn)
                conn.execute(text("INSERT INTO schema_version (version, applied_at) VALUES (:v, :at)"),
                             {"v": step.version, "at": utc_now_iso()})
        # that release folded its pairs when it first opened
        conn.execute(text("DELETE FROM setting WHERE key = :k"), {"k": FOLD_PAIRS_PENDING})
    engine.dispose()
    return database_path(folder)


OTHER = "0a0a0a0a-0000-4000-8000-00000000000b"


def insert_raw(conn: sqlite3.Connection, table: str, values: dict[str, str]) -> None:
    """Insert a row as an older release wrote it: the given values, every other required column blank."""
    row: dict[str, str | int] = dict(values)
    for _, name, kind, notnull, default, _ in conn.execute(f"PRAGMA table_info({table})").fetchall():
        if notnull and default is None and name not in row:
            row[name] = "{}" if kind == "JSON" else 0 if kind in ("BOOLEAN", "INTEGER") else ""
    conn.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",  # noqa: S608
                 list(row.values()))


def test_migration_16_derives_origin_hub_and_stamp_and_keeps_every_value(tmp_path: Path) -> None:
    path = hub_at_version(tmp_path / "v15", 15)
    mine = "f1f1f1f1-0000-4000-8000-000000000001"
    base, later = f"1700000000000.000001.{OTHER}", f"1700000000500.000000.{mine}"
    conn = sqlite3.connect(path)
    with conn:
        # one unedited contact from another hub, one edited here since, and many memberships (pages to free)
        insert_raw(conn, "contact", {"id": "c1", "origin_hub": OTHER, "base_stamp": base, "stamp": base})
        insert_raw(conn, "contact", {"id": "c2", "origin_hub": OTHER, "base_stamp": base, "stamp": later,
                                     "stamps": f'{{"given_name": "{later}"}}'})
        for i in range(3000):
            insert_raw(conn, "membership", {"id": f"m{i:05d}", "origin_hub": OTHER, "base_stamp": base,
                                            "stamp": base, "contact_id": "c1"})
    conn.close()

    Database.open(tmp_path / "v15").close()

    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT id, origin_hub, base_stamp, stamp, edit_stamp FROM contact ORDER BY id").fetchall()
        assert rows == [("c1", OTHER, base, base, None), ("c2", OTHER, base, later, later)]
        assert conn.execute("SELECT COUNT(*) FROM membership WHERE origin_hub = ? AND stamp = ? "
                            "AND edit_stamp IS NULL", (OTHER, base)).fetchone() == (3000,)
        plan = " ".join(str(r[-1]) for r in conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM contact WHERE stamp > ? ORDER BY stamp", (base,)))
        assert "ix_contact_stamp" in plan
        # pages the dropped columns left free are given back (compact_if_freed, below)
        free, pages = (conn.execute(f"PRAGMA {name}").fetchone()[0] for name in ("freelist_count", "page_count"))
        assert free * 20 < pages
    finally:
        conn.close()


def test_a_file_with_many_free_pages_is_compacted_once(db: Database) -> None:
    with db.write() as tx:
        conn = tx.session.connection()
        conn.exec_driver_sql("CREATE TABLE scratch (body TEXT)")
        conn.exec_driver_sql("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
                             "INSERT INTO scratch SELECT hex(randomblob(500)) FROM n")
    with db.write() as tx:
        tx.session.connection().exec_driver_sql("DROP TABLE scratch")
    db.checkpoint()
    pages = sqlite3.connect(db.path).execute("PRAGMA page_count").fetchone()[0]
    assert db.compact_if_freed() is True
    db.checkpoint()
    file = sqlite3.connect(db.path)
    try:
        assert file.execute("PRAGMA freelist_count").fetchone() == (0,)
        assert file.execute("PRAGMA page_count").fetchone()[0] < pages / 2
    finally:
        file.close()
    assert db.compact_if_freed() is False


def test_a_compaction_that_cannot_run_leaves_the_hub_as_it_was(db: Database) -> None:
    # Another process writing to the hub (here a connection holding its write lock past the busy timeout): the
    # upgrade it follows has committed, so opening the hub must not fail because of it.
    with db.write() as tx:
        tx.session.connection().exec_driver_sql("CREATE TABLE scratch AS SELECT zeroblob(400000) AS body")
    with db.write() as tx:
        tx.session.connection().exec_driver_sql("DROP TABLE scratch")
    other = sqlite3.connect(db.path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        pages = other.execute("PRAGMA page_count").fetchone()[0]
        assert db.compact_if_freed() is None
        assert other.execute("PRAGMA page_count").fetchone()[0] == pages
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert db.compact_if_freed() is True


def _free_and_asked(path: Path) -> tuple[float, bool]:
    conn = sqlite3.connect(path)
    try:
        free, pages = (conn.execute(f"PRAGMA {name}").fetchone()[0] for name in ("freelist_count", "page_count"))
        asked = conn.execute("SELECT 1 FROM setting WHERE key = ?", (COMPACT_PENDING,)).fetchone() is not None
        assert conn.execute("SELECT MAX(version) FROM schema_version").fetchone() == (LATEST_VERSION,)
    finally:
        conn.close()
    return free / pages, asked


def _old_hub_with_free_pages(folder: Path) -> Path:
    """A hub of schema version 15 whose file is mostly free pages (a table made and dropped); its database path."""
    path = hub_at_version(folder, 15)
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE filler AS SELECT zeroblob(4000000) AS body")
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE filler")
    return path


def test_an_upgrade_killed_in_its_compaction_is_compacted_at_the_next_open(tmp_path: Path) -> None:
    path = _old_hub_with_free_pages(tmp_path / "v15")
    # A real process, killed where the upgrade's compaction starts: its steps have committed, VACUUM has not run.
    killed = subprocess.run([sys.executable, "-c", (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from oursociety_desktop.models.database import Database\n"
        "Database.compact_if_freed = lambda self, share=0.05: os.kill(os.getpid(), signal.SIGKILL)\n"
        "Database.open(Path(sys.argv[1]))\n"), str(tmp_path / "v15")], capture_output=True, check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    free, asked = _free_and_asked(path)
    assert free > 0.5
    assert asked

    Database.open(tmp_path / "v15").close()
    free, asked = _free_and_asked(path)
    assert free < 0.05
    assert not asked


def test_an_upgrade_whose_compaction_cannot_run_asks_again_until_it_has(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    path = _old_hub_with_free_pages(tmp_path / "v15")
    with monkeypatch.context() as patched:
        patched.setattr(Database, "compact_if_freed", lambda self, share=0.05: None)  # as when VACUUM fails
        Database.open(tmp_path / "v15").close()
        assert _free_and_asked(path)[1]
        Database.open(tmp_path / "v15").close()
        assert _free_and_asked(path)[1]
    db = Database.open(tmp_path / "v15")
    assert compact_if_asked(db) is False  # asked no more, and the file is compact
    db.close()
    free, asked = _free_and_asked(path)
    assert (free < 0.05, asked) == (True, False)


def test_a_new_hub_is_never_asked_to_compact(tmp_path: Path) -> None:
    Database.create(tmp_path / "new", "New").close()
    Database.open(tmp_path / "new").close()
    assert not _free_and_asked(database_path(tmp_path / "new"))[1]


def test_a_record_reads_its_derived_stamp_and_origin_hub_before_and_after_its_transaction(db: Database) -> None:
    from oursociety_desktop.models.contacts import create_contact, update_contact

    with db.write() as tx:
        contact = create_contact(tx, {"given_name": "Ada"})
        created = contact.stamp
        assert contact.origin_hub == db.hub_id and created == contact.base_stamp and contact.edit_stamp is None
        update_contact(tx, contact.id, {"given_name": "Ada B."})
        edited = tx.session.get(type(contact), contact.id)
        assert edited is not None and edited.stamp > created and edited.edit_stamp == edited.stamp
    # after the transaction (the session is closed) the values read are SQLite's
    assert edited.stamp == edited.stamps["given_name"] and edited.origin_hub == db.hub_id
    with db.read() as session:
        stored = session.connection().execute(text(
            "SELECT stamp, edit_stamp, origin_hub FROM contact WHERE id = :id"), {"id": contact.id}).one()
    assert tuple(stored) == (edited.stamp, edited.stamp, db.hub_id)


def test_migration_16_gives_an_older_release_s_erased_contact_the_origin_every_hub_derives(tmp_path: Path) -> None:
    # A release before origin_hub was derived from the creation stamp kept the creator's id on a contact erased by
    # another hub (its base stamp became the erasure's), here and at every hub the erasure reached: made so with
    # that release's code, the row read {"origin_hub": <creator>, "base_stamp": <erasing hub's stamp>}. Such a row
    # now reads the hub of its base stamp, as every hub has derived it since (and derives it from any bundle).
    path = hub_at_version(tmp_path / "v15", 15)
    mine = "f1f1f1f1-0000-4000-8000-000000000001"
    erasure = f"1700000000900.000000.{mine}"
    conn = sqlite3.connect(path)
    with conn:
        insert_raw(conn, "contact", {"id": "e1", "origin_hub": OTHER, "base_stamp": erasure, "stamp": erasure,
                                     "erased": 1, "deleted": 1, "erased_reason": "erasure requested"})
        insert_raw(conn, "contact", {"id": "c1", "origin_hub": OTHER, "base_stamp": f"1700000000000.000001.{OTHER}",
                                     "stamp": f"1700000000000.000001.{OTHER}"})
    conn.close()

    Database.open(tmp_path / "v15").close()

    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT id, origin_hub, base_stamp, stamp FROM contact ORDER BY id").fetchall() == [
            ("c1", OTHER, f"1700000000000.000001.{OTHER}", f"1700000000000.000001.{OTHER}"),
            ("e1", mine, erasure, erasure)]
    finally:
        conn.close()


def test_an_upgrade_leaves_no_copy_of_the_rewritten_tables_in_the_log(tmp_path: Path) -> None:
    # The upgrade rewrites every record table (and a compaction the whole file) through the write-ahead log; folded
    # in but not truncated, the log stayed most of the file's size beside it for as long as the hub was open.
    path = hub_at_version(tmp_path / "v15", 15)
    conn = sqlite3.connect(path)
    with conn:
        for i in range(3000):
            insert_raw(conn, "membership", {"id": f"m{i:05d}", "origin_hub": OTHER, "contact_id": "c1",
                                            "base_stamp": f"1700000000000.000001.{OTHER}",
                                            "stamp": f"1700000000000.000001.{OTHER}"})
    conn.close()
    db = Database.open(tmp_path / "v15")
    try:
        log = path.with_name(path.name + "-wal")
        assert not log.exists() or log.stat().st_size < path.stat().st_size / 4, (log.stat().st_size,
                                                                                  path.stat().st_size)
    finally:
        db.close()


def test_an_erasure_in_an_upgraded_hub_leaves_no_byte_behind(tmp_path: Path) -> None:
    from oursociety_desktop.cli import main

    folder = tmp_path / "v15"
    path = hub_at_version(folder, 15)
    mine = "f1f1f1f1-0000-4000-8000-000000000001"
    base, edit = f"1700000000000.000001.{mine}", f"1700000000500.000000.{mine}"
    conn = sqlite3.connect(path)
    with conn:  # edited once, so the upgrade stores an edit_stamp for her
        insert_raw(conn, "contact", {"id": "c1", "origin_hub": mine, "base_stamp": base, "stamp": edit,
                                     "given_name": "Forgottenname", "notes": "note-about-her-health",
                                     "stamps": f'{{"notes": "{edit}"}}'})
    conn.close()
    Database.open(folder).close()  # upgraded: a backup of the old file is made first, and the file compacted

    def holding() -> list[str]:
        return [str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()
                and any(s in p.read_bytes().lower() for s in (b"forgottenname", b"note-about-her-health"))]

    assert "oursociety.sqlite3" in holding() and any("before-migration-v16" in name for name in holding())
    assert main(["--data-dir", str(folder), "contact", "forget", "c1"]) == 0
    assert holding() == []


def test_a_bulk_insert_keeps_an_edited_stamp(db: Database) -> None:
    from oursociety_desktop.models.bulk import insert_rows
    from oursociety_desktop.models.tables import Contact

    with db.write() as tx:
        base, later = tx.stamp(), tx.stamp()
        insert_rows(tx.session.connection(), Contact, [
            {"id": "plain", "base_stamp": base, "stamps": {}, "stamp": base, "given_name": "Ada"},
            {"id": "edited", "base_stamp": base, "stamps": {"given_name": later}, "stamp": later, "given_name": "Bo"},
            {"id": "bare", "base_stamp": base, "stamps": {}, "given_name": "Cy"}])
    with db.read() as session:
        rows = session.connection().execute(text(
            "SELECT id, stamp, edit_stamp, origin_hub FROM contact ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [("bare", base, None, db.hub_id), ("edited", later, later, db.hub_id),
                                        ("plain", base, None, db.hub_id)]


def test_migration_17_gives_each_search_row_its_contact_s_place_and_keeps_it_in_step(tmp_path: Path) -> None:
    path = hub_at_version(tmp_path / "v16", 16)
    base = f"1700000000000.000001.{OTHER}"
    conn = sqlite3.connect(path)
    with conn:
        for cid, key, deleted in (("c1", "smith ann", 0), ("c2", "jones bo", 1), ("c3", "", 0)):
            insert_raw(conn, "contact", {"id": cid, "base_stamp": base, "sort_key": key, "deleted": deleted})
            conn.execute("INSERT INTO contact_search (contact_id, body) VALUES (?, ?)", (cid, f"{key} {cid}"))
    conn.close()

    Database.open(tmp_path / "v16").close()

    conn = sqlite3.connect(path)
    try:
        def keys() -> list[tuple[str, str | None]]:
            return conn.execute("SELECT contact_id, live_sort_key FROM contact_search ORDER BY contact_id").fetchall()

        assert conn.execute("SELECT COUNT(*) FROM contact_search s JOIN contact c ON c.id = s.contact_id "
                            "WHERE s.contact_rowid = c.rowid").fetchone() == (3,)

        assert keys() == [("c1", "smith ann"), ("c2", None), ("c3", "")]
        with conn:  # every way a contact row changes: renamed, deleted, restored, erased
            conn.execute("UPDATE contact SET sort_key = 'smyth ann' WHERE id = 'c1'")
            conn.execute("UPDATE contact SET deleted = 0 WHERE id = 'c2'")
            conn.execute("UPDATE contact SET deleted = 1, sort_key = '' WHERE id = 'c3'")
        assert keys() == [("c1", "smyth ann"), ("c2", "jones bo"), ("c3", None)]
        # the full-text index was neither rebuilt nor touched by the sort keys: each body still found, once
        assert conn.execute("INSERT INTO contact_fts(contact_fts) VALUES ('integrity-check')").fetchall() == []
        assert conn.execute("SELECT COUNT(*) FROM contact_fts WHERE contact_fts MATCH 'c1 OR c2 OR c3'").fetchone() \
            == (3,)
    finally:
        conn.close()
