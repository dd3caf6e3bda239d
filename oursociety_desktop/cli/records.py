"""Record commands. Every record type has the same verbs (see `cli/verbs.py`): add, show, edit, delete, list;
and its own: contact forget|merge, group add-member|remove-member, action export-ics."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from oursociety_desktop.cli.common import limit_option, open_hub, parse_labelled_list, path_arg, print_json
from oursociety_desktop.cli.verbs import Verbs, add_set_option, assignments, register_verbs
from oursociety_desktop.i18n import _, ngettext
from oursociety_desktop.models import actions, connections, contacts, groups
from oursociety_desktop.models.consent import (
    CONSENT_METHODS,
    CONSENTS,
    RECEIPT_FIELDS,
    consent_values,
    describe_consent,
    describe_receipt,
    hub_consent_defaults,
)
from oursociety_desktop.models.erasure import DEFAULT_ERASURE_REASON, ERASURE_REASONS, after_erasure
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.phones import normalise_phone
from oursociety_desktop.models.tables import Action, Connection, Contact, Group

GROUP = Verbs("group", groups.create_group, groups.update_group, groups.delete_group)
ACTION = Verbs("action", actions.create_action, actions.update_action, actions.delete_action)
# The fields each `add` has an option (or argument) of its own for; `--set` gives the others (a group's every
# field has its own option).
ACTION_ADD_OPTIONS = {"title": "the TITLE argument", "due": "--due", "kind": "--kind", "group_id": "--group"}
CONNECTION_ADD_OPTIONS = {"contact_a": "A_ID", "contact_b": "B_ID", "kind": "--kind",
                          "introduced_by": "--introduced-by", "date": "--date", "note": "--note"}
CONNECTION = Verbs("connection", connections.create_connection, connections.update_connection,
                   connections.delete_connection)


def register(sub: Any) -> None:
    """Add this module's sub-commands."""
    contact = sub.add_parser("contact", help=_("add, show, edit, delete, forget, merge or list contacts"))
    csub = contact.add_subparsers(dest="contact_command", metavar="add|show|edit|delete|forget|merge|list",
                                  required=True)

    p = csub.add_parser("add", help=_("add a contact; prints its id"))
    p.add_argument("--given", default="")
    p.add_argument("--family", default="")
    p.add_argument("--display", default="")
    p.add_argument("--organisation", default="")
    p.add_argument("--phone", action="append", default=[], help=_("a phone number (repeatable; label:number allowed)"))
    p.add_argument("--email", action="append", default=[], help=_("an email address (repeatable)"))
    p.add_argument("--tag", action="append", default=[])
    share = p.add_mutually_exclusive_group()
    share.add_argument("--share", dest="share", action="store_const", const=True, default=None,
                       help=_("share with other hubs"))
    share.add_argument("--no-share", dest="share", action="store_const", const=False)
    listed = p.add_mutually_exclusive_group()
    listed.add_argument("--directory", dest="directory", action="store_const", const=True, default=None,
                        help=_("include in printed directories (sign-in and group sheets too)"))
    listed.add_argument("--no-directory", dest="directory", action="store_const", const=False)
    p.add_argument("--consent-method", default="", choices=sorted(CONSENT_METHODS),
                   help=_("how the person gave the consents above (recorded with today's date)"))
    p.set_defaults(handler=cmd_contact_add)

    p = csub.add_parser("show", help=_("show one contact"))
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_contact_show)

    p = csub.add_parser("edit", help=_("change fields: --set FIELD=VALUE ..."))
    p.add_argument("id")
    p.add_argument("--set", dest="assignments", action="append", required=True, metavar="FIELD=VALUE")
    p.add_argument("--consent-how", default="", choices=sorted(CONSENT_METHODS),
                   help=_("switching sharing or the directory on: how the person gave consent (the receipt)"))
    p.add_argument("--recorded-by", default="", metavar="NAME",
                   help=_("switching sharing or the directory on: who records it (default: this computer account)"))
    p.set_defaults(handler=cmd_contact_edit)

    p = csub.add_parser("delete", help=_("delete a contact (can be undone in the app)"))
    p.add_argument("id")
    p.set_defaults(handler=cmd_contact_delete)

    p = csub.add_parser("forget", help=_("erase a person: wipes every personal field at every hub it reaches"))
    p.add_argument("id")
    p.add_argument("--reason", default=DEFAULT_ERASURE_REASON, metavar="REASON",
                   help=_("why, one of: {reasons} (the reason travels to every hub, so it is never free text)").format(
                       reasons=", ".join(f"'{r}'" for r in ERASURE_REASONS)))
    p.set_defaults(handler=cmd_contact_forget)

    p = csub.add_parser("merge", help=_("merge a duplicate into the contact that stays (travels as 'merged into')"))
    p.add_argument("survivor_id")
    p.add_argument("other_id")
    p.set_defaults(handler=cmd_contact_merge)

    p = csub.add_parser("list", help=_("list contacts"))
    p.add_argument("--search", default="")
    p.add_argument("--group", default="")
    p.add_argument("--limit", type=int, default=1000)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_contact_list)

    group = sub.add_parser("group", help=_("add, show, edit, delete or list groups; add or remove members"))
    gsub = group.add_subparsers(dest="group_command",
                                metavar="add|show|edit|delete|list|add-member|remove-member", required=True)
    p = gsub.add_parser("add", help=_("add a group; prints its id"))
    p.add_argument("name")
    p.add_argument("--parent", default="")
    p.add_argument("--kind", default="working group")
    p.add_argument("--description", default="")
    p.set_defaults(handler=cmd_group_add)
    register_verbs(gsub, GROUP, {
        "show": _("show one group"),
        "edit": _("change fields of a group: --set FIELD=VALUE ... (fields: {fields})"),
        "delete": _("delete a group (can be undone in the app)")})
    p = gsub.add_parser("add-member", help=_("put a contact in a group"))
    p.add_argument("group")
    p.add_argument("contact_id")
    p.add_argument("--role", default="member")
    p.set_defaults(handler=cmd_group_add_member)
    p = gsub.add_parser("remove-member", help=_("take a contact out of a group"))
    p.add_argument("group")
    p.add_argument("contact_id")
    p.set_defaults(handler=cmd_group_remove_member)
    p = gsub.add_parser("list", help=_("list groups with member counts (--search: words in the name)"))
    p.add_argument("--search", default="")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_group_list)

    action = sub.add_parser("action", help=_("add, show, edit, delete or list actions; export meetings to a calendar"))
    asub = action.add_subparsers(dest="action_command", metavar="add|show|edit|delete|list|export-ics",
                                 required=True)
    p = asub.add_parser("add", help=_("add an action; prints its id"))
    p.add_argument("title")
    p.add_argument("--due", default="")
    p.add_argument("--kind", default="task")
    p.add_argument("--group", default="")
    p.add_argument("--assign", default="", metavar="CONTACT_ID")
    add_set_option(p, ACTION)
    p.set_defaults(handler=cmd_action_add)
    register_verbs(asub, ACTION, {
        "show": _("show one action"),
        "edit": _("change fields of an action: --set FIELD=VALUE ... (fields: {fields})"),
        "delete": _("delete an action (can be undone in the app)"),
        "list": _("list actions (--search: words in the title)")})

    p = asub.add_parser("export-ics", help=_("write dated actions to an iCalendar (.ics) file for phones"))
    p.add_argument("out", type=path_arg)
    p.add_argument("--id", dest="ids", action="append", metavar="ACTION_ID",
                   help=_("only this action (repeatable); default: every open action with a date"))
    p.add_argument("--include-done", action="store_true", help=_("also actions that are done or cancelled"))
    p.set_defaults(handler=cmd_action_export_ics)
    connection = sub.add_parser("connection", help=_("add, show, edit, delete or list connections between people"))
    ksub = connection.add_subparsers(dest="connection_command", metavar="add|show|edit|delete|list", required=True)
    p = ksub.add_parser("add", help=_("record that two people know each other; prints its id"))
    p.add_argument("contact_a", metavar="A_ID")
    p.add_argument("contact_b", metavar="B_ID")
    p.add_argument("--kind", default="introduced")
    p.add_argument("--introduced-by", default="", metavar="C_ID")
    p.add_argument("--date", default="")
    p.add_argument("--note", default="")
    add_set_option(p, CONNECTION)
    p.set_defaults(handler=cmd_connection_add)
    register_verbs(ksub, CONNECTION, {
        "show": _("show one connection"),
        "edit": _("change fields of a connection: --set FIELD=VALUE ... (fields: {fields})"),
        "delete": _("delete a connection (can be undone in the app)"),
        "list": _("list connections (--search: words in the two people's names)")})


def _warn_phones(phones: list[dict[str, str]], region: str) -> None:
    for phone in phones:
        warning = normalise_phone(phone["value"], region).warning
        if warning:
            print(_("warning: {warning}").format(warning=warning), file=sys.stderr)


def cmd_contact_add(args: argparse.Namespace, folder: Path) -> int:
    values: dict[str, Any] = {
        "given_name": args.given, "family_name": args.family, "display_name": args.display,
        "organisation": args.organisation,
        "phones": [entry for p in args.phone for entry in parse_labelled_list(p)],
        "emails": [entry for e in args.email for entry in parse_labelled_list(e)],
        "tags": args.tag,
    }
    with open_hub(folder) as db:
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
            note += " " + (_("(hub default for {first} and {second}; change it in Settings)").format(
                first=stated[0], second=stated[1]) if len(stated) == 2 else
                _("(hub default for {option}; change it in Settings)").format(option=stated[0]))
        print(note, file=sys.stderr)
        print(contact.id)
        return 0


def cmd_contact_show(args: argparse.Namespace, folder: Path) -> int:
    from oursociety_desktop.models.contacts import contact_json

    with open_hub(folder) as db:
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


def cmd_contact_edit(args: argparse.Namespace, folder: Path) -> int:
    changes = assignments(Contact, args.assignments)
    if args.consent_how or args.recorded_by:
        if not any(changes.get(name) is True for name in CONSENTS):
            raise UserError(_("--consent-how and --recorded-by go with --set share_with_hubs=1 or "
                              "--set include_in_directory=1 (the consent they record)."))
        changes.update({"consent_method": CONSENT_METHODS[args.consent_how] if args.consent_how else "",
                        "consent_recorded_by": args.recorded_by})
    with open_hub(folder) as db:
        with db.write() as tx:
            before = contacts.get_contact(tx.session, args.id).model_dump()
            contact = contacts.update_contact(tx, args.id, changes)
            region = str(tx.setting("default_region"))
        if "phones" in changes:
            _warn_phones(contact.phones, region)
        print(_("Updated {shown_name} ({id}).").format(shown_name=contact.shown_name, id=contact.id))
        if any(getattr(contact, name) != before[name] for name in RECEIPT_FIELDS):
            print(describe_receipt(contact.model_dump()))  # a consent switched on: its receipt
        return 0


def cmd_contact_delete(args: argparse.Namespace, folder: Path) -> int:
    with open_hub(folder) as db:
        with db.write() as tx:
            contact = contacts.delete_contact(tx, args.id)
        print(_("Deleted {shown_name} ({id}).").format(shown_name=contact.shown_name, id=contact.id))
        return 0


def cmd_contact_forget(args: argparse.Namespace, folder: Path) -> int:
    with open_hub(folder) as db:
        with db.write() as tx:
            contact = contacts.forget_contact(tx, args.id, args.reason)
        after_erasure(db)  # nothing of them in the write-ahead log, the backups, or after a restore
        print(_("Erased contact {id}: only its id, stamp and reason remain.").format(id=contact.id))
        return 0


def cmd_contact_list(args: argparse.Namespace, folder: Path) -> int:
    from oursociety_desktop.models.contact_list import ContactQuery
    from oursociety_desktop.models.contacts import contact_json

    limit = limit_option(args.limit)
    with open_hub(folder) as db, db.read() as session:
        group_id = groups.find_group(session, args.group).id if args.group else ""
        # The same query as the window's contacts list: the same matches, in the same order.
        rows = ContactQuery(search=args.search, group_id=group_id).page(session.connection(), 0, limit)
        if args.json:
            print_json([contact_json(contacts.get_contact(session, row.id)) for row in rows])
        else:
            for row in rows:
                print(f"{row.id[:8]}  {row.name:<32}  {row.phone:<16}  {row.email}")
    return 0


def cmd_group_add(args: argparse.Namespace, folder: Path) -> int:
    with open_hub(folder) as db:
        with db.write() as tx:
            parent = groups.find_group(tx.session, args.parent).id if args.parent else ""
            group = groups.create_group(tx, {"name": args.name, "kind": args.kind, "description": args.description,
                                             "parent_id": parent})
        print(group.id)
        return 0


def cmd_group_add_member(args: argparse.Namespace, folder: Path) -> int:
    with open_hub(folder) as db:
        with db.write() as tx:
            group = groups.find_group(tx.session, args.group)
            membership = groups.add_member(tx, group.id, args.contact_id, args.role)
        print(membership.id)
        return 0


def cmd_group_remove_member(args: argparse.Namespace, folder: Path) -> int:
    with open_hub(folder) as db:
        with db.write() as tx:
            group = groups.find_group(tx.session, args.group)
            contact = contacts.get_contact(tx.session, args.contact_id)
            groups.remove_member(tx, group.id, contact.id)
        print(_("Took {shown_name} out of {name}.").format(shown_name=contact.shown_name, name=group.name))
        return 0


def cmd_contact_merge(args: argparse.Namespace, folder: Path) -> int:
    from oursociety_desktop.models.duplicates import merge_contacts  # rapidfuzz: only here

    with open_hub(folder) as db:
        with db.write() as tx:
            undo = merge_contacts(tx, args.other_id, args.survivor_id)
            kept = contacts.get_contact(tx.session, undo.keep_id)
        print(_("Merged {gone_id} into {shown_name} ({id}).")
              .format(gone_id=undo.gone_id, shown_name=kept.shown_name, id=kept.id))
        return 0


def cmd_connection_add(args: argparse.Namespace, folder: Path) -> int:
    extra = assignments(Connection, args.assignments, CONNECTION_ADD_OPTIONS)
    with open_hub(folder) as db:
        with db.write() as tx:
            found = [contacts.get_contact(tx.session, i).id if i else "" for i in
                     (args.contact_a, args.contact_b, args.introduced_by)]
            made = connections.create_connection(
                tx, {"contact_a": found[0], "contact_b": found[1], "introduced_by": found[2], "kind": args.kind,
                     "date": args.date, "note": args.note, **extra})
        print(made.id)
        return 0


def cmd_group_list(args: argparse.Namespace, folder: Path) -> int:
    with open_hub(folder) as db:
        with db.read() as session:
            counts = groups.member_counts(session)
            rows = session.exec(select(Group).where(col(Group.deleted).is_(False)).order_by(col(Group.name))).all()
            words = [w.casefold() for w in args.search.split()]
            data: list[dict[str, Any]] = [{"id": g.id, "name": g.name, "kind": g.kind, "parent_id": g.parent_id,
                     "members": counts.get(g.id, 0)} for g in rows if all(w in g.name.casefold() for w in words)]
        if args.json:
            print_json(data)
        else:
            for g in data:
                members = ngettext("{count} member", "{count} members", g["members"]).format(count=g["members"])
                print(f"{g['id'][:8]}  {g['name']:<32}  {members:>14}")
        return 0


def cmd_action_add(args: argparse.Namespace, folder: Path) -> int:
    extra = assignments(Action, args.assignments, ACTION_ADD_OPTIONS)
    with open_hub(folder) as db:
        with db.write() as tx:
            group_id = groups.find_group(tx.session, args.group).id if args.group else ""
            action = actions.create_action(tx, {"title": args.title, "due": args.due, "kind": args.kind,
                                                "group_id": group_id, **extra})
            if args.assign:
                actions.link_contact(tx, action.id, args.assign, "owner")
        print(action.id)
        return 0


def cmd_action_export_ics(args: argparse.Namespace, folder: Path) -> int:
    from oursociety_desktop.formats.ics import export_ics  # imported here: only this command needs icalendar

    with open_hub(folder) as db:
        result = export_ics(db, args.out, args.ids, include_done=args.include_done)
    print(ngettext("Wrote {events} event to {path}.", "Wrote {events} events to {path}.", result.events)
          .format(events=result.events, path=result.path))
    if result.skipped_undated:
        print(ngettext("{skipped_undated} chosen action has no date and was left out.",
                       "{skipped_undated} chosen actions have no date and were left out.", result.skipped_undated)
              .format(skipped_undated=result.skipped_undated), file=sys.stderr)
    return 0
