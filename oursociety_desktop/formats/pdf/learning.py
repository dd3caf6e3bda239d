"""Printed products of the mutual learning network: the digest of lessons and stories (a booklet by theme for a
meeting or a newcomer's pack), a thank-you certificate for a volunteer's hours, and the year's hours summary for
funders (people, hours, groups, themes, and a chart of hours by month drawn with ReportLab's own charts).

People are named in the digest only where they agreed to be named; otherwise "a member of <hub>"."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table
from sqlalchemy import text
from sqlmodel import col, select

from oursociety_desktop.formats.pdf import fonts
from oursociety_desktop.formats.pdf.choices import LEARNING_PRODUCT_NAMES
from oursociety_desktop.formats.pdf.contact_tables import table_style
from oursociety_desktop.formats.pdf.furniture import (
    TextBlock,
    begin,
    build_document,
    frame_width,
    long_date,
    month_names,
)
from oursociety_desktop.formats.pdf.options import PrintOptions, PrintResult, finished, report
from oursociety_desktop.i18n import N_, Nn_, _, ngettext
from oursociety_desktop.models.actions import parse_when
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.hours import hours_totals
from oursociety_desktop.models.lessons import hub_names, member_of
from oursociety_desktop.models.names import name_to_show
from oursociety_desktop.models.progress import Progress
from oursociety_desktop.models.records import get_record
from oursociety_desktop.models.tables import Contact, Lesson, LessonPerson
from oursociety_desktop.models.text import four_digit_year

NO_THEME = N_("Other lessons")
BAR_BLUE = colors.Color(0.25, 0.42, 0.62)
SECTIONS = (("challenge", N_("The challenge")), ("tried", N_("What was tried")), ("worked", N_("What worked")),
            ("not_worked", N_("What did not work")), ("advice", N_("Advice for others starting out")))
SUMMARY_LINE = N_("People who gave time: {people}. Hours given: {given}. Hours pledged: {pledged}.")
# The form is chosen by the whole number of hours; a fraction (1.5 hours) takes the form of 2, the plural in English.
CERTIFICATE_LINE = Nn_("gave {hours} hour of their time to {hub} in {year}.",
                       "gave {hours} hours of their time to {hub} in {year}.")


def _year(options: PrintOptions) -> str:
    return four_digit_year(options.year or str(options.today.year))


def print_digest(db: Database, options: PrintOptions, out: Path, progress: Progress | None = None) -> PrintResult:
    """The digest: live lessons (of `options.theme`, dated from `options.since`), grouped by their first theme."""
    sizes = begin(options, progress)
    since = parse_when("since", options.since)[:10] if options.since else ""
    theme = " ".join(options.theme.split()).lower()
    with db.read() as session:
        hubs = hub_names(session)
        lessons = [x for x in session.exec(select(Lesson).where(col(Lesson.deleted).is_(False))).all()
                   if (not theme or theme in x.themes) and (not since or (x.date and x.date >= since))]
        people: dict[str, list[str]] = defaultdict(list)
        for link in session.exec(select(LessonPerson).where(col(LessonPerson.deleted).is_(False))).all():
            contact = session.get(Contact, link.contact_id)
            if link.named and contact is not None and not contact.erased:
                shown = name_to_show(contact.display_name, contact.given_name, contact.family_name,
                                     contact.organisation, False)
            else:
                shown = member_of(link.hub_name or hubs.get(link.origin_hub, ""))
            people[link.lesson_id].append(shown)
    report(progress, 20, _("Setting out the lessons"))
    by_theme: dict[str, list[Lesson]] = defaultdict(list)
    for lesson in lessons:
        by_theme[theme or (lesson.themes[0] if lesson.themes else _(NO_THEME))].append(lesson)
    story: list[Flowable] = [TextBlock(_("Lessons and stories"), sizes.title, bold=True, space_after=3 * mm)]
    if theme:
        story.append(TextBlock(_("Theme: {theme}").format(theme=theme), sizes.body, space_after=2 * mm))
    if not lessons:
        story.append(TextBlock(_("No lessons match."), sizes.body))
    for name in sorted(by_theme, key=lambda t: (t == _(NO_THEME), t)):
        story.append(TextBlock(name[:1].upper() + name[1:], sizes.heading, bold=True, space_before=4 * mm,
                               space_after=1.5 * mm, keep_with_next=True))
        for lesson in sorted(by_theme[name], key=lambda x: (x.date, x.title), reverse=True):
            when = long_date(date.fromisoformat(lesson.date)) if lesson.date else ""
            where = ", ".join(p for p in (hubs.get(lesson.origin_hub, ""), lesson.place, when) if p)
            story.append(TextBlock(lesson.title, sizes.body * 1.15, bold=True, space_before=2 * mm,
                                   keep_with_next=True))
            story.append(TextBlock(f"{lesson.kind} · {where}", sizes.body, keep_with_next=True))
            for field, label in SECTIONS:
                value = str(getattr(lesson, field))
                if value:
                    story.append(TextBlock(_(label), sizes.body, bold=True, space_before=1 * mm, keep_with_next=True))
                    story.append(TextBlock(value, sizes.body))
            if people.get(lesson.id):
                names = ", ".join(sorted(people[lesson.id]))
                story.append(TextBlock(_("People: {names}").format(names=names), sizes.body,
                                       space_before=1 * mm))
    pages = build_document(out, story, options, db.hub_name, _("Lessons and stories"), progress)
    finished(progress)
    return PrintResult(pages=pages, entries=len(lessons))


def print_certificate(db: Database, options: PrintOptions, out: Path, progress: Progress | None = None
                      ) -> PrintResult:
    """A thank-you certificate for the hours one person gave in a year."""
    sizes = begin(options, progress)
    if not options.contact:
        raise UserError(_("Say whose certificate it is: --contact CONTACT_ID."))
    year = _year(options)
    with db.read() as session:
        person = get_record(session, Contact, options.contact, live=True)
        given = session.connection().execute(text(
            "SELECT COALESCE(SUM(hours), 0) FROM hours WHERE deleted = 0 AND kind = 'given' AND contact_id = :c "
            "AND substr(date, 1, 4) = :y"), {"c": person.id, "y": year}).scalar_one()
    if not given:
        raise UserError(_("{shown_name} has no hours given in {year} to thank them for.")
                        .format(shown_name=person.shown_name, year=year))
    story: list[Flowable] = [
        Spacer(1, 30 * mm),
        TextBlock(_("Thank you"), sizes.title * 2, bold=True, space_after=10 * mm),
        TextBlock(person.shown_name, sizes.title * 1.3, bold=True, space_after=6 * mm),
        TextBlock(ngettext(*CERTIFICATE_LINE, int(given) if float(given).is_integer() else 2)
                  .format(hours=f"{float(given):g}", hub=db.hub_name, year=year),
                  sizes.heading, space_after=20 * mm),
        TextBlock(_("What you gave made a difference to your neighbours."), sizes.heading),
    ]
    pages = build_document(out, story, options, db.hub_name, _("Certificate of thanks"), progress)
    finished(progress)
    return PrintResult(pages=pages, entries=1)


def _month_chart(months: list[float], width: float, size: float) -> Drawing:
    drawing = Drawing(width, 60 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 10 * mm
    chart.width, chart.height = width - 20 * mm, 45 * mm
    chart.data = [months]
    chart.categoryAxis.categoryNames = month_names("abbreviated")
    chart.categoryAxis.labels.fontName = fonts.BODY
    chart.categoryAxis.labels.fontSize = size
    chart.valueAxis.labels.fontName = fonts.BODY
    chart.valueAxis.labels.fontSize = size
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = BAR_BLUE
    chart.bars[0].strokeColor = BAR_BLUE
    drawing.add(chart)
    return drawing


def print_hours_summary(db: Database, options: PrintOptions, out: Path, progress: Progress | None = None
                        ) -> PrintResult:
    """The year's hours for funders: people, hours given and pledged, by group and theme, a chart by month."""
    sizes = begin(options, progress)
    year = _year(options)
    with db.read() as session:
        conn = session.connection()
        people, given, pledged = conn.execute(text(
            "SELECT COUNT(DISTINCT CASE WHEN kind = 'given' THEN contact_id END), "
            "COALESCE(SUM(CASE WHEN kind = 'given' THEN hours END), 0), "
            "COALESCE(SUM(CASE WHEN kind = 'pledged' THEN hours END), 0) FROM hours "
            "WHERE deleted = 0 AND substr(date, 1, 4) = :y"), {"y": year}).one()
        by_group = hours_totals(session, "group", year)
        by_theme = hours_totals(session, "theme", year)
        by_month = {r.key: r.given for r in hours_totals(session, "month", year)}
    report(progress, 30, _("Adding up the hours"))
    width = frame_width(options)
    months = [by_month.get(f"{year}-{m:02d}", 0.0) for m in range(1, 13)]

    def table(title: str, rows: list[tuple[str, float, float]]) -> Table:
        data: list[list[str]] = [[title, _("Hours given"), _("Hours pledged")]]
        data.extend([key, f"{g:g}", f"{p:g}"] for key, g, p in rows)
        result = Table(data, colWidths=[width * 0.6, width * 0.2, width * 0.2], repeatRows=1)
        result.setStyle(table_style(0, sizes.body, sizes.leading, sizes.furniture + 1))
        return result

    story: list[Flowable] = [
        TextBlock(_("Time given in {year}").format(year=year), sizes.title, bold=True, space_after=3 * mm),
        TextBlock(_(SUMMARY_LINE).format(people=int(people), given=f"{float(given):g}", pledged=f"{float(pledged):g}"),
                  sizes.heading, space_after=4 * mm),
        TextBlock(_("Hours given by month"), sizes.heading, bold=True, space_after=1 * mm),
        _month_chart(months, width, sizes.furniture + 1),
        Spacer(1, 4 * mm),
        table(_("Group"), [(r.shown_key, r.given, r.pledged) for r in by_group]),
        Spacer(1, 4 * mm),
        table(_("Theme"), [(r.shown_key, r.given, r.pledged) for r in by_theme]),
    ]
    pages = build_document(out, story, options, db.hub_name, _("Time given in {year}").format(year=year), progress)
    finished(progress)
    return PrintResult(pages=pages, entries=int(people))


# The names live in `choices`, where the command line reads them without ReportLab.
LEARNING_PRODUCTS: dict[str, Callable[[Database, PrintOptions, Path, Progress | None], PrintResult]] = dict(zip(
    LEARNING_PRODUCT_NAMES, (print_digest, print_certificate, print_hours_summary), strict=True))
