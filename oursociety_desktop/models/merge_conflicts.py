"""The conflicts a bundle merge opens: which losing values are new to the inbox, and which incoming winners settle
a conflict listed before (another hub's "take theirs" arriving). models/merge.py calls these per batch."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, text

from oursociety_desktop.models.canonical import canonical_json
from oursociety_desktop.models.merge_rules import TypeCounts


def conflict_row(record_type: str, record_id: str, name: str, ours: Any, ours_stamp: str, theirs: Any,
                 theirs_stamp: str, incoming_won: bool, detected_at: str) -> dict[str, Any]:
    """A conflict as a row of the inbox (with `incoming_won`, which `fresh_conflicts` takes away)."""
    return {"record_type": record_type, "record_id": record_id, "field": name, "ours_value": ours,
            "ours_stamp": ours_stamp, "theirs_value": theirs, "theirs_stamp": theirs_stamp,
            "detected_at": detected_at, "resolved": False, "incoming_won": incoming_won}


def fresh_conflicts(conn: Connection, record_type: str, conflicts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop conflicts already in the inbox (open or resolved): re-importing must not list them again.

    An incoming winner whose value is the losing value of a conflict in our inbox is someone's "take theirs"
    arriving: it settles that conflict rather than opening a new one."""
    if not conflicts:
        return []
    ids = sorted({c["record_id"] for c in conflicts})
    known: set[tuple[str, str, str]] = set()
    lost_values: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for conflict_id, record_id, name, theirs_stamp, theirs_value, ours_stamp in conn.execute(
        text("SELECT id, record_id, field, theirs_stamp, theirs_value, ours_stamp FROM conflict "
             "WHERE record_type = :t AND record_id IN (SELECT value FROM json_each(:ids))"),
        {"t": record_type, "ids": json.dumps(ids)},
    ):
        # Either value of a conflict already listed was weighed by the organiser (or is waiting to be): the
        # same write losing again, even the other way round (an old bundle after "take theirs"), is not new.
        known.add((record_id, name, theirs_stamp))
        known.add((record_id, name, ours_stamp))
        lost_values.setdefault((record_id, name), []).append(
            (conflict_id, canonical_json(json.loads(theirs_value))))
    fresh = []
    settled: list[int] = []
    for c in conflicts:
        key = (c["record_id"], c["field"], c["theirs_stamp"])  # "theirs" is always the losing value
        incoming_won = c.pop("incoming_won")
        if incoming_won:
            taken = [cid for cid, value in lost_values.get((c["record_id"], c["field"]), [])
                     if value == canonical_json(c["ours_value"])]
            if taken:
                settled.extend(taken)
                continue
        if key in known:
            continue
        known.add(key)
        fresh.append(c)
    if settled:
        conn.execute(text("UPDATE conflict SET resolved = 1 WHERE id IN (SELECT value FROM json_each(:ids))"),
                     {"ids": json.dumps(settled)})
    return fresh


def uncount_known_conflicts(conflicts: list[dict[str, Any]], fresh: list[dict[str, Any]],
                            updates: list[dict[str, Any]], counts: TypeCounts) -> None:
    """A record counted as conflicting only because of conflicts already known is unchanged (or updated)."""
    fresh_ids = {c["record_id"] for c in fresh}
    updated_ids = {u["id"] for u in updates}
    for record_id in {c["record_id"] for c in conflicts} - fresh_ids:
        counts.conflicting -= 1
        if record_id in updated_ids:
            counts.updated += 1
        else:
            counts.unchanged += 1
