"""The quarantine of a bundle merge: records stamped more than 24 h ahead wait aside, named by the hub that issued
the stamp (its clock is wrong, not the sender's), until this hub's time passes them or the organiser accepts them.
models/merge.py calls these."""

from __future__ import annotations

import json
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, text

from oursociety_desktop.models.clock import stamp_hub, stamp_wall_ms
from oursociety_desktop.models.merge_rules import MergeReport, newest_stamp


def set_aside(conn: Connection, report: MergeReport, record_type: str, records: list[dict[str, Any]],
              future_limit: int, received_at: str) -> list[dict[str, Any]]:
    """Put the records whose newest stamp lies beyond `future_limit` (ms) in quarantine instead of merging them,
    counting them in `report`; returns the others."""
    if not records or _none_beyond(records, future_limit):
        return records  # the usual batch
    ready, waiting = [], []
    for record in records:
        top = newest_stamp(record)
        if stamp_wall_ms(top) > future_limit:
            hub = stamp_hub(top)
            report.far_future += 1
            report.far_future_hubs[hub] = report.far_future_hubs.get(hub, 0) + 1
            waiting.append({"record_type": record_type, "id": record["id"], "stamp": top, "hub_id": hub,
                            "record": json.dumps(record), "received_at": received_at})
        else:
            ready.append(record)
    if waiting:
        conn.execute(text(
            "INSERT OR REPLACE INTO quarantined_record (record_type, id, stamp, hub_id, record, received_at) "
            "VALUES (:record_type, :id, :stamp, :hub_id, :record, :received_at)"), waiting)
    return ready


def _none_beyond(records: list[dict[str, Any]], future_limit: int) -> bool:
    """True when no record of a batch has a stamp beyond `future_limit`, told by the batch's greatest stamp. Stamps
    compare as text: below one whose milliseconds are ASCII digits, every stamp's milliseconds are lower or equal.
    (`is_stamp` takes ASCII digits only; the check on the greatest stamp stays, as it costs nothing.)"""
    newest = max(map(itemgetter("base_stamp"), records))
    for stamps in filter(None, map(itemgetter("stamps"), records)):
        newest = max(newest, *stamps.values())
    return newest[:13].isascii() and stamp_wall_ms(newest) <= future_limit


def take_released(conn: Connection, future_limit: int, accept_all: bool
                  ) -> tuple[dict[str, list[list[dict[str, Any]]]], int]:
    """Take out of quarantine the records whose time has come (or all, `accept_all`), by type, in rounds that hold
    each record at most once (every version is merged: an older version from another hub may carry a field value
    the newest one never saw, and keeping only the newest lost that write with no conflict listed), and how many
    quarantined rows were taken."""
    limit = "\U0010ffff" if accept_all else f"{future_limit:013d}.\U0010ffff"
    rows = conn.execute(text(
        "SELECT record_type, id, stamp, record FROM quarantined_record WHERE stamp <= :limit "
        "ORDER BY record_type, id, stamp"), {"limit": limit}).all()
    if not rows:
        return {}, 0
    conn.execute(text("DELETE FROM quarantined_record WHERE stamp <= :limit"), {"limit": limit})
    by_type: dict[str, list[list[dict[str, Any]]]] = {}
    versions_seen: dict[tuple[str, str], int] = {}
    for record_type, rid, _stamp, raw in rows:  # oldest version of each record first
        rounds = by_type.setdefault(record_type, [])
        k = versions_seen.get((record_type, rid), 0)
        versions_seen[(record_type, rid)] = k + 1
        if k == len(rounds):
            rounds.append([])
        rounds[k].append(json.loads(raw))
    return by_type, len(rows)
