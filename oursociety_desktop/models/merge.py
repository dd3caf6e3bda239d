"""Merging records that arrive from another hub (DESIGN.md §5): per field, last writer wins by stamp.

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
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import JSON, Table, insert, select, text

from oursociety_desktop.models.clock import FUTURE_TOLERANCE_MS, wall_clock_ms
from oursociety_desktop.models.contacts import erase_related_records
from oursociety_desktop.models.database import Tx, utc_now_iso
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.incoming import DEFAULTS, check_envelope, check_incoming, check_values
from oursociety_desktop.models.search import purge_deleted_index_entries, search_body, write_search_rows
from oursociety_desktop.models.sharing import outgoing_fields
from oursociety_desktop.models.tables import RECORD_TYPES, Conflict, Contact, SyncedRecord
from oursociety_desktop.models.text import nfc_values, sort_key

__all__ = ["BundleMerger", "MergeReport", "TypeCounts", "check_incoming"]


def canonical(value: Any) -> str:
    """Canonical JSON of a value (for deterministic tie-breaks)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def stamp_hub(stamp: str) -> str:
    """The id of the hub that issued a stamp."""
    return stamp[21:]


# ---- the merge ----


@dataclass
class TypeCounts:
    """What a merge did (or would do) to the records of one type."""

    new: int = 0
    updated: int = 0
    deleted: int = 0
    conflicting: int = 0
    unchanged: int = 0

    @property
    def changes(self) -> int:
        """Records that changed (everything but unchanged)."""
        return self.new + self.updated + self.deleted + self.conflicting

    def to_json(self) -> dict[str, int]:
        """Plain counts."""
        return {"new": self.new, "updated": self.updated, "deleted": self.deleted,
                "conflicting": self.conflicting, "unchanged": self.unchanged}


@dataclass
class MergeReport:
    """The outcome of merging one bundle."""

    counts: dict[str, TypeCounts] = field(default_factory=lambda: {t: TypeCounts() for t in RECORD_TYPES})
    new_conflicts: int = 0
    far_future: int = 0
    latest_stamp: str = ""
    # The lowest `stamp` of any record this merge changed: delta watermarks above it must come down to it.
    change_floor: str = ""
    erasures_applied: int = 0

    @property
    def changes(self) -> int:
        """Records changed in all."""
        return sum(c.changes for c in self.counts.values())

    def to_json(self) -> dict[str, Any]:
        """Counts per type and the flags, as plain JSON."""
        return {"counts": {t: c.to_json() for t, c in self.counts.items()}, "changes": self.changes,
                "new_conflicts": self.new_conflicts, "far_future_records": self.far_future,
                "latest_stamp": self.latest_stamp}


@dataclass
class _Outcome:
    row: dict[str, Any] | None
    category: str
    conflicts: list[dict[str, Any]]


class BundleMerger:
    """Merges batches of incoming records into the hub inside one write transaction (`tx`), in bulk."""

    def __init__(self, tx: Tx, wall_ms: int | None = None) -> None:
        self.tx = tx
        self.conn = tx.session.connection()
        self.report = MergeReport()
        self.region = str(tx.setting("default_region"))
        self.detected_at = utc_now_iso()
        self.future_limit = (wall_clock_ms() if wall_ms is None else wall_ms) + FUTURE_TOLERANCE_MS

    # -- per batch --

    def merge_batch(self, record_type: str, records: list[dict[str, Any]]) -> None:
        """Check and merge records of one type (each id at most once per batch)."""
        cls = RECORD_TYPES.get(record_type)
        if cls is None:
            raise UserError(f"The bundle holds records of an unknown type '{record_type[:40]}'; nothing was imported.")
        fields = outgoing_fields(cls)
        for record in records:
            check_envelope(cls, fields, record)
        records = [nfc_values(record) for record in records]  # every text stored in normal form C
        ids = [r["id"] for r in records]
        if len(set(ids)) != len(ids):
            raise UserError(f"The bundle lists a {record_type.replace('_', ' ')} twice; it is not valid. "
                            "Nothing was imported.")
        table: Table = cls.__table__  # type: ignore[attr-defined]
        counts = self.report.counts[record_type]
        records = self._drop_known_versions(table, fields, records, counts)
        for record in records:
            check_values(cls, record)
        ids = [r["id"] for r in records]
        local_rows = {row["id"]: dict(row) for row in
                      self.conn.execute(select(table).where(table.c.id.in_(ids))).mappings()} if ids else {}
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        conflicts: list[dict[str, Any]] = []
        latest = ""
        for record in records:
            top = max(record["base_stamp"], *record["stamps"].values()) if record["stamps"] else record["base_stamp"]
            if top > latest:
                latest = top
            if int(top[:13]) > self.future_limit:
                self.report.far_future += 1
            local = local_rows.get(record["id"])
            if local is None:
                row = self._new_row(cls, fields, record)
                inserts.append(row)
                _count(counts, "deleted" if row["deleted"] else "new")
                continue
            outcome = self._merge_existing(cls, fields, local, record)
            if outcome.row is not None:
                updates.append(outcome.row)
            conflicts.extend(outcome.conflicts)
            _count(counts, outcome.category)
        if latest:
            self.tx.clock.observe(latest)
            if latest > self.report.latest_stamp:
                self.report.latest_stamp = latest
        fresh = self._fresh_conflicts(record_type, conflicts)
        if len(fresh) < len(conflicts):
            self._uncount_known_conflicts(record_type, conflicts, fresh, updates, counts)
        if inserts:
            self._write_rows(cls, table, inserts, update=False)
        if updates:
            self._write_rows(cls, table, updates, update=True)
        if fresh:
            self.conn.execute(insert(Conflict.__table__), fresh)  # type: ignore[attr-defined]
            self.report.new_conflicts += len(fresh)
        changed = inserts + updates
        for row in changed:
            if not self.report.change_floor or row["stamp"] < self.report.change_floor:
                self.report.change_floor = row["stamp"]
        if cls is Contact and changed:
            self._refresh_contacts(changed)

    def _drop_known_versions(self, table: Table, fields: tuple[str, ...], records: list[dict[str, Any]],
                             counts: TypeCounts) -> list[dict[str, Any]]:
        """Count and drop records whose every field stamp equals ours: the same writes, so nothing to merge.

        Reads only ids and stamps (stamps as raw JSON text), which keeps re-importing a big bundle cheap."""
        ids = [r["id"] for r in records]
        known: dict[str, tuple[str, str]] = {}
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
                    ours = {k: v for k, v in ours.items() if k in fields}
                if ours == record["stamps"]:
                    counts.unchanged += 1
                    continue
            rest.append(record)
        return rest

    def _new_row(self, cls: type[SyncedRecord], fields: tuple[str, ...], record: dict[str, Any]) -> dict[str, Any]:
        row = dict(DEFAULTS[cls.RECORD_TYPE])
        for name in fields:
            row[name] = record[name]
        stamps = dict(record["stamps"])
        row.update(id=record["id"], origin_hub=record["origin_hub"], base_stamp=record["base_stamp"], stamps=stamps,
                   stamp=max(record["base_stamp"], *stamps.values()) if stamps else record["base_stamp"])
        if cls is Contact:
            row["sort_key"] = "" if row["erased"] else sort_key(row["family_name"], row["given_name"],
                                                                 row["display_name"] or row["organisation"])
            if row["erased"]:
                self.report.erasures_applied += 1
        return row

    def _merge_existing(self, cls: type[SyncedRecord], fields: tuple[str, ...], local: dict[str, Any],
                        record: dict[str, Any]) -> _Outcome:
        is_contact = cls is Contact
        if is_contact and (local["erased"] or record["erased"]):
            if not record["erased"]:
                return _Outcome(None, "unchanged", [])  # a live copy never beats an erasure
            if not local["erased"]:
                row = self._new_row(cls, fields, record)
                row["private_notes"] = ""
                return _Outcome(row, "deleted", [])
        lbase, ibase = local["base_stamp"], record["base_stamp"]
        lstamps: dict[str, str] = local["stamps"] or {}
        istamps: dict[str, str] = record["stamps"]
        creation = min(lbase, ibase)
        may_conflict = not (is_contact and local["erased"])
        final: dict[str, str] = {}
        values: dict[str, Any] = {}
        conflicts: list[dict[str, Any]] = []
        stamp_changed = False
        for name in cls.SYNC_FIELDS:
            ls = lstamps.get(name, lbase)
            if name not in fields:
                final[name] = ls
                continue
            its = istamps.get(name, ibase)
            lv, iv = local[name], record[name]
            if its > ls or (its == ls and lv != iv and canonical(iv) > canonical(lv)):
                final[name] = its
                stamp_changed = stamp_changed or its != ls
                if lv != iv:
                    values[name] = iv
                    if may_conflict and _concurrent(ls, its, creation):
                        conflicts.append(self._conflict(cls, local["id"], name, iv, its, lv, ls, incoming_won=True))
            else:
                final[name] = ls
                if its < ls and lv != iv and may_conflict and _concurrent(ls, its, creation):
                    conflicts.append(self._conflict(cls, local["id"], name, lv, ls, iv, its, incoming_won=False))
        if not stamp_changed and not values:
            return _Outcome(None, "conflicting" if conflicts else "unchanged", conflicts)
        row = {name: values.get(name, local[name]) for name in cls.SYNC_FIELDS}
        row["id"] = local["id"]
        row["origin_hub"] = local["origin_hub"]
        row["base_stamp"] = creation
        row["stamps"] = {name: s for name, s in final.items() if s != creation}
        row["stamp"] = max(final.values())
        if is_contact:
            row["sort_key"] = "" if row["erased"] else sort_key(row["family_name"], row["given_name"],
                                                                 row["display_name"] or row["organisation"])
        if values.get("deleted") is True:
            category = "deleted"
        elif conflicts:
            category = "conflicting"
        else:
            category = "updated"
        return _Outcome(row, category, conflicts)

    def _conflict(self, cls: type[SyncedRecord], record_id: str, name: str, ours: Any, ours_stamp: str,
                  theirs: Any, theirs_stamp: str, *, incoming_won: bool) -> dict[str, Any]:
        return {"record_type": cls.RECORD_TYPE, "record_id": record_id, "field": name, "ours_value": ours,
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
        for conflict_id, record_id, name, theirs_stamp, theirs_value in self.conn.execute(
            text("SELECT id, record_id, field, theirs_stamp, theirs_value FROM conflict WHERE record_type = :t "
                 "AND record_id IN (SELECT value FROM json_each(:ids))"),
            {"t": record_type, "ids": json.dumps(ids)},
        ):
            known.add((record_id, name, theirs_stamp))
            lost_values.setdefault((record_id, name), []).append((conflict_id, canonical(json.loads(theirs_value))))
        fresh = []
        settled: list[int] = []
        for c in conflicts:
            key = (c["record_id"], c["field"], c["theirs_stamp"])  # "theirs" is always the losing value
            incoming_won = c.pop("incoming_won")
            if key in known:
                continue
            if incoming_won:
                taken = [cid for cid, value in lost_values.get((c["record_id"], c["field"]), [])
                         if value == canonical(c["ours_value"])]
                if taken:
                    settled.extend(taken)
                    continue
            known.add(key)
            fresh.append(c)
        if settled:
            self.conn.execute(text("UPDATE conflict SET resolved = 1 WHERE id IN (SELECT value FROM json_each(:ids))"),
                              {"ids": json.dumps(settled)})
        return fresh

    def _uncount_known_conflicts(self, record_type: str, conflicts: list[dict[str, Any]],
                                 fresh: list[dict[str, Any]], updates: list[dict[str, Any]],
                                 counts: TypeCounts) -> None:
        """A record counted as conflicting only because of conflicts already known is unchanged (or updated)."""
        fresh_ids = {c["record_id"] for c in fresh}
        updated_ids = {u["id"] for u in updates}
        for record_id in {c["record_id"] for c in conflicts} - fresh_ids:
            counts.conflicting -= 1
            if record_id in updated_ids:
                counts.updated += 1
            else:
                counts.unchanged += 1
        del record_type

    def _write_rows(self, cls: type[SyncedRecord], table: Table, rows: list[dict[str, Any]], *, update: bool
                    ) -> None:
        """Bulk insert or update at the driver level: SQLAlchemy's per-row parameter processing would cost more
        than SQLite itself. JSON columns are encoded as SQLAlchemy's JSON type encodes them (json.dumps)."""
        columns = [*cls.SYNC_FIELDS, "base_stamp", "stamps", "stamp"] + (["sort_key"] if cls is Contact else [])
        json_columns = {name for name in columns if isinstance(table.c[name].type, JSON)}
        dumps = json.dumps
        if update:
            sql = f"UPDATE {table.name} SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?"  # noqa: S608
            order = [*columns, "id"]
        else:
            order = ["id", "origin_hub", *columns]
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

    # -- at the end --

    def finish(self) -> MergeReport:
        """Tombstone live references to erased contacts and drop conflicts about them; returns the report."""
        doomed = [row[0] for row in self.conn.execute(text(
            "SELECT c.id FROM contact c WHERE c.erased = 1 AND ("
            "EXISTS (SELECT 1 FROM membership m WHERE m.contact_id = c.id AND m.deleted = 0) OR "
            "EXISTS (SELECT 1 FROM action_link l WHERE l.contact_id = c.id AND l.deleted = 0) OR "
            "EXISTS (SELECT 1 FROM connection k WHERE (k.contact_a = c.id OR k.contact_b = c.id) "
            "AND (k.deleted = 0 OR k.note != '')) OR "
            "EXISTS (SELECT 1 FROM connection k WHERE k.introduced_by = c.id))"
        ))]
        for contact_id in doomed:
            erase_related_records(self.tx, contact_id)
        # Those edits carry new stamps, above every delta watermark already: no floor to lower for them.
        self.tx.session.flush()
        if self.report.erasures_applied:
            purge_deleted_index_entries(self.conn)
        self.conn.execute(text(
            "DELETE FROM conflict WHERE record_type = 'contact' AND record_id IN "
            "(SELECT id FROM contact WHERE erased = 1)"
        ))
        return self.report


def _count(counts: TypeCounts, category: str) -> None:
    setattr(counts, category, getattr(counts, category) + 1)


def _concurrent(ours: str, theirs: str, creation: str) -> bool:
    return ours != creation and theirs != creation and stamp_hub(ours) != stamp_hub(theirs)
