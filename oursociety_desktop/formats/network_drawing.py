"""The network of introductions drawn to a file: a PNG (Pillow) or a one-page PDF (ReportLab).

The drawing is built from a graph read for use outside the hub (`read_network(..., outside=True)`), so people
who did not agree to appear in printed lists are labelled "a member of <hub>". Names are drawn only while they
can be read (a few hundred people on a PNG, a couple of thousand on the PDF, which can be zoomed); beyond that the
drawing shows the shape of the network and its legend. Files appear whole or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

import arabic_reshaper
from bidi.algorithm import get_display
from PIL import Image, ImageDraw, ImageFont, features
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from oursociety_desktop.formats.pdf import fonts
from oursociety_desktop.formats.pdf.furniture import PRIVACY_LINE, Furniture, canvas_class
from oursociety_desktop.formats.pdf.runs import has_rtl
from oursociety_desktop.formats.pdf.shaping import draw_lines, fit
from oursociety_desktop.i18n import N_, Nn_, _, ngettext
from oursociety_desktop.models.atomic import atomic_path, check_writable_target
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.network import (
    COLOUR_BY,
    EDGE_INTRODUCER,
    OTHER,
    PALETTE,
    NetworkGraph,
    Position,
    colour_keys,
    colour_of,
    layout_network,
    read_network,
)

Progress = Callable[[int, str], bool | None]  # False asks to stop
FORMATS = (".png", ".pdf")
PNG_SIDE = 2400  # pixels of the longer side
PNG_LABELS = 400  # people on a PNG beyond which names are left off
LABEL_CHARS = 60  # of a name beside its dot
PDF_LABELS = 2000
TITLE = N_("Network of introductions: {people}, {connections}")
PEOPLE, CONNECTIONS = Nn_("{count} person", "{count} people"), Nn_("{count} connection", "{count} connections")
LEGEND_TITLE = {"group": N_("Coloured by group"), "hub": N_("Coloured by hub")}
LEGEND_OTHER = N_("other or none")  # `legend` gives it as it is, a key; it is translated where it is drawn
EMPTY = N_("No connections yet: record who introduced whom, and the network is drawn here.")


@dataclass(frozen=True)
class Frame:
    """Maps layout coordinates into a rectangle (x0, y0, width, height), keeping the aspect ratio; y grows
    downwards (as on a PNG; the PDF flips it)."""

    scale: float
    dx: float
    dy: float

    @classmethod
    def fitting(cls, positions: Mapping[str, Position], x0: float, y0: float, width: float, height: float
                ) -> Frame:
        if not positions:
            return cls(1.0, x0, y0)
        xs = [p[0] for p in positions.values()]
        ys = [p[1] for p in positions.values()]
        span_x, span_y = max(max(xs) - min(xs), 1e-6), max(max(ys) - min(ys), 1e-6)
        scale = min(width / span_x, height / span_y)
        return cls(scale, x0 + (width - span_x * scale) / 2 - min(xs) * scale,
                   y0 + (height - span_y * scale) / 2 - min(ys) * scale)

    def at(self, point: Position) -> tuple[float, float]:
        """Where a layout point lands."""
        return point[0] * self.scale + self.dx, point[1] * self.scale + self.dy


def legend(graph: NetworkGraph, by: str) -> list[tuple[str, str, int]]:
    """(label, colour, people) for each colour used, the most common first and "other or none" last."""
    keys = colour_keys(graph, by)
    counts = [0] * len(PALETTE)
    for person in graph.people.values():
        counts[colour_of(person, by, keys)] += 1
    rows = [(key if key != OTHER else LEGEND_OTHER, PALETTE[index], counts[index])
            for key, index in sorted(keys.items(), key=lambda kv: kv[1])]
    return [row for row in rows if row[2]]


def write_network_drawing(graph: NetworkGraph, positions: Mapping[str, Position], out: Path, hub_name: str, *,
                          by: str = "group", today: date | None = None, progress: Progress | None = None) -> None:
    """Draw the network to `out` (.png or .pdf, by its suffix). Raises UserError for another suffix."""
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise UserError(_("The network is drawn as PNG or PDF: name the file '.png' or '.pdf', not '{name}'.")
                        .format(name=out.name))
    if progress is not None:
        progress(95, _("Drawing"))
    with atomic_path(out) as temporary:
        if suffix == ".png":
            _draw_png(graph, positions, temporary, by)
        else:
            _draw_pdf(graph, positions, temporary, hub_name, by, today or date.today())


# ---- PNG ----


def _font_file(text: str, bold: bool = False) -> str:
    first = next((ch for ch in text if ch.isalpha()), "a")
    family = fonts.family_for(first)
    return family.bold_file if bold else family.regular_file


# Pillow built with libraqm (its wheels are) joins and orders right-to-left text itself: an Arabic name joined and
# reordered beforehand was reordered again and came out backwards, letter by letter. Without libraqm the text is
# prepared here and Pillow draws the glyphs as given.
SHAPES_ITSELF = bool(features.check("raqm"))


def _pil_font(text: str, size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    folder = resources.files("oursociety_desktop.resources").joinpath("fonts")
    engine = ImageFont.Layout.RAQM if SHAPES_ITSELF else ImageFont.Layout.BASIC
    with resources.as_file(folder.joinpath(_font_file(text, bold))) as path:
        return ImageFont.truetype(str(path), size, layout_engine=engine)


def _visual(text: str) -> str:
    """Right-to-left text as Pillow wants it: as typed when it joins and orders it itself, else joined and
    reordered here."""
    return get_display(arabic_reshaper.reshape(text)) if has_rtl(text) and not SHAPES_ITSELF else text


def _title(graph: NetworkGraph) -> str:
    people, connections = len(graph.people), graph.connection_count
    return _(TITLE).format(people=ngettext(*PEOPLE, people).format(count=f"{people:,}"),
                           connections=ngettext(*CONNECTIONS, connections).format(count=f"{connections:,}"))


def _short(label: str) -> str:
    """A name as a drawing shows it: one line of it (a 100,000-character name took 20 s to lay out)."""
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "\u2026"


def _legend_line(label: str, count: int) -> str:
    return f"{_(LEGEND_OTHER) if label == LEGEND_OTHER else label} ({count:,})"


def _draw_png(graph: NetworkGraph, positions: Mapping[str, Position], out: Path, by: str) -> None:
    width, height = PNG_SIDE, PNG_SIDE * 3 // 4
    margin, header, side = 40, 90, 460
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    title = _title(graph)
    draw.text((margin, margin - 10), _visual(title), fill="black", font=_pil_font(title, 34, bold=True))
    if not graph.people:
        empty = _(EMPTY)
        draw.text((margin, header + 20), _visual(empty), fill="black", font=_pil_font(empty, 26))
        image.save(out, format="PNG")
        return
    frame = Frame.fitting(positions, margin + 20, header + 20, width - side - 2 * margin - 40,
                          height - header - 2 * margin - 40)
    for edge in graph.edges:
        if edge.a in positions and edge.b in positions:
            colour = "#B0B0B0" if edge.role == EDGE_INTRODUCER else "#555555"
            draw.line([frame.at(positions[edge.a]), frame.at(positions[edge.b])], fill=colour, width=1)
    keys = colour_keys(graph, by)
    radius = max(2.0, min(9.0, frame.scale * 0.12))
    labelled = len(graph.people) <= PNG_LABELS
    for person in graph.people.values():
        if person.id not in positions:
            continue
        x, y = frame.at(positions[person.id])
        draw.ellipse((x - radius, y - radius, x + radius, y + radius),
                     fill=PALETTE[colour_of(person, by, keys)], outline="black")
        if labelled:
            label = _visual(_short(person.label))
            draw.text((x + radius + 3, y - 9), label, fill="black", font=_pil_font(_short(person.label), 18))
    x, y = width - side, header + 20
    heading = _(LEGEND_TITLE[by])
    draw.text((x, y), _visual(heading), fill="black", font=_pil_font(heading, 24, bold=True))
    for label, colour, count in legend(graph, by):
        y += 34
        draw.ellipse((x, y + 4, x + 18, y + 22), fill=colour, outline="black")
        line = _legend_line(label, count)
        draw.text((x + 28, y), _visual(line), fill="black", font=_pil_font(line, 20))
    draw.text((margin, height - margin), _(PRIVACY_LINE), fill="#444444", font=_pil_font(_(PRIVACY_LINE), 20))
    image.save(out, format="PNG")


# ---- PDF ----


def _draw_pdf(graph: NetworkGraph, positions: Mapping[str, Position], out: Path, hub_name: str, by: str,
              today: date) -> None:
    fonts.register_fonts()
    page_w, page_h = landscape(A4)
    furniture = Furniture(hub_name, today, 7.5)
    canvas = canvas_class(furniture)(str(out), pagesize=(page_w, page_h))
    canvas.setTitle(_("Network of introductions"))
    left, top = 15 * mm, page_h - 20 * mm
    title = _title(graph)
    size, lines = fit(title, fonts.BOLD, 14, page_w - 2 * left, 9)
    draw_lines(canvas, lines[:1], left, top - 4 * mm, size, 0)
    if not graph.people:
        size, lines = fit(_(EMPTY), fonts.BODY, 11, page_w - 2 * left, 8)
        draw_lines(canvas, lines, left, top - 14 * mm, size, size * 1.2)
        canvas.showPage()
        canvas.save()
        return
    legend_w = 62 * mm
    area_top = top - 10 * mm
    frame = Frame.fitting(positions, left, 0.0, page_w - 2 * left - legend_w - 6 * mm, area_top - 20 * mm)

    def at(point: Position) -> tuple[float, float]:
        x, y = frame.at(point)
        return x, area_top - y  # PDF y grows upwards

    canvas.setLineWidth(0.25)
    for role, colour in ((EDGE_INTRODUCER, colors.Color(0.72, 0.72, 0.72)), ("connection", colors.Color(0.3, 0.3,
                                                                                                          0.3))):
        canvas.setStrokeColor(colour)
        if role == EDGE_INTRODUCER:
            canvas.setDash(1.2, 1.2)
        path = canvas.beginPath()
        for edge in graph.edges:
            if (edge.role == EDGE_INTRODUCER) == (role == EDGE_INTRODUCER) and edge.a in positions \
                    and edge.b in positions:
                path.moveTo(*at(positions[edge.a]))
                path.lineTo(*at(positions[edge.b]))
        canvas.drawPath(path, stroke=1, fill=0)
        canvas.setDash()
    keys = colour_keys(graph, by)
    radius = max(0.6, min(3.0, frame.scale * 0.1))
    label_size = max(2.0, min(7.0, frame.scale * 0.3))
    labelled = len(graph.people) <= PDF_LABELS
    canvas.setStrokeColor(colors.black)
    canvas.setLineWidth(0.2)
    for person in graph.people.values():
        if person.id not in positions:
            continue
        x, y = at(positions[person.id])
        canvas.setFillColor(colors.HexColor(PALETTE[colour_of(person, by, keys)]))
        canvas.circle(x, y, radius, stroke=1, fill=1)
        if labelled:
            canvas.setFillColor(colors.black)
            used, lines = fit(_short(person.label), fonts.BODY, label_size, 60 * mm, min(label_size, 2.0))
            draw_lines(canvas, lines[:1], x + radius + 0.6, y - used * 0.35, used, 0)
    x, y = page_w - left - legend_w, area_top
    canvas.setFillColor(colors.black)
    size, lines = fit(_(LEGEND_TITLE[by]), fonts.BOLD, 9, legend_w, 7)
    draw_lines(canvas, lines[:1], x, y, size, 0)
    for label, colour, count in legend(graph, by):
        y -= 5 * mm
        canvas.setFillColor(colors.HexColor(colour))
        canvas.circle(x + 1.5 * mm, y + 1 * mm, 1.4 * mm, stroke=1, fill=1)
        canvas.setFillColor(colors.black)
        size, lines = fit(_legend_line(label, count), fonts.BODY, 8, legend_w - 5 * mm, 6)
        draw_lines(canvas, lines[:1], x + 4.5 * mm, y, size, 0)
    canvas.showPage()
    canvas.save()


def export_network(db: Database, out: Path, *, by: str = "group", progress: Progress | None = None) -> int:
    """Read the network for use outside the hub, lay it out and draw it to `out`; returns the people drawn.
    Checks the file name and the colouring first, so bad input changes nothing and costs nothing."""
    if out.suffix.lower() not in FORMATS:
        raise UserError(_("The network is drawn as PNG or PDF: name the file '.png' or '.pdf', not '{name}'.")
                        .format(name=out.name))
    if by not in COLOUR_BY:
        raise UserError(_("The network is coloured by {colour_by}, not '{by}'.")
                        .format(colour_by=' or '.join(COLOUR_BY), by=by))
    check_writable_target(out)
    with db.read() as session:
        graph = read_network(session, db.hub_id, outside=True)
    positions = layout_network(graph, progress)
    write_network_drawing(graph, positions, out, db.hub_name, by=by, progress=progress)
    return len(graph.people)
