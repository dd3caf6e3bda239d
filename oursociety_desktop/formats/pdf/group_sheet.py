"""The group sheet: a group's details and its members, coordinators first, with their contact details."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable
from sqlmodel import col, select

from oursociety_desktop.formats.pdf.contact_tables import (
    FIELD_TITLES,
    FIELD_WEIGHTS,
    Column,
    contact_columns,
    kept_with_rows,
)
from oursociety_desktop.formats.pdf.furniture import TextBlock, begin, build_document, frame_width
from oursociety_desktop.formats.pdf.options import PrintOptions, PrintResult, finished, report
from oursociety_desktop.formats.pdf.selection import group_roles, select_contacts, withheld_note
from oursociety_desktop.i18n import _
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.groups import find_group
from oursociety_desktop.models.progress import Progress
from oursociety_desktop.models.tables import Group


def print_group_sheet(db: Database, options: PrintOptions, out: Path, progress: Progress | None = None
                      ) -> PrintResult:
    """Write one group's sheet (`options.group` names it) to `out`."""
    sizes = begin(options, progress)
    if not options.group.strip():
        raise UserError(_("Choose a group for the group sheet (--group NAME)."))
    with db.read() as session:
        group = find_group(session, options.group)
        parent = session.exec(select(Group).where(col(Group.id) == group.parent_id,
                                                  col(Group.deleted).is_(False))).first() if group.parent_id else None
        roles = group_roles(session, group.id)
        selection = select_contacts(session, "directory", contact_ids=roles, tag=options.tag)
    report(progress, 20, _("Setting out the sheet"))
    members = sorted(selection.contacts,
                     key=lambda c: (roles.get(c.id) != "coordinator", c.key(options.sort)))
    facts = [_("Kind: {kind}").format(kind=group.kind)]
    if parent is not None:
        facts.append(_("Part of: {group}").format(group=parent.name))
    coordinators = [c.name for c in members if roles.get(c.id) == "coordinator"]
    if coordinators:
        facts.append(_("Coordinated by: {names}").format(names=", ".join(coordinators)))
    facts.append(_("Members listed: {count}").format(count=len(members)))
    story: list[Flowable] = [TextBlock(group.name, sizes.title, bold=True, space_after=2 * mm)]
    story.append(TextBlock("\n".join(facts), sizes.body, space_after=2 * mm))
    if group.description.strip():
        story.append(TextBlock(group.description.strip(), sizes.body, space_after=2 * mm))
    notes = withheld_note(selection.withheld, _("members who chose not to be listed"))
    if notes:
        story.append(TextBlock(notes[0], sizes.furniture, space_after=2 * mm))
    role_column = Column("group_role", FIELD_TITLES["group_role"], lambda c: roles.get(c.id, "member"),
                         FIELD_WEIGHTS["group_role"])
    columns = contact_columns(options.fields, options.large_print, extra=[role_column])
    members_heading = TextBlock(_("Members"), sizes.heading, bold=True, space_before=2 * mm, space_after=1 * mm)
    if members:
        story.extend(kept_with_rows(members_heading, members, columns, frame_width(options), sizes))
    else:
        story.extend([members_heading, TextBlock(_("No members to list."), sizes.body)])
    title = _("Group sheet: {group}").format(group=group.name)
    pages = build_document(out, story, options, db.hub_name, title, progress)
    finished(progress)
    return PrintResult(pages, len(members), selection.withheld, notes)
