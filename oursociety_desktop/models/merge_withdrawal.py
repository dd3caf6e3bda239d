"""The withdrawal's part in a bundle merge (models/withdrawal.py states the rule): a withheld version of a contact
contributes no personal value, a hub other than the consent holder withholds a withdrawn person, and records
personal to a person withheld here are not stored. Called by models/merge.py."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from oursociety_desktop.models.registry import RecordType
from oursociety_desktop.models.withdrawal import WITHHELD, valid_share_write, withheld_here, withhold


def check_share_writes(records: list[dict[str, Any]]) -> None:
    """Sharing switched on by a hub other than the consent holder counts as switched off (in place)."""
    for record in records:
        valid_share_write(record)


def carried_values(values: dict[str, Any], withheld: bool) -> dict[str, Any]:
    """The values a version of a contact carries into the merge: none of the withheld fields when it is withheld
    (a withheld version neither wins nor loses them)."""
    if not withheld:
        return values
    return {k: v for k, v in values.items() if k not in WITHHELD}


def withhold_if_needed(row: dict[str, Any], this_hub: str, unknown: Iterable[str] = ()) -> bool:
    """Withhold the merged row when this hub must (not the consent holder of a withdrawn person); recompute its
    newest stamp. Returns whether it is withheld."""
    if not withheld_here(row, this_hub):
        return False
    withhold(row, unknown)
    row["stamp"] = max(row["base_stamp"], *row["stamps"].values()) if row["stamps"] else row["base_stamp"]
    return True


def same_row(row: dict[str, Any], local: dict[str, Any], declared: RecordType) -> bool:
    """Whether a merged row holds exactly what the local one did (a withheld version merged into a withheld row)."""
    return (all(row[n] == local[n] for n in declared.sync_fields) and row["stamps"] == (local["stamps"] or {})
            and row["extra"] == (local["extra"] or {}) and row["base_stamp"] == local["base_stamp"])


def drop_records_of_withheld(declared: RecordType, records: list[dict[str, Any]], held: Callable[[], set[str]]
                             ) -> list[dict[str, Any]]:
    """Leave out incoming records personal to a person this hub withholds (`held()`: their ids; their consent holder
    withdrew them)."""
    refs = [r.field for r in declared.personal_references() if r.target == "contact"]
    if not refs or not records:
        return records
    people = held()
    if not people:
        return records
    return [r for r in records if not any(r.get(f) in people for f in refs)]
