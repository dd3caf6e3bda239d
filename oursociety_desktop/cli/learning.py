"""The mutual learning network's commands: lesson add|list|show, offer add, need add, matches [accept|decline],
hours add, hours [--by person|group|theme|month]."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from oursociety_desktop.cli.common import open_hub, print_json
from oursociety_desktop.i18n import _
from oursociety_desktop.models import hours as hours_service
from oursociety_desktop.models.groups import find_group
from oursociety_desktop.models.tables import LESSON_KINDS, Lesson
from oursociety_desktop.models.text import four_digit_year


def register(sub: Any) -> None:
    """Add this module's sub-commands."""
    lesson = sub.add_parser("lesson", help=_("add, list or show lessons and stories"))
    lsub = lesson.add_subparsers(dest="lesson_command", metavar="add|list|show", required=True)
    p = lsub.add_parser("add", help=_("record a lesson or story; prints its id"))
    p.add_argument("title")
    p.add_argument("--kind", default="lesson learned", choices=LESSON_KINDS)
    p.add_argument("--challenge", default="")
    p.add_argument("--tried", default="")
    p.add_argument("--worked", default="")
    p.add_argument("--not-worked", default="")
    p.add_argument("--advice", default="")
    p.add_argument("--place", default="")
    p.add_argument("--date", default="", metavar="YYYY-MM-DD")
    p.add_argument("--theme", action="append", default=[], help=_("a theme (repeatable)"))
    p.add_argument("--person", action="append", default=[], metavar="CONTACT_ID",
                   help=_("a person involved who agreed to be named (repeatable)"))
    p.add_argument("--unnamed-person", action="append", default=[], metavar="CONTACT_ID",
                   help=_("a person involved who did not agree to be named outside this hub (repeatable)"))
    p.add_argument("--group", default="", metavar="NAME", help=_("the group it came from (name or id)"))
    p.add_argument("--action", default="", metavar="ID", help=_("the action it came from"))
    p.add_argument("--share", action="store_true", help=_("share it with other hubs"))
    p.set_defaults(handler=cmd_lesson_add)
    p = lsub.add_parser("list", help=_("list lessons, newest first"))
    p.add_argument("--search", default="", metavar="TEXT", help=_("words in any text field, any script"))
    p.add_argument("--theme", default="")
    p.add_argument("--kind", default="", choices=("", *LESSON_KINDS))
    p.add_argument("--year", default="")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_lesson_list)
    p = lsub.add_parser("show", help=_("show one lesson"))
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_lesson_show)

    for name, handler in (("offer", cmd_offer_add), ("need", cmd_need_add)):
        parser = sub.add_parser(name, help=_("record what a person offers") if name == "offer"
                                else _("record what a person needs"))
        nsub = parser.add_subparsers(dest=f"{name}_command", metavar="add", required=True)
        p = nsub.add_parser("add", help=_("add an offer; prints its id") if name == "offer"
                            else _("add a need; prints its id"))
        p.add_argument("contact_id")
        p.add_argument("text")
        p.add_argument("--kind", default="")
        p.add_argument("--theme", action="append", default=[])
        p.add_argument("--locality", default=None, help=_("where (default: the person's locality)"))
        p.add_argument("--availability", default="", help=_("when, e.g. 'weekends' or 'tuesday evenings'"))
        p.add_argument("--until", default="", metavar="YYYY-MM-DD")
        p.set_defaults(handler=handler)

    m = sub.add_parser("matches", help=_("suggested introductions from needs to offers; accept or decline one"))
    m.add_argument("--json", action="store_true")
    m.set_defaults(handler=cmd_matches)
    msub = m.add_subparsers(dest="matches_command", metavar="accept|decline")
    p = msub.add_parser("accept", help=_("introduce them: a connection and a follow-up action"))
    p.add_argument("need_id")
    p.add_argument("offer_id")
    p.add_argument("--broker", default="", metavar="CONTACT_ID", help=_("who makes the introduction"))
    p.set_defaults(handler=cmd_matches_accept)
    p = msub.add_parser("decline", help=_("do not suggest this pair again"))
    p.add_argument("need_id")
    p.add_argument("offer_id")
    p.set_defaults(handler=cmd_matches_decline)

    h = sub.add_parser("hours", help=_("hours given and pledged: add, or totals"))
    h.add_argument("--by", choices=hours_service.BY, default="person")
    h.add_argument("--year", default="")
    h.add_argument("--json", action="store_true")
    h.set_defaults(handler=cmd_hours_totals)
    hsub = h.add_subparsers(dest="hours_command", metavar="add")
    p = hsub.add_parser("add", help=_("record hours a person gave (or pledged); prints its id"))
    p.add_argument("contact_id")
    p.add_argument("hours")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--action", default="", metavar="ID")
    where.add_argument("--group", default="", metavar="NAME")
    p.add_argument("--date", default="", metavar="YYYY-MM-DD", help=_("default: today"))
    p.add_argument("--pledged", action="store_true", help=_("hours promised, not yet given"))
    p.add_argument("--note", default="")
    p.set_defaults(handler=cmd_hours_add)


def cmd_lesson_add(args: argparse.Namespace, folder: Path) -> int:
    from oursociety_desktop.models import lessons

    with open_hub(folder) as db:
        with db.write() as tx:
            values: dict[str, Any] = {
                "title": args.title, "kind": args.kind, "challenge": args.challenge, "tried": args.tried,
                "worked": args.worked, "not_worked": args.not_worked, "advice": args.advice, "place": args.place,
                "date": args.date, "themes": args.theme, "share_with_hubs": args.share, "action_id": args.action,
                "group_id": find_group(tx.session, args.group).id if args.group else ""}
            people = {**{p: False for p in args.unnamed_person}, **{p: True for p in args.person}}
            lesson = lessons.create_lesson(tx, values, people)
        print(lesson.id)
    return 0


def cmd_lesson_list(args: argparse.Namespace, folder: Path) -> int:
    from oursociety_desktop.models import lessons

    flt = lessons.LessonFilter(search=args.search, theme=args.theme, kind=args.kind, year=four_digit_year(args.year))
    with open_hub(folder) as db:
        with db.write() as tx:
            lessons.refresh_lesson_index(tx.session.connection())
        with db.read() as session:
            rows = lessons.list_lessons(session, flt)
            if args.json:
                found = [session.get(Lesson, r.id) for r in rows]
                print_json([lessons.lesson_json(session, x, db.hub_id) for x in found if x is not None])
                return 0
        for row in rows:
            print(f"{row.id[:8]}  {row.date or '----------'}  {row.kind:<14}  {row.title}"
                  + (f"  [{', '.join(row.themes)}]" if row.themes else ""))
    return 0


def cmd_lesson_show(args: argparse.Namespace, folder: Path) -> int:
    from oursociety_desktop.models import lessons
    from oursociety_desktop.models.records import get_record

    with open_hub(folder) as db:
        with db.read() as session:
            data = lessons.lesson_json(session, get_record(session, Lesson, args.id), db.hub_id)
        if args.json:
            print_json(data)
        else:
            for name in ("title", "kind", "date", "place", "challenge", "tried", "worked", "not_worked", "advice"):
                if data[name]:
                    print(f"{name.replace('_', ' ')}: {data[name]}")
            if data["themes"]:
                print(_("themes: {themes}").format(themes=", ".join(data["themes"])))
            if data["people"]:
                print(_("people: {people}").format(people=", ".join(data["people"])))
    return 0


def _offer_or_need_values(args: argparse.Namespace) -> dict[str, Any]:
    values: dict[str, Any] = {"contact_id": args.contact_id, "text": args.text, "themes": args.theme,
                              "availability": args.availability, "until": args.until}
    if args.kind:
        values["kind"] = args.kind
    if args.locality is not None:
        values["locality"] = args.locality
    return values


def cmd_offer_add(args: argparse.Namespace, folder: Path) -> int:
    from oursociety_desktop.models import offers

    with open_hub(folder) as db:
        with db.write() as tx:
            record = offers.create_offer(tx, _offer_or_need_values(args))
        print(record.id)
    return 0


def cmd_need_add(args: argparse.Namespace, folder: Path) -> int:
    from oursociety_desktop.models import offers

    with open_hub(folder) as db:
        with db.write() as tx:
            record = offers.create_need(tx, _offer_or_need_values(args))
        print(record.id)
    return 0


def cmd_matches(args: argparse.Namespace, folder: Path) -> int:
    from oursociety_desktop.models import matching  # numpy and rapidfuzz: only here

    with open_hub(folder) as db:
        with db.read() as session:
            found = matching.find_matches(session.connection(), db.hub_id)
    if args.json:
        print_json([m.to_json() for m in found])
        return 0
    if not found:
        print(_("No suggestions: no offer fits a need yet."))
    for m in found:
        print(f"{m.need_id[:8]} {m.need_person}: {m.need_text}\n"
              f"    -> {m.offer_id[:8]} {m.offer_person}: {m.offer_text}\n       ({m.reason})")
    return 0


def cmd_matches_accept(args: argparse.Namespace, folder: Path) -> int:
    from oursociety_desktop.models import match_decisions

    with open_hub(folder) as db:
        with db.write() as tx:
            connection = match_decisions.accept_match(tx, args.need_id, args.offer_id, args.broker)
        print(connection.id)
    return 0


def cmd_matches_decline(args: argparse.Namespace, folder: Path) -> int:
    from oursociety_desktop.models import match_decisions

    with open_hub(folder) as db:
        with db.write() as tx:
            match_decisions.decline_match(tx, args.need_id, args.offer_id)
    return 0


def cmd_hours_add(args: argparse.Namespace, folder: Path) -> int:
    with open_hub(folder) as db:
        with db.write() as tx:
            values: dict[str, Any] = {"contact_id": args.contact_id, "hours": args.hours, "note": args.note,
                                      "kind": "pledged" if args.pledged else "given", "action_id": args.action}
            if args.group:
                values["group_id"] = find_group(tx.session, args.group).id
            if args.date:
                values["date"] = args.date
            record = hours_service.add_hours(tx, values)
        print(record.id)
    return 0


def cmd_hours_totals(args: argparse.Namespace, folder: Path) -> int:
    year = four_digit_year(args.year)
    with open_hub(folder) as db:
        with db.read() as session:
            rows = hours_service.hours_totals(session, args.by, year)
    if args.json:
        print_json([{args.by: r.key, "given": r.given, "pledged": r.pledged} for r in rows])
        return 0
    for row in rows:
        print(_("{key:<40} {given:>8g} h given  {pledged:>8g} h pledged")
              .format(key=row.shown_key, given=row.given, pledged=row.pledged))
    return 0
