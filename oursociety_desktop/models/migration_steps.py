"""The schema steps of versions 1 to 12, as they were released: each brings a hub from the version before to its
own. They never change (a hub made by any release upgrades through them); the registry that orders them, and the
later steps, are in models/migrations.py.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Connection, text

from oursociety_desktop.models.schema_v1 import V1_TABLES
from oursociety_desktop.models.signing import new_signing_key

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


def v1_initial(conn: Connection) -> None:
    for statement in V1_TABLES:
        conn.exec_driver_sql(statement)
    for statement in FTS_DDL:
        conn.exec_driver_sql(statement)


def v2_membership_group_index(conn: Connection) -> None:
    # Member counts per group (the Groups tree) scan this covering index instead of 200k table rows.
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_membership_group_live ON membership (group_id, deleted)")


def v3_lighter_prefix_index(conn: Connection) -> None:
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
V1_RECORD_TABLES = ("contact", "contact_group", "membership", "action", "action_link", "connection")


def v4_format_two(conn: Connection) -> None:
    # Bundle format 2: fields and record types of newer versions are kept and relayed; each hub has an incarnation
    # and a signing key; the knowledge vector says what this hub holds from each hub it imported bundles from.
    for table in V1_RECORD_TABLES:
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


def v5_acknowledged_deltas(conn: Connection) -> None:
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


def v6_pair_identity(conn: Connection) -> None:
    # A membership (and an action link) now has one identity per pair, its id derived from the pair. Folding the
    # duplicates made before is a stamped edit, so it needs the hub's clock: this step asks for it, and
    # `fold_pending_pairs` does it as the hub opens, right after the migrations (and their backup).
    conn.execute(text("INSERT OR REPLACE INTO setting (key, value) VALUES (:k, 'true')"), {"k": FOLD_PAIRS_PENDING})


# The synchronised records' text: typed, imported or received before every text was stored in normal form C.
_NFC_TABLES = ("contact", "contact_group", "action", "action_link", "membership", "connection")


def v7_text_in_normal_form_c(conn: Connection) -> None:
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


def v8_learning_network(conn: Connection) -> None:
    for statement in _V8_LEARNING_DDL:
        conn.exec_driver_sql(statement)


def v9_pinned_keys(conn: Connection) -> None:
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


def v10_themes_of_groups_and_actions(conn: Connection) -> None:
    # A new group or action with a theme opens on what other hubs learned about it.
    for table in ("contact_group", "action"):
        conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN themes JSON NOT NULL DEFAULT '[]'")
        _promote_extra_field(conn, table, "themes")


def v11_consent_receipts(conn: Connection) -> None:
    # Who recorded a person's consent, beside when and how: the receipt that travels with the record.
    conn.exec_driver_sql("ALTER TABLE contact ADD COLUMN consent_recorded_by VARCHAR NOT NULL DEFAULT ''")


def v12_encryption_keys(conn: Connection) -> None:
    # Bundles left in an exchange folder are encrypted to the trusted hubs' X25519 keys, learned from their next
    # signed bundle.
    conn.exec_driver_sql("ALTER TABLE peer_hub ADD COLUMN encryption_key VARCHAR NOT NULL DEFAULT ''")
