"""Address labels on Avery sheets (L7160, L7161, L7163 on A4; 5160, 5163 on Letter), starting at any label of
a part-used sheet. Contacts who asked for no post (`do_not_mail`) are skipped, and so are those without an
address. The text shrinks to fit a label (never below 7 pt; a label shrunk or shortened is named in the notes).
Large print sets the labels and the page furniture at 16 pt; a sheet whose margins have no room for 16 pt type
gets a cover page for the furniture."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from oursociety_desktop.formats.pdf import fonts
from oursociety_desktop.formats.pdf.choices import label_format_specs
from oursociety_desktop.formats.pdf.furniture import (
    PRIVACY_LINE,
    SAFE_EDGE,
    SIDE_MARGIN,
    TOP_MARGIN,
    Furniture,
    canvas_class,
)
from oursociety_desktop.formats.pdf.options import (
    PAPER_SIZES,
    PrintOptions,
    PrintResult,
    finished,
    report,
)
from oursociety_desktop.formats.pdf.selection import (
    PrintedContact,
    group_roles,
    resolve_group,
    select_contacts,
    withheld_note,
)
from oursociety_desktop.formats.pdf.shaping import Line, draw_lines, isolate_join, layout
from oursociety_desktop.i18n import _, ngettext
from oursociety_desktop.models.atomic import atomic_path
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.progress import Progress

INSET = 3 * mm  # space kept clear inside each label: printers drift by a millimetre or two
MIN_SIZE = 7.0  # the smallest type an address label is printed in
PAPER_NAMES = {"a4": "A4", "letter": "US Letter"}
LEADING = 1.15  # line spacing, as a multiple of the type size
LARGE_FURNITURE = 16.0  # the header and footer in large print, as on every other large-print page
ASCENT, DESCENT = 0.93, 0.24  # DejaVu Sans, as a share of the type size


@dataclass(frozen=True)
class LabelFormat:
    """One sheet layout, in millimetres."""

    code: str
    name: str
    paper: str
    columns: int
    rows: int
    label_width: float
    label_height: float
    top: float
    left: float
    h_pitch: float
    v_pitch: float
    corner_radius: float

    @property
    def per_sheet(self) -> int:
        """Labels on one sheet."""
        return self.columns * self.rows

    def position(self, index: int) -> tuple[float, float, float, float]:
        """Label `index` (0-based, along each row then down) as (x, y, width, height) in points, y from the
        bottom of the page as PDF counts it."""
        row, column = divmod(index % self.per_sheet, self.columns)
        page_height = PAPER_SIZES[self.paper][1]
        x = (self.left + column * self.h_pitch) * mm
        top = (self.top + row * self.v_pitch) * mm
        return x, page_height - top - self.label_height * mm, self.label_width * mm, self.label_height * mm


@cache
def label_formats() -> dict[str, LabelFormat]:
    """The label formats shipped in resources/labels/formats.json, by code."""
    return {code: LabelFormat(code=code, **spec) for code, spec in label_format_specs().items()}


def find_format(code: str) -> LabelFormat:
    """A label format by code (case-insensitive; "Avery L7160" works too), or a one-line UserError."""
    wanted = code.strip().upper().removeprefix("AVERY").strip()
    formats = label_formats()
    if wanted not in formats:
        raise UserError(_("Unknown label format '{code}'; use one of {formats}.")
                        .format(code=code, formats=', '.join(formats)))
    return formats[wanted]


def _laid(lines: list[str], width: float, size: float) -> list[Line]:
    laid: list[Line] = []
    for i, text in enumerate(lines):
        laid.extend(layout(text, fonts.BOLD if i == 0 else fonts.BODY, size, width))
    return laid


def _fits(laid: list[Line], width: float, height: float, size: float) -> bool:
    return len(laid) * size * LEADING <= height and all(line.width <= width + 0.01 and not line.cut
                                                         for line in laid)


@dataclass
class FittedLabel:
    """A label's lines at the size they fit, and whether it had to lose street lines to fit at all."""

    size: float
    lines: list[Line]
    shortened: bool = False


def fit_label(choices: list[list[str]], width: float, height: float, size: float, streets: int = 0
              ) -> FittedLabel:
    """The wrapped address at the largest size that fits the label: at `size` with the fullest address that
    fits, else the shortest address shrunk step by step down to 7 pt, even in large print (a label that lost
    its postcode is worse than smaller type). If even 7 pt is too big, street lines go, last first: never the
    name, the town, the postcode or the country. `choices` are as `label_choices` gives them: the second is the
    address without the region, its `streets` street lines right after the name. The name's lines are bold."""
    for lines in choices:
        laid = _laid(lines, width, size)
        if _fits(laid, width, height, size):
            return FittedLabel(size, laid)
    shortest = choices[-1]
    current = size
    while current - 0.5 >= MIN_SIZE:
        current -= 0.5
        laid = _laid(shortest, width, current)
        if _fits(laid, width, height, current):
            return FittedLabel(current, laid)
    # Too long even at the smallest size: drop street lines, last first (they sit between name and town).
    kept = list(choices[min(1, len(choices) - 1)])
    while streets > 0:
        del kept[streets]
        streets -= 1
        laid = _laid(kept, width, MIN_SIZE)
        if len(laid) * MIN_SIZE * LEADING <= height:
            break
    return FittedLabel(MIN_SIZE, _laid(kept, width, MIN_SIZE), shortened=True)


def label_choices(contact: PrintedContact) -> list[list[str]]:
    """The name and address, fullest first; then without the region (the county, the state); then with the
    street lines joined into one."""
    full = [contact.name, *contact.address_lines]
    short = [contact.name, *contact.short_address_lines]
    choices = [full, short]
    town = 1 + len(contact.street_lines)
    if len(contact.street_lines) > 1:
        choices.append([short[0], isolate_join(short[1:town], ", "), *short[town:]])
    return choices


def check_paper(options: PrintOptions, fmt: LabelFormat) -> None:
    """Refuse a paper size that is not the label sheet's: the labels would print off their marks."""
    if options.paper != fmt.paper:
        raise UserError(_("Label format {code} is printed on {paper} paper, not "
                        "{paper2}; choose {paper3} or another format.")
                        .format(code=fmt.code, paper=PAPER_NAMES[fmt.paper],
                                paper2=PAPER_NAMES.get(options.paper, options.paper), paper3=fmt.paper))


def bottom_margin(fmt: LabelFormat) -> float:
    """Millimetres from the last row of labels to the bottom edge of the sheet."""
    page_height = PAPER_SIZES[fmt.paper][1] / mm
    return float(round(page_height - fmt.top - (fmt.rows - 1) * fmt.v_pitch - fmt.label_height, 2))


def furniture_band(fmt: LabelFormat) -> float:
    """The printable height, in points, of the sheet's narrower top or bottom margin: from the printer's safe
    edge (5 mm) to the first (or below the last) row of labels."""
    return float(min(fmt.top, bottom_margin(fmt)) * mm - SAFE_EDGE)


def needs_cover_page(hub_name: str, options: PrintOptions, fmt: LabelFormat) -> bool:
    """Large print sets the page furniture at 16 pt; where the sheet's margins have no room for that (an L7161
    sheet has 8.7 mm, 3.7 mm of it printable; a hub name too long for one line beside the date needs two), it goes
    on a cover page printed first, on plain paper."""
    if not options.large_print:
        return False
    one_line = Furniture(hub_name, options.today, LARGE_FURNITURE, top_baseline=0.0)
    return (furniture_band(fmt) < LARGE_FURNITURE * (ASCENT + DESCENT)
            or not one_line.name_fits(PAPER_SIZES[fmt.paper][0]))


def label_furniture(hub_name: str, options: PrintOptions, fmt: LabelFormat) -> Furniture:
    """The page furniture in the sheet's top and bottom margins, clear of every label and at least 5 mm from the
    sheet's edges: small type in normal print, 16 pt in large print (or on a cover page, see
    `needs_cover_page`)."""
    if needs_cover_page(hub_name, options, fmt):
        return Furniture(hub_name, options.today, LARGE_FURNITURE, first_page_only=True)
    top_band, bottom_band = fmt.top, bottom_margin(fmt)
    band = furniture_band(fmt)
    size = LARGE_FURNITURE if options.large_print else max(5.0, min(6.5, band / 1.25))
    ascent, descent = size * ASCENT, size * DESCENT
    top = SAFE_EDGE + ascent + max(0.0, (top_band * mm - SAFE_EDGE - ascent - descent) / 2)
    bottom = SAFE_EDGE + descent + max(0.0, (bottom_band * mm - SAFE_EDGE - ascent - descent) / 2)
    return Furniture(hub_name, options.today, size, rules=False, top_baseline=top, bottom_baseline=bottom)


def draw_cover_page(canvas: Canvas, fmt: LabelFormat, options: PrintOptions, labels: int) -> None:
    """The first page of large-print labels on a sheet too tight for 16 pt furniture: what follows and how to
    print it, in large print; the furniture (hub name, date, privacy line, page 1 of n) is drawn around it."""
    page_width, page_height = PAPER_SIZES[fmt.paper]
    limit = page_width - 2 * SIDE_MARGIN
    sheets = max(1, -(-(options.start_at - 1 + labels) // fmt.per_sheet))
    body = LARGE_FURNITURE
    what = ngettext("{labels} labels on one sheet of {name}.", "{labels} labels on {sheets} sheets of {name}.",
                    sheets).format(labels=labels, sheets=sheets, name=fmt.name)
    if options.start_at > 1:
        what = ngettext("{labels} labels on one sheet of {name}, starting at label {start}.",
                        "{labels} labels on {sheets} sheets of {name}, starting at label {start}.",
                        sheets).format(labels=labels, sheets=sheets, name=fmt.name, start=options.start_at)
    narrow = furniture_band(fmt) < LARGE_FURNITURE * (ASCENT + DESCENT)
    paragraphs = [
        (what, False),
        (_("Print this page on plain paper: put one plain sheet on top of the label sheets in the printer."), False),
        (_("In large print the hub's name, the date and the page numbers are on this page only: the label sheet's "
           "margins ({margin:g} mm on {code}) are too narrow for 16 pt type.").format(
            margin=min(fmt.top, bottom_margin(fmt)), code=fmt.code) if narrow else
         _("In large print the hub's name, the date and the page numbers are on this page only: the hub's name is "
           "too long for one line of 16 pt type in the label sheet's margin."), False),
        (_(PRIVACY_LINE), True),
    ]
    y = page_height - TOP_MARGIN - 4 * mm - 24
    canvas.setFillColor(colors.black)
    title = layout(_("Address labels"), fonts.BOLD, 24, limit)
    draw_lines(canvas, title, SIDE_MARGIN, y, 24, 29)
    y -= 29 * len(title) + body
    for text, bold in paragraphs:
        lines = layout(text, fonts.BOLD if bold else fonts.BODY, body, limit)
        draw_lines(canvas, lines, SIDE_MARGIN, y, body, body * 1.22)
        y -= body * 1.22 * len(lines) + body * 0.8


def print_labels(db: Database, options: PrintOptions, out: Path, progress: Progress | None = None) -> PrintResult:
    """Write address labels for `options.label_format`, starting at label `options.start_at`."""
    options.check()
    fonts.register_fonts()
    fmt = find_format(options.label_format)
    check_paper(options, fmt)
    if not 1 <= options.start_at <= fmt.per_sheet:
        raise UserError(_("--start-at must be between 1 and {per_sheet} for {code}.")
                        .format(per_sheet=fmt.per_sheet, code=fmt.code))
    report(progress, 0, _("Reading addresses"))
    with db.read() as session:
        group = resolve_group(session, options.group)
        wanted = group_roles(session, group.id) if group else None
        selection = select_contacts(session, "labels", contact_ids=wanted, tag=options.tag)
    with_address = [c for c in selection.contacts if c.address_lines]
    no_address = len(selection.contacts) - len(with_address)
    contacts = sorted(with_address, key=lambda c: c.key(options.sort))
    size = 16.0 if options.large_print else 10.0
    furniture = label_furniture(db.hub_name, options, fmt)
    shrunk = 0
    shortened: list[str] = []
    with atomic_path(out) as temp:
        canvas = canvas_class(furniture)(str(temp), pagesize=PAPER_SIZES[fmt.paper])
        canvas.setTitle(_("Address labels ({code})").format(code=fmt.code))
        canvas.setAuthor(db.hub_name)
        cover = furniture.first_page_only
        if cover:
            draw_cover_page(canvas, fmt, options, len(contacts))
            canvas.showPage()
        slot = options.start_at - 1
        for done, contact in enumerate(contacts):
            if slot and slot % fmt.per_sheet == 0:
                canvas.showPage()
            x, y, w, h = fmt.position(slot)
            fitted = fit_label(label_choices(contact), w - 2 * INSET, h - 2 * INSET, size, len(contact.street_lines))
            shrunk += fitted.size < size
            if fitted.shortened:
                shortened.append(contact.name if len(contact.name) <= 60 else contact.name[:59] + "\u2026")
            leading = fitted.size * LEADING
            block = len(fitted.lines) * leading
            top = y + h / 2 + min(block, h - 2 * INSET) / 2 - fitted.size * 0.85
            draw_lines(canvas, fitted.lines, x + INSET, top, fitted.size, leading)
            slot += 1
            if done % 200 == 0:
                report(progress, 5 + 90 * done // max(1, len(contacts)), _("Setting out labels"))
        report(progress, 95, _("Saving"))
        canvas.showPage()
        canvas.save()
    finished(progress)
    notes = withheld_note(selection.withheld, _("asked not to be sent post"))
    notes += withheld_note(no_address, _("no address on record"))
    if cover:
        notes.append(_("Large print on {code}: page 1 is a cover page with the hub's name, the date and the "
                       "privacy line (the sheet's margins have no room for them in 16 pt); print it on plain paper.")
                     .format(code=fmt.code))
    if shrunk and options.large_print:
        notes.append(ngettext("{count} label is below 16 pt so that the whole address fits; "
                              "a larger label (L7161, 5163) keeps them all large.",
                              "{count} labels are below 16 pt so that the whole address fits; "
                              "a larger label (L7161, 5163) keeps them all large.", shrunk).format(count=shrunk))
    if shortened:
        notes.append(_("Too long for a {code} label even at {size:g} pt, printed without part of the street: "
                       "{names}. Try a larger label (L7161, L7163, 5163).")
                     .format(code=fmt.code, size=MIN_SIZE, names=", ".join(shortened)))
    return PrintResult(furniture.pages, len(contacts), selection.withheld + no_address, notes)
