"""The rules of the bundle merge that do not touch the database: per-field last-writer-wins between two versions
of a record, what a merge reports, and small helpers on stamps (models/merge.py applies them in bulk).

For each field, the value with the higher stamp wins (equal stamps name the same write; should their values ever
differ, the larger canonical JSON wins). A field one side has never held has no stamp there and always loses.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from oursociety_desktop.models.canonical import canonical_json
from oursociety_desktop.models.clock import stamp_hub
from oursociety_desktop.models.registry import REGISTRY

# A field one side has never held: its stamp is lower than any real stamp, so the other side's value always wins.
_ABSENT = object()


# ---- the merge ----


@dataclass
class TypeCounts:
    """What a merge did (or would do) to the records of one type."""

    new: int = 0
    updated: int = 0
    deleted: int = 0
    conflicting: int = 0
    unchanged: int = 0
    # Erasures (right to erasure: every personal field wiped, for good), counted apart from deletes.
    erased: int = 0

    @property
    def changes(self) -> int:
        """Records that changed (everything but unchanged)."""
        return self.new + self.updated + self.deleted + self.conflicting + self.erased

    def to_json(self) -> dict[str, int]:
        """Plain counts."""
        return {"new": self.new, "updated": self.updated, "deleted": self.deleted,
                "conflicting": self.conflicting, "unchanged": self.unchanged, "erased": self.erased}


@dataclass
class MergeReport:
    """The outcome of merging one bundle."""

    counts: dict[str, TypeCounts] = field(default_factory=lambda: {t: TypeCounts() for t in REGISTRY.names()})
    new_conflicts: int = 0
    # Records kept in quarantine because a stamp lies over 24 h ahead, by the hub that issued that stamp.
    far_future: int = 0
    far_future_hubs: dict[str, int] = field(default_factory=dict)
    # Records released from quarantine into this merge (their time came, or the organiser accepted them).
    released: int = 0
    latest_stamp: str = ""
    # The lowest `stamp` of any record this merge changed: delta watermarks above it must come down to it.
    change_floor: str = ""
    erasures_applied: int = 0
    # People this hub held with their personal data whom an incoming erasure wipes.
    people_erased: int = 0
    # People this hub held with their personal data whom an incoming withdrawal of consent leaves as id and stamps.
    people_withdrawn: int = 0
    # Records of types this version does not know: kept as they came and passed on.
    unknown_records: int = 0
    # Records that followed a duplicate merge made at another hub (references, fields, crossing merges).
    merges_settled: int = 0

    @property
    def changes(self) -> int:
        """Records changed in all."""
        return sum(c.changes for c in self.counts.values())

    def to_json(self) -> dict[str, Any]:
        """Counts per type and the flags, as plain JSON."""
        return {"counts": {t: c.to_json() for t, c in self.counts.items()}, "changes": self.changes,
                "new_conflicts": self.new_conflicts, "far_future_records": self.far_future,
                "far_future_hubs": self.far_future_hubs, "released_from_quarantine": self.released,
                "latest_stamp": self.latest_stamp, "unknown_records": self.unknown_records,
                "erasures": self.erasures, "people_erased": self.people_erased,
                "people_withdrawn": self.people_withdrawn}

    @property
    def erasures(self) -> int:
        """People erased by this merge (new erasures of contacts held here, and erased contacts first seen)."""
        return sum(c.erased for c in self.counts.values())


@dataclass
class FieldMerge:
    """Per-field last-writer-wins between a local and an incoming version of one record."""

    stamps: dict[str, str] = field(default_factory=dict)  # the winning stamp of every field either side holds
    won: dict[str, Any] = field(default_factory=dict)  # incoming values that replace different local ones
    conflicts: list[tuple[str, Any, str, Any, str, bool]] = field(default_factory=list)
    stamp_changed: bool = False


def merge_fields(names: list[str], local: dict[str, Any], local_stamps: dict[str, str],
                  incoming: dict[str, Any], incoming_stamps: dict[str, str], creation: str,
                  conflictable: frozenset[str]) -> FieldMerge:
    """Merge field by field. A value's stamp is in the `*_stamps` maps; a field one side lacks is `_ABSENT` with
    stamp "" and always loses. Conflicts (name, ours, ours stamp, theirs, theirs stamp, incoming won) are listed
    for `conflictable` fields changed concurrently at two hubs after the record's creation."""
    out = FieldMerge()
    for name in names:
        ls, its = local_stamps.get(name, ""), incoming_stamps.get(name, "")
        lv, iv = local.get(name, _ABSENT), incoming.get(name, _ABSENT)
        incoming_wins = its > ls or (its == ls and lv != iv and canonical_json(iv) > canonical_json(lv))
        out.stamps[name] = its if incoming_wins else ls
        if incoming_wins:
            out.stamp_changed = out.stamp_changed or its != ls
            if lv != iv:
                out.won[name] = iv
        concurrent = lv != iv and name in conflictable and changed_concurrently(ls, its, creation)
        if concurrent and incoming_wins:
            out.conflicts.append((name, iv, its, lv, ls, True))
        elif concurrent and its < ls:
            out.conflicts.append((name, lv, ls, iv, its, False))
    return out


def stamp_map(names: list[str], values: dict[str, Any], base: str, stamps: dict[str, str]) -> dict[str, str]:
    """Each present field's stamp, the compact form expanded (a field not in `stamps` carries `base`)."""
    return {name: stamps.get(name, base) for name in names if name in values}


def newest_stamp(record: dict[str, Any]) -> str:
    stamps = record["stamps"]
    return str(max(record["base_stamp"], *stamps.values()) if stamps else record["base_stamp"])


def opaque_row(record_type: str, rid: str, base: str, stamps: dict[str, str], values: dict[str, Any]
                ) -> dict[str, Any]:
    return {"record_type": record_type, "id": rid, "origin_hub": stamp_hub(base), "base_stamp": base,
            "stamps": json.dumps(stamps), "stamp": max(base, *stamps.values()) if stamps else base,
            "fields": json.dumps(values)}


def tally(counts: TypeCounts, category: str) -> None:
    setattr(counts, category, getattr(counts, category) + 1)


def changed_concurrently(ours: str, theirs: str, creation: str) -> bool:
    return ours != creation and theirs != creation and stamp_hub(ours) != stamp_hub(theirs)
