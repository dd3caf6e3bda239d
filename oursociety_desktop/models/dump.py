"""The canonical dump of the synchronised state (DESIGN.md §10): byte-identical on hubs that have converged.

It holds what travels between hubs (sharing.py): hubs that have exchanged everything agree on exactly that, while
each keeps its own unshared contacts and private notes out of it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection

from oursociety_desktop.models.sharing import iter_outgoing
from oursociety_desktop.models.tables import SYNCED_TABLES


def canonical_json(value: Any) -> str:
    """JSON with sorted keys, no insignificant spaces and non-ASCII kept as is."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def field_stamps_expanded(record: dict[str, Any], fields: list[str]) -> dict[str, str]:
    """Each field's stamp, with the compact `base_stamp` form expanded (so storage layout cannot differ)."""
    stamps: dict[str, str] = record["stamps"]
    return {name: stamps.get(name, record["base_stamp"]) for name in fields}


def iter_dump_lines(conn: Connection) -> Iterator[str]:
    """The dump, line by line: a JSON object whose arrays hold one record per line, types and ids sorted."""
    by_type: dict[str, list[str]] = {cls.RECORD_TYPE: [] for cls in SYNCED_TABLES}
    for record_type, record in iter_outgoing(conn):
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
