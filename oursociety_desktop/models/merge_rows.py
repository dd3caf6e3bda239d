"""Reading and writing the rows of a bundle merge in bulk, at the driver level: versions this hub holds already are
dropped by their stamps alone, and merged rows are inserted or updated in one statement each. Called by
models/merge.py."""

from __future__ import annotations

import json
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Connection, Table

from oursociety_desktop.models.bulk import json_text
from oursociety_desktop.models.merge_rules import TypeCounts
from oursociety_desktop.models.registry import RecordType
from oursociety_desktop.models.tables import edit_stamp_of
from oursociety_desktop.models.withdrawal import KEPT_WHEN_WITHDRAWN

EMPTY_JSON: dict[type, str] = {dict: "{}", list: "[]"}


def _json_column(values: tuple[Any, ...]) -> tuple[str, ...]:
    """`json_text` of each value of a column; an empty list or object without a call (most are)."""
    kinds = set(map(type, values))
    if len(kinds) == 1 and not any(values) and kinds <= EMPTY_JSON.keys():
        return (EMPTY_JSON[kinds.pop()],) * len(values)
    return tuple([json_text(value) if value or type(value) not in EMPTY_JSON else EMPTY_JSON[type(value)]
                  for value in values])


def withheld_version(declared: RecordType, record: dict[str, Any]) -> bool:
    """A contact's withheld version (models/withdrawal.py): it carries only the stamps of the fields kept."""
    return declared.name == "contact" and not record.get("erased") and not record.get("share_with_hubs")


def drop_known_versions(conn: Connection, declared: RecordType, table: Table, records: list[dict[str, Any]],
                         counts: TypeCounts) -> tuple[list[dict[str, Any]], set[str]]:
    """Count and drop records whose every field stamp equals ours: the same writes, so nothing to merge. Returns
    the other records and the ids of those among them this hub holds already (the rest are new here).

    Reads only ids and stamps (stamps as raw JSON text), which keeps re-importing a big bundle cheap."""
    local_only = set(declared.local_fields)
    known: dict[str, tuple[str, str]] = {}
    ids = [r["id"] for r in records]
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        marks = ",".join("?" * len(chunk))
        for rid, base, raw in conn.exec_driver_sql(
            f"SELECT id, base_stamp, stamps FROM {table.name} WHERE id IN ({marks})", tuple(chunk)  # noqa: S608
        ):
            known[rid] = (base, raw)
    if not known:  # all new here (an import into an empty hub)
        return records, set()
    rest = []
    for record in records:
        mine = known.get(record["id"])
        if mine is not None and mine[0] == record["base_stamp"]:
            raw = mine[1]
            ours = json.loads(raw) if raw and raw != "{}" else {}
            if len(ours) != len(record["stamps"]):
                ours = {k: v for k, v in ours.items() if k not in local_only}
            if len(ours) != len(record["stamps"]) and withheld_version(declared, record):
                ours = {k: v for k, v in ours.items() if k in KEPT_WHEN_WITHDRAWN}  # it carries nothing else
            if ours == record["stamps"]:
                counts.unchanged += 1
                continue
        rest.append(record)
    return rest, {record["id"] for record in rest if record["id"] in known}


def write_rows(conn: Connection, declared: RecordType, table: Table, rows: list[dict[str, Any]], *,
               update: bool) -> None:
    """Bulk insert or update at the driver level: SQLAlchemy's per-row parameter processing would cost more
    than SQLite itself. JSON columns are encoded as SQLAlchemy's JSON type encodes them (the text of json.dumps).
    A row's `stamp` is stored as `edit_stamp` (nothing when it is the base stamp); its `origin_hub` is not written
    (SQLite derives both)."""
    columns = [*declared.sync_fields, "base_stamp", "stamps", "stamp", "extra"]
    if declared.name == "contact":
        columns.append("sort_key")
    order = [*columns, "id"] if update else ["id", *columns]
    stored = ["edit_stamp" if name == "stamp" else name for name in order]
    if update:
        sql = f"UPDATE {table.name} SET {', '.join(f'{c} = ?' for c in stored[:-1])} WHERE id = ?"  # noqa: S608
    else:
        sql = f"INSERT INTO {table.name} ({', '.join(stored)}) VALUES ({', '.join('?' * len(stored))})"  # noqa: S608
    json_at = [i for i, name in enumerate(order) if isinstance(table.c[name].type, JSON)]
    stamp_at, base_at = order.index("stamp"), order.index("base_stamp")
    if not rows:
        return
    # Column by column, which keeps the per-value work in C: most JSON columns of a batch are all empty.
    values = list(zip(*map(itemgetter(*order), rows), strict=True))
    for i in json_at:
        values[i] = _json_column(values[i])
    values[stamp_at] = tuple(map(edit_stamp_of, values[base_at], values[stamp_at]))
    params = list(zip(*values, strict=True))
    conn.exec_driver_sql(sql, params)
