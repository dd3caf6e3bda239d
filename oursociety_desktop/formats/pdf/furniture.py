"""What every printed page carries and how a document is built.

Every page: the hub's name, the date printed, "Page n of m" and a line saying it holds personal data. The total
page count is only known at the end, so the canvas keeps each page's state and draws the furniture on save.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from babel.dates import format_date, get_month_names
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate

from oursociety_desktop.formats.pdf import fonts
from oursociety_desktop.formats.pdf.options import PrintOptions, report
from oursociety_desktop.formats.pdf.shaping import Line, draw_lines, fit, is_plain, layout, width
from oursociety_desktop.i18n import N_, _, current_language
from oursociety_desktop.models.atomic import atomic_path
from oursociety_desktop.models.progress import Progress

PRIVACY_LINE = N_("Contains personal data \u2014 keep safe, shred after use.")
TICK_BOX = "\u2610"  # ☐, in DejaVu Sans: survives copying and text extraction, unlike a drawn square
SIDE_MARGIN = 15 * mm
TOP_MARGIN = 20 * mm
BOTTOM_MARGIN = 18 * mm
RULE_GREY = colors.Color(0.75, 0.75, 0.75)
SHADE = colors.Color(0.93, 0.93, 0.93)
SAFE_EDGE = 5 * mm  # most printers cannot print nearer the edge of the sheet than this
SMALLEST = 7.0  # no text shrinks below this size to fit
# A table row cannot go on over two pages: a cell of a long text (a name pasted 100,000 characters long, a title)
# keeps this many lines, the last ending in "…", so its row fits a page even in large print.
MAX_CELL_LINES = 12
ELLIPSIS = "\u2026"


def babel_locale() -> str:
    """The locale for Babel's dates: the chosen language (English as in Britain: day first)."""
    language = current_language()
    return "en_GB" if language == "en" else language


def long_date(day: date) -> str:
    """The date written out in the chosen language ("24 November 2026", "24 listopada 2026"): never ambiguous
    like 11/12, formatted by Babel from the Unicode CLDR."""
    return format_date(day, format="long", locale=babel_locale())


def month_names(width: Literal["abbreviated", "narrow", "wide"] = "wide") -> list[str]:
    """January to December in the chosen language (`width` "abbreviated" for a chart's axis)."""
    names = get_month_names(width, context="stand-alone", locale=babel_locale())
    return [names[month] for month in range(1, 13)]


@dataclass(frozen=True)
class Sizes:
    """Type sizes in points. Large print sets every text on the page at 16 pt or more: the body,
    the column headings and the header and footer."""

    body: float
    heading: float
    title: float
    furniture: float
    large: bool = False

    @property
    def leading(self) -> float:
        """Line spacing of body text."""
        return round(self.body * 1.22, 1)

    @classmethod
    def for_options(cls, options: PrintOptions) -> Sizes:
        """Normal or large print."""
        if options.large_print:
            return cls(body=16, heading=20, title=24, furniture=16, large=True)
        return cls(body=9.5, heading=13, title=17, furniture=7.5)

    @property
    def smallest(self) -> float:
        """The least a cell may shrink to fit an email address, a phone number or a long word."""
        return self.body if self.large else SMALLEST

    @property
    def header_colour(self) -> colors.Color:
        """Column headings: grey in normal print, black in large print (grey loses contrast for weak sight)."""
        return colors.black if self.large else colors.Color(0.3, 0.3, 0.3)


@dataclass
class Furniture:
    """The page furniture for one document; `pages` is set once the document is saved."""

    hub_name: str
    today: date
    size: float
    pages: int = 0
    rules: bool = True
    top_baseline: float | None = None  # from the top edge; default sits in the document's top margin
    bottom_baseline: float | None = None  # from the bottom edge
    first_page_only: bool = False  # a cover page carries it for sheets whose margins have no room for it

    def name_room(self, page_width: float) -> float:
        """The width the hub's name has in the header, beside the date printed."""
        printed = width(_("Printed {date}").format(date=long_date(self.today)), fonts.BODY, self.size)
        return float(page_width - 2 * SIDE_MARGIN * 0.6 - printed - 6 * mm)

    def name_fits(self, page_width: float) -> bool:
        """Whether the hub's name fits on one line at the furniture's size."""
        lines = layout(self.hub_name.replace("\n", " "), fonts.BOLD, self.size, self.name_room(page_width))
        return len(lines) == 1 and not lines[0].cut

    def name_lines(self, page_width: float) -> tuple[float, list[Line]]:
        """The hub's name, whole: on one line at the furniture's size if it fits; else on two lines where the
        top margin has room for them (a document page), else smaller on one line (a label sheet)."""
        name, room = self.hub_name.replace("\n", " "), self.name_room(page_width)
        most = 2 if self.top_baseline is None else 1
        size = self.size
        while True:
            lines = layout(name, fonts.BOLD, size, room)
            if (len(lines) <= most and not any(line.cut for line in lines)) or size <= 4:
                return size, lines
            size -= 0.5

    def draw(self, canvas: Canvas, page: int, total: int) -> None:
        """Header (hub name, date printed) and footer (privacy line, page n of m) inside the page margins."""
        if self.first_page_only and page > 1:
            return
        page_width, height = canvas._pagesize
        left, right = SIDE_MARGIN * 0.6, page_width - SIDE_MARGIN * 0.6
        top = height - (SAFE_EDGE + self.size * 1.1 if self.top_baseline is None else self.top_baseline)
        bottom = SAFE_EDGE + self.size * 0.3 if self.bottom_baseline is None else self.bottom_baseline
        # The hub's name is never cut: a long one takes a second line, or shrinks where there is no room for one.
        name_size, name_lines = self.name_lines(page_width)
        leading = name_size * 1.22
        draw_lines(canvas, name_lines, left, top, name_size, leading)
        canvas.setFont(fonts.BODY, self.size)
        # Through the shaping layer, like every other text: the furniture is in the reader's language, which may
        # be Arabic or Bengali (canvas.drawString would lay it out unjoined and left to right).
        self._draw_one_line(canvas, _("Printed {date}").format(date=long_date(self.today)), right, top, True)
        self._draw_one_line(canvas, _(PRIVACY_LINE), left, bottom, False)
        self._draw_one_line(canvas, _("Page {page} of {total}").format(page=page, total=total), right, bottom, True)
        if not self.rules:
            return
        under = top - (len(name_lines) - 1) * leading - self.size * 0.35
        canvas.setStrokeColor(RULE_GREY)
        canvas.setLineWidth(0.5)
        canvas.line(left, under, right, under)
        canvas.line(left, bottom + self.size * 1.05, right, bottom + self.size * 1.05)


    def _draw_one_line(self, canvas: Canvas, text: str, x: float, y: float, align_right: bool) -> None:
        """One line of furniture at baseline `y`, from `x` (or ending at `x` when `align_right`)."""
        lines = layout(text, fonts.BODY, self.size, 10_000)[:1]
        if lines:
            draw_lines(canvas, lines, x - (lines[0].width if align_right else 0.0), y, self.size, self.size * 1.22)


def canvas_class(furniture: Furniture) -> type[Canvas]:
    """A canvas that defers the furniture until the page count is known."""

    class FurnishedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # Start in the bundled face: ReportLab's default, Helvetica, would be listed in the PDF unembedded.
            kwargs["initialFontName"] = kwargs.get("initialFontName") or fonts.BODY
            super().__init__(*args, **kwargs)
            self._page_states: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self._page_states.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._page_states)
            for state in self._page_states:
                self.__dict__.update(state)
                furniture.draw(self, self._pageNumber, total)
                Canvas.showPage(self)
            furniture.pages = total
            Canvas.save(self)

    return FurnishedCanvas


class TextBlock(Flowable):  # type: ignore[misc]
    """Text wrapped to the space it is given, any script, in body or bold type."""

    def __init__(self, text: str, size: float, bold: bool = False, space_before: float = 0.0,
                 space_after: float = 0.0, keep_with_next: bool = False) -> None:
        super().__init__()
        self.text, self.size, self.bold = text, size, bold
        self.leading = round(size * 1.22, 1)
        self.spaceBefore, self.spaceAfter = space_before, space_after
        self.keepWithNext = keep_with_next
        self.lines: list[Line] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        font = fonts.BOLD if self.bold else fonts.BODY
        self.lines = layout(self.text, font, self.size, availWidth)
        return availWidth, self.leading * len(self.lines)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        """A text taller than the page goes on over the next (without this, a long title stopped the printing
        with a LayoutError)."""
        self.wrap(availWidth, availHeight)
        room = int(availHeight // self.leading)
        if room < 1 or room >= len(self.lines):
            return []
        head, rest = _LaidOut(self, self.lines[:room]), _LaidOut(self, self.lines[room:])
        head.spaceAfter, rest.spaceBefore, rest.keepWithNext = 0.0, 0.0, self.keepWithNext
        return [head, rest]

    def draw(self) -> None:
        draw_lines(self.canv, self.lines, 0, self.leading * len(self.lines) - self.size, self.size, self.leading)


class _LaidOut(TextBlock):
    """Part of a TextBlock split over pages: its lines laid out already."""

    def __init__(self, whole: TextBlock, lines: list[Line]) -> None:
        super().__init__(whole.text, whole.size, whole.bold, whole.spaceBefore, whole.spaceAfter)
        self.lines = lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return availWidth, self.leading * len(self.lines)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        room = int(availHeight // self.leading)
        if room < 1 or room >= len(self.lines):
            return []
        return [_LaidOut(self, self.lines[:room]), _LaidOut(self, self.lines[room:])]


class LinesCell(Flowable):  # type: ignore[misc]
    """Lines already laid out (mixed faces, shaped, or shrunk to fit), for a table cell: used only when a plain
    string cannot carry them."""

    def __init__(self, lines: list[Line], size: float, leading: float) -> None:
        super().__init__()
        self.lines, self.size, self.leading = lines, size, leading

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return max((line.width for line in self.lines), default=0.0), self.leading * len(self.lines)

    def draw(self) -> None:
        draw_lines(self.canv, self.lines, 0, self.leading * len(self.lines) - self.size, self.size, self.leading)


def cell(text: str, limit: float, size: float, leading: float, font: str = fonts.BODY,
         smallest: float = SMALLEST, whole: bool = False) -> str | Flowable:
    """A table cell's content wrapped to `limit` points: a plain string when one font carries it (fast), else
    a flowable of shaped runs. An email address, phone number or word too wide for the column shrinks the cell
    (down to `smallest`) before anything is cut. With `whole` (names), a wrapped paragraph extracts as one
    piece: text extraction reads a table row by row and would put the next column's words inside it."""
    if text.isascii() and "\n" not in text and width(text, font, size) <= limit:
        return text
    most = MAX_CELL_LINES * int(limit / (min(size, smallest) * 0.25) + 1)  # no glyph is narrower than 1/4 em
    if len(text) > most:  # more than the cell can show: not laid out at every size on the way to `smallest`
        text = text[:most] + ELLIPSIS
    used, lines = fit(text, font, size, limit, min(size, smallest), whole)
    shown = len(text)
    while len(lines) > MAX_CELL_LINES and shown > 1:  # once, or twice when the cut text wraps otherwise
        shown = min(shown - 1, sum(len(line.text) - line.cut for line in lines[:MAX_CELL_LINES]) - 2)
        used, lines = fit(text[:max(1, shown)].rstrip() + ELLIPSIS, font, size, limit, min(size, smallest), whole)
    if used == size and is_plain(lines, font):
        return "\n".join(line.text for line in lines)
    return LinesCell(lines, used, leading * used / size)


def begin(options: PrintOptions, progress: Progress | None) -> Sizes:
    """Check the options, load the fonts and report the start; every product calls this first."""
    options.check()
    fonts.register_fonts()
    report(progress, 0, _("Reading the hub"))
    return Sizes.for_options(options)


def build_document(out: Path, story: Sequence[Flowable], options: PrintOptions, hub_name: str, title: str,
                   progress: Progress | None) -> int:
    """Lay out the story on pages with the furniture and write it to `out` atomically; returns the page count."""
    fonts.register_fonts()
    sizes = Sizes.for_options(options)
    furniture = Furniture(hub_name, options.today, sizes.furniture)
    state = {"total": max(1, len(story)), "done": 0}

    def on_progress(kind: str, value: int) -> None:
        if kind == "SIZE_EST":
            state["total"] = max(1, value)
        elif kind == "PROGRESS":
            state["done"] = min(value, state["total"])
        if kind in ("PROGRESS", "PAGE"):
            percent = 30 + int(65 * state["done"] / state["total"])
            report(progress, percent, _("Laying out page {page}").format(page=value) if kind == "PAGE"
                   else _("Laying out pages"))

    with atomic_path(out) as temp:
        doc = SimpleDocTemplate(
            str(temp), pagesize=options.page_size, leftMargin=SIDE_MARGIN, rightMargin=SIDE_MARGIN,
            topMargin=TOP_MARGIN + (4 * mm if options.large_print else 0), bottomMargin=BOTTOM_MARGIN,
            title=title, author=hub_name, creator="Our Society Desktop", subject=_(PRIVACY_LINE),
        )
        doc.setProgressCallBack(on_progress)
        doc.build(list(story), canvasmaker=canvas_class(furniture))
        report(progress, 98, _("Saving"))
    return furniture.pages


def frame_width(options: PrintOptions) -> float:
    """The width text can use between the side margins."""
    return float(options.page_size[0] - 2 * SIDE_MARGIN)
