"""Schema versions and their upgrades, in one registry.

Every hub, new or old, gets its schema from these steps alone: version 1 is the first release's schema, frozen
(models/schema_v1.py), and each later change is a step of its own. So a hub created today and a hub created by the
first release and upgraded since have the same schema (a test compares them), and no step has to tolerate its
change already being there.

Each step runs in its own transaction and is recorded in `schema_version`. Before upgrading an existing
database the file is backed up into the data folder's backups/ folder, so a failed upgrade loses nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

from oursociety_desktop.i18n import _
from oursociety_desktop.models.clock import stamp_hub_sql
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.schema_v1 import V1_TABLES
from oursociety_desktop.models.signing import new_signing_key

if TYPE_CHECKING:
    from oursociety_desktop.models.database import Database


@dataclass(frozen=True)
class Migration:
    """One schema step: the version it brings the database to and the function that does it."""

    version: int
    description: str
    apply: Callable[[Connection], None]


FTS_DDL = (
    # External-content FTS5 over contact_search.body (text folded in Python: case, accents, ł→l, tonos).
    "CREATE VIRTUAL TABLE contact_fts USING fts5(body, content='contact_search', content_rowid='rowid', "
    "tokenize=\"unicode61 remove_diacritics 2\", prefix='2 3 4')",
    "CREATE TRIGGER contact_search_ai AFTER INSERT ON contact_search BEGIN "
    "INSERT INTO contact_fts(rowid, body) VALUES (new.rowid, new.body); END",
    "CREATE TRIGGER contact_search_ad AFTER DELETE ON contact_search BEGIN "
    "INSERT INTO contact_fts(contact_fts, rowid, body) VALUES ('delete', old.rowid, old.body); END",
    "CREATE TRIGGER contact_search_au AFTER UPDATE ON contact_search BEGIN "
    "INSERT INTO contact_fts(contact_fts, rowid, body) VALUES ('delete', old.rowid, old.body); "
    "INSERT INTO contact_fts(rowid, body) VALUES (new.rowid, new.body); END",
)


def _v1_initial(conn: Connection) -> None:
    for statement in V1_TABLES:
        conn.exec_driver_sql(statement)
    for statement in FTS_DDL:
        conn.exec_driver_sql(statement)


def _v2_membership_group_index(conn: Connection) -> None:
    # Member counts per group (the Groups tree) scan this covering index instead of 200k table rows.
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_membership_group_live ON membership (group_id, deleted)")


def _v3_lighter_prefix_index(conn: Connection) -> None:
    # Prefix indexes for 2, 3 and 4 characters made every indexed token cost four index entries: 3.5 s of FTS
    # inserts per 100,000 contacts against 1.5 s with the 2-character one alone, while 3- and 4-letter prefix
    # queries stay well under a millisecond without theirs (measured; docs/benchmarks.md). The triggers on
    # contact_search name the table, so they keep working once it is recreated.
    conn.exec_driver_sql("DROP TABLE contact_fts")
    conn.exec_driver_sql(
        "CREATE VIRTUAL TABLE contact_fts USING fts5(body, content='contact_search', content_rowid='rowid', "
        "tokenize=\"unicode61 remove_diacritics 2\", prefix='2')"
    )
    conn.exec_driver_sql("INSERT INTO contact_fts(contact_fts) VALUES ('rebuild')")


# The six record tables of version 1: migration 4 gives each a column for fields a newer version added.
_V1_RECORD_TABLES = ("contact", "contact_group", "membership", "action", "action_link", "connection")


def _v4_format_two(conn: Connection) -> None:
    # Bundle format 2: fields and record types of newer versions are kept and relayed; each hub has an incarnation
    # and a signing key; the knowledge vector says what this hub holds from each hub it imported bundles from.
    for table in _V1_RECORD_TABLES:
        conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN extra JSON NOT NULL DEFAULT '{{}}'")
    conn.exec_driver_sql(
        "CREATE TABLE opaque_record (record_type VARCHAR NOT NULL, id VARCHAR NOT NULL, origin_hub VARCHAR NOT NULL, "
        "base_stamp VARCHAR NOT NULL, stamps JSON NOT NULL, stamp VARCHAR NOT NULL, fields JSON NOT NULL, "
        "PRIMARY KEY (record_type, id))"
    )
    conn.exec_driver_sql("CREATE INDEX ix_opaque_record_stamp ON opaque_record (stamp)")
    conn.exec_driver_sql("CREATE TABLE opaque_type (name VARCHAR NOT NULL, refs JSON NOT NULL, PRIMARY KEY (name))")
    conn.exec_driver_sql(
        "CREATE TABLE known_stamp (hub_id VARCHAR NOT NULL, stamp VARCHAR NOT NULL, PRIMARY KEY (hub_id))")
    conn.exec_driver_sql("ALTER TABLE hub ADD COLUMN incarnation VARCHAR NOT NULL DEFAULT ''")
    conn.exec_driver_sql("ALTER TABLE hub ADD COLUMN signing_key VARCHAR NOT NULL DEFAULT ''")
    for (hub_id,) in conn.exec_driver_sql("SELECT id FROM hub").all():
        conn.execute(text("UPDATE hub SET incarnation = :i, signing_key = :k WHERE id = :id"),
                     {"i": str(uuid.uuid4()), "k": new_signing_key(), "id": hub_id})


def _v5_acknowledged_deltas(conn: Connection) -> None:
    # Deltas follow what each peer has acknowledged, not what was last written for it: a peer's acknowledgement and
    # last known vector, the floor below which records imported here since must be sent again, its incarnation.
    conn.exec_driver_sql("ALTER TABLE peer_hub DROP COLUMN sent_watermark")
    conn.exec_driver_sql("ALTER TABLE peer_hub ADD COLUMN acknowledged VARCHAR NOT NULL DEFAULT ''")
    conn.exec_driver_sql("ALTER TABLE peer_hub ADD COLUMN knowledge JSON NOT NULL DEFAULT '{}'")
    conn.exec_driver_sql("ALTER TABLE peer_hub ADD COLUMN resend_from VARCHAR NOT NULL DEFAULT ''")
    conn.exec_driver_sql("ALTER TABLE peer_hub ADD COLUMN resend_after_log INTEGER NOT NULL DEFAULT 0")
    conn.exec_driver_sql("ALTER TABLE peer_hub ADD COLUMN incarnation VARCHAR NOT NULL DEFAULT ''")
    conn.exec_driver_sql("ALTER TABLE peer_hub ADD COLUMN incarnations JSON NOT NULL DEFAULT '[]'")
    # Records stamped more than 24 hours ahead wait here instead of pushing this hub's clock ahead.
    conn.exec_driver_sql(
        "CREATE TABLE quarantined_record (record_type VARCHAR NOT NULL, id VARCHAR NOT NULL, stamp VARCHAR NOT NULL, "
        "hub_id VARCHAR NOT NULL, record JSON NOT NULL, received_at VARCHAR NOT NULL, "
        "PRIMARY KEY (record_type, id, stamp))")


FOLD_PAIRS_PENDING = "fold_pairs_pending"


def _v6_pair_identity(conn: Connection) -> None:
    # A membership (and an action link) now has one identity per pair, its id derived from the pair. Folding the
    # duplicates made before is a stamped edit, so it needs the hub's clock: this step asks for it, and
    # `fold_pending_pairs` does it as the hub opens, right after the migrations (and their backup).
    conn.execute(text("INSERT OR REPLACE INTO setting (key, value) VALUES (:k, 'true')"), {"k": FOLD_PAIRS_PENDING})


# The synchronised records' text: typed, imported or received before every text was stored in normal form C.
_NFC_TABLES = ("contact", "contact_group", "action", "action_link", "membership", "connection")


def _v7_text_in_normal_form_c(conn: Connection) -> None:
    # Decomposed text ("e" + combining accent) prints with colliding accents and compares unequal to the same name
    # typed composed. Only rows holding non-ASCII text can change; a fresh hub has none, so this is a no-op there.
    # The stamps stay: the text reads the same, and a peer's decomposed copy is normalised when it arrives.
    import json

    from oursociety_desktop.models.text import nfc_values

    envelope = {"id", "origin_hub", "base_stamp", "stamps", "stamp", "deleted"}
    for table in _NFC_TABLES:
        info = conn.exec_driver_sql(f'PRAGMA table_info("{table}")').all()
        texts = [(row[1], str(row[2]).upper() == "JSON") for row in info if row[1] not in envelope]
        if not texts:
            continue
        select = ", ".join(f'"{name}"' for name, _ in texts)
        for row in conn.exec_driver_sql(f'SELECT id, {select} FROM "{table}"').all():
            changed: dict[str, object] = {}
            for (name, is_json), value in zip(texts, row[1:], strict=True):
                if not isinstance(value, str) or (value.isascii() and not (is_json and "\\u" in value)):
                    continue
                if is_json:
                    # Stored as JSON text with non-ASCII letters escaped: compare the decoded values.
                    fixed = json.dumps(nfc_values({"v": json.loads(value)})["v"])
                else:
                    fixed = nfc_values({"v": value})["v"]
                if fixed != value and (not is_json or json.loads(fixed) != json.loads(value)):
                    changed[name] = fixed
            if changed:
                assignments = ", ".join(f'"{name}" = :{name}' for name in changed)
                conn.execute(text(f'UPDATE "{table}" SET {assignments} WHERE id = :id'), {**changed, "id": row[0]})


# Migration 8, frozen: the tables of the mutual learning network (lessons and the people in them, offers, needs,
# hours and their monthly totals), the local memory of accepted and declined matches, and the lessons' search
# index (folded text in lesson_search, refreshed from each lesson's stamp; an external-content FTS5 over it).
_V8_LEARNING_DDL: tuple[str, ...] = (
    "CREATE TABLE lesson (id VARCHAR NOT NULL, origin_hub VARCHAR NOT NULL, base_stamp VARCHAR NOT NULL, "
        "stamps JSON NOT NULL, stamp VARCHAR NOT NULL, deleted BOOLEAN NOT NULL, extra JSON NOT NULL, "
        "title VARCHAR NOT NULL, kind VARCHAR NOT NULL, challenge VARCHAR NOT NULL, tried VARCHAR NOT NULL, "
        "worked VARCHAR NOT NULL, not_worked VARCHAR NOT NULL, advice VARCHAR NOT NULL, "
        "themes JSON NOT NULL, place VARCHAR NOT NULL, date VARCHAR NOT NULL, group_id VARCHAR NOT NULL, "
        "action_id VARCHAR NOT NULL, share_with_hubs BOOLEAN NOT NULL, PRIMARY KEY (id))",
    'CREATE INDEX ix_lesson_action_id ON lesson (action_id)',
    'CREATE INDEX ix_lesson_group_id ON lesson (group_id)',
    'CREATE INDEX ix_lesson_stamp ON lesson (stamp)',
    "CREATE TABLE lesson_person (id VARCHAR NOT NULL, origin_hub VARCHAR NOT NULL, "
        "base_stamp VARCHAR NOT NULL, stamps JSON NOT NULL, stamp VARCHAR NOT NULL, "
        "deleted BOOLEAN NOT NULL, extra JSON NOT NULL, lesson_id VARCHAR NOT NULL, "
        "contact_id VARCHAR NOT NULL, named BOOLEAN NOT NULL, hub_name VARCHAR NOT NULL, PRIMARY KEY (id))",
    'CREATE INDEX ix_lesson_person_contact_id ON lesson_person (contact_id)',
    'CREATE INDEX ix_lesson_person_lesson_id ON lesson_person (lesson_id)',
    'CREATE INDEX ix_lesson_person_stamp ON lesson_person (stamp)',
    "CREATE TABLE offer (id VARCHAR NOT NULL, origin_hub VARCHAR NOT NULL, base_stamp VARCHAR NOT NULL, "
        "stamps JSON NOT NULL, stamp VARCHAR NOT NULL, deleted BOOLEAN NOT NULL, extra JSON NOT NULL, "
        "contact_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, text VARCHAR NOT NULL, themes JSON NOT NULL, "
        "locality VARCHAR NOT NULL, availability VARCHAR NOT NULL, until VARCHAR NOT NULL, PRIMARY KEY (id))",
    'CREATE INDEX ix_offer_contact_id ON offer (contact_id)',
    'CREATE INDEX ix_offer_stamp ON offer (stamp)',
    "CREATE TABLE need (id VARCHAR NOT NULL, origin_hub VARCHAR NOT NULL, base_stamp VARCHAR NOT NULL, "
        "stamps JSON NOT NULL, stamp VARCHAR NOT NULL, deleted BOOLEAN NOT NULL, extra JSON NOT NULL, "
        "contact_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, text VARCHAR NOT NULL, themes JSON NOT NULL, "
        "locality VARCHAR NOT NULL, availability VARCHAR NOT NULL, until VARCHAR NOT NULL, PRIMARY KEY (id))",
    'CREATE INDEX ix_need_contact_id ON need (contact_id)',
    'CREATE INDEX ix_need_stamp ON need (stamp)',
    "CREATE TABLE hours (id VARCHAR NOT NULL, origin_hub VARCHAR NOT NULL, base_stamp VARCHAR NOT NULL, "
        "stamps JSON NOT NULL, stamp VARCHAR NOT NULL, deleted BOOLEAN NOT NULL, extra JSON NOT NULL, "
        "contact_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, hours FLOAT NOT NULL, "
        "action_id VARCHAR NOT NULL, group_id VARCHAR NOT NULL, date VARCHAR NOT NULL, "
        "note VARCHAR NOT NULL, PRIMARY KEY (id))",
    'CREATE INDEX ix_hours_action_id ON hours (action_id)',
    'CREATE INDEX ix_hours_contact_id ON hours (contact_id)',
    'CREATE INDEX ix_hours_group_id ON hours (group_id)',
    'CREATE INDEX ix_hours_stamp ON hours (stamp)',
    "CREATE TABLE hours_total (id VARCHAR NOT NULL, origin_hub VARCHAR NOT NULL, "
        "base_stamp VARCHAR NOT NULL, stamps JSON NOT NULL, stamp VARCHAR NOT NULL, "
        "deleted BOOLEAN NOT NULL, extra JSON NOT NULL, hub_id VARCHAR NOT NULL, month VARCHAR NOT NULL, "
        "given FLOAT NOT NULL, pledged FLOAT NOT NULL, people INTEGER NOT NULL, PRIMARY KEY (id))",
    'CREATE INDEX ix_hours_total_hub_id ON hours_total (hub_id)',
    'CREATE INDEX ix_hours_total_stamp ON hours_total (stamp)',
    "CREATE TABLE match_decision (need_id VARCHAR NOT NULL, offer_id VARCHAR NOT NULL, "
        "decision VARCHAR NOT NULL, decided_at VARCHAR NOT NULL, connection_id VARCHAR NOT NULL, "
        "PRIMARY KEY (need_id, offer_id))",
    "CREATE TABLE lesson_search (rowid INTEGER NOT NULL, lesson_id VARCHAR NOT NULL, "
        "stamp VARCHAR NOT NULL, body VARCHAR NOT NULL, PRIMARY KEY (rowid), UNIQUE (lesson_id))",
    "CREATE VIRTUAL TABLE lesson_fts USING fts5(body, content='lesson_search', content_rowid='rowid', "
    "tokenize=\"unicode61 remove_diacritics 2\", prefix='2')",
    "CREATE TRIGGER lesson_search_ai AFTER INSERT ON lesson_search BEGIN "
    "INSERT INTO lesson_fts(rowid, body) VALUES (new.rowid, new.body); END",
    "CREATE TRIGGER lesson_search_ad AFTER DELETE ON lesson_search BEGIN "
    "INSERT INTO lesson_fts(lesson_fts, rowid, body) VALUES ('delete', old.rowid, old.body); END",
    "CREATE TRIGGER lesson_search_au AFTER UPDATE ON lesson_search BEGIN "
    "INSERT INTO lesson_fts(lesson_fts, rowid, body) VALUES ('delete', old.rowid, old.body); "
    "INSERT INTO lesson_fts(rowid, body) VALUES (new.rowid, new.body); END",
)


def _v8_learning_network(conn: Connection) -> None:
    for statement in _V8_LEARNING_DDL:
        conn.exec_driver_sql(statement)


def _v9_pinned_keys(conn: Connection) -> None:
    # Each peer's signing key is pinned and trusted by the organiser. Peers met before were accepted by importing
    # their bundles: they stay trusted and their next signed bundle pins their key.
    conn.exec_driver_sql("ALTER TABLE peer_hub ADD COLUMN signing_key VARCHAR NOT NULL DEFAULT ''")
    conn.exec_driver_sql("ALTER TABLE peer_hub ADD COLUMN trust VARCHAR NOT NULL DEFAULT ''")
    conn.exec_driver_sql("UPDATE peer_hub SET trust = 'trusted'")


def _promote_extra_field(conn: Connection, table: str, field: str) -> None:
    """A field this version declares, which bundles from newer hubs may already have brought (kept in `extra`,
    with its stamp in `stamps`): its value moves into the new column, so merging goes on from the same value."""
    conn.exec_driver_sql(
        f"UPDATE {table} SET {field} = json_extract(extra, '$.{field}'), extra = json_remove(extra, '$.{field}') "
        f"WHERE json_type(extra, '$.{field}') IS NOT NULL")


def _v10_themes_of_groups_and_actions(conn: Connection) -> None:
    # A new group or action with a theme opens on what other hubs learned about it.
    for table in ("contact_group", "action"):
        conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN themes JSON NOT NULL DEFAULT '[]'")
        _promote_extra_field(conn, table, "themes")


def _v11_consent_receipts(conn: Connection) -> None:
    # Who recorded a person's consent, beside when and how: the receipt that travels with the record.
    conn.exec_driver_sql("ALTER TABLE contact ADD COLUMN consent_recorded_by VARCHAR NOT NULL DEFAULT ''")


def _v12_encryption_keys(conn: Connection) -> None:
    # Bundles left in an exchange folder are encrypted to the trusted hubs' X25519 keys, learned from their next
    # signed bundle.
    conn.exec_driver_sql("ALTER TABLE peer_hub ADD COLUMN encryption_key VARCHAR NOT NULL DEFAULT ''")


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
_V16_RECORD_TABLES = (*_V1_RECORD_TABLES, "lesson", "lesson_person", "offer", "need", "hours", "hours_total")


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


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema: synchronised records, local tables, contact search index", _v1_initial),
    Migration(2, "covering index for live member counts per group", _v2_membership_group_index),
    Migration(3, "contact search index with the 2-character prefix index only", _v3_lighter_prefix_index),
    Migration(4, "bundle format 2: newer fields and record types kept, hub incarnation and signing key, knowledge "
                 "vector", _v4_format_two),
    Migration(5, "deltas by acknowledgement: what each peer hub has acknowledged; a quarantine for records stamped "
                 "far ahead", _v5_acknowledged_deltas),
    Migration(6, "one membership per person and group, one link per action, person and role", _v6_pair_identity),
    Migration(7, "every stored text in Unicode normal form C", _v7_text_in_normal_form_c),
    Migration(8, "the mutual learning network: lessons, offers, needs, hours, match decisions, lesson search",
              _v8_learning_network),
    Migration(9, "peer hubs' signing keys pinned, and whether the organiser trusts each", _v9_pinned_keys),
    Migration(10, "themes of groups and actions", _v10_themes_of_groups_and_actions),
    Migration(11, "consent receipts: who recorded a person's consent", _v11_consent_receipts),
    Migration(12, "peer hubs' encryption keys, for the bundles left in exchange folders", _v12_encryption_keys),
    Migration(13, "contact search index with one- and two-character prefix indexes", _v13_one_letter_prefix_index),
    Migration(14, "membership: the index by group alone dropped (the index by group and deleted serves)",
              _v14_no_second_group_index),
    Migration(15, "stamp indexes kept only where a query walks them (contacts, records kept as they came)",
              _v15_stamp_indexes_that_serve),
    Migration(16, "a record's origin hub and stamp derived from its stamps when read", _v16_derived_stamp_columns),
)

LATEST_VERSION = MIGRATIONS[-1].version


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
    if pending and version > 0:
        db.compact_if_freed()  # a step that dropped columns or indexes left their pages free in the file
    return [m.version for m in pending]
