"""Consent on the way out: which records may leave this hub.

A contact travels only with `share_with_hubs` (an erased contact's tombstone always travels, so the erasure
reaches every hub). A record that the registry declares personal data of contacts (a membership, an action link,
a connection) travels only when every contact it names may. The fields that never travel (`private_notes`) are
each type's local fields. A record of a type this version does not know travels by the references its bundle
declared for it, under the same rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, select

from oursociety_desktop.models.registry import RecordType
from oursociety_desktop.models.tables import Contact


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
