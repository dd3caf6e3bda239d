"""The canonical dump of the synchronised state: byte-identical on hubs that have converged.

It holds what travels between hubs (sharing.py): hubs that have exchanged everything agree on exactly that, while
each keeps its own unshared contacts and private notes out of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection

from oursociety_desktop.models.canonical import canonical_json
from oursociety_desktop.models.outgoing import iter_every_record, iter_outgoing, outgoing_field_names
from oursociety_desktop.models.registry import REGISTRY


def field_stamps_expanded(record: dict[str, Any], fields: list[str]) -> dict[str, str]:
    """Each field's stamp, with the compact `base_stamp` form expanded (so storage layout cannot differ)."""
    stamps: dict[str, str] = record["stamps"]
    return {name: stamps.get(name, record["base_stamp"]) for name in fields}


def iter_dump_lines(conn: Connection, include_unshared: bool = False) -> Iterator[str]:
    """The dump, line by line: a JSON object whose arrays hold one record per line, types and ids sorted.

    By default it holds what travels to other hubs (so converged hubs print identical dumps); with
    `include_unshared` it holds this hub's whole synchronised state, private notes and unshared people included.
    """
    by_type: dict[str, list[str]] = {name: [] for name in REGISTRY.names()}
    source = iter_every_record(conn) if include_unshared else iter_outgoing(conn)
    for record_type, record in source:
        fields = outgoing_field_names(record)
        flat = {k: record[k] for k in fields}
        flat["id"] = record["id"]
        flat["origin_hub"] = record["origin_hub"]
        flat["stamps"] = field_stamps_expanded(record, fields)
        by_type.setdefault(record_type, []).append(canonical_json(flat))
    yield "{"
    names = sorted(by_type)
    for index, name in enumerate(names):
        lines = by_type[name]
        yield f'"{name}":['
        for i, line in enumerate(lines):
            yield line + ("," if i < len(lines) - 1 else "")
        yield "]" + ("," if index < len(names) - 1 else "")
    yield "}"
