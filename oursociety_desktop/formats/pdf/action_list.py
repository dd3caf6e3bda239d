"""The action list / agenda: open actions by owner (or by group), due dates, overdue ones marked, tick boxes.

Owners appear by name only if they agreed to be in the directory; others show as "a hub contact"."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table
from sqlmodel import col, select

from oursociety_desktop.formats.pdf import fonts
from oursociety_desktop.formats.pdf.collation import collation_key
from oursociety_desktop.formats.pdf.contact_tables import PADDING, header_row, table_style
from oursociety_desktop.formats.pdf.furniture import (
    TICK_BOX,
    Sizes,
    TextBlock,
    begin,
    build_document,
    cell,
    frame_width,
    long_date,
)
from oursociety_desktop.formats.pdf.options import PrintOptions, PrintResult, finished, report
from oursociety_desktop.formats.pdf.selection import resolve_group, select_contacts
from oursociety_desktop.formats.pdf.shaping import isolate_join
from oursociety_desktop.i18n import N_, _, ngettext
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.progress import Progress
from oursociety_desktop.models.tables import Action, ActionLink, Group
from oursociety_desktop.models.text import fold

OPEN_STATUSES = ("open", "doing")
UNLISTED = N_("a hub contact (not in the directory)")
NO_OWNER = N_("No owner yet")
NO_GROUP = N_("No group")
OVERDUE_RED = colors.Color(0.65, 0.0, 0.0)


def when(action: Action) -> str:
    """The date an action is for: its due date, else (a meeting) when it starts."""
    return action.due or action.starts_at or ""


def due_text(due: str, today: date) -> tuple[str, bool]:
    """The date as "12 March 2026" (with the time if any) and whether it is past."""
    if not due:
        return "", False
    day = date.fromisoformat(due[:10])
    text = long_date(day) + (f", {due[11:16]}" if len(due) > 10 else "")
    return text, day < today


def action_when(action: Action, today: date) -> tuple[str, bool]:
    """What the Due column shows: the due date, or a meeting's start, with its time; and whether it is past."""
    text, past = due_text(when(action), today)
    if action.due and action.starts_at and action.starts_at[:16] != action.due[:16]:
        start = due_text(action.starts_at, today)[0]
        text = _("{date}\n(starts {start})").format(date=text, start=start)
    return text, past


def print_action_list(db: Database, options: PrintOptions, out: Path, progress: Progress | None = None
                      ) -> PrintResult:
    """Write the open actions to `out`, in sections by owner, or by group with `options.by_group`."""
    sizes = begin(options, progress)
    with db.read() as session:
        group = resolve_group(session, options.group)
        query = select(Action).where(col(Action.deleted).is_(False), col(Action.status).in_(OPEN_STATUSES))
        if group is not None:
            query = query.where(col(Action.group_id) == group.id)
        actions = list(session.exec(query).all())
        links = session.exec(select(ActionLink.action_id, ActionLink.contact_id).where(
            col(ActionLink.deleted).is_(False), col(ActionLink.role) == "owner")).all()
        owners: dict[str, list[str]] = defaultdict(list)
        wanted_actions = {a.id for a in actions}
        for action_id, contact_id in links:
            if action_id in wanted_actions:
                owners[action_id].append(contact_id)
        listed = {c.id: c for c in select_contacts(
            session, "directory", contact_ids={cid for ids in owners.values() for cid in ids}).contacts}
        group_names = {g.id: g.name for g in session.exec(select(Group).where(col(Group.deleted).is_(False)))}
    if options.tag:
        tag = fold(options.tag)
        actions = [a for a in actions if any(tag in (fold(t) for t in listed[c].tags)
                                             for c in owners.get(a.id, []) if c in listed)]
    report(progress, 20, _("Setting out the actions"))

    def owner_names(action: Action) -> list[str]:
        names = sorted({listed[c].name if c in listed else _(UNLISTED) for c in owners.get(action.id, [])})
        return names or [_(NO_OWNER)]

    sections: dict[str, list[Action]] = defaultdict(list)
    for action in actions:
        keys = [group_names.get(action.group_id, _(NO_GROUP))] if options.by_group else owner_names(action)
        for key in keys:
            sections[key].append(action)
    tail = (_(NO_OWNER), _(UNLISTED), _(NO_GROUP))
    order = sorted(sections, key=lambda k: (k in tail, tail.index(k) if k in tail else 0, collation_key(k)))
    title = _("Open actions: {group}").format(group=group.name) if group else _("Open actions")
    width = frame_width(options)
    story: list[Flowable] = [TextBlock(title, sizes.title, bold=True, space_after=2 * mm)]
    overdue_count = sum(action_when(a, options.today)[1] for a in actions)
    summary = (ngettext("{count} open action, {overdue} overdue, as of {date}; by group.",
                        "{count} open actions, {overdue} overdue, as of {date}; by group.", len(actions))
               if options.by_group else
               ngettext("{count} open action, {overdue} overdue, as of {date}; by owner.",
                        "{count} open actions, {overdue} overdue, as of {date}; by owner.", len(actions)))
    story.append(TextBlock(summary.format(count=len(actions), overdue=overdue_count, date=long_date(options.today)),
                           sizes.body, space_after=2 * mm))
    if not actions:
        story.append(TextBlock(_("No open actions."), sizes.body))
    if actions:
        other = (lambda a: group_names.get(a.group_id, "")) if not options.by_group \
            else (lambda a: ", ".join(owner_names(a)))
        grouped = [(key, sorted(sections[key], key=lambda a: (not when(a), when(a), fold(a.title))))
                   for key in order]
        story.append(action_table(grouped, options, width, sizes, other))
    pages = build_document(out, story, options, db.hub_name, title, progress)
    finished(progress)
    return PrintResult(pages, len(actions), 0, [])


def action_table(sections: list[tuple[str, list[Action]]], options: PrintOptions, width: float, sizes: Sizes,
                 other: Callable[[Action], str]) -> Table:
    """One table, its column titles repeated on every page: a heading row per owner (or group), then that
    section's actions: tick box, action (title, kind, where), date (overdue marked), group or owners."""
    size, leading, heading_size = sizes.body, sizes.leading, sizes.heading
    tick = size * 3.2
    widths = [tick] + [(width - tick) * w for w in (0.46, 0.22, 0.32)]
    rows: list[list[object]] = [
        list(header_row([N_("Done"), N_("Action"), N_("Due"), N_("Owner") if options.by_group else N_("Group")],
                        widths, sizes))]
    style = table_style(1, size, leading, sizes.furniture, sizes.header_colour)
    style.add("FONTNAME", (1, 1), (1, -1), fonts.BODY)
    for key, actions in sections:
        r = len(rows)
        rows.append([cell(key, width - 2 * PADDING, heading_size, heading_size * 1.22, fonts.BOLD), "", "", ""])
        style.add("SPAN", (0, r), (-1, r))
        style.add("FONTNAME", (0, r), (-1, r), fonts.BOLD)
        style.add("FONTSIZE", (0, r), (-1, r), heading_size)
        style.add("LEADING", (0, r), (-1, r), heading_size * 1.22)
        style.add("TOPPADDING", (0, r), (-1, r), heading_size * 0.6)
        style.add("LINEBELOW", (0, r), (-1, r), 0.8, colors.black)
        # A heading never ends a page alone: at least two of its rows go with it.
        style.add("NOSPLIT", (0, r), (-1, r + min(2, len(actions))))
        for action in actions:
            kind = action.kind + (f", {action.status}" if action.status != "open" else "")
            details = action.title + "\n" + isolate_join([kind, action.location], " \u2014 ")
            due, overdue = action_when(action, options.today)
            if overdue:
                due += "\n" + _("OVERDUE")
                style.add("FONTNAME", (2, len(rows)), (2, len(rows)), fonts.BOLD)
                style.add("TEXTCOLOR", (2, len(rows)), (2, len(rows)), OVERDUE_RED)
            rows.append([TICK_BOX,
                         cell(details, widths[1] - 2 * PADDING, size, leading, smallest=sizes.smallest),
                         cell(due, widths[2] - 2 * PADDING, size, leading, smallest=sizes.smallest),
                         cell(other(action), widths[3] - 2 * PADDING, size, leading, smallest=sizes.smallest)])
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(style)
    return table
