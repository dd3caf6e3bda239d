"""Merging records that arrive from another hub: per field, last writer wins by stamp.

For each incoming record and each field that travels, the value with the higher stamp wins (equal stamps name the
same write; should their values ever differ, the larger canonical JSON wins, so the result is still the same at
every hub). Merging is therefore deterministic, idempotent, commutative and associative. `deleted` is a field like
any other, so an edit to another field never resurrects a record and an old bundle never brings one back.

Erasure beats everything: if either side of a contact is erased, the result is erased with every personal field at
its erased value (both erased: per-field LWW between the two erasures). Live references to an erased contact
(memberships, action links, connections) are tombstoned here as well, and open conflicts about them are dropped.

A losing value is a *conflict* (kept in the inbox of the hub where it lost) when (1) the two values differ,
(2) neither stamp is the record's creation stamp (`base_stamp`; both sides then changed the field after the common
base), and (3) the two stamps were issued by different hubs (one hub's edits are sequential). Stamps carry no causal
history, so an edit made at hub B after B had received A's edit is also listed at A: the inbox may hold an informed
overwrite, but never misses a concurrent one. docs/bundle-format.md states the same rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, insert, select, text

from oursociety_desktop.i18n import _
from oursociety_desktop.models.clock import FUTURE_TOLERANCE_MS, stamp_hub, wall_clock_ms
from oursociety_desktop.models.contacts import erasure_reason
from oursociety_desktop.models.database import Tx, utc_now_iso
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.incoming import (
    check_batch_values,
    check_envelope,
    envelopes_plainly_valid,
    fill_added_fields,
    known_names,
    unknown_field_names,
)
from oursociety_desktop.models.merge_conflicts import conflict_row, fresh_conflicts, uncount_known_conflicts
from oursociety_desktop.models.merge_opaque import kept_personal, merge_opaque
from oursociety_desktop.models.merge_quarantine import set_aside, take_released
from oursociety_desktop.models.merge_rows import drop_known_versions, write_rows
from oursociety_desktop.models.merge_rules import (
    MergeReport,
    TypeCounts,
    merge_fields,
    newest_stamp,
    stamp_map,
    tally,
)
from oursociety_desktop.models.merge_withdrawal import (
    carried_values,
    check_share_writes,
    drop_records_of_withheld,
    same_row,
    withhold_if_needed,
)
from oursociety_desktop.models.merged_contacts import settle_merged_contacts
from oursociety_desktop.models.references import (
    clear_people_from_side_tables,
    contacts_awaiting_erasure_rules,
    erase_related_records,
    fold_pairs,
    remove_opaque_records_of,
)
from oursociety_desktop.models.registry import ENVELOPE, REGISTRY, RecordType
from oursociety_desktop.models.search import purge_deleted_index_entries, search_row, write_search_rows
from oursociety_desktop.models.tables import Conflict, OpaqueType
from oursociety_desktop.models.text import nfc_values, sort_key
from oursociety_desktop.models.withdrawal import (
    WITHHELD,
    remove_records_of,
    valid_share_write,
    withheld_here,
    withheld_ids,
)
from oursociety_desktop.models.wording import record_type_word

__all__ = ["BundleMerger", "MergeReport", "TypeCounts"]

@dataclass
class _Outcome:
    row: dict[str, Any] | None
    category: str
    conflicts: list[dict[str, Any]]
    won: tuple[str, ...] = ()  # the fields whose incoming value replaced ours


class BundleMerger:
    """Merges batches of incoming records into the hub inside one write transaction (`tx`), in bulk."""

    def __init__(self, tx: Tx, wall_ms: int | None = None) -> None:
        self.tx = tx
        self.conn = tx.session.connection()
        self.report = MergeReport()
        self.region = str(tx.setting("default_region"))
        self.detected_at = utc_now_iso()
        self.future_limit = (wall_clock_ms() if wall_ms is None else wall_ms) + FUTURE_TOLERANCE_MS
        self.accepting_future = False
        self.changed_ids: dict[str, list[str]] = {}
        # Contacts merged into another whose fields this import changed: the edits follow to the survivor.
        self.merged_away_edits: dict[str, set[str]] = {}
        # Contacts an erasure reaches through a duplicate merge that crossed it (the other id of the person).
        self.erase_also: set[str] = set()
        # Withdrawn people this hub holds without their consent holder (models/withdrawal.py): only id and stamps.
        self.withheld_now: set[str] = set()
        self._withheld: set[str] | None = None  # all of them, read once (again after each batch of contacts)

    def declare_types(self, declared: dict[str, list[dict[str, Any]]]) -> None:
        """Keep what a bundle declared of the references of types this version does not know (consent and erasure
        use them). Declarations of known types are this version's own and are not taken from a bundle. A reference
        declared personal before stays personal (`kept_personal`)."""
        for name, refs in sorted(declared.items()):
            if name in REGISTRY:
                continue
            existing = self.tx.session.get(OpaqueType, name)
            if existing is None:
                self.tx.session.add(OpaqueType(name=name, refs=refs))
            elif (merged := kept_personal(existing.refs, refs)) != existing.refs:
                existing.refs = merged
                self.tx.session.add(existing)
        self.tx.session.flush()

    def count_unchanged(self, counts: dict[str, int]) -> None:
        """Report a bundle's records (`counts`: per type, as its manifest declares them) as unchanged without
        reading them: the same file was merged here before (models/exchange_log.py `already_merged`)."""
        for record_type, count in counts.items():
            if record_type in self.report.counts:
                self.report.counts[record_type].unchanged += count

    # -- per batch --

    def merge_batch(self, record_type: str, records: list[dict[str, Any]]) -> None:
        """Check and merge records of one type (each id at most once per batch), every text in normal form C, as
        `BundleReader.iter_batches` yields them."""
        declared = REGISTRY.get(record_type)
        if declared is None:
            merge_opaque(self, record_type, records)
            return
        fields = declared.outgoing_fields
        known = known_names(declared)
        unknown_of: dict[str, list[str]] = {}  # only records with fields this version does not know
        carried = set(fields)  # the names a record's stamps may name: its type's fields and its newer ones
        if not (all(map(known.issuperset, records)) and envelopes_plainly_valid(carried, records)):
            for record in records:
                unknown = unknown_field_names(known, record)
                check_envelope(record_type, carried.union(unknown) if unknown else carried, unknown, record)
                if unknown:
                    unknown_of[record["id"]] = unknown
        self.refuse_repeated_ids(record_type, records)
        if record_type == "contact":  # an erasure's reason is a choice from a list, never free text
            for record in records:
                if record.get("erased") and "erased_reason" in record:
                    record["erased_reason"] = erasure_reason(record["erased_reason"])
            check_share_writes(records)  # only the consent holder switches sharing on
        table: Table = declared.table.__table__  # type: ignore[attr-defined]
        counts = self.report.counts[record_type]
        records, held = drop_known_versions(self.conn, declared, table, records, counts)
        # A version this hub holds already (an accepted one, arriving again) needs no quarantine.
        records = self.set_aside_far_future(record_type, records)
        for record in records:
            fill_added_fields(declared, record)  # a record from an older writer
        check_batch_values(declared, records)
        records = drop_records_of_withheld(declared, records, self._withheld_people)
        ids = [r["id"] for r in records if r["id"] in held] if held else []
        local_rows = {row["id"]: dict(row) for row in
                      self.conn.execute(select(table).where(table.c.id.in_(ids))).mappings()} if ids else {}
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        conflicts: list[dict[str, Any]] = []
        for record in records:
            top = newest_stamp(record)
            self.observe(record, top)
            unknown = unknown_of.get(record["id"]) or []
            local = local_rows.get(record["id"]) if local_rows else None
            if local is None:
                row = self._new_row(declared, record, unknown, top)
                inserts.append(row)
                tally(counts, "erased" if row.get("erased") else "deleted" if row["deleted"] else "new")
                continue
            outcome = self._merge_existing(declared, local, record, unknown)
            if outcome.row is not None:
                updates.append(outcome.row)
                if record_type == "contact" and outcome.row["merged_into"]:
                    self.merged_away_edits.setdefault(local["id"], set()).update(outcome.won)
            conflicts.extend(outcome.conflicts)
            tally(counts, outcome.category)
        fresh = fresh_conflicts(self.conn, record_type, conflicts)
        if len(fresh) < len(conflicts):
            uncount_known_conflicts(conflicts, fresh, updates, counts)
        if inserts:
            write_rows(self.conn, declared, table, inserts, update=False)
        if updates:
            write_rows(self.conn, declared, table, updates, update=True)
        if fresh:
            self.conn.execute(insert(Conflict.__table__), fresh)  # type: ignore[attr-defined]
            self.report.new_conflicts += len(fresh)
        self.note_changed(inserts + updates)
        self.changed_ids.setdefault(record_type, []).extend(row["id"] for row in inserts + updates)
        if record_type == "contact" and (inserts or updates):
            self._refresh_contacts(inserts + updates)
            self._withheld = None

    def _withheld_people(self) -> set[str]:
        if self._withheld is None:
            self._withheld = withheld_ids(self.conn, self.tx.hub_id)
        return self._withheld

    @staticmethod
    def refuse_repeated_ids(record_type: str, records: list[dict[str, Any]]) -> None:
        ids = [r["id"] for r in records]
        if len(set(ids)) != len(ids):
            raise UserError(_("The bundle lists a {record_type} twice; it is not valid. "
                            "Nothing was imported.").format(record_type=record_type_word(record_type)))

    def observe(self, record: dict[str, Any], top: str | None = None) -> None:
        """Move the hub clock past the record's newest stamp, `top` (the clock ignores one far ahead)."""
        top = newest_stamp(record) if top is None else top
        if top > self.report.latest_stamp:
            self.report.latest_stamp = top
            self.tx.clock.observe(top)

    def set_aside_far_future(self, record_type: str, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Keep records with a stamp more than 24 h ahead in quarantine; returns the others (merge_quarantine)."""
        if self.accepting_future:
            return records
        return set_aside(self.conn, self.report, record_type, records, self.future_limit, self.detected_at)

    def release_quarantine(self, *, accept_all: bool = False) -> int:
        """Merge the quarantined records whose time has come (their newest stamp is within 24 h of this hub's
        clock), or all of them when the organiser accepts them (`accept_all`; their stamps still do not move this
        hub's clock). Returns how many were released."""
        by_type, taken = take_released(self.conn, self.future_limit, accept_all)
        if not by_type:
            return 0
        order = [t for t in REGISTRY.names() if t in by_type] + sorted(t for t in by_type if t not in REGISTRY)
        self.accepting_future = True
        try:
            for record_type in order:
                for versions in by_type[record_type]:  # kept as read (by an older version, perhaps before NFC)
                    self.merge_batch(record_type, [nfc_values(version) for version in versions])
        finally:
            self.accepting_future = False
        self.report.released += taken
        return taken

    def note_changed(self, changed: list[dict[str, Any]]) -> None:
        lowest = min(map(itemgetter("stamp"), changed), default="")
        if lowest and (not self.report.change_floor or lowest < self.report.change_floor):
            self.report.change_floor = lowest

    def _new_row(self, declared: RecordType, record: dict[str, Any], unknown: list[str], top: str | None = None
                 ) -> dict[str, Any]:
        """A new row (stamps checked by `merge_batch`: of its fields and `unknown` only); `top`: newest stamp."""
        if not unknown and len(record) == len(ENVELOPE) + len(declared.outgoing_fields):
            row = record.copy()  # the envelope and the fields that travel, nothing else: their values as they are
        else:
            row = dict(zip(declared.outgoing_fields, declared.outgoing_values(record), strict=True))
            row["id"], row["base_stamp"] = record["id"], record["base_stamp"]
        if declared.local_fields:
            declared.add_local_defaults(row)
        stamps = row["stamps"] = dict(record["stamps"])
        # The creator is whoever issued the creation stamp, whatever the record says: every hub agrees on it.
        row["origin_hub"] = stamp_hub(record["base_stamp"])
        row["extra"] = {name: record[name] for name in unknown} if unknown else {}
        row["stamp"] = top if top is not None else newest_stamp({"base_stamp": record["base_stamp"], "stamps": stamps})
        if declared.name == "contact":
            if row["erased"]:
                self._wipe_extra(row)
                self.report.erasures_applied += 1
            elif withhold_if_needed(row, self.tx.hub_id, unknown):
                self.withheld_now.add(row["id"])
            row["sort_key"] = _contact_sort_key(row)
        return row

    @staticmethod
    def _wipe_extra(row: dict[str, Any]) -> None:
        """An erased contact keeps no field a newer version added (it may be personal)."""
        row["stamps"] = {k: v for k, v in row["stamps"].items() if k not in row["extra"]}
        row["extra"] = {}

    def _merge_existing(self, declared: RecordType, local: dict[str, Any], record: dict[str, Any],
                        unknown: list[str]) -> _Outcome:
        is_contact = declared.name == "contact"
        if is_contact and (local["erased"] or record["erased"]):
            # A duplicate merge of the person made elsewhere meanwhile: the erasure follows it to the other id.
            merged = record["merged_into"] if local["erased"] else local["merged_into"]
            if merged and not (local["erased"] and record["erased"]):
                self.erase_also.add(merged)
            if not record["erased"]:
                return _Outcome(None, "unchanged", [])  # a live copy never beats an erasure
            if not local["erased"]:
                row = self._new_row(declared, record, unknown)
                row["private_notes"] = ""
                self.report.people_erased += 1
                return _Outcome(row, "erased", [])
        fields = declared.outgoing_fields
        local_extra: dict[str, Any] = local["extra"] or {}
        names = [*fields, *sorted(set(local_extra) | set(unknown))]
        lbase, ibase = local["base_stamp"], record["base_stamp"]
        lstamps: dict[str, str] = local["stamps"] or {}
        if is_contact:  # sharing switched on here by an older version, not the consent holder: switched off
            valid_share_write(local)
        local_held = is_contact and withheld_here(local, self.tx.hub_id)
        incoming_held = is_contact and not record["erased"] and not record["share_with_hubs"]
        local_values = carried_values({**{n: local[n] for n in fields}, **local_extra}, local_held)
        incoming_values = carried_values({n: record[n] for n in (*fields, *unknown)}, incoming_held)
        creation = min(lbase, ibase)
        conflictable = frozenset(fields) if not (is_contact and local["erased"]) else frozenset()
        if local_held or incoming_held:  # a withheld version carries no personal value to weigh
            conflictable = conflictable - set(WITHHELD)
        merged = merge_fields(names, local_values, stamp_map(names, local_values, lbase, lstamps),
                               incoming_values, stamp_map(names, incoming_values, ibase, record["stamps"]),
                               creation, conflictable)
        conflicts = [conflict_row(declared.name, local["id"], *c, self.detected_at) for c in merged.conflicts]
        # A record made at two hubs under one id (a pair's derived id) takes the earlier creation everywhere.
        if not merged.stamp_changed and not merged.won and creation == lbase:
            return _Outcome(None, "conflicting" if conflicts else "unchanged", conflicts)
        final = {**{n: s for n, s in lstamps.items() if n in declared.local_fields}, **merged.stamps}
        row = {name: merged.won.get(name, local[name]) for name in declared.sync_fields}
        row["extra"] = {n: merged.won.get(n, local_extra.get(n)) for n in names[len(fields):]
                        if n in merged.won or n in local_extra}
        row["id"] = local["id"]
        row["origin_hub"] = stamp_hub(creation)
        row["base_stamp"] = creation
        for name in declared.local_fields:
            final.setdefault(name, lstamps.get(name, lbase))
        row["stamps"] = {name: s for name, s in final.items() if s and s != creation}
        row["stamp"] = max(final.values())
        if is_contact:
            if withhold_if_needed(row, self.tx.hub_id):
                self.withheld_now.add(row["id"])
                self.report.people_withdrawn += 0 if local_held else 1
                conflicts = [c for c in conflicts if c["field"] not in WITHHELD]
                if same_row(row, local, declared):
                    return _Outcome(None, "conflicting" if conflicts else "unchanged", conflicts)
            row["sort_key"] = _contact_sort_key(row)
        if merged.won.get("deleted") is True:
            category = "deleted"
        elif conflicts:
            category = "conflicting"
        else:
            category = "updated"
        return _Outcome(row, category, conflicts, tuple(merged.won))

    def _refresh_contacts(self, rows: list[dict[str, Any]]) -> None:
        write_search_rows(self.conn, [search_row(row, self.region) for row in rows])

    # -- at the end --

    def finish(self, tick: Callable[[str], None] | None = None) -> MergeReport:
        """Apply the erasure rules to what names erased contacts and drop conflicts about them; returns the
        report. `tick(record_type)` is called between its steps and every few thousand pairs checked (a progress
        report; raising from it cancels)."""
        tick = tick or (lambda _record_type: None)
        remove_records_of(self.conn, sorted(self.withheld_now))
        self._erase_same_people()
        for contact_id in contacts_awaiting_erasure_rules(self.conn):
            erase_related_records(self.tx, contact_id)
        self.report.merges_settled = settle_merged_contacts(self.tx, self.merged_away_edits,
                                                            self.changed_ids.get("contact", []))
        for record_type in REGISTRY:  # pairs made by hubs that do not derive their ids yet
            if record_type.derived_id and self.changed_ids.get(record_type.name):
                tick(record_type.name)
                fold_pairs(self.tx, record_type, self.changed_ids[record_type.name], partial(tick, record_type.name))
        # Those edits carry new stamps, above every delta watermark already: no floor to lower for them.
        self.tx.session.flush()
        if self.report.unknown_records:
            erased = [row[0] for row in self.conn.execute(text("SELECT id FROM contact WHERE erased = 1"))]
            remove_opaque_records_of(self.conn, erased)
        if self.report.erasures_applied or self.report.people_withdrawn:  # their tokens out of the index too
            purge_deleted_index_entries(self.conn)
        clear_people_from_side_tables(self.conn)
        tick("contact")
        return self.report

    def _erase_same_people(self) -> None:
        """An erasure wins over a duplicate merge made concurrently: the other ids of an erased person (merged into
        it, or it into them, here or at the hub that merged) are erased here too, as this hub's own erasure."""
        from oursociety_desktop.models.contacts import forget_contact

        self.tx.session.flush()
        pending = set(self.erase_also)
        pending.update(row[0] for row in self.conn.execute(text(
            "SELECT m.id FROM contact m JOIN contact c ON c.id = m.merged_into WHERE c.erased = 1 AND m.erased = 0")))
        for contact_id in sorted(pending):
            row = self.conn.execute(text("SELECT erased FROM contact WHERE id = :c"), {"c": contact_id}).first()
            if row is not None and not row[0]:
                forget_contact(self.tx, contact_id, "other")
                self.report.people_erased += 1


def _contact_sort_key(row: dict[str, Any]) -> str:
    if row["erased"]:
        return ""
    return sort_key(row["family_name"], row["given_name"], row["display_name"] or row["organisation"])

