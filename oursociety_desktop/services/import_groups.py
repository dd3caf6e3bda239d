"""The groups a contact file brings: group cards with their members (vCard 4.0 `KIND:group`, Apple's group
cards) and the groups a row names (a CSV "Groups" column, Google's labels), found by name or made, and their
members added in bulk."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from oursociety_desktop.formats.import_rows import ImportRow
from oursociety_desktop.models.bulk import insert_rows
from oursociety_desktop.models.database import Tx
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.groups import create_group, find_group
from oursociety_desktop.models.records import update_record
from oursociety_desktop.models.registry import REGISTRY, pair_id
from oursociety_desktop.models.tables import Membership

if TYPE_CHECKING:
    from oursociety_desktop.services.people_import import ImportSummary

_BATCH = 2000


def remember_row(row: ImportRow, contact_id: str, by_uid: dict[str, str], named_groups: dict[str, list[str]]) -> None:
    """Note a row's contact under its UID (for group cards naming it) and under each group the row names."""
    if row.uid:
        by_uid.setdefault(row.uid, contact_id)
    for name in row.groups:
        named_groups.setdefault(name.strip(), []).append(contact_id)


def groups_of_file(tx: Tx, rows: list[ImportRow], by_uid: Mapping[str, str], named_groups: Mapping[str, list[str]],
                 summary: ImportSummary, dry_run: bool, report: Callable[[], None] | None = None
                 ) -> dict[str, list[str]]:
    """Groups the file itself holds (group cards with their members, a person's named groups): each found by
    name or made; returns {group id: contact ids} (a dry run only counts). `report()` is called every few
    groups (a progress report; raising from it cancels)."""
    wanted: dict[str, list[str]] = {}
    for row in rows:
        if row.kind != "group" or not row.ok:
            continue
        members = []
        for uid in row.members:
            if uid in by_uid:
                members.append(by_uid[uid])
            else:
                message = f"member {uid} is not a card of this file; not added"
                row.warn("members", message)
                summary.warnings.append({"row": row.number, "where": row.where, "field": "members",
                                         "message": message})
        wanted.setdefault(str(row.values["name"]).strip(), []).extend(members)
    for name, members in named_groups.items():
        if name:
            wanted.setdefault(name, []).extend(members)
    out: dict[str, list[str]] = {}
    for i, (name, members) in enumerate(wanted.items()):
        if report is not None and i % 20 == 19:
            report()
        try:
            found = find_group(tx.session, name).id
        except UserError:
            found = ""
        if not found:
            summary.groups_added += 1
            if not dry_run:
                found = create_group(tx, {"name": name}).id
        summary.memberships += len(dict.fromkeys(members))
        if found:
            out[found] = list(dict.fromkeys(members))
    return out


def add_to_group(tx: Tx, group_id: str, contact_ids: list[str], report: Callable[[], None] | None = None) -> None:
    """Make the contacts members of the group in bulk (a removed membership comes back). A new membership's id
    is derived from the group and the contact, as everywhere (`registry.pair_id`), so the same pair added at two
    hubs is one record. `report()` is called after each batch written."""
    membership_type = REGISTRY["membership"]
    conn = tx.session.connection()
    table = Membership.__table__  # type: ignore[attr-defined]
    existing = {row[0]: row[1] for row in conn.execute(
        select(table.c.contact_id, table.c.id).where(table.c.group_id == group_id))}
    rows: list[dict[str, Any]] = []
    for contact_id in dict.fromkeys(contact_ids):
        if len(rows) >= _BATCH:
            insert_rows(conn, Membership, rows)
            rows = []
            if report is not None:
                report()
        if contact_id in existing:
            membership = tx.session.get(Membership, existing[contact_id])
            if membership is not None and membership.deleted:
                update_record(tx, membership, {"deleted": False})
            continue
        stamp = tx.stamp()
        pair = {"group_id": group_id, "contact_id": contact_id}
        rows.append({"id": pair_id("membership", pair, membership_type.identity), "base_stamp": stamp, "stamps": {},
                     "deleted": False, "group_id": group_id, "contact_id": contact_id, "role": "member",
                     "since": ""})
    insert_rows(conn, Membership, rows)
