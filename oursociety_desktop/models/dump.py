"""The canonical dump of the synchronised state (DESIGN.md §10): byte-identical on hubs that have converged.

It holds what travels between hubs (sharing.py): hubs that have exchanged everything agree on exactly that, while
each keeps its own unshared contacts and private notes out of it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, select

from oursociety_desktop.models.sharing import iter_outgoing
from oursociety_desktop.models.tables import SYNCED_TABLES


def canonical_json(value: Any) -> str:
    """JSON with sorted keys, no insignificant spaces and non-ASCII kept as is."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def field_stamps_expanded(record: dict[str, Any], fields: list[str]) -> dict[str, str]:
    """Each field's stamp, with the compact `base_stamp` form expanded (so storage layout cannot differ)."""
    stamps: dict[str, str] = record["stamps"]
    return {name: stamps.get(name, record["base_stamp"]) for name in fields}


def iter_every_record(conn: Connection) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every synchronised record with every synchronised field, shared or not (for `dump --include-unshared`)."""
    for cls in SYNCED_TABLES:
        table = cls.__table__  # type: ignore[attr-defined]
        for mapping in conn.execute(select(table).order_by(table.c.id)).mappings():
            row = dict(mapping)
            record = {name: row[name] for name in ("id", "origin_hub", "base_stamp", "stamps")}
            record.update({name: row[name] for name in cls.SYNC_FIELDS})
            yield cls.RECORD_TYPE, record


def iter_dump_lines(conn: Connection, include_unshared: bool = False) -> Iterator[str]:
    """The dump, line by line: a JSON object whose arrays hold one record per line, types and ids sorted.

    By default it holds what travels to other hubs (so converged hubs print identical dumps); with
    `include_unshared` it holds this hub's whole synchronised state, private notes and unshared people included.
    """
    by_type: dict[str, list[str]] = {cls.RECORD_TYPE: [] for cls in SYNCED_TABLES}
    source = iter_every_record(conn) if include_unshared else iter_outgoing(conn)
    for record_type, record in source:
        fields = [k for k in record if k not in ("id", "origin_hub", "base_stamp", "stamps")]
        flat = {k: record[k] for k in fields}
        flat["id"] = record["id"]
        flat["origin_hub"] = record["origin_hub"]
        flat["stamps"] = field_stamps_expanded(record, fields)
        by_type[record_type].append(canonical_json(flat))
    yield "{"
    names = sorted(by_type)
    for index, name in enumerate(names):
        lines = by_type[name]
        yield f'"{name}":['
        for i, line in enumerate(lines):
            yield line + ("," if i < len(lines) - 1 else "")
        yield "]" + ("," if index < len(names) - 1 else "")
    yield "}"
