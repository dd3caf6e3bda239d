"""The directory: everyone who agreed to be listed, A–Z under letter headings, or section by section per group."""

from __future__ import annotations

from itertools import groupby
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable
from sqlmodel import col, select

from oursociety_desktop.formats.pdf.collation import collation_key, heading, heading_position
from oursociety_desktop.formats.pdf.contact_tables import contact_columns, kept_with_rows
from oursociety_desktop.formats.pdf.furniture import TextBlock, begin, build_document, frame_width
from oursociety_desktop.formats.pdf.options import PrintOptions, PrintResult, finished, report
from oursociety_desktop.formats.pdf.selection import (
    PrintedContact,
    memberships,
    resolve_group,
    select_contacts,
    withheld_note,
)
from oursociety_desktop.i18n import Nn_, _, ngettext
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.progress import Progress
from oursociety_desktop.models.tables import Group

# Whole sentences per sort order, each with its plural forms (a language may inflect the sort's name).
SUMMARIES = {
    ("family", False): Nn_("{count} person, sorted by family name.", "{count} people, sorted by family name."),
    ("given", False): Nn_("{count} person, sorted by first name.", "{count} people, sorted by first name."),
    ("family", True): Nn_("{count} person, sorted by family name, by group.",
                       "{count} people, sorted by family name, by group."),
    ("given", True): Nn_("{count} person, sorted by first name, by group.",
                      "{count} people, sorted by first name, by group."),
}




def print_directory(db: Database, options: PrintOptions, out: Path, progress: Progress | None = None
                    ) -> PrintResult:
    """Write the directory PDF to `out`: A–Z, or by group with `options.by_group`."""
    sizes = begin(options, progress)
    sections: list[tuple[str, list[PrintedContact]]] = []
    with db.read() as session:
        group = resolve_group(session, options.group)
        members = memberships(session)
        wanted = None if group is None else [cid for cid, _ in members.get(group.id, [])]
        selection = select_contacts(session, "directory", contact_ids=wanted, tag=options.tag)
        # Sorted by index bucket, then by collation within it, so each heading's people are together.
        contacts = sorted(selection.contacts, key=lambda c: (heading_position(c.order_text(options.sort)),
                                                             c.key(options.sort)))
        if options.by_group:
            groups = [group] if group else list(session.exec(select(Group).where(col(Group.deleted).is_(False))))
            by_id = {c.id: c for c in contacts}
            placed: set[str] = set()
            for g in sorted(groups, key=lambda g: collation_key(g.name)):
                ids = {cid for cid, _ in members.get(g.id, [])}
                section = sorted((by_id[i] for i in ids if i in by_id), key=lambda c: c.key(options.sort))
                placed.update(c.id for c in section)
                if section:
                    sections.append((g.name, section))
            rest = [c for c in contacts if c.id not in placed]
            if rest and group is None:
                sections.append((_("Not in any group"), rest))
        else:
            sections = [(heading(items[0].order_text(options.sort)), items) for items in
                        (list(g) for _, g in groupby(contacts, key=lambda c: heading_position(
                            c.order_text(options.sort))))]
    report(progress, 10, _("Setting out the directory"))
    width = frame_width(options)
    columns = contact_columns(options.fields, options.large_print)
    title = _("Directory: {group}").format(group=group.name) if group else _("Directory")
    if options.tag:
        title = _("{title} \u2014 tagged \u201c{tag}\u201d").format(title=title, tag=options.tag)
    story: list[Flowable] = [TextBlock(title, sizes.title, bold=True, space_after=2 * mm)]
    summary = ngettext(*SUMMARIES[(options.sort, options.by_group)], len(contacts)).format(count=len(contacts))
    story.append(TextBlock(summary, sizes.body, space_after=3 * mm))
    if not contacts:
        story.append(TextBlock(_("Nobody in this selection has agreed to be listed in the directory."), sizes.body))
    for i, (title_text, section) in enumerate(sections):
        heading_block = TextBlock(title_text, sizes.heading, bold=True, space_before=3 * mm, space_after=1 * mm)
        story.extend(kept_with_rows(heading_block, section, columns, width, sizes))
        report(progress, 10 + 20 * (i + 1) // max(1, len(sections)), _("Setting out the directory"))
    pages = build_document(out, story, options, db.hub_name, title, progress)
    finished(progress)
    entries = sum(len(s) for _, s in sections)
    return PrintResult(pages, entries, selection.withheld,
                       withheld_note(selection.withheld, _("not included in the directory by their choice")))
