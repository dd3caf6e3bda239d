"""A withdrawal of consent that travels and wins.

The hub that holds a person's consent is the hub that created their record (`origin_hub`, the hub of the creation
stamp, the same at every hub). Switching `share_with_hubs` off, at that hub or any other holding the person, is a
**withdrawal**: the contact still travels, but *withheld* — only its id, stamps and the fields about consent and
wishes (`share_with_hubs`, `include_in_directory`, the do-not-* flags, the consent receipt, `deleted`, `erased`,
`merged_into`); every other personal field is left at its empty value with no stamp, and no record personal to the
person (membership, action link, connection...) travels. A hub other than the consent holder that holds a withdrawn
person keeps only that: their personal fields are emptied (stamps too, so a later version from the consent holder
fills them again), the records personal to them are removed from the hub (not tombstoned: a tombstone would
travel and delete the consent holder's own records), incoming ones are not stored, and the person is shown as
"withdrawn by <hub>". The consent holder keeps everything and shares it again by switching sharing on, which no
other hub can do: a `share_with_hubs` switched on by another hub (an older version) counts as switched off.

Merging stays deterministic: a withheld version of a contact carries no personal value (it neither wins nor loses
a field), so the personal fields are last-writer-wins among the versions that carry them, and whether a hub
withholds them is decided by the merged `share_with_hubs` alone. docs/bundle-format.md §4.1 specifies it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, text

from oursociety_desktop.i18n import _
from oursociety_desktop.models.clock import stamp_hub
from oursociety_desktop.models.database import Tx
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.registry import ENVELOPE, REGISTRY
from oursociety_desktop.models.tables import Contact

# The contact fields a withdrawn person's record still carries: consent, wishes and what happened to the record.
KEPT_WHEN_WITHDRAWN: tuple[str, ...] = tuple(
    f for f in Contact.SYNC_FIELDS
    if f in ("share_with_hubs", "include_in_directory", "do_not_phone", "do_not_email", "do_not_mail", "do_not_sms",
             "consent_recorded_at", "consent_method", "consent_recorded_by", "deleted", "erased", "erased_reason",
             "merged_into"))
# The fields withheld: everything else about the person (private notes included, though they never travel).
WITHHELD: tuple[str, ...] = tuple(f for f in Contact.SYNC_FIELDS if f not in KEPT_WHEN_WITHDRAWN)
_BLANK: dict[str, Any] = {}


def blank_values() -> dict[str, Any]:
    """The empty value of every withheld field (fresh lists)."""
    if not _BLANK:
        blank = Contact()
        _BLANK.update({name: getattr(blank, name) for name in WITHHELD})
    return {name: list(v) if isinstance(v, list) else v for name, v in _BLANK.items()}


def share_stamp(row: Mapping[str, Any]) -> str:
    """The stamp of the row's `share_with_hubs` (compact stamps expanded; `stamps` as a dict or JSON text)."""
    stamps = row.get("stamps") or {}
    if isinstance(stamps, str):
        stamps = json.loads(stamps) if stamps not in ("", "{}") else {}
    return str(stamps.get("share_with_hubs", row["base_stamp"]))


def is_withdrawn(row: Mapping[str, Any]) -> bool:
    """A person whose sharing was switched off after their record was made (so other hubs may hold them)."""
    return (not row.get("erased") and not row.get("share_with_hubs")
            and share_stamp(row) != row["base_stamp"])


def withheld_here(row: Mapping[str, Any], this_hub: str) -> bool:
    """Whether this hub, not the consent holder, must keep only id and stamps of the person."""
    return not row.get("erased") and not row.get("share_with_hubs") and row["origin_hub"] != this_hub


def withdrawn_by(row: Mapping[str, Any]) -> str:
    """The hub id that switched the person's sharing off ("" when it is on)."""
    return "" if row.get("share_with_hubs") or row.get("erased") else stamp_hub(share_stamp(row))


def valid_share_write(record: dict[str, Any]) -> None:
    """An incoming record whose sharing was switched on by a hub other than the consent holder (an older version):
    that write counts as switched off, the same at every hub."""
    if record.get("erased") or not record.get("share_with_hubs"):
        return
    stamp = record["stamps"].get("share_with_hubs", record["base_stamp"])
    if stamp_hub(stamp) != stamp_hub(record["base_stamp"]):
        record["share_with_hubs"] = False


def withhold(row: dict[str, Any], unknown: Iterable[str] = ()) -> None:
    """Empty the withheld fields of a row (values and stamps) and the fields a newer version added (`extra`, and
    the `unknown` names of an incoming record), in place."""
    row.update(blank_values())
    extra = row.get("extra") or {}
    dropped = {*WITHHELD, *extra, *unknown}
    row["stamps"] = {k: v for k, v in (row.get("stamps") or {}).items() if k not in dropped}
    if "extra" in row:
        row["extra"] = {}
    for name in unknown:
        row.pop(name, None)


def withheld_line_values(values: dict[str, Any]) -> dict[str, Any]:
    """A contact row as the outgoing encoder reads it (JSON columns as text), withheld."""
    out = dict(values)
    for name, value in blank_values().items():
        if name in out:
            out[name] = json.dumps(value) if isinstance(value, list) else value
    raw = out.get("stamps") or "{}"
    stamps = json.loads(raw) if isinstance(raw, str) else dict(raw)
    out["stamps"] = json.dumps({k: v for k, v in stamps.items() if k not in WITHHELD})
    out["extra"] = "{}"
    return out


def withdrawn_ids(conn: Connection) -> set[str]:
    """Contacts whose withheld record leaves this hub: sharing off, switched off after the record was made."""
    rows = conn.execute(text(
        "SELECT id, base_stamp, stamps FROM contact WHERE share_with_hubs = 0 AND erased = 0 "
        "AND json_extract(stamps, '$.share_with_hubs') IS NOT NULL"))
    return {rid for rid, base, stamps in rows if is_withdrawn(
        {"base_stamp": base, "stamps": stamps, "share_with_hubs": False})}


def withheld_ids(conn: Connection, this_hub: str) -> set[str]:
    """Contacts this hub holds without their consent holder's sharing: it keeps only their id and stamps."""
    rows = conn.execute(text("SELECT id FROM contact WHERE share_with_hubs = 0 AND erased = 0 AND origin_hub <> :h"),
                        {"h": this_hub})
    return {row[0] for row in rows}


def remove_records_of(conn: Connection, contact_ids: list[str]) -> int:
    """Remove from this hub every record personal to these withdrawn people (any personal reference naming one of
    them), records of unknown types declared so, and the conflicts about them and about their withheld fields.
    Rows are deleted, not tombstoned: the consent holder keeps its own records. Returns how many were removed."""
    if not contact_ids:
        return 0
    from oursociety_desktop.models.references import remove_opaque_records_of

    ids = json.dumps(sorted(contact_ids))
    removed = 0
    for record_type in REGISTRY:
        refs = [r.field for r in record_type.personal_references() if r.target == "contact"]
        if not refs:
            continue
        named = " OR ".join(f"{f} IN (SELECT value FROM json_each(:ids))" for f in refs)
        table = record_type.table_name
        conn.execute(text(f"DELETE FROM conflict WHERE record_type = :t AND record_id IN "  # noqa: S608
                          f"(SELECT id FROM {table} WHERE {named})"), {"t": record_type.name, "ids": ids})
        removed += conn.execute(text(f"DELETE FROM {table} WHERE {named}"), {"ids": ids}).rowcount or 0  # noqa: S608
    conn.execute(text("DELETE FROM conflict WHERE record_type = 'contact' AND record_id IN "
                      "(SELECT value FROM json_each(:ids)) AND field IN (SELECT value FROM json_each(:fields))"),
                 {"ids": ids, "fields": json.dumps(WITHHELD)})
    removed += remove_opaque_records_of(conn, list(contact_ids))
    withhold_quarantined(conn, contact_ids)
    return removed


def withhold_quarantined(conn: Connection, contact_ids: Iterable[str]) -> None:
    """Keep nothing about these withdrawn people in the quarantine either: their waiting versions are kept in the
    withheld form (a version that may share them again, from their consent holder and newer than the withdrawal,
    is left whole), and the waiting records personal to them are removed, as the merge would not store them."""
    ids = json.dumps(sorted(contact_ids))
    if ids == "[]" or conn.execute(text("SELECT 1 FROM quarantined_record LIMIT 1")).first() is None:
        return
    rows = conn.execute(text(
        "SELECT q.rowid, q.record, c.base_stamp, c.stamps FROM quarantined_record q JOIN contact c ON c.id = q.id "
        "WHERE q.record_type = 'contact' AND q.id IN (SELECT value FROM json_each(:ids))"), {"ids": ids}).all()
    for rowid, raw, base, stamps in rows:
        record = json.loads(raw)
        held = share_stamp({"base_stamp": base, "stamps": stamps})
        if record.get("share_with_hubs") is True and share_stamp(record) > held:
            continue
        kept = {k: v for k, v in record.items() if k in ENVELOPE or k in Contact.SYNC_FIELDS}
        kept.update({name: value for name, value in blank_values().items() if name in kept})
        kept["stamps"] = {k: v for k, v in (record.get("stamps") or {}).items() if k in kept and k not in WITHHELD}
        if kept != record:
            conn.execute(text("UPDATE quarantined_record SET record = :r WHERE rowid = :rowid"),
                         {"r": json.dumps(kept), "rowid": rowid})
    for record_type in REGISTRY:
        for name in (r.field for r in record_type.personal_references() if r.target == "contact"):
            conn.execute(text(
                "DELETE FROM quarantined_record WHERE record_type = :t "
                "AND json_extract(record, '$.' || :f) IN (SELECT value FROM json_each(:ids))"),
                {"t": record_type.name, "f": name, "ids": ids})


# ---- at this hub: edits of a withdrawn person ----


def hub_name_of(conn: Connection, hub_id: str) -> str:
    """A hub's name as this hub knows it (this hub's own, a peer's), else the start of its id."""
    row = conn.execute(text("SELECT name FROM hub WHERE id = :h UNION ALL SELECT name FROM peer_hub WHERE id = :h"),
                       {"h": hub_id}).first()
    return str(row[0]) if row is not None and row[0] else hub_id[:8]


def check_consent_edit(tx: Tx, contact: Contact, changes: Mapping[str, Any]) -> None:
    """Refuse, with one line, an edit this hub may not make to a person's consent or data: switching sharing on
    for a person whose consent another hub holds, or editing the withheld fields of a person withdrawn here."""
    values = contact.model_dump()
    changed = [name for name, value in changes.items() if values.get(name) != value]
    if not changed or contact.erased:
        return
    if any(name in WITHHELD for name in changed):
        refuse_if_withheld(tx, contact)
    conn = tx.session.connection()
    if changes.get("share_with_hubs") is True and contact.origin_hub != tx.hub_id and not contact.share_with_hubs:
        raise UserError(_("Only hub {hub}, which holds this person's consent, can switch their sharing on again.")
                        .format(hub=hub_name_of(conn, contact.origin_hub)))


def withhold_after_edit(tx: Tx, contact: Contact) -> bool:
    """After this hub switched off the sharing of a person whose consent another hub holds: keep only their id and
    stamps here too (the withdrawal travels from here). Returns whether the person is withheld now."""
    values = contact.model_dump()
    if not withheld_here(values, tx.hub_id) or not any(values[f] != v for f, v in blank_values().items()):
        return False
    withhold(values)
    for name in (*WITHHELD, "stamps", "extra"):
        setattr(contact, name, values[name])
    contact.sort_key = ""
    tx.session.add(contact)
    tx.session.flush()
    remove_records_of(tx.session.connection(), [contact.id])
    return True


def refuse_withheld_references(tx: Tx, record_type: str, values: Mapping[str, Any],
                                changed: Iterable[str] | None = None) -> None:
    """Refuse, with one line, a record personal to a person this hub withholds (a membership, link, connection...
    made, brought back or pointed at them). With `changed`, only an edit of those fields is checked."""
    declared = REGISTRY.get(record_type)
    if declared is None:
        return
    refs = [r.field for r in declared.personal_references() if r.target == "contact"]
    if changed is not None:
        names = set(changed)
        if not names & set(refs) and not ("deleted" in names and values.get("deleted") is False):
            return
    named = sorted({str(values[f]) for f in refs if values.get(f)})
    if not named:
        return
    held = tx.session.connection().execute(text(
        "SELECT 1 FROM contact WHERE id IN (SELECT value FROM json_each(:ids)) AND share_with_hubs = 0 "
        "AND erased = 0 AND origin_hub <> :h LIMIT 1"), {"ids": json.dumps(named), "h": tx.hub_id}).first()
    if held is not None:
        raise UserError(_("That person's consent was withdrawn by their hub; this hub keeps nothing about them."))


def refuse_if_withheld(tx: Tx, contact: Contact) -> None:
    """Refuse, with one line, to change a person this hub withholds (their consent holder withdrew them)."""
    values = contact.model_dump()
    if withheld_here(values, tx.hub_id):
        raise UserError(_("Hub {hub} withdrew this person's consent; this hub keeps only that they were "
                          "withdrawn, and cannot edit them.").format(
                              hub=hub_name_of(tx.session.connection(), withdrawn_by(values))))
