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

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, Table, insert, select, text

from oursociety_desktop.i18n import _
from oursociety_desktop.models.canonical import canonical_json
from oursociety_desktop.models.clock import FUTURE_TOLERANCE_MS, stamp_hub, stamp_wall_ms, wall_clock_ms
from oursociety_desktop.models.contacts import erasure_reason
from oursociety_desktop.models.database import Tx, utc_now_iso
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.incoming import (
    TYPE_NAME,
    check_envelope,
    check_values,
    known_names,
    unknown_field_names,
)
from oursociety_desktop.models.merge_rules import (
    MergeReport,
    TypeCounts,
    merge_fields,
    newest_stamp,
    opaque_row,
    stamp_map,
    tally,
)
from oursociety_desktop.models.merged_contacts import settle_merged_contacts
from oursociety_desktop.models.references import (
    contacts_awaiting_erasure_rules,
    drop_conflicts_of_erased,
    erase_related_records,
    fold_pairs,
    remove_opaque_records_of,
)
from oursociety_desktop.models.registry import REGISTRY, RecordType
from oursociety_desktop.models.search import purge_deleted_index_entries, search_body, write_search_rows
from oursociety_desktop.models.tables import Conflict, OpaqueType
from oursociety_desktop.models.text import nfc_values, sort_key

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

    def declare_types(self, declared: dict[str, list[dict[str, Any]]]) -> None:
        """Keep what a bundle declared of the references of types this version does not know (consent and erasure
        use them). Declarations of known types are this version's own and are not taken from a bundle."""
        for name, refs in sorted(declared.items()):
            if name in REGISTRY:
                continue
            existing = self.tx.session.get(OpaqueType, name)
            if existing is None:
                self.tx.session.add(OpaqueType(name=name, refs=refs))
            elif existing.refs != refs:
                existing.refs = refs
                self.tx.session.add(existing)
        self.tx.session.flush()

    # -- per batch --

    def merge_batch(self, record_type: str, records: list[dict[str, Any]]) -> None:
        """Check and merge records of one type (each id at most once per batch)."""
        declared = REGISTRY.get(record_type)
        if declared is None:
            self._merge_opaque(record_type, records)
            return
        fields = declared.outgoing_fields
        known = known_names(declared)
        unknown_of: dict[str, list[str]] = {}
        for record in records:
            unknown = unknown_field_names(known, record)
            check_envelope(record_type, {*fields, *unknown}, unknown, record)
            unknown_of[record["id"]] = unknown
        self._refuse_repeated_ids(record_type, records)
        records = [nfc_values(record) for record in records]  # every text stored in normal form C
        if record_type == "contact":  # an erasure's reason is a choice from a list, never free text
            for record in records:
                if record.get("erased") and "erased_reason" in record:
                    record["erased_reason"] = erasure_reason(record["erased_reason"])
        table: Table = declared.table.__table__  # type: ignore[attr-defined]
        counts = self.report.counts[record_type]
        records = self._drop_known_versions(declared, table, records, counts)
        # A version this hub holds already (an accepted one, arriving again) needs no quarantine.
        records = self._set_aside_far_future(record_type, records)
        for record in records:
            check_values(declared, record)
        ids = [r["id"] for r in records]
        local_rows = {row["id"]: dict(row) for row in
                      self.conn.execute(select(table).where(table.c.id.in_(ids))).mappings()} if ids else {}
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        conflicts: list[dict[str, Any]] = []
        for record in records:
            self._observe(record)
            unknown = unknown_of[record["id"]]
            local = local_rows.get(record["id"])
            if local is None:
                row = self._new_row(declared, record, unknown)
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
        fresh = self._fresh_conflicts(record_type, conflicts)
        if len(fresh) < len(conflicts):
            self._uncount_known_conflicts(conflicts, fresh, updates, counts)
        if inserts:
            self._write_rows(declared, table, inserts, update=False)
        if updates:
            self._write_rows(declared, table, updates, update=True)
        if fresh:
            self.conn.execute(insert(Conflict.__table__), fresh)  # type: ignore[attr-defined]
            self.report.new_conflicts += len(fresh)
        self._note_changed(inserts + updates)
        self.changed_ids.setdefault(record_type, []).extend(row["id"] for row in inserts + updates)
        if record_type == "contact" and (inserts or updates):
            self._refresh_contacts(inserts + updates)

    @staticmethod
    def _refuse_repeated_ids(record_type: str, records: list[dict[str, Any]]) -> None:
        ids = [r["id"] for r in records]
        if len(set(ids)) != len(ids):
            raise UserError(_("The bundle lists a {record_type} twice; it is not valid. "
                            "Nothing was imported.").format(record_type=record_type.replace('_', ' ')))

    def _observe(self, record: dict[str, Any]) -> None:
        """Move the hub clock past the record's newest stamp (the clock ignores one far ahead)."""
        top = newest_stamp(record)
        if top > self.report.latest_stamp:
            self.report.latest_stamp = top
            self.tx.clock.observe(top)

    def _set_aside_far_future(self, record_type: str, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Keep records with a stamp more than 24 h ahead in quarantine instead of merging them; returns the
        others. The hub named is the one that issued the stamp (its clock is wrong), not the sender."""
        if self.accepting_future:
            return records
        ready, waiting = [], []
        for record in records:
            top = newest_stamp(record)
            if stamp_wall_ms(top) > self.future_limit:
                hub = stamp_hub(top)
                self.report.far_future += 1
                self.report.far_future_hubs[hub] = self.report.far_future_hubs.get(hub, 0) + 1
                waiting.append({"record_type": record_type, "id": record["id"], "stamp": top, "hub_id": hub,
                                "record": json.dumps(record), "received_at": self.detected_at})
            else:
                ready.append(record)
        if waiting:
            self.conn.execute(text(
                "INSERT OR REPLACE INTO quarantined_record (record_type, id, stamp, hub_id, record, received_at) "
                "VALUES (:record_type, :id, :stamp, :hub_id, :record, :received_at)"), waiting)
        return ready

    def release_quarantine(self, *, accept_all: bool = False) -> int:
        """Merge the quarantined records whose time has come (their newest stamp is within 24 h of this hub's
        clock), or all of them when the organiser accepts them (`accept_all`; their stamps still do not move this
        hub's clock). Returns how many were released."""
        limit = "\U0010ffff" if accept_all else f"{self.future_limit:013d}.\U0010ffff"
        rows = self.conn.execute(text(
            "SELECT record_type, id, stamp, record FROM quarantined_record WHERE stamp <= :limit "
            "ORDER BY record_type, id, stamp"), {"limit": limit}).all()
        if not rows:
            return 0
        self.conn.execute(text("DELETE FROM quarantined_record WHERE stamp <= :limit"), {"limit": limit})
        by_type: dict[str, dict[str, dict[str, Any]]] = {}
        for record_type, rid, _stamp, raw in rows:
            by_type.setdefault(record_type, {})[rid] = json.loads(raw)  # the newest version of each record
        order = [t for t in REGISTRY.names() if t in by_type] + sorted(t for t in by_type if t not in REGISTRY)
        self.accepting_future = True
        try:
            for record_type in order:
                self.merge_batch(record_type, list(by_type[record_type].values()))
        finally:
            self.accepting_future = False
        self.report.released += len(rows)
        return len(rows)

    def _note_changed(self, changed: list[dict[str, Any]]) -> None:
        for row in changed:
            if not self.report.change_floor or row["stamp"] < self.report.change_floor:
                self.report.change_floor = row["stamp"]

    def _drop_known_versions(self, declared: RecordType, table: Table, records: list[dict[str, Any]],
                             counts: TypeCounts) -> list[dict[str, Any]]:
        """Count and drop records whose every field stamp equals ours: the same writes, so nothing to merge.

        Reads only ids and stamps (stamps as raw JSON text), which keeps re-importing a big bundle cheap."""
        local_only = set(declared.local_fields)
        known: dict[str, tuple[str, str]] = {}
        ids = [r["id"] for r in records]
        for start in range(0, len(ids), 900):
            chunk = ids[start:start + 900]
            marks = ",".join("?" * len(chunk))
            for rid, base, raw in self.conn.exec_driver_sql(
                f"SELECT id, base_stamp, stamps FROM {table.name} WHERE id IN ({marks})", tuple(chunk)  # noqa: S608
            ):
                known[rid] = (base, raw)
        rest = []
        for record in records:
            mine = known.get(record["id"])
            if mine is not None and mine[0] == record["base_stamp"]:
                raw = mine[1]
                ours = json.loads(raw) if raw and raw != "{}" else {}
                if len(ours) != len(record["stamps"]):
                    ours = {k: v for k, v in ours.items() if k not in local_only}
                if ours == record["stamps"]:
                    counts.unchanged += 1
                    continue
            rest.append(record)
        return rest

    def _new_row(self, declared: RecordType, record: dict[str, Any], unknown: list[str]) -> dict[str, Any]:
        row = declared.defaults()
        for name in declared.outgoing_fields:
            row[name] = record[name]
        stamps = {k: v for k, v in record["stamps"].items() if k in row or k in unknown}
        # The creator is whoever issued the creation stamp, whatever the record says: every hub agrees on it.
        row.update(id=record["id"], origin_hub=stamp_hub(record["base_stamp"]), base_stamp=record["base_stamp"],
                   extra={name: record[name] for name in unknown}, stamps=stamps,
                   stamp=max(record["base_stamp"], *stamps.values()) if stamps else record["base_stamp"])
        if declared.name == "contact":
            if row["erased"]:
                self._wipe_extra(row)
                self.report.erasures_applied += 1
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
        local_values = {**{n: local[n] for n in fields}, **local_extra}
        incoming_values = {n: record[n] for n in (*fields, *unknown)}
        creation = min(lbase, ibase)
        conflictable = frozenset(fields) if not (is_contact and local["erased"]) else frozenset()
        merged = merge_fields(names, local_values, stamp_map(names, local_values, lbase, lstamps),
                               incoming_values, stamp_map(names, incoming_values, ibase, record["stamps"]),
                               creation, conflictable)
        conflicts = [self._conflict(declared.name, local["id"], *c) for c in merged.conflicts]
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
        row["stamps"] = {name: s for name, s in final.items() if s != creation}
        row["stamp"] = max(final.values())
        if is_contact:
            row["sort_key"] = _contact_sort_key(row)
        if merged.won.get("deleted") is True:
            category = "deleted"
        elif conflicts:
            category = "conflicting"
        else:
            category = "updated"
        return _Outcome(row, category, conflicts, tuple(merged.won))

    def _conflict(self, record_type: str, record_id: str, name: str, ours: Any, ours_stamp: str,
                  theirs: Any, theirs_stamp: str, incoming_won: bool) -> dict[str, Any]:
        return {"record_type": record_type, "record_id": record_id, "field": name, "ours_value": ours,
                "ours_stamp": ours_stamp, "theirs_value": theirs, "theirs_stamp": theirs_stamp,
                "detected_at": self.detected_at, "resolved": False, "incoming_won": incoming_won}

    def _fresh_conflicts(self, record_type: str, conflicts: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Drop conflicts already in the inbox (open or resolved): re-importing must not list them again.

        An incoming winner whose value is the losing value of a conflict in our inbox is someone's "take theirs"
        arriving: it settles that conflict rather than opening a new one."""
        if not conflicts:
            return []
        ids = sorted({c["record_id"] for c in conflicts})
        known: set[tuple[str, str, str]] = set()
        lost_values: dict[tuple[str, str], list[tuple[int, str]]] = {}
        for conflict_id, record_id, name, theirs_stamp, theirs_value, ours_stamp in self.conn.execute(
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
            self.conn.execute(text("UPDATE conflict SET resolved = 1 WHERE id IN (SELECT value FROM json_each(:ids))"),
                              {"ids": json.dumps(settled)})
        return fresh

    @staticmethod
    def _uncount_known_conflicts(conflicts: list[dict[str, Any]], fresh: list[dict[str, Any]],
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

    def _write_rows(self, declared: RecordType, table: Table, rows: list[dict[str, Any]], *, update: bool) -> None:
        """Bulk insert or update at the driver level: SQLAlchemy's per-row parameter processing would cost more
        than SQLite itself. JSON columns are encoded as SQLAlchemy's JSON type encodes them (json.dumps)."""
        columns = [*declared.sync_fields, "origin_hub", "base_stamp", "stamps", "stamp", "extra"]
        if declared.name == "contact":
            columns.append("sort_key")
        json_columns = {name for name in columns if isinstance(table.c[name].type, JSON)}
        dumps = json.dumps
        if update:
            sql = f"UPDATE {table.name} SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?"  # noqa: S608
            order = [*columns, "id"]
        else:
            order = ["id", *columns]
            sql = f"INSERT INTO {table.name} ({', '.join(order)}) VALUES ({', '.join('?' * len(order))})"  # noqa: S608
        params = [tuple(dumps(row[c]) if c in json_columns else row[c] for c in order) for row in rows]
        self.conn.exec_driver_sql(sql, params)

    def _refresh_contacts(self, rows: list[dict[str, Any]]) -> None:
        search_rows: list[tuple[str, str, list[str]]] = []
        for row in rows:
            if row["erased"]:
                search_rows.append((row["id"], "", []))
            else:
                body, e164s = search_body(row, self.region)
                search_rows.append((row["id"], body, e164s))
        write_search_rows(self.conn, search_rows)

    # -- records of types this version does not know --

    def _merge_opaque(self, record_type: str, records: list[dict[str, Any]]) -> None:
        """Keep records of an unknown type as they came, merged per field by stamp (never a conflict: this
        version cannot show them), so they can be passed on."""
        if not TYPE_NAME.fullmatch(record_type):
            raise UserError(_("The bundle holds records of a type with a name that is not plain text "
                            "('{record_type}'); nothing was imported.").format(record_type=record_type[:40]))
        known = known_names(None)
        for record in records:
            names = unknown_field_names(known, record)
            check_envelope(record_type, set(names), names, record)
        self._refuse_repeated_ids(record_type, records)
        records = self._set_aside_far_future(record_type, records)
        counts = self.report.counts.setdefault(record_type, TypeCounts())
        self.report.unknown_records += len(records)
        ids = [r["id"] for r in records]
        local = {rid: (origin, base, json.loads(stamps), json.loads(values)) for rid, origin, base, stamps, values
                 in self.conn.execute(text(
                     "SELECT id, origin_hub, base_stamp, stamps, fields FROM opaque_record WHERE record_type = :t "
                     "AND id IN (SELECT value FROM json_each(:ids))"), {"t": record_type, "ids": json.dumps(ids)})}
        writes: list[dict[str, Any]] = []
        for record in records:
            self._observe(record)
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
            self.conn.execute(text(
                "INSERT OR REPLACE INTO opaque_record (record_type, id, origin_hub, base_stamp, stamps, stamp, fields) "
                "VALUES (:record_type, :id, :origin_hub, :base_stamp, :stamps, :stamp, :fields)"), writes)
            self._note_changed(writes)

    # -- at the end --

    def finish(self) -> MergeReport:
        """Apply the erasure rules to what names erased contacts and drop conflicts about them; returns the
        report."""
        self._erase_same_people()
        for contact_id in contacts_awaiting_erasure_rules(self.conn):
            erase_related_records(self.tx, contact_id)
        self.report.merges_settled = settle_merged_contacts(self.tx, self.merged_away_edits,
                                                            self.changed_ids.get("contact", []))
        for record_type in REGISTRY:  # pairs made by hubs that do not derive their ids yet
            if record_type.derived_id and self.changed_ids.get(record_type.name):
                fold_pairs(self.tx, record_type, self.changed_ids[record_type.name])
        # Those edits carry new stamps, above every delta watermark already: no floor to lower for them.
        self.tx.session.flush()
        if self.report.unknown_records:
            erased = [row[0] for row in self.conn.execute(text("SELECT id FROM contact WHERE erased = 1"))]
            remove_opaque_records_of(self.conn, erased)
        if self.report.erasures_applied:
            purge_deleted_index_entries(self.conn)
        drop_conflicts_of_erased(self.conn)
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


