"""What happens to the records that refer to a contact when the contact is erased or merged into another, which
references dangle, and what refers to a contact (the editor's related lists): all read from the record registry.

The rules themselves are declared in models/registry.py; this module applies them, for every declared type.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import Connection, text

from oursociety_desktop.models.database import Tx
from oursociety_desktop.models.records import create_record, update_record
from oursociety_desktop.models.registry import ERASE_CLEAR, REGISTRY, RecordType, Reference, pair_id_of
from oursociety_desktop.models.tables import SyncedRecord

# Called with each record a rule changed and its values before the change (the duplicate merge keeps them for undo).
OnChange = Callable[[SyncedRecord, dict[str, Any]], None]


def _records(tx: Tx, record_type: RecordType, where: str, params: dict[str, Any]) -> list[SyncedRecord]:
    ids = [row[0] for row in tx.session.connection().execute(
        text(f"SELECT id FROM {record_type.table_name} WHERE {where} ORDER BY id"), params)]  # noqa: S608
    return [r for r in (tx.session.get(record_type.table, rid) for rid in ids) if r is not None]


def _apply(tx: Tx, record: SyncedRecord, changes: dict[str, Any], on_change: OnChange | None) -> None:
    before = {name: getattr(record, name) for name in changes}
    if update_record(tx, record, changes) and on_change is not None:
        on_change(record, before)


def erase_related_records(tx: Tx, contact_id: str) -> None:
    """Apply every declared erasure rule to the records personal to an erased contact: tombstone them or clear the
    reference, and wipe the fields that may describe the person. Records of types this version does not know that
    a newer hub declared personal to the contact are removed from this hub. Used by `forget_contact` and when an
    erasure arrives by bundle."""
    tx.session.flush()
    for record_type, ref in REGISTRY.references_to("contact"):
        if not ref.personal:
            continue
        for record in _records(tx, record_type, f"{ref.field} = :cid", {"cid": contact_id}):
            changes: dict[str, Any] = {name: "" for name in record_type.erase_wipes}
            if ref.on_erase == ERASE_CLEAR:
                changes[ref.field] = ""
            else:
                changes["deleted"] = True
            update_record(tx, record, changes)
    remove_opaque_records_of(tx.session.connection(), [contact_id])
    tx.session.flush()
    clear_people_from_side_tables(tx.session.connection())


def drop_conflicts_of_erased(conn: Connection) -> int:
    """Delete every conflict about an erased contact or a record personal to one (a connection's note about
    them...): the losing values are the person's data, and "take theirs" would write them back."""
    if conn.execute(text("SELECT 1 FROM conflict LIMIT 1")).first() is None:
        return 0  # nothing to look for (and the look costs a scan of every table that names a contact)
    removed = conn.execute(text(
        "DELETE FROM conflict WHERE record_type = 'contact' AND record_id IN (SELECT id FROM contact WHERE erased = 1)"
    )).rowcount or 0
    for record_type, ref in REGISTRY.references_to("contact"):
        if ref.personal:
            removed += conn.execute(text(
                f"DELETE FROM conflict WHERE record_type = :t AND record_id IN (SELECT r.id FROM "  # noqa: S608
                f"{record_type.table_name} r JOIN contact c ON c.id = r.{ref.field} WHERE c.erased = 1)"),
                {"t": record_type.name}).rowcount or 0
    return removed


def clear_people_from_side_tables(conn: Connection) -> None:
    """What names erased or withheld people outside the records: the conflicts about the erased, and the
    quarantine (which the withheld leave only in their withheld form)."""
    from oursociety_desktop.models.withdrawal import withheld_ids, withhold_quarantined

    drop_conflicts_of_erased(conn)
    purge_quarantine_of_erased(conn)
    if conn.execute(text("SELECT 1 FROM quarantined_record LIMIT 1")).first() is not None:
        withhold_quarantined(conn, withheld_ids(conn, str(conn.execute(text("SELECT id FROM hub")).scalar())))


def purge_quarantine_of_erased(conn: Connection) -> int:
    """Clear the person out of the records waiting in quarantine once they are erased: versions of an erased
    contact that are not erasures themselves are removed (an erasure beats them when they are merged), the fields
    the erasure wipes are emptied in the records personal to them, and records of unknown types declared personal
    to them are removed. Without this, the person's data waited there (for up to the stamp's date) after `forget`."""
    if conn.execute(text("SELECT 1 FROM quarantined_record LIMIT 1")).first() is None:
        return 0
    erased = "(SELECT id FROM contact WHERE erased = 1)"
    changed = conn.execute(text(
        "DELETE FROM quarantined_record WHERE record_type = 'contact' "  # noqa: S608
        f"AND coalesce(json_extract(record, '$.erased'), 0) != 1 AND id IN {erased}")).rowcount or 0
    for record_type, ref in REGISTRY.references_to("contact"):
        if not ref.personal or not record_type.erase_wipes:
            continue
        paths = ", ".join(f"'$.{name}', ''" for name in record_type.erase_wipes)
        changed += conn.execute(text(
            f"UPDATE quarantined_record SET record = json_replace(record, {paths}) "  # noqa: S608
            f"WHERE record_type = :t AND json_extract(record, '$.{ref.field}') IN {erased}"),
            {"t": record_type.name}).rowcount or 0
    for name, raw_refs in conn.execute(text("SELECT name, refs FROM opaque_type")).all():
        refs = json.loads(raw_refs) if isinstance(raw_refs, str) else raw_refs
        for named in (r["field"] for r in refs if r.get("personal") and r.get("target") == "contact"):
            changed += conn.execute(text(
                "DELETE FROM quarantined_record WHERE record_type = :t AND "  # noqa: S608
                f"json_extract(record, '$.' || :f) IN {erased}"), {"t": name, "f": named}).rowcount or 0
    return changed


def same_person_ids(conn: Connection, contact_id: str) -> list[str]:
    """Every contact joined to `contact_id` by duplicate merges (`merged_into`, both ways, transitively): one
    person under several ids, which an erasure must reach together."""
    found, todo = {contact_id}, [contact_id]
    while todo:
        current = todo.pop()
        rows = conn.execute(text(
            "SELECT id FROM contact WHERE merged_into = :c UNION SELECT merged_into FROM contact "
            "WHERE id = :c AND merged_into != ''"), {"c": current}).all()
        for (other,) in rows:
            if other not in found:
                found.add(other)
                todo.append(other)
    return sorted(found)


def remove_opaque_records_of(conn: Connection, contact_ids: list[str]) -> int:
    """Delete stored records of unknown types whose declared personal references name one of `contact_ids`."""
    if not contact_ids:
        return 0
    removed = 0
    for name, raw_refs in conn.execute(text("SELECT name, refs FROM opaque_type")).all():
        refs = json.loads(raw_refs) if isinstance(raw_refs, str) else raw_refs
        for ref in refs:
            if not ref.get("personal") or ref.get("target") != "contact":
                continue
            result = conn.execute(
                text("DELETE FROM opaque_record WHERE record_type = :t AND "
                     "json_extract(fields, '$.' || :f) IN (SELECT value FROM json_each(:ids))"),
                {"t": name, "f": ref["field"], "ids": json.dumps(contact_ids)},
            )
            removed += result.rowcount or 0
    return removed


def contacts_awaiting_erasure_rules(conn: Connection) -> list[str]:
    """Erased contacts that some record still names in a way the erasure rules would change (an erasure that
    arrived by bundle, or a record that arrived after it)."""
    found: set[str] = set()
    for record_type, ref in REGISTRY.references_to("contact"):
        if not ref.personal:
            continue
        pending = [f"r.{name} != ''" for name in record_type.erase_wipes]
        pending.append(f"r.{ref.field} != ''" if ref.on_erase == ERASE_CLEAR else "r.deleted = 0")
        rows = conn.execute(text(
            f"SELECT DISTINCT c.id FROM {record_type.table_name} r JOIN contact c ON c.id = r.{ref.field} "  # noqa: S608
            f"WHERE c.erased = 1 AND ({' OR '.join(pending)})"))
        found.update(row[0] for row in rows)
    return sorted(found)


def follow_merge(tx: Tx, gone_id: str, keep_id: str, on_change: OnChange | None = None) -> None:
    """Point every live reference to contact `gone_id` at `keep_id` instead (a duplicate merge). A record that then
    repeats a live record of the same identity, or names one person twice, is tombstoned instead; a record whose
    id derives from its identity is tombstoned and its pair with `keep_id` made (or brought back)."""
    tx.session.flush()
    for record_type, ref in REGISTRY.references_to("contact"):
        for record in _records(tx, record_type, f"{ref.field} = :gone AND deleted = 0", {"gone": gone_id}):
            if _names_twice(record_type, record, ref, keep_id):
                _apply(tx, record, {"deleted": True}, on_change)
            elif record_type.derived_id and ref.field in record_type.identity:
                values = {name: getattr(record, name) for name in record_type.sync_fields if name != "deleted"}
                _apply(tx, record, {"deleted": True}, on_change)
                tx.session.flush()
                upsert_pair(tx, record_type, {**values, ref.field: keep_id}, on_change)
            elif _would_repeat(tx, record_type, record, ref, keep_id):
                _apply(tx, record, {"deleted": True}, on_change)
            else:
                _apply(tx, record, {ref.field: keep_id}, on_change)
            tx.session.flush()


def upsert_pair(tx: Tx, record_type: RecordType, values: dict[str, Any], on_change: OnChange | None = None
                ) -> SyncedRecord:
    """Make (or bring back and update) the one record of a `derived_id` type with these identity values."""
    record_id = record_type.identity_id(values)
    record = tx.session.get(record_type.table, record_id)
    if record is None:
        record = create_record(tx, record_type.table, values, record_id=record_id)
        if on_change is not None:
            on_change(record, {"deleted": True})
        return record
    _apply(tx, record, {**values, "deleted": False}, on_change)
    return record


def live_pairs(tx: Tx, record_type: RecordType, values: dict[str, Any]) -> list[SyncedRecord]:
    """The live records of a `derived_id` type with these identity values (one, or more from before identities
    were derived)."""
    where = " AND ".join(f"{name} = :{name}" for name in record_type.identity)
    return _records(tx, record_type, f"{where} AND deleted = 0", {n: values[n] for n in record_type.identity})


# Pairs checked between two progress reports (about 0.1 s at 100,000 contacts).
FOLD_TICK = 10_000


def fold_pairs(tx: Tx, record_type: RecordType, ids: list[str] | None = None,
               tick: Callable[[], None] | None = None) -> int:
    """Fold live records of a `derived_id` type that do not carry their derived id (made before ids were derived,
    or by a hub running an older version) into the one that does; `ids` limits it to those records; `tick()` is
    called every FOLD_TICK records checked (a progress report). Returns how many were folded."""
    tx.session.flush()
    where = "deleted = 0" + (" AND id IN (SELECT value FROM json_each(:ids))" if ids is not None else "")
    params = {"ids": json.dumps(ids)} if ids is not None else {}
    # Read ids and identities first: only records whose id is not derived are loaded (an import of 100,000 pairs
    # that all carry their derived id loaded every one of them as an object, to change none).
    # They are read through the driver, in this transaction: 168,000 pairs at 100k, and a result row object each
    # cost a third of the check.
    driver = tx.session.connection().connection.driver_connection
    assert driver is not None
    derived_id = partial(pair_id_of, record_type.name)
    stray = []
    for n, (rid, *identity) in enumerate(driver.execute(
            f"SELECT id, {', '.join(record_type.identity)} FROM {record_type.table_name} WHERE {where}",  # noqa: S608
            params), 1):
        if rid != derived_id(identity):
            stray.append(rid)
        if tick is not None and n % FOLD_TICK == 0:
            tick()
    if not stray:
        return 0
    folded = 0
    for record in _records(tx, record_type, "deleted = 0 AND id IN (SELECT value FROM json_each(:ids))",
                           {"ids": json.dumps(stray)}):
        values = {name: getattr(record, name) for name in record_type.sync_fields if name != "deleted"}
        if record.id == record_type.identity_id(values):
            continue
        update_record(tx, record, {"deleted": True})
        tx.session.flush()
        derived = tx.session.get(record_type.table, record_type.identity_id(values))
        if derived is None or derived.deleted:
            upsert_pair(tx, record_type, values)
        folded += 1
    return folded


def _would_repeat(tx: Tx, record_type: RecordType, record: SyncedRecord, ref: Reference, keep_id: str) -> bool:
    if ref.field not in record_type.identity:
        return False
    wanted = {name: (keep_id if name == ref.field else getattr(record, name)) for name in record_type.identity}
    where = " AND ".join(f"{name} = :{name}" for name in wanted)
    return bool(tx.session.connection().execute(
        text(f"SELECT 1 FROM {record_type.table_name} WHERE {where} AND deleted = 0 AND id != :id LIMIT 1"),  # noqa: S608
        {**wanted, "id": record.id}).first())


def _names_twice(record_type: RecordType, record: SyncedRecord, ref: Reference, keep_id: str) -> bool:
    if ref.field not in record_type.distinct_fields:
        return False
    values = [keep_id if name == ref.field else getattr(record, name) for name in record_type.distinct_fields]
    return len(set(values)) < len(values)


@dataclass(frozen=True)
class DanglingReference:
    """Live records of one type whose reference names a record this hub does not have."""

    record_type: str
    field: str
    target: str
    count: int


def dangling_references(conn: Connection) -> list[DanglingReference]:
    """Every declared reference that live records hold to a record missing from this hub (it may never arrive:
    consent keeps some records at their hub)."""
    out = []
    for record_type in REGISTRY:
        for ref in record_type.references:
            target = REGISTRY[ref.target]
            count = int(conn.execute(text(
                f"SELECT COUNT(*) FROM {record_type.table_name} r WHERE r.deleted = 0 AND r.{ref.field} != '' "  # noqa: S608
                f"AND NOT EXISTS (SELECT 1 FROM {target.table_name} t WHERE t.id = r.{ref.field})")).scalar_one())
            if count:
                out.append(DanglingReference(record_type.name, ref.field, ref.target, count))
    return out


@dataclass
class RelatedRecord:
    """A live record that names a contact, with what the other records it names show in a list."""

    record_type: str
    record_id: str
    via: str  # the field naming the contact
    values: dict[str, Any]
    # reference field -> {"label", "deleted", and the target type's summary fields}, for targets with a label that
    # this hub has
    targets: dict[str, dict[str, Any]] = field(default_factory=dict)


def related_to_contact(conn: Connection, contact_id: str, limit: int = 200) -> list[RelatedRecord]:
    """Every live record with a reference to the contact (per type and reference at most `limit`), each with its
    synchronised values and, for each record it names that has a label, that record's label, deleted flag and
    summary fields."""
    out: list[RelatedRecord] = []
    for record_type, ref in REGISTRY.references_to("contact"):
        joins, selected = [], []
        for index, other in enumerate(record_type.references):
            target = REGISTRY[other.target]
            if target.label_sql is None:
                continue
            alias = f"t{index}"
            joins.append(f"LEFT JOIN {target.table_name} {alias} ON {alias}.id = r.{other.field}")
            names = ["label", "deleted", *target.summary_fields]
            sqls = [target.label_sql(alias), f"{alias}.deleted",
                    *(f"{alias}.{name}" for name in target.summary_fields)]
            selected.append((other.field, f"{alias}.id", names, sqls))
        columns = ["r.id", *(f"r.{name}" for name in record_type.sync_fields)]
        for _field, present, _names, sqls in selected:
            columns.append(present)
            columns.extend(sqls)
        rows = conn.execute(text(
            f"SELECT {', '.join(columns)} FROM {record_type.table_name} r {' '.join(joins)} "  # noqa: S608
            f"WHERE r.{ref.field} = :cid AND r.deleted = 0 ORDER BY r.id LIMIT :limit"),
            {"cid": contact_id, "limit": limit})
        count = len(record_type.sync_fields)
        for row in rows:
            values = dict(zip(record_type.sync_fields, row[1:1 + count], strict=True))
            targets: dict[str, dict[str, Any]] = {}
            position = 1 + count
            for ref_field, _present, names, _sqls in selected:
                if row[position] is not None:
                    targets[ref_field] = dict(zip(names, row[position + 1:position + 1 + len(names)], strict=True))
                position += 1 + len(names)
            out.append(RelatedRecord(record_type.name, row[0], ref.field, values, targets))
    return out
