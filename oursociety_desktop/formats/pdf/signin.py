"""The sign-in sheet: a meeting's or group's people pre-printed with a tick box, then blank rows where
newcomers write their name, phone and email and tick whether the hub may contact them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle
from sqlmodel import col, select

from oursociety_desktop.formats.pdf import fonts
from oursociety_desktop.formats.pdf.contact_tables import Column, contact_table, header_row, table_style
from oursociety_desktop.formats.pdf.furniture import (
    TICK_BOX,
    Sizes,
    TextBlock,
    begin,
    build_document,
    frame_width,
    long_date,
)
from oursociety_desktop.formats.pdf.options import PrintOptions, PrintResult, finished, report
from oursociety_desktop.formats.pdf.selection import group_roles, resolve_group, select_contacts, withheld_note
from oursociety_desktop.i18n import N_, _
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.progress import Progress
from oursociety_desktop.models.records import get_record
from oursociety_desktop.models.tables import Action, ActionLink, Group


def meeting_heading(action: Action) -> str:
    """"Title", then when and where, as one text."""
    when = action.starts_at or action.due
    parts = [action.title]
    when_text = long_date(date.fromisoformat(when[:10])) + (f", {when[11:16]}" if len(when) > 10 else "") \
        if when else ""
    details = [p for p in (when_text, action.location) if p]
    if details:
        parts.append(" \u2014 ".join(details))
    return "\n".join(parts)


def print_signin_sheet(db: Database, options: PrintOptions, out: Path, progress: Progress | None = None
                       ) -> PrintResult:
    """Write a sign-in sheet for `options.action` (a meeting) and/or `options.group` to `out`."""
    sizes = begin(options, progress)
    heading = _("Sign-in sheet")
    people: set[str] = set()
    chosen = False
    with db.read() as session:
        group = resolve_group(session, options.group)
        action = get_record(session, Action, options.action, live=True) if options.action.strip() else None
        if action is not None:
            chosen = True
            people.update(session.exec(select(ActionLink.contact_id).where(
                col(ActionLink.action_id) == action.id, col(ActionLink.deleted).is_(False))).all())
            if group is None and action.group_id:
                group = session.exec(select(Group).where(col(Group.id) == action.group_id,
                                                         col(Group.deleted).is_(False))).first()
        if group is not None:
            chosen = True
            people.update(group_roles(session, group.id))
        selection = select_contacts(session, "directory", contact_ids=people, tag=options.tag) if chosen else None
    report(progress, 20, _("Setting out the sheet"))
    subtitle = meeting_heading(action) if action is not None else ""
    if group is not None:
        subtitle = "\n".join(p for p in (subtitle, _("Group: {group}").format(group=group.name)) if p)
    width = frame_width(options)
    story: list[Flowable] = [TextBlock(heading, sizes.title, bold=True, space_after=2 * mm)]
    if subtitle:
        story.append(TextBlock(subtitle, sizes.heading, bold=True, space_after=3 * mm))
    contacts = sorted(selection.contacts, key=lambda c: c.key(options.sort)) if selection else []
    if contacts:
        story.append(TextBlock(_("Please tick your name."), sizes.body, space_after=2 * mm))
        columns = [Column("name", N_("Name"), lambda c: c.name, 3.0),
                   Column("changes", N_("New phone, email or address?"), lambda c: "", 4.0)]
        tick_width = sizes.body * 3.2
        table = contact_table(contacts, columns, width, sizes, lead_cells=[(tick_width, lambda c: TICK_BOX)],
                              lead_titles=[N_("Here")])
        # Room to tick with a pen: taller rows, a bigger box.
        table.setStyle(TableStyle([
            ("TOPPADDING", (0, 1), (-1, -1), sizes.body * 0.6),
            ("BOTTOMPADDING", (0, 1), (-1, -1), sizes.body * 0.6),
            ("FONTSIZE", (0, 1), (0, -1), sizes.body * 1.5),
            ("LEADING", (0, 1), (0, -1), sizes.body * 1.5),
            ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
        ]))
        story.append(table)
    story.append(TextBlock(_("New here? Please add your details"), sizes.heading, bold=True, space_before=5 * mm,
                           space_after=1 * mm))
    story.append(TextBlock(_("Tick “OK to contact” if {hub_name} may keep your details and contact you "
                           "about its work. You can change your mind at any time.")
                           .format(hub_name=db.hub_name), sizes.body, space_after=2 * mm))
    story.append(blank_rows_table(options.blank_rows, width, sizes))
    pages = build_document(out, story, options, db.hub_name, heading, progress)
    finished(progress)
    withheld = selection.withheld if selection else 0
    return PrintResult(pages, len(contacts), withheld,
                       withheld_note(withheld, _("not in the directory by their choice; they can sign below")))


def blank_rows_table(count: int, width: float, sizes: Sizes) -> Table:
    """Empty rows tall enough for handwriting: name, phone, email and an "OK to contact" box."""
    size = sizes.body
    box_width = max(20 * mm, size * 5.5)
    widths = [(width - box_width) * w for w in (0.34, 0.26, 0.40)] + [box_width]
    titles = [N_("Name"), N_("Phone"), N_("Email"), N_("OK to contact")]
    rows: list[list[object]] = [list(header_row(titles, widths, sizes))]
    rows += [["", "", "", TICK_BOX] for _row in range(count)]
    row_height = max(10 * mm, size * 2.4)
    table = Table(rows, colWidths=widths, rowHeights=[None] + [row_height] * count, repeatRows=1)
    style = table_style(0, size, size * 1.22, sizes.furniture, sizes.header_colour)
    style.add("FONTNAME", (0, 1), (0, -1), fonts.BODY)
    style.add("ALIGN", (3, 0), (3, -1), "CENTER")
    style.add("VALIGN", (0, 1), (-1, -1), "MIDDLE")
    style.add("FONTSIZE", (3, 1), (3, -1), size * 1.6)
    style.add("LEADING", (3, 1), (3, -1), size * 1.8)
    style.add("GRID", (0, 0), (-1, -1), 0.5, "#999999")
    table.setStyle(style)
    return table
