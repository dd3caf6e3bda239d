"""Schema versions and their upgrades, in one registry (the steps of versions 1 to 12 are in migration_steps.py).

Every hub, new or old, gets its schema from these steps alone: version 1 is the first release's schema, frozen
(models/schema_v1.py), and each later change is a step of its own. So a hub created today and a hub created by the
first release and upgraded since have the same schema (a test compares them), and no step has to tolerate its
change already being there.

Each step runs in its own transaction and is recorded in `schema_version`. Before upgrading an existing
database the file is backed up into the data folder's backups/ folder, so a failed upgrade loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

from oursociety_desktop.i18n import _
from oursociety_desktop.models.clock import stamp_hub_sql
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.migration_steps import (
    FOLD_PAIRS_PENDING,
    V1_RECORD_TABLES,
    v1_initial,
    v2_membership_group_index,
    v3_lighter_prefix_index,
    v4_format_two,
    v5_acknowledged_deltas,
    v6_pair_identity,
    v7_text_in_normal_form_c,
    v8_learning_network,
    v9_pinned_keys,
    v10_themes_of_groups_and_actions,
    v11_consent_receipts,
    v12_encryption_keys,
)

if TYPE_CHECKING:
    from oursociety_desktop.models.database import Database


@dataclass(frozen=True)
class Migration:
    """One schema step: the version it brings the database to and the function that does it."""

    version: int
    description: str
    apply: Callable[[Connection], None]


def _v13_one_letter_prefix_index(conn: Connection) -> None:
    # A search of one letter had no prefix index to read: FTS5 merged the doclists of every term starting with it
    # (up to 75 ms at 100,000 contacts, before any row was listed). With a one-character prefix index the list
    # can first ask cheaply whether a search is broad, and list a broad one by walking the name index
    # (models/contact_list.py). Bulk imports build the index in one pass, which pays for the extra entries.
    conn.exec_driver_sql("DROP TABLE contact_fts")
    conn.exec_driver_sql(
        "CREATE VIRTUAL TABLE contact_fts USING fts5(body, content='contact_search', content_rowid='rowid', "
        "tokenize=\"unicode61 remove_diacritics 2\", prefix='1 2')"
    )
    conn.exec_driver_sql("INSERT INTO contact_fts(contact_fts) VALUES ('rebuild')")


def _v14_no_second_group_index(conn: Connection) -> None:
    # Migration 2's (group_id, deleted) index answers every lookup by group that the (group_id) index did: the
    # older one only took room (10.6 MB at 100,000 contacts).
    conn.exec_driver_sql("DROP INDEX IF EXISTS ix_membership_group_id")


# The (stamp) indexes that some query walks: newest contacts first (Today), a delta's contacts changed since a
# stamp, and the records of newer versions kept as they came. Every other type's delta reads its table in id order,
# and no query orders it by stamp over more than one person's rows.
_STAMP_INDEXES_KEPT = ("ix_contact_stamp", "ix_opaque_record_stamp", "ix_quarantined_record_stamp")


def _v15_stamp_indexes_that_serve(conn: Connection) -> None:
    # Each of these indexes held a 57-character stamp per row and was written on every insert and edit, for no
    # query: 17 MB and a fifth of the write cost of a membership at 100,000 contacts.
    for (name,) in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_%_stamp'").fetchall():
        if name not in _STAMP_INDEXES_KEPT:
            conn.exec_driver_sql(f'DROP INDEX "{name}"')


# The synchronised record tables when migration 16 was written (tables made later are made in the new form).
_V16_RECORD_TABLES = (*V1_RECORD_TABLES, "lesson", "lesson_person", "offer", "need", "hours", "hours_total")


def _v16_derived_stamp_columns(conn: Connection) -> None:
    # origin_hub is the hub of base_stamp, an unedited record's stamp its base_stamp: 28 MB of repeated text at 100,000
    # contacts. SQLite derives both when read (virtual generated columns); an edited record stores edit_stamp. A row of
    # a release before schema 5 whose origin differed (a person erased at another hub) now reads the hub of its stamp.
    for table in _V16_RECORD_TABLES:
        conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN edit_stamp VARCHAR")
        conn.exec_driver_sql(f"UPDATE {table} SET edit_stamp = stamp WHERE stamp != base_stamp")  # noqa: S608
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS ix_{table}_stamp")
        for column, expression in (("origin_hub", stamp_hub_sql("base_stamp")),
                                   ("stamp", "coalesce(edit_stamp, base_stamp)")):
            conn.exec_driver_sql(f"ALTER TABLE {table} DROP COLUMN {column}")
            conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {column} VARCHAR "
                                 f"GENERATED ALWAYS AS ({expression}) VIRTUAL")
    conn.exec_driver_sql("CREATE INDEX ix_contact_stamp ON contact (stamp)")



# A search row keeps its contact's place in the list: its sort key (NULL once the contact is deleted), kept in step by
# this trigger whatever writes the contact, and its rowid (a contact row keeps its rowid: it is never replaced, and
# VACUUM keeps the rowids of a table with indexes). A search of a few thousand matches finds its page by sorting the
# search rows, and reads only that page's contacts (models/contact_list.py).
LIVE_SORT_KEY_TRIGGER = (
    "CREATE TRIGGER contact_live_sort_key AFTER UPDATE OF sort_key, deleted ON contact BEGIN "
    "UPDATE contact_search SET live_sort_key = CASE WHEN new.deleted THEN NULL ELSE new.sort_key END "
    "WHERE contact_id = new.id AND live_sort_key IS NOT (CASE WHEN new.deleted THEN NULL ELSE new.sort_key END); END"
)


def _v17_search_rows_in_list_order(conn: Connection) -> None:
    # A search of "Pa" (4,189 matches at 100,000 contacts) joined every match to its contact to sort them by name:
    # 17-22 ms of a keystroke, the search index itself 2 ms. The full-text index follows the search text alone, so
    # its update trigger fires for a change of the text only (else keeping the sort key would re-index every row).
    conn.exec_driver_sql("DROP TRIGGER contact_search_au")
    conn.exec_driver_sql(
        "CREATE TRIGGER contact_search_au AFTER UPDATE OF body ON contact_search BEGIN "
        "INSERT INTO contact_fts(contact_fts, rowid, body) VALUES ('delete', old.rowid, old.body); "
        "INSERT INTO contact_fts(rowid, body) VALUES (new.rowid, new.body); END")
    conn.exec_driver_sql("ALTER TABLE contact_search ADD COLUMN live_sort_key VARCHAR")
    conn.exec_driver_sql("ALTER TABLE contact_search ADD COLUMN contact_rowid INTEGER")
    conn.exec_driver_sql(
        "UPDATE contact_search SET (live_sort_key, contact_rowid) = (SELECT CASE WHEN c.deleted THEN NULL "
        "ELSE c.sort_key END, c.rowid FROM contact c WHERE c.id = contact_search.contact_id)")
    conn.exec_driver_sql(LIVE_SORT_KEY_TRIGGER)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema: synchronised records, local tables, contact search index", v1_initial),
    Migration(2, "covering index for live member counts per group", v2_membership_group_index),
    Migration(3, "contact search index with the 2-character prefix index only", v3_lighter_prefix_index),
    Migration(4, "bundle format 2: newer fields and record types kept, hub incarnation and signing key, knowledge "
                 "vector", v4_format_two),
    Migration(5, "deltas by acknowledgement: what each peer hub has acknowledged; a quarantine for records stamped "
                 "far ahead", v5_acknowledged_deltas),
    Migration(6, "one membership per person and group, one link per action, person and role", v6_pair_identity),
    Migration(7, "every stored text in Unicode normal form C", v7_text_in_normal_form_c),
    Migration(8, "the mutual learning network: lessons, offers, needs, hours, match decisions, lesson search",
              v8_learning_network),
    Migration(9, "peer hubs' signing keys pinned, and whether the organiser trusts each", v9_pinned_keys),
    Migration(10, "themes of groups and actions", v10_themes_of_groups_and_actions),
    Migration(11, "consent receipts: who recorded a person's consent", v11_consent_receipts),
    Migration(12, "peer hubs' encryption keys, for the bundles left in exchange folders", v12_encryption_keys),
    Migration(13, "contact search index with one- and two-character prefix indexes", _v13_one_letter_prefix_index),
    Migration(14, "membership: the index by group alone dropped (the index by group and deleted serves)",
              _v14_no_second_group_index),
    Migration(15, "stamp indexes kept only where a query walks them (contacts, records kept as they came)",
              _v15_stamp_indexes_that_serve),
    Migration(16, "a record's origin hub and stamp derived from its stamps when read", _v16_derived_stamp_columns),
    Migration(17, "contact search rows keep their contact's place in the list", _v17_search_rows_in_list_order),
)

LATEST_VERSION = MIGRATIONS[-1].version
COMPACT_PENDING = "compact_pending"  # the setting by which an upgrade asks for the file to be compacted


def fold_pending_pairs(db: Database) -> int:
    """Fold pairs made before their ids were derived, once, after migration 6. Returns how many were folded."""
    from oursociety_desktop.models.references import fold_pairs
    from oursociety_desktop.models.registry import REGISTRY

    if not db.setting(FOLD_PAIRS_PENDING):
        return 0
    folded = 0
    with db.write() as tx:
        for record_type in REGISTRY:
            if record_type.derived_id:
                folded += fold_pairs(tx, record_type)
        tx.session.connection().execute(text("DELETE FROM setting WHERE key = :k"), {"k": FOLD_PAIRS_PENDING})
    return folded


def current_version(conn: Connection) -> int:
    """The schema version stored in the database (0 for an empty file)."""
    if not inspect(conn).has_table("schema_version"):
        return 0
    value = conn.execute(text("SELECT MAX(version) FROM schema_version")).scalar()
    return int(value or 0)


def migrate(db: Database) -> list[int]:
    """Bring the database to the latest schema; returns the versions applied. Backs up first when upgrading."""
    from oursociety_desktop.models.backup import automatic_backup
    from oursociety_desktop.models.database import utc_now_iso

    with db.engine.connect() as conn:
        version = current_version(conn)
        conn.rollback()
    if version > LATEST_VERSION:
        raise UserError(
            _("This hub's database uses schema version {version}, newer than this app understands "
            "({latest_version}); update Our Society Desktop.").format(version=version, latest_version=LATEST_VERSION)
        )
    pending = [m for m in MIGRATIONS if m.version > version]
    if pending and version > 0:
        automatic_backup(db.path, reason=f"before-migration-v{pending[0].version}")
    for step in pending:
        with db.engine.connect().execution_options(oursociety_write=True) as conn, conn.begin():
            step.apply(conn)
            conn.execute(
                text("INSERT INTO schema_version (version, applied_at) VALUES (:v, :at)"),
                {"v": step.version, "at": utc_now_iso()},
            )
            if version > 0 and step is pending[-1]:
                # A step that dropped columns or indexes left their pages free in the file. The compaction is
                # asked for in the upgrade's own transaction, so a kill before it ends leaves it asked for.
                conn.execute(text("INSERT OR REPLACE INTO setting (key, value) VALUES (:k, 'true')"),
                             {"k": COMPACT_PENDING})
    compact_if_asked(db)
    return [m.version for m in pending]


def compact_if_asked(db: Database) -> bool | None:
    """Compact the file (`Database.compact_if_freed`) when an upgrade asked for it and it has not been done: the
    upgrade was killed during its compaction, or the compaction could not run (no room for VACUUM's copy, another
    process holding the hub). Runs at every open until the file is compact. Returns what `compact_if_freed`
    returned, or False when nothing was asked."""
    with db.engine.connect() as conn:
        asked = conn.execute(text("SELECT 1 FROM setting WHERE key = :k"), {"k": COMPACT_PENDING}).first()
        conn.rollback()
    if asked is None:
        return False
    ran = db.compact_if_freed()
    if ran is not None:  # compact now, or too little free to be worth it: asked no more
        with db.engine.connect().execution_options(oursociety_write=True) as conn, conn.begin():
            conn.execute(text("DELETE FROM setting WHERE key = :k"), {"k": COMPACT_PENDING})
    return ran
