"""Merging records of types this version does not know: kept as they came, merged per field by stamp (never a
conflict: this version cannot show them), so they can be passed on. Called by models/merge.py."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from oursociety_desktop.i18n import _
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.incoming import TYPE_NAME, check_envelope, known_names, unknown_field_names
from oursociety_desktop.models.merge_rules import TypeCounts, merge_fields, opaque_row, stamp_map, tally

if TYPE_CHECKING:
    from oursociety_desktop.models.merge import BundleMerger


def merge_opaque(merger: BundleMerger, record_type: str, records: list[dict[str, Any]]) -> None:
    """Check and merge one batch of records of the unknown type `record_type` into the store of such records."""
    if not TYPE_NAME.fullmatch(record_type):
        raise UserError(_("The bundle holds records of a type with a name that is not plain text "
                          "('{record_type}'); nothing was imported.").format(record_type=record_type[:40]))
    known = known_names(None)
    for record in records:
        names = unknown_field_names(known, record)
        check_envelope(record_type, set(names), names, record)
    merger.refuse_repeated_ids(record_type, records)
    records = merger.set_aside_far_future(record_type, records)
    counts = merger.report.counts.setdefault(record_type, TypeCounts())
    merger.report.unknown_records += len(records)
    ids = [r["id"] for r in records]
    local = {rid: (origin, base, json.loads(stamps), json.loads(values)) for rid, origin, base, stamps, values
             in merger.conn.execute(text(
                 "SELECT id, origin_hub, base_stamp, stamps, fields FROM opaque_record WHERE record_type = :t "
                 "AND id IN (SELECT value FROM json_each(:ids))"), {"t": record_type, "ids": json.dumps(ids)})}
    writes: list[dict[str, Any]] = []
    for record in records:
        merger.observe(record)
        values = {k: v for k, v in record.items() if k not in ("id", "origin_hub", "base_stamp", "stamps")}
        mine = local.get(record["id"])
        if mine is None:
            writes.append(opaque_row(record_type, record["id"], record["base_stamp"], dict(record["stamps"]),
                                     values))
            tally(counts, "new")
            continue
        _origin, lbase, lstamps, lvalues = mine
        names = sorted(set(lvalues) | set(values))
        merged = merge_fields(names, lvalues, stamp_map(names, lvalues, lbase, lstamps), values,
                              stamp_map(names, values, record["base_stamp"], record["stamps"]),
                              min(lbase, record["base_stamp"]), frozenset())
        creation = min(lbase, record["base_stamp"])
        if not merged.stamp_changed and not merged.won and creation == lbase:
            tally(counts, "unchanged")
            continue
        final_values = {**lvalues, **merged.won}
        stamps = {n: s for n, s in merged.stamps.items() if s != creation}
        writes.append(opaque_row(record_type, record["id"], creation, stamps, final_values))
        tally(counts, "deleted" if merged.won.get("deleted") is True else "updated")
    if writes:
        merger.conn.execute(text(
            "INSERT OR REPLACE INTO opaque_record (record_type, id, origin_hub, base_stamp, stamps, stamp, fields) "
            "VALUES (:record_type, :id, :origin_hub, :base_stamp, :stamps, :stamp, :fields)"), writes)
        merger.note_changed(writes)


def kept_personal(held: list[dict[str, Any]], declared: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A type's references as a new bundle declares them (`declared`), except that one this hub held as personal
    (`held`) stays as held unless the new declaration calls it personal to the same type of record, or to a
    contact (what consent and erasure follow, so a first declaration cannot lock a field out of them): a delayed
    bundle of an older version, or a forged one, would otherwise take that field out of consent and erasure (which
    follow personal references to contacts), and an erased person's id would stay in the records of that type, to
    be passed on. Shapes: [{"field", "target", "personal"}, ...], as in a manifest's `types`
    (docs/bundle-format.md)."""
    refs = {ref["field"]: ref for ref in declared}
    for ref in held:
        now = refs.get(ref["field"])
        if ref.get("personal") and not (now and now.get("personal") and now.get("target") in (ref.get("target"),
                                                                                               "contact")):
            refs[ref["field"]] = ref
    return list(refs.values())
