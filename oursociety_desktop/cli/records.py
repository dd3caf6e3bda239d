"""Record commands: contact add|show|edit|delete|forget|merge|list, group add|add-member|remove-member|list,
action add|export-ics, connection add."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from oursociety_desktop.cli.common import open_hub, parse_bool, parse_labelled_list, print_json
from oursociety_desktop.models import actions, contacts, groups
from oursociety_desktop.models.connections import create_connection
from oursociety_desktop.models.consent import CONSENT_METHODS, consent_values, describe_consent, hub_consent_defaults
from oursociety_desktop.models.contacts import BOOL_FIELDS, LIST_FIELDS, contact_json
from oursociety_desktop.models.duplicates import merge_contacts
from oursociety_desktop.models.erasure import after_erasure
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.phones import normalise_phone
from oursociety_desktop.models.search import search_contact_ids
from oursociety_desktop.models.tables import Contact, Group, Membership


def register(sub: Any) -> None:
    """Add this module's sub-commands."""
    contact = sub.add_parser("contact", help="add, show, edit, delete, forget, merge or list contacts")
    csub = contact.add_subparsers(dest="contact_command", metavar="add|show|edit|delete|forget|merge|list",
                                  required=True)

    p = csub.add_parser("add", help="add a contact; prints its id")
    p.add_argument("--given", default="")
    p.add_argument("--family", default="")
    p.add_argument("--display", default="")
    p.add_argument("--organisation", default="")
    p.add_argument("--phone", action="append", default=[], help="a phone number (repeatable; label:number allowed)")
    p.add_argument("--email", action="append", default=[], help="an email address (repeatable)")
    p.add_argument("--tag", action="append", default=[])
    share = p.add_mutually_exclusive_group()
    share.add_argument("--share", dest="share", action="store_const", const=True, default=None,
                       help="share with other hubs")
    share.add_argument("--no-share", dest="share", action="store_const", const=False)
    listed = p.add_mutually_exclusive_group()
    listed.add_argument("--directory", dest="directory", action="store_const", const=True, default=None,
                        help="include in printed directories (sign-in and group sheets too)")
    listed.add_argument("--no-directory", dest="directory", action="store_const", const=False)
    p.add_argument("--consent-method", default="", choices=sorted(CONSENT_METHODS),
                   help="how the person gave the consents above (recorded with today's date)")
    p.set_defaults(handler=cmd_contact_add)

    p = csub.add_parser("show", help="show one contact")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_contact_show)

    p = csub.add_parser("edit", help="change fields: --set FIELD=VALUE ...")
    p.add_argument("id")
    p.add_argument("--set", dest="assignments", action="append", required=True, metavar="FIELD=VALUE")
    p.set_defaults(handler=cmd_contact_edit)

    p = csub.add_parser("delete", help="delete a contact (can be undone in the app)")
    p.add_argument("id")
    p.set_defaults(handler=cmd_contact_delete)

    p = csub.add_parser("forget", help="erase a person: wipes every personal field at every hub it reaches")
    p.add_argument("id")
    p.add_argument("--reason", default=contacts.DEFAULT_ERASURE_REASON, metavar="REASON",
                   help="why, one of: " + ", ".join(f"'{r}'" for r in contacts.ERASURE_REASONS)
                        + " (the reason travels to every hub, so it is never free text)")
    p.set_defaults(handler=cmd_contact_forget)

    p = csub.add_parser("merge", help="merge a duplicate into the contact that stays (travels as 'merged into')")
    p.add_argument("survivor_id")
    p.add_argument("other_id")
    p.set_defaults(handler=cmd_contact_merge)

    p = csub.add_parser("list", help="list contacts")
    p.add_argument("--search", default="")
    p.add_argument("--group", default="")
    p.add_argument("--limit", type=int, default=1000)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_contact_list)

    group = sub.add_parser("group", help="add groups and members")
    gsub = group.add_subparsers(dest="group_command", metavar="add|add-member|remove-member|list", required=True)
    p = gsub.add_parser("add", help="add a group; prints its id")
    p.add_argument("name")
    p.add_argument("--parent", default="")
    p.add_argument("--kind", default="working group")
    p.add_argument("--description", default="")
    p.set_defaults(handler=cmd_group_add)
    p = gsub.add_parser("add-member", help="put a contact in a group")
    p.add_argument("group")
    p.add_argument("contact_id")
    p.add_argument("--role", default="member")
    p.set_defaults(handler=cmd_group_add_member)
    p = gsub.add_parser("remove-member", help="take a contact out of a group")
    p.add_argument("group")
    p.add_argument("contact_id")
    p.set_defaults(handler=cmd_group_remove_member)
    p = gsub.add_parser("list", help="list groups with member counts")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_group_list)

    action = sub.add_parser("action", help="add actions, or export meetings to a calendar file")
    asub = action.add_subparsers(dest="action_command", metavar="add|export-ics", required=True)
    p = asub.add_parser("add", help="add an action; prints its id")
    p.add_argument("title")
    p.add_argument("--due", default="")
    p.add_argument("--kind", default="task")
    p.add_argument("--group", default="")
    p.add_argument("--assign", default="", metavar="CONTACT_ID")
    p.set_defaults(handler=cmd_action_add)

    p = asub.add_parser("export-ics", help="write dated actions to an iCalendar (.ics) file for phones")
    p.add_argument("out", type=Path)
    p.add_argument("--id", dest="ids", action="append", metavar="ACTION_ID",
                   help="only this action (repeatable); default: every open action with a date")
    p.add_argument("--include-done", action="store_true", help="also actions that are done or cancelled")
    p.set_defaults(handler=cmd_action_export_ics)
    connection = sub.add_parser("connection", help="add connections between people")
    ksub = connection.add_subparsers(dest="connection_command", metavar="add", required=True)
    p = ksub.add_parser("add", help="record that two people know each other; prints its id")
    p.add_argument("contact_a", metavar="A_ID")
    p.add_argument("contact_b", metavar="B_ID")
    p.add_argument("--kind", default="introduced")
    p.add_argument("--introduced-by", default="", metavar="C_ID")
    p.add_argument("--date", default="")
    p.add_argument("--note", default="")
    p.set_defaults(handler=cmd_connection_add)


def _warn_phones(phones: list[dict[str, str]], region: str) -> None:
    for phone in phones:
        warning = normalise_phone(phone["value"], region).warning
        if warning:
            print(f"warning: {warning}", file=sys.stderr)


def cmd_contact_add(args: argparse.Namespace, folder: Path) -> int:
    values: dict[str, Any] = {
        "given_name": args.given, "family_name": args.family, "display_name": args.display,
        "organisation": args.organisation,
        "phones": [entry for p in args.phone for entry in parse_labelled_list(p)],
        "emails": [entry for e in args.email for entry in parse_labelled_list(e)],
        "tags": args.tag,
    }
    db = open_hub(folder)
    try:
        with db.write() as tx:
            # What was not stated follows the hub's defaults, and the user is told so (stderr: stdout is the id).
            values.update(consent_values(hub_consent_defaults(tx.setting), args.share, args.directory,
                                         args.consent_method))
            contact = contacts.create_contact(tx, values)
            region = str(tx.setting("default_region"))
        _warn_phones(contact.phones, region)
        stated = [flag for flag, given in (("--share", args.share), ("--directory", args.directory))
                  if given is None]
        note = describe_consent(contact.model_dump())
        if stated:
            note += f" (hub default for {' and '.join(stated)}; change it in Settings)"
        print(note, file=sys.stderr)
        print(contact.id)
        return 0
    finally:
        db.close()


def cmd_contact_show(args: argparse.Namespace, folder: Path) -> int:
    db = open_hub(folder)
    try:
        with db.read() as session:
            contact = contacts.get_contact(session, args.id)
            data = contact_json(contact)
        if args.json:
            print_json(data)
        else:
            for key, value in data.items():
                if key in ("phones", "emails"):
                    value = ", ".join(f"{v['value']} ({v['label']})" if v["label"] else v["value"] for v in value)
                elif isinstance(value, list):
                    value = ", ".join(value)
                print(f"{key}: {value}")
        return 0
    finally:
        db.close()


def parse_assignment(assignment: str) -> tuple[str, Any]:
    """FIELD=VALUE into (field, typed value) for a contact."""
    field, sep, raw = assignment.partition("=")
    field = field.strip()
    if not sep or not field:
        raise UserError(f"--set takes FIELD=VALUE, not '{assignment}'.")
    if field not in Contact.SYNC_FIELDS or field in ("erased", "erased_reason", "merged_into", "deleted"):
        editable = [f for f in Contact.SYNC_FIELDS if f not in ("erased", "erased_reason", "merged_into", "deleted")]
        raise UserError(f"Unknown contact field '{field}'; fields are: {', '.join(editable)}.")
    if field in BOOL_FIELDS:
        return field, parse_bool(field, raw)
    if field in ("phones", "emails"):
        return field, parse_labelled_list(raw)
    if field in LIST_FIELDS:
        return field, [p.strip() for p in raw.split(",") if p.strip()]
    return field, raw


def cmd_contact_edit(args: argparse.Namespace, folder: Path) -> int:
    changes = dict(parse_assignment(a) for a in args.assignments)
    db = open_hub(folder)
    try:
        with db.write() as tx:
            contact = contacts.update_contact(tx, args.id, changes)
            region = str(tx.setting("default_region"))
        if "phones" in changes:
            _warn_phones(contact.phones, region)
        print(f"Updated {contact.shown_name} ({contact.id}).")
        return 0
    finally:
        db.close()


def cmd_contact_delete(args: argparse.Namespace, folder: Path) -> int:
    db = open_hub(folder)
    try:
        with db.write() as tx:
            contact = contacts.delete_contact(tx, args.id)
        print(f"Deleted {contact.shown_name} ({contact.id}).")
        return 0
    finally:
        db.close()


def cmd_contact_forget(args: argparse.Namespace, folder: Path) -> int:
    db = open_hub(folder)
    try:
        with db.write() as tx:
            contact = contacts.forget_contact(tx, args.id, args.reason)
        after_erasure(db)  # nothing of them in the write-ahead log, the backups, or after a restore
        print(f"Erased contact {contact.id}: only its id, stamp and reason remain.")
        return 0
    finally:
        db.close()


def cmd_contact_list(args: argparse.Namespace, folder: Path) -> int:
    if args.limit < 1:
        raise UserError("--limit takes a positive number.")
    db = open_hub(folder)
    try:
        with db.read() as session:
            query = select(Contact).where(col(Contact.deleted).is_(False))
            if args.group:
                group = groups.find_group(session, args.group)
                member_ids = select(Membership.contact_id).where(
                    Membership.group_id == group.id, col(Membership.deleted).is_(False))
                query = query.where(col(Contact.id).in_(member_ids))
            if args.search:
                ids = search_contact_ids(session.connection(), args.search, limit=args.limit)
                order = {cid: i for i, cid in enumerate(ids)}
                found = session.exec(query.where(col(Contact.id).in_(ids))).all()
                rows = sorted(found, key=lambda c: order[c.id])
            else:
                rows = list(session.exec(query.order_by(col(Contact.sort_key)).limit(args.limit)).all())
            if args.json:
                print_json([contact_json(c) for c in rows])
            else:
                for c in rows:
                    phone = c.phones[0]["value"] if c.phones else ""
                    email = c.emails[0]["value"] if c.emails else ""
                    print(f"{c.id[:8]}  {c.shown_name:<32}  {phone:<16}  {email}")
        return 0
    finally:
        db.close()


def cmd_group_add(args: argparse.Namespace, folder: Path) -> int:
    db = open_hub(folder)
    try:
        with db.write() as tx:
            parent = groups.find_group(tx.session, args.parent).id if args.parent else ""
            group = groups.create_group(tx, {"name": args.name, "kind": args.kind, "description": args.description,
                                             "parent_id": parent})
        print(group.id)
        return 0
    finally:
        db.close()


def cmd_group_add_member(args: argparse.Namespace, folder: Path) -> int:
    db = open_hub(folder)
    try:
        with db.write() as tx:
            group = groups.find_group(tx.session, args.group)
            membership = groups.add_member(tx, group.id, args.contact_id, args.role)
        print(membership.id)
        return 0
    finally:
        db.close()


def cmd_group_remove_member(args: argparse.Namespace, folder: Path) -> int:
    db = open_hub(folder)
    try:
        with db.write() as tx:
            group = groups.find_group(tx.session, args.group)
            contact = contacts.get_contact(tx.session, args.contact_id)
            groups.remove_member(tx, group.id, contact.id)
        print(f"Took {contact.shown_name} out of {group.name}.")
        return 0
    finally:
        db.close()


def cmd_contact_merge(args: argparse.Namespace, folder: Path) -> int:
    db = open_hub(folder)
    try:
        with db.write() as tx:
            undo = merge_contacts(tx, args.other_id, args.survivor_id)
            kept = contacts.get_contact(tx.session, undo.keep_id)
        print(f"Merged {undo.gone_id} into {kept.shown_name} ({kept.id}).")
        return 0
    finally:
        db.close()


def cmd_connection_add(args: argparse.Namespace, folder: Path) -> int:
    db = open_hub(folder)
    try:
        with db.write() as tx:
            found = [contacts.get_contact(tx.session, i).id if i else "" for i in
                     (args.contact_a, args.contact_b, args.introduced_by)]
            made = create_connection(tx, {"contact_a": found[0], "contact_b": found[1], "introduced_by": found[2],
                                          "kind": args.kind, "date": args.date, "note": args.note})
        print(made.id)
        return 0
    finally:
        db.close()


def cmd_group_list(args: argparse.Namespace, folder: Path) -> int:
    db = open_hub(folder)
    try:
        with db.read() as session:
            counts = groups.member_counts(session)
            rows = session.exec(select(Group).where(col(Group.deleted).is_(False)).order_by(col(Group.name))).all()
            data: list[dict[str, Any]] = [{"id": g.id, "name": g.name, "kind": g.kind, "parent_id": g.parent_id,
                     "members": counts.get(g.id, 0)} for g in rows]
        if args.json:
            print_json(data)
        else:
            for g in data:
                print(f"{g['id'][:8]}  {g['name']:<32}  {g['members']:>6} members")
        return 0
    finally:
        db.close()


def cmd_action_add(args: argparse.Namespace, folder: Path) -> int:
    db = open_hub(folder)
    try:
        with db.write() as tx:
            group_id = groups.find_group(tx.session, args.group).id if args.group else ""
            action = actions.create_action(tx, {"title": args.title, "due": args.due, "kind": args.kind,
                                                "group_id": group_id})
            if args.assign:
                actions.link_contact(tx, action.id, args.assign, "owner")
        print(action.id)
        return 0
    finally:
        db.close()




def cmd_action_export_ics(args: argparse.Namespace, folder: Path) -> int:
    from oursociety_desktop.exports.ics import export_ics  # imported here: only this command needs icalendar

    db = open_hub(folder)
    try:
        result = export_ics(db, args.out, args.ids, include_done=args.include_done)
    finally:
        db.close()
    events = "1 event" if result.events == 1 else f"{result.events} events"
    print(f"Wrote {events} to {result.path}.")
    if result.skipped_undated:
        print(f"{result.skipped_undated} chosen action(s) have no date and were left out.", file=sys.stderr)
    return 0
