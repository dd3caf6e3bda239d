"""Records as they leave the hub: one encoder for every path out (full bundle, delta bundle, the dump).

An outgoing record is one JSON object: the envelope (`id`, `origin_hub`, `base_stamp`, `stamps`) and every field
that travels, including fields a newer version added (kept in `extra`). `stamps` is compact: it names only the
fields whose stamp differs from `base_stamp`. docs/bundle-format.md §4 specifies it.

Rows are read with the driver and list columns are copied as the JSON text SQLite holds, never decoded and
encoded again (a full export of 100k contacts is about twice as fast that way).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, text

from oursociety_desktop.models.canonical import canonical_line
from oursociety_desktop.models.registry import ENVELOPE, REGISTRY, RecordType
from oursociety_desktop.models.sharing import (
    former_hub_ids,
    kept_home_by_flag,
    names_only_shareable,
    shareable_contact_ids,
    travels,
    type_shared_since,
    type_travels,
)
from oursociety_desktop.models.withdrawal import withdrawn_ids, withheld_line_values

BATCH = 5000


class OutgoingEncoder:
    """Reads the rows of one record type and encodes each as a bundle line (bytes, newline-terminated)."""

    def __init__(self, record_type: RecordType, *, include_local: bool = False) -> None:
        self.record_type = record_type
        self.fields = record_type.sync_fields if include_local else record_type.outgoing_fields
        defaults = record_type.defaults()
        self._bools = {f for f in self.fields if isinstance(defaults[f], bool)}
        self._raw_json = [f for f in self.fields if isinstance(defaults[f], list)]
        self._scalars = [f for f in self.fields if f not in self._raw_json]
        self.columns = ["id", "origin_hub", "base_stamp", "stamps", "extra", *self._scalars, *self._raw_json]
        self._refs = [r.field for r in record_type.personal_references()]
        self._dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    def select_sql(self, where: str = "") -> str:
        """The query for this type's rows (ordered by id), with an optional SQL condition on alias `r`."""
        condition = f" WHERE {where}" if where else ""
        return (f"SELECT {', '.join('r.' + c for c in self.columns)} FROM {self.record_type.table_name} r"  # noqa: S608
                f"{condition} ORDER BY r.id")

    def travels(self, values: dict[str, Any], shareable: set[str]) -> bool:
        """Whether a row read by `select_sql` may leave the hub."""
        return travels(self.record_type, values, shareable)

    def encode(self, values: dict[str, Any]) -> bytes:
        """One row (column name -> value, as read by `select_sql`) as a bundle line."""
        extra = _json(values["extra"], {})
        stamps = _json(values["stamps"], {})
        allowed = set(self.fields) | set(extra)
        if any(k not in allowed for k in stamps):
            stamps = {k: v for k, v in stamps.items() if k in allowed}
        head: dict[str, Any] = {"id": values["id"], "origin_hub": values["origin_hub"],
                                "base_stamp": values["base_stamp"], "stamps": stamps}
        for name in self._scalars:
            head[name] = bool(values[name]) if name in self._bools else values[name]
        for name, value in extra.items():
            head.setdefault(name, value)
        line = self._dumps(head)[:-1] + "".join(f',"{name}":{values[name] or "[]"}' for name in self._raw_json)
        return (line + "}\n").encode("utf-8")

    def rows(self, conn: Connection, where: str = "", params: dict[str, Any] | None = None
             ) -> Iterator[dict[str, Any]]:
        """The type's rows as column-name mappings, in id order, read in batches."""
        result = conn.execute(text(self.select_sql(where)), params or {})
        while True:
            batch = result.fetchmany(BATCH)
            if not batch:
                return
            for row in batch:
                yield dict(zip(self.columns, row, strict=True))


def _json(raw: Any, empty: Any) -> Any:
    if raw in (None, "", "{}"):
        return empty
    return json.loads(raw) if isinstance(raw, str) else raw


def _delta_condition(record_type: RecordType) -> str:
    """Records stamped after `:since`, and every record personal to a contact that changed after it (a contact
    whose sharing was just switched on brings its older memberships, links and connections with it)."""
    clauses = ["r.stamp > :since"]
    for ref in record_type.personal_references():
        clauses.append(f"r.{ref.field} IN (SELECT id FROM contact WHERE stamp > :since)")
    return " OR ".join(clauses)


def iter_outgoing_lines(conn: Connection, since: str = "") -> Iterator[tuple[str, bytes]]:
    """Every record that may leave the hub, as (record type, bundle line): types in registry order, then records
    of types this version does not know (by type name); each type in id order. With `since`, only what changed
    after that stamp (a delta)."""
    shareable = shareable_contact_ids(conn)
    withdrawn = withdrawn_ids(conn)  # their withheld record travels: id, stamps, consent and wishes
    params = {"since": since}
    kept_home = kept_home_by_flag(conn)
    # This hub's own records: under its id, and under the ids it had before it became a new hub (a copy).
    own_ids = {conn.execute(text("SELECT id FROM hub")).scalar(), *former_hub_ids(conn)}
    for record_type in REGISTRY:
        # A type shared by a hub setting: with it off, only records other hubs shared (relayed) leave.
        own_kept = record_type.shared_when_setting and not type_travels(conn, record_type)
        whole = bool(since) and type_shared_since(conn, record_type) > since
        encoder = OutgoingEncoder(record_type)
        held_by = [(r.field, kept_home[r.target]) for r in record_type.references if kept_home.get(r.target)]
        flag = record_type.shared_flag
        for values in encoder.rows(conn, _delta_condition(record_type) if since and not whole else "", params):
            if flag and not values[flag]:
                continue
            if own_kept and values["origin_hub"] in own_ids:
                continue
            if any(values[name] in held for name, held in held_by):
                continue
            if encoder.travels(values, shareable):
                yield record_type.name, encoder.encode(values)
            elif record_type.name == "contact" and values["id"] in withdrawn:
                yield record_type.name, encoder.encode(withheld_line_values(values))
    yield from _opaque_lines(conn, shareable, since)


def _opaque_lines(conn: Connection, shareable: set[str], since: str) -> Iterator[tuple[str, bytes]]:
    personal: dict[str, list[str]] = {}
    for name, raw in conn.execute(text("SELECT name, refs FROM opaque_type")):
        personal[name] = [r["field"] for r in _json(raw, []) if r.get("personal") and r.get("target") == "contact"]
    where = " WHERE stamp > :since" if since else ""
    rows = conn.execute(text(
        f"SELECT record_type, id, origin_hub, base_stamp, stamps, fields FROM opaque_record{where} "  # noqa: S608
        "ORDER BY record_type, id"), {"since": since})
    for record_type, rid, origin, base, raw_stamps, raw_fields in rows:
        fields = _json(raw_fields, {})
        if not names_only_shareable(personal.get(record_type, ()), fields, shareable):
            continue
        record = {**fields, "id": rid, "origin_hub": origin, "base_stamp": base, "stamps": _json(raw_stamps, {})}
        yield record_type, canonical_line(record)


def iter_outgoing(conn: Connection, since: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """As `iter_outgoing_lines`, each record decoded to a dict."""
    for record_type, line in iter_outgoing_lines(conn, since):
        yield record_type, json.loads(line)


def iter_every_record(conn: Connection) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every record of a known type with every synchronised field, shared or not, local fields included (for
    `dump --include-unshared`)."""
    for record_type in REGISTRY:
        encoder = OutgoingEncoder(record_type, include_local=True)
        for values in encoder.rows(conn):
            yield record_type.name, json.loads(encoder.encode(values))


def outgoing_field_names(record: dict[str, Any]) -> list[str]:
    """The field names of an outgoing record (everything but the envelope)."""
    return [k for k in record if k not in ENVELOPE]
