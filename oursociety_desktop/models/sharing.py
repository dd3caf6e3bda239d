"""Consent on the way out (DESIGN.md §5): which records may leave this hub, and with which fields.

A contact travels only with `share_with_hubs` (an erased contact's tombstone always travels, so the erasure
reaches every hub). Memberships, action links and connections travel only when every contact they name does.
`private_notes` never travels.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, select

from oursociety_desktop.models.tables import SYNCED_TABLES, Contact, SyncedRecord

FIELDS_NEVER_SHARED = ("private_notes",)


def shareable_contact_ids(conn: Connection) -> set[str]:
    """Ids of contacts that may leave this hub."""
    table = Contact.__table__  # type: ignore[attr-defined]
    rows = conn.execute(select(table.c.id).where((table.c.share_with_hubs.is_(True)) | (table.c.erased.is_(True))))
    return {row[0] for row in rows}


def travels(record_type: str, row: dict[str, Any], shareable: set[str]) -> bool:
    """Whether one record (as a row dict) may leave the hub, given the shareable contact ids."""
    if record_type == "contact":
        return row["id"] in shareable
    if record_type in ("membership", "action_link"):
        return row["contact_id"] in shareable
    if record_type == "connection":
        named = [row["contact_a"], row["contact_b"]] + ([row["introduced_by"]] if row["introduced_by"] else [])
        return all(cid in shareable for cid in named)
    return True


def outgoing_fields(cls: type[SyncedRecord]) -> tuple[str, ...]:
    """The synchronised fields of a record type that may leave the hub."""
    return tuple(f for f in cls.SYNC_FIELDS if f not in cls.LOCAL_FIELDS and f not in FIELDS_NEVER_SHARED)


def outgoing_record(cls: type[SyncedRecord], row: dict[str, Any]) -> dict[str, Any]:
    """A record as it leaves the hub: id, origin hub, the shareable fields and their stamps (compact form)."""
    fields = outgoing_fields(cls)
    stamps = {f: s for f, s in (row.get("stamps") or {}).items() if f in fields}
    record: dict[str, Any] = {"id": row["id"], "origin_hub": row["origin_hub"], "base_stamp": row["base_stamp"],
                              "stamps": stamps}
    for name in fields:
        record[name] = row[name]
    return record


def iter_outgoing(conn: Connection, since: str = "", batch: int = 5000) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every shareable record (record type, outgoing dict), optionally only those stamped after `since`.

    Types come in dependency order (contacts and groups before what refers to them), each ordered by id.
    """
    shareable = shareable_contact_ids(conn)
    for cls in SYNCED_TABLES:
        table = cls.__table__  # type: ignore[attr-defined]
        query = select(table).order_by(table.c.id)
        if since:
            query = query.where(table.c.stamp > since)
        result = conn.execution_options(yield_per=batch).execute(query)
        for mapping in result.mappings():
            row = dict(mapping)
            if travels(cls.RECORD_TYPE, row, shareable):
                yield cls.RECORD_TYPE, outgoing_record(cls, row)

