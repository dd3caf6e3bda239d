"""The call list (phone tree): names and phone numbers only, with a box to tick once the person is reached.

Only people in the directory who have a number and have not asked not to be phoned are on it."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, TableStyle

from oursociety_desktop.formats.pdf.contact_tables import Column, contact_table
from oursociety_desktop.formats.pdf.furniture import TICK_BOX, TextBlock, begin, build_document, frame_width
from oursociety_desktop.formats.pdf.options import PrintOptions, PrintResult, finished, report
from oursociety_desktop.formats.pdf.selection import group_roles, resolve_group, select_contacts, withheld_note
from oursociety_desktop.i18n import N_, _, ngettext
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.progress import Progress


def print_call_list(db: Database, options: PrintOptions, out: Path, progress: Progress | None = None
                    ) -> PrintResult:
    """Write the call list to `out`."""
    sizes = begin(options, progress)
    with db.read() as session:
        group = resolve_group(session, options.group)
        wanted = group_roles(session, group.id) if group else None
        selection = select_contacts(session, "directory", contact_ids=wanted, tag=options.tag)
    callable_people = sorted((c for c in selection.contacts if c.phones), key=lambda c: c.key(options.sort))
    no_phone = len(selection.contacts) - len(callable_people)
    report(progress, 20, _("Setting out the call list"))
    title = _("Call list: {group}").format(group=group.name) if group else _("Call list")
    if options.tag:
        title = _("{title} \u2014 tagged \u201c{tag}\u201d").format(title=title, tag=options.tag)
    story: list[Flowable] = [TextBlock(title, sizes.title, bold=True, space_after=2 * mm)]
    notes = withheld_note(selection.withheld, _("not in the directory by their choice"))
    notes += withheld_note(no_phone, _("no phone number, or asked not to be phoned"))
    to_call = ngettext("{count} person to call.", "{count} people to call.", len(callable_people))
    story.append(TextBlock("\n".join([to_call.format(count=len(callable_people)), *notes]), sizes.body,
                           space_after=3 * mm))
    # Large print gives the name more room: a 16 pt name would otherwise be cut, and the notes are handwritten.
    weights = (4.5, 3.2, 1.8) if options.large_print else (3.0, 3.0, 3.5)
    columns = [Column("name", N_("Name"), lambda c: c.name, weights[0]),
               Column("phone", N_("Phone"), lambda c: "\n".join(c.phones), weights[1]),
               Column("notes", N_("Notes"), lambda c: "", weights[2])]
    if callable_people:
        table = contact_table(callable_people, columns, frame_width(options), sizes,
                              lead_cells=[(sizes.body * 4.2, lambda c: TICK_BOX)], lead_titles=[N_("Reached")])
        # Room to write a note beside each call, and a box big enough to tick.
        table.setStyle(TableStyle([
            ("TOPPADDING", (0, 1), (-1, -1), sizes.body * 0.5),
            ("BOTTOMPADDING", (0, 1), (-1, -1), sizes.body * 0.7),
            ("FONTSIZE", (0, 1), (0, -1), sizes.body * 1.4),
            ("LEADING", (0, 1), (0, -1), sizes.body * 1.4),
        ]))
        story.append(table)
    pages = build_document(out, story, options, db.hub_name, title, progress)
    finished(progress)
    return PrintResult(pages, len(callable_people), selection.withheld + no_phone, notes)
