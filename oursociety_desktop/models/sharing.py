"""Consent on the way out: which records may leave this hub.

A contact travels only with `share_with_hubs` (an erased contact's tombstone always travels, so the erasure
reaches every hub). A record that the registry declares personal data of contacts (a membership, an action link,
a connection) travels only when every contact it names may. The fields that never travel (`private_notes`) are
each type's local fields. A record of a type this version does not know travels by the references its bundle
declared for it, under the same rule.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, select, text

from oursociety_desktop.models.registry import REGISTRY, RecordType
from oursociety_desktop.models.tables import Contact

# The setting listing the ids this hub had before it became a new hub (models/hub_identity.py, `new_identity`).
FORMER_IDS = "former_hub_ids"


def shareable_contact_ids(conn: Connection) -> set[str]:
    """Ids of contacts that may leave this hub."""
    table = Contact.__table__  # type: ignore[attr-defined]
    rows = conn.execute(select(table.c.id).where((table.c.share_with_hubs.is_(True)) | (table.c.erased.is_(True))))
    return {row[0] for row in rows}


def names_only_shareable(personal_fields: Iterable[str], row: Mapping[str, Any], shareable: set[str]) -> bool:
    """True when every contact the row names in `personal_fields` may leave the hub (an empty reference names
    nobody)."""
    return all(not row.get(name) or row[name] in shareable for name in personal_fields)


def travels(record_type: RecordType, row: Mapping[str, Any], shareable: set[str]) -> bool:
    """Whether one record (as a row mapping) may leave the hub, given the shareable contact ids."""
    if record_type.name == "contact":
        return row["id"] in shareable
    return names_only_shareable((r.field for r in record_type.personal_references()), row, shareable)


def type_travels(conn: Connection, record_type: RecordType) -> bool:
    """Whether this hub's own records of a type may leave it: a type declared `shared_when_setting` needs that
    hub setting switched on (a missing setting is off). Records of the type that other hubs shared are relayed."""
    return not record_type.shared_when_setting or bool(type_shared_since(conn, record_type))


def type_shared_since(conn: Connection, record_type: RecordType) -> str:
    """For a type declared `shared_when_setting`: the stamp at which the setting was switched on ("" when off).
    A delta made for a peer that has not seen that stamp carries every record of the type, older ones included
    (as switching a person's sharing on brings their older records)."""
    raw = conn.execute(text("SELECT value FROM setting WHERE key = :k"), {"k": record_type.shared_when_setting})
    value = raw.scalar()
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return ""
    if value is True:
        return "0"
    return value if isinstance(value, str) else ""


def kept_home_by_flag(conn: Connection) -> dict[str, set[str]]:
    """Per type declaring a `shared_flag`, the ids of its records whose flag is off (they stay at this hub, and so
    do the records referring to them)."""
    kept: dict[str, set[str]] = {}
    for record_type in REGISTRY:
        if record_type.shared_flag:
            rows = conn.execute(text(
                f"SELECT id FROM {record_type.table_name} WHERE {record_type.shared_flag} = 0"))  # noqa: S608
            kept[record_type.name] = {row[0] for row in rows}
    return kept


def former_hub_ids(conn: Connection) -> list[str]:
    """The ids this hub had before it became a new hub (`new_identity`): its records under those ids are its own."""
    raw = conn.execute(text("SELECT value FROM setting WHERE key = :k"), {"k": FORMER_IDS}).scalar()
    value = json.loads(raw) if isinstance(raw, str) else raw
    return [str(v) for v in value] if isinstance(value, list) else []
