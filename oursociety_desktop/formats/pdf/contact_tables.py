"""Contact tables shared by the directory, group sheet and call list: columns from the chosen fields, cells
wrapped to their column, a light rule under each row."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.platypus import CondPageBreak, Flowable, Table, TableStyle

from oursociety_desktop.formats.pdf import fonts
from oursociety_desktop.formats.pdf.furniture import RULE_GREY, SHADE, SMALLEST, Sizes, cell
from oursociety_desktop.formats.pdf.selection import PrintedContact
from oursociety_desktop.i18n import N_, _

PADDING = 3.0
WHOLE = frozenset({"name", "organisation"})  # columns whose wrapped text must extract (and be found) whole
HEADER_GREY = colors.Color(0.3, 0.3, 0.3)
# Column titles are translated where the header row is drawn (`header_row`).
FIELD_TITLES = {"name": N_("Name"), "organisation": N_("Organisation"), "role": N_("Role"), "phone": N_("Phone"),
                "email": N_("Email"), "address": N_("Address"), "languages": N_("Languages"),
                "tags": N_("Skills and interests"), "details": N_("Contact details"), "group_role": N_("Role in group")}
FIELD_WEIGHTS = {"name": 3.0, "organisation": 2.6, "role": 2.0, "phone": 3.4, "email": 3.8, "address": 3.8,
                 "languages": 2.4, "tags": 3.0, "details": 5.0, "group_role": 2.1}


@dataclass(frozen=True)
class Column:
    """A table column: its key, title, and how to get a contact's text for it."""

    key: str
    title: str
    text: Callable[[PrintedContact], str]
    weight: float
    prefix: str = ""


def contact_columns(fields: Sequence[str], large_print: bool, extra: Sequence[Column] = ()) -> list[Column]:
    """The name column, any extra columns (a role in a group), then the chosen fields. In large print the
    fields stack in one "contact details" column, so 16 pt text is not squeezed into narrow columns."""
    columns = [Column("name", FIELD_TITLES["name"], lambda c: c.name, FIELD_WEIGHTS["name"])]
    if large_print and len(fields) + len(extra) > 1:
        # Extra columns (a role in a group) join the stack too: beside a wrapped 16 pt name, a narrow column
        # would be read into the middle of the name by text extraction.
        chosen = tuple(fields)
        extras = tuple(extra)

        def details(c: PrintedContact) -> str:
            texts = [f"{e.title}: {e.text(c)}" for e in extras] + [c.field_text(f) for f in chosen]
            return "\n".join(t for t in texts if t)

        columns.append(Column("details", FIELD_TITLES["details"], details, FIELD_WEIGHTS["details"]))
        return columns
    columns.extend(extra)
    for name in fields:
        columns.append(Column(name, FIELD_TITLES[name], _field_getter(name), FIELD_WEIGHTS[name]))
    return columns


def _field_getter(name: str) -> Callable[[PrintedContact], str]:
    def text(contact: PrintedContact) -> str:
        return contact.field_text(name)

    return text


def column_widths(columns: Sequence[Column], total: float, fixed: Sequence[float] = ()) -> list[float]:
    """Share `total` points between the columns by weight, after any fixed-width leading columns."""
    rest = total - sum(fixed)
    weight = sum(c.weight for c in columns) or 1.0
    return [*fixed, *(rest * c.weight / weight for c in columns)]


def contact_table(contacts: Sequence[PrintedContact], columns: Sequence[Column], total_width: float,
                  sizes: Sizes, lead_cells: Sequence[tuple[float, Callable[[PrintedContact], str]]] = (),
                  lead_titles: Sequence[str] = ()) -> Table:
    """A table of contacts with a repeated header row; `lead_cells` are narrow fixed columns (tick boxes),
    headed by `lead_titles`."""
    widths = column_widths(columns, total_width, [w for w, _ in lead_cells])
    size, leading = sizes.body, sizes.leading
    titles = list(lead_titles) + [""] * (len(lead_cells) - len(lead_titles))
    rows: list[list[str | Flowable]] = [header_row([*titles, *(c.title for c in columns)], widths, sizes)]
    n_lead = len(lead_cells)
    for contact in contacts:
        row: list[str | Flowable] = [text(contact) for _, text in lead_cells]
        for i, column in enumerate(columns):
            font = fonts.BOLD if column.key == "name" else fonts.BODY
            row.append(cell(column.text(contact), widths[n_lead + i] - 2 * PADDING, size, leading, font,
                            sizes.smallest, whole=column.key in WHOLE))
        rows.append(row)
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(table_style(n_lead, size, leading, sizes.furniture, sizes.header_colour))
    return table


def header_row(titles: Sequence[str], widths: Sequence[float], sizes: Sizes) -> list[str | Flowable]:
    """Column headings wrapped to their columns, so none runs past the text area."""
    leading = sizes.furniture * 1.2
    smallest = sizes.furniture if sizes.large else SMALLEST
    return [cell(_(title) if title else "", width - 2 * PADDING, sizes.furniture, leading, smallest=smallest)
            for title, width in zip(titles, widths, strict=True)]


def table_style(name_column: int, size: float, leading: float, header_size: float,
                header_colour: colors.Color = HEADER_GREY) -> TableStyle:
    """Body font, bold names, a shaded header row, top-aligned cells and light row rules."""
    return TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), fonts.BODY),
        ("FONTSIZE", (0, 1), (-1, -1), size),
        ("LEADING", (0, 1), (-1, -1), leading),
        ("FONTNAME", (name_column, 1), (name_column, -1), fonts.BOLD),
        ("FONTSIZE", (0, 0), (-1, 0), header_size),
        ("LEADING", (0, 0), (-1, 0), header_size * 1.2),
        ("TEXTCOLOR", (0, 0), (-1, 0), header_colour),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE_GREY),
    ])


def kept_with_rows(heading: Flowable, contacts: Sequence[PrintedContact], columns: Sequence[Column],
                   total_width: float, sizes: Sizes) -> list[Flowable]:
    """A heading and its table, with a page break before the heading unless the heading, the column headings
    and the first two rows fit on the page: a heading never sits alone at the foot of a page."""
    table = contact_table(contacts, columns, total_width, sizes)
    first = contact_table(contacts[:2], columns, total_width, sizes)
    _, heading_height = heading.wrap(total_width, 10_000)
    _, rows_height = first.wrap(total_width, 10_000)
    needed = heading_height + heading.getSpaceBefore() + heading.getSpaceAfter() + rows_height + 1
    return [CondPageBreak(needed), heading, table]
