"""Storage: pragmas, migrations with a backup first, demo data, backup rotation, the check command."""

from __future__ import annotations

import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from oursociety_desktop.models import migrations
from oursociety_desktop.models.backup import automatic_backup, rotate_backups
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.demo import generate_demo
from oursociety_desktop.models.errors import Cancelled, UserError
from oursociety_desktop.models.health import check_database


def test_connection_pragmas(db: Database) -> None:
    with db.read() as session:
        conn = session.connection()
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar_one() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() > 0
        assert conn.execute(text("SELECT MAX(version) FROM schema_version")).scalar_one() == migrations.LATEST_VERSION


def test_pending_migration_runs_after_a_backup(db: Database, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db.close()
    applied: list[str] = []
    next_version = migrations.LATEST_VERSION + 1

    def add_column(conn: object) -> None:
        backups = list((data_dir / "backups").glob(f"auto-*before-migration-v{next_version}.sqlite3"))
        assert backups, "the backup must come before the step"
        conn.exec_driver_sql("ALTER TABLE setting ADD COLUMN note TEXT DEFAULT ''")  # type: ignore[attr-defined]
        applied.append("next")

    step = migrations.Migration(next_version, "test step", add_column)
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, step))
    monkeypatch.setattr(migrations, "LATEST_VERSION", next_version)
    again = Database.open(data_dir)
    with again.read() as session:
        version = session.connection().execute(text("SELECT MAX(version) FROM schema_version")).scalar_one()
        assert version == next_version
    again.close()
    assert applied == ["next"]
    Database.open(data_dir).close()  # nothing pending: no second run
    assert applied == ["next"]


def test_newer_schema_is_refused(db: Database, data_dir: Path) -> None:
    with db.write() as tx:
        tx.session.connection().execute(text("INSERT INTO schema_version VALUES (99, 'future')"))
    db.close()
    with pytest.raises(UserError, match="newer than this app"):
        Database.open(data_dir)


def test_demo_is_deterministic_and_diverse(tmp_path: Path) -> None:
    rows = []
    for name in ("one", "two"):
        hub = Database.create(tmp_path / name, name)
        made = generate_demo(hub, 400, seed=42, today=date(2026, 3, 1))
        with hub.read() as session:
            conn = session.connection()
            rows.append(conn.execute(text("SELECT id, given_name, family_name, phones, emails FROM contact "
                                          "ORDER BY id")).all())
            statuses = {r[0] for r in conn.execute(text("SELECT DISTINCT status FROM action"))}
            names = " ".join(r[1] + " " + r[2] for r in rows[-1])
            phones = [p for r in conn.execute(text("SELECT phones FROM contact")) for p in
                      __import__("json").loads(r[0])]
            nested = conn.execute(text("SELECT COUNT(*) FROM contact_group WHERE parent_id != ''")).scalar_one()
            flags = conn.execute(text("SELECT COUNT(DISTINCT share_with_hubs), COUNT(DISTINCT do_not_mail) "
                                      "FROM contact")).one()
            assert check_database(conn).sound
        hub.close()
    assert rows[0] == rows[1]
    assert made["contact"] == 400 and made["group"] == 3 and made["membership"] == 800 and made["action"] == 200
    assert statuses == {"open", "doing", "done", "cancelled"}
    for script in (r"[\u0370-\u03ff]", r"[\u0600-\u06ff]", r"[\u4e00-\u9fff]", r"[ŁłŚśŻżąę]", r"[áéíóú]"):
        assert re.search(script, names), script
    reserved = re.compile(r"^(\+44 7700 900\d{3}|07700 900\d{3}|0(161|121|113|117|141|114) 496 0\d{3}|"
                          r"020 7946 0\d{3}|029 2018 0\d{3})$")
    assert phones and all(reserved.match(p["value"]) for p in phones)
    assert nested > 0 and tuple(flags) == (2, 2)


def test_demo_cancel_rolls_back(db: Database) -> None:
    calls: list[int] = []

    def progress(percent: int, message: str) -> bool:
        calls.append(percent)
        return len(calls) < 2

    with pytest.raises(Cancelled):
        generate_demo(db, 12000, seed=1, progress=progress)
    with db.read() as session:
        assert session.connection().execute(text("SELECT COUNT(*) FROM contact")).scalar_one() == 0


def test_backup_rotation_keeps_the_newest(db: Database) -> None:
    made = [automatic_backup(db.path, reason=f"r{i}", keep=100) for i in range(5)]
    folder = made[0].parent
    removed = rotate_backups(folder, 2)
    assert removed == made[:3]
    assert sorted(folder.glob("auto-*.sqlite3")) == made[3:]
    for path in made[3:]:
        assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_check_finds_broken_invariants(db: Database) -> None:
    with db.write() as tx:
        from oursociety_desktop.models.contacts import create_contact, forget_contact

        cid = create_contact(tx, {"given_name": "Ada"}).id
        forget_contact(tx, cid)
    with db.write() as tx:
        tx.session.connection().execute(text("UPDATE contact SET given_name = 'leak' WHERE id = :i"), {"i": cid})
        tx.session.connection().execute(text("DELETE FROM contact_search"))
    with db.read() as session:
        report = check_database(session.connection())
    assert not report.sound
    assert any("erased" in p for p in report.problems)
    assert any("search index" in p for p in report.problems)


def test_disk_full_during_a_bulk_write_changes_nothing(db: Database) -> None:
    from sqlalchemy import event

    generate_demo(db, 50, seed=1)
    with db.read() as session:
        before = session.connection().execute(text("SELECT COUNT(*) FROM contact")).scalar_one()
        pages = session.connection().exec_driver_sql("PRAGMA page_count").scalar_one()
    db.engine.dispose()

    def small_disk(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 20}")

    event.listen(db.engine, "connect", small_disk)
    with pytest.raises(UserError, match="full"):
        generate_demo(db, 5000, seed=2)
    with db.read() as session:
        conn = session.connection()
        assert conn.execute(text("SELECT COUNT(*) FROM contact")).scalar_one() == before
        assert check_database(conn).sound


def test_upgrading_the_search_index_keeps_every_contact_findable(db: Database, data_dir: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from oursociety_desktop.models.search import search_contact_ids

    generate_demo(db, 200, seed=3, today=date(2026, 3, 1))
    with db.read() as session:
        conn = session.connection()
        name = conn.execute(text("SELECT family_name FROM contact WHERE family_name GLOB '[A-Z]*' LIMIT 1")).scalar()
        before = search_contact_ids(conn, str(name)[:4], limit=500)
    # Re-run the upgrade of version 3 on these contacts, as a hub made before it had it.
    from oursociety_desktop.models.migrations import MIGRATIONS

    [step] = [m for m in MIGRATIONS if m.version == 3]
    with db.engine.connect().execution_options(oursociety_write=True) as raw, raw.begin():
        step.apply(raw)
    db.close()
    again = Database.open(data_dir)
    with again.read() as session:
        conn2 = session.connection()
        assert search_contact_ids(conn2, str(name)[:4], limit=500) == before and before
        sql = conn2.execute(text("SELECT sql FROM sqlite_master WHERE name = 'contact_fts'")).scalar()
        assert "prefix='2'" in str(sql)
        assert check_database(conn2).sound
    again.close()
