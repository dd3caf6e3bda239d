"""The options every printed product takes and what a product reports back. The default paper size and the contact
fields come from `choices`, where the command line reads them without ReportLab."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from reportlab.lib.pagesizes import A4, LETTER

from oursociety_desktop.formats.pdf.choices import CONTACT_FIELDS as CONTACT_FIELDS
from oursociety_desktop.formats.pdf.choices import DEFAULT_FIELDS as DEFAULT_FIELDS
from oursociety_desktop.formats.pdf.choices import PAPER_NAMES
from oursociety_desktop.formats.pdf.choices import SORT_ORDERS as SORT_ORDERS
from oursociety_desktop.formats.pdf.choices import default_paper as default_paper
from oursociety_desktop.i18n import _
from oursociety_desktop.models.errors import Cancelled, UserError
from oursociety_desktop.models.progress import Progress

"""(percent, message); returning False asks the product to stop: it raises Cancelled and writes nothing."""

PAPER_SIZES: dict[str, tuple[float, float]] = dict(zip(PAPER_NAMES, (A4, LETTER), strict=True))


@dataclass
class PrintOptions:
    """What to print and how. Products ignore the options that do not apply to them."""

    paper: str = field(default_factory=default_paper)
    large_print: bool = False
    fields: tuple[str, ...] = DEFAULT_FIELDS
    sort: str = "family"
    group: str = ""  # a group name or id: only its members (or, for actions, its actions)
    tag: str = ""  # only contacts with this tag (case and accents ignored)
    by_group: bool = False  # directory: one section per group; actions: sections by group, not by owner
    action: str = ""  # sign-in sheet: the meeting (an action id) whose attendees are pre-printed
    blank_rows: int = 10  # sign-in sheet: empty rows for newcomers
    label_format: str = "L7160"
    start_at: int = 1  # labels: the first unused label on a part-used sheet, counted from 1
    theme: str = ""  # digest: only lessons of this theme
    since: str = ""  # digest: only lessons dated on or after this day (YYYY-MM-DD)
    contact: str = ""  # certificate: the volunteer (a contact id)
    year: str = ""  # certificate and hours summary: the year (default: this year)
    today: date = field(default_factory=date.today)

    def check(self) -> None:
        """Raise a one-line UserError for an option no product could honour."""
        if self.paper not in PAPER_SIZES:
            raise UserError(_("Unknown paper size '{paper}'; use a4 or letter.").format(paper=self.paper))
        unknown = [f for f in self.fields if f not in CONTACT_FIELDS]
        if unknown:
            raise UserError(_("Unknown field '{unknown}'; choose from {contact_fields}.")
                            .format(unknown=unknown[0], contact_fields=', '.join(CONTACT_FIELDS)))
        if self.sort not in SORT_ORDERS:
            raise UserError(_("Unknown sort order '{sort}'; use family or given.").format(sort=self.sort))
        if not 0 <= self.blank_rows <= 200:
            raise UserError(_("Blank rows must be between 0 and 200."))

    @property
    def page_size(self) -> tuple[float, float]:
        """The page size in points."""
        return PAPER_SIZES[self.paper]


@dataclass
class PrintResult:
    """What was printed: pages, entries printed, and people left out (with why, for the organiser)."""

    pages: int = 0
    entries: int = 0
    left_out: int = 0
    notes: list[str] = field(default_factory=list)


def report(progress: Progress | None, percent: int, message: str) -> None:
    """Pass progress on; raise Cancelled when the caller asked to stop."""
    if progress is not None and progress(percent, message) is False:
        raise Cancelled(_("Printing cancelled; no file was written."))


def finished(progress: Progress | None) -> None:
    """Report completion; too late to cancel, the file is written."""
    if progress is not None:
        progress(100, _("Done"))
