"""Duplicate merges that travel ("A merged into B") keep everyone, whatever else happened meanwhile at other hubs.

After each bundle merge, at every hub, by rules that do not depend on the order bundles arrive in:

- **Crossing merges.** When contacts are merged into each other in a cycle (hub A merged Nina X into Nina Y while
  hub B merged Y into X), the contact with the smallest id in the cycle stays: its `merged_into` is cleared and it
  is live again. Every hub writes the same values, so they converge.
- **References follow.** Live records that name a merged-away contact (a membership, an action link, a
  connection, made at a hub that had not seen the merge yet) follow to the surviving contact, by the registry's
  merge rules (`references.follow_merge`).
- **Edits follow.** Field edits that arrive for a merged-away contact are carried to the survivor: lists (phones,
  emails, languages, tags) gain the entries the survivor lacks; another field takes the arriving value when its
  stamp is newer than the survivor's, else the value goes to the conflicts inbox. "Do not" flags are never lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import text

from oursociety_desktop.models.database import Tx, utc_now_iso
from oursociety_desktop.models.records import update_record
from oursociety_desktop.models.references import follow_merge
from oursociety_desktop.models.tables import Conflict, Contact

LIST_FIELDS = ("phones", "emails", "languages", "tags")
NEVER_LOST = ("do_not_phone", "do_not_email", "do_not_mail", "do_not_sms")
# Consent stays the survivor's own: an edit of the merged-away record never gives it.
CONSENT = ("share_with_hubs", "include_in_directory", "consent_recorded_at", "consent_method")
NOT_CARRIED = ("deleted", "erased", "erased_reason", "merged_into", "private_notes", *CONSENT)


def settle_merged_contacts(tx: Tx, edits: dict[str, set[str]], changed: Iterable[str]) -> int:
    """Apply the rules above after a bundle merge. `edits`: merged-away contacts whose fields the merge changed,
    with those fields; `changed`: every contact id the merge changed. Returns how many records it changed."""
    conn = tx.session.connection()
    merged = {cid: into for cid, into in conn.execute(text(
        "SELECT id, merged_into FROM contact WHERE merged_into != '' AND erased = 0"))}
    if not merged:
        return 0
    settled = _break_cycles(tx, merged)
    for contact_id in sorted(set(changed) | set(edits)):
        if contact_id not in merged:
            continue
        survivor = _survivor(contact_id, merged)
        if survivor is None or survivor == contact_id:
            continue
        settled += _carry_edits(tx, contact_id, survivor, edits.get(contact_id, set()))
    settled += _follow_references(tx, merged)
    return settled


def _survivor(contact_id: str, merged: dict[str, str]) -> str | None:
    """The end of the merge chain from `contact_id` (None in a cycle not broken yet)."""
    seen = {contact_id}
    current = contact_id
    while current in merged:
        current = merged[current]
        if current in seen:
            return None
        seen.add(current)
    return current


def _break_cycles(tx: Tx, merged: dict[str, str]) -> int:
    broken = 0
    done: set[str] = set()
    for start in sorted(merged):
        if start in done or _survivor(start, merged) is not None:
            continue
        cycle, current = [start], merged[start]
        while current != start and current in merged and current not in cycle:
            cycle.append(current)
            current = merged[current]
        done.update(cycle)
        if current != start:
            continue  # a chain leading into a cycle: the cycle itself is broken on its own turn
        stays = min(cycle)
        contact = tx.session.get(Contact, stays)
        if contact is not None and update_record(tx, contact, {"merged_into": "", "deleted": False}):
            _refresh(tx, contact)
            broken += 1
        merged.pop(stays, None)
    return broken


def _carry_edits(tx: Tx, gone_id: str, keep_id: str, fields: set[str]) -> int:
    gone, keep = tx.session.get(Contact, gone_id), tx.session.get(Contact, keep_id)
    if gone is None or keep is None or keep.deleted or keep.erased:
        return 0
    changes: dict[str, Any] = {}
    losing: list[tuple[str, Any, str]] = []
    for name in sorted(fields):
        if name not in Contact.PERSONAL_FIELDS or name in NOT_CARRIED:
            continue
        theirs, ours = getattr(gone, name), getattr(keep, name)
        if name in LIST_FIELDS:
            combined = _union(name, ours, theirs)
            if combined != ours:
                changes[name] = combined
        elif name in NEVER_LOST:
            if theirs and not ours:
                changes[name] = True
        elif theirs != ours:
            if gone.field_stamp(name) > keep.field_stamp(name):
                changes[name] = theirs
            else:
                losing.append((name, theirs, gone.field_stamp(name)))
    if changes:
        update_record(tx, keep, changes)
        _refresh(tx, keep)
    for name, value, stamp in losing:
        tx.session.add(Conflict(record_type="contact", record_id=keep.id, field=name,
                                ours_value=getattr(keep, name), ours_stamp=keep.field_stamp(name),
                                theirs_value=value, theirs_stamp=stamp, detected_at=utc_now_iso()))
    return int(bool(changes)) + len(losing)


def _union(name: str, ours: list[Any], theirs: list[Any]) -> list[Any]:
    if name in ("phones", "emails"):
        have = {str(item["value"]).casefold() for item in ours}
        return [*ours, *(item for item in theirs if str(item["value"]).casefold() not in have)]
    return [*ours, *(item for item in theirs if item not in ours)]


def _follow_references(tx: Tx, merged: dict[str, str]) -> int:
    from oursociety_desktop.models.registry import REGISTRY

    conn = tx.session.connection()
    followed = 0
    for record_type, ref in REGISTRY.references_to("contact"):
        rows = conn.execute(text(
            f"SELECT DISTINCT r.{ref.field} FROM {record_type.table_name} r JOIN contact c ON c.id = r.{ref.field} "  # noqa: S608
            f"WHERE r.deleted = 0 AND c.merged_into != '' AND c.erased = 0")).all()
        for (gone_id,) in rows:
            survivor = _survivor(gone_id, merged)
            if survivor is None or survivor == gone_id:
                continue

            def count(_record: Any, _before: dict[str, Any]) -> None:
                nonlocal followed
                followed += 1

            follow_merge(tx, gone_id, survivor, on_change=count)
    return followed


def _refresh(tx: Tx, contact: Contact) -> None:
    from oursociety_desktop.models.contacts import refresh_derived

    refresh_derived(tx, contact)
