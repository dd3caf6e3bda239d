"""The schema comes from the migrations alone: a new hub, a hub of the first release and a hub of the previous
release end with the same schema, and the table classes agree with it."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

from oursociety_desktop.models.database import Database, utc_now_iso
from oursociety_desktop.models.health import check_database, record_counts
from oursociety_desktop.models.knowledge import knowledge_vector
from oursociety_desktop.models.migrations import LATEST_VERSION, MIGRATIONS
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
            columns = {row[1] for row in conn.execute(text(f"PRAGMA table_info({table.name})"))}
            assert columns == {c.name for c in table.columns}, table.name


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
