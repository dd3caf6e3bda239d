"""Text for the page, in any script: wrapped on the logical text, laid out with the Unicode bidirectional
algorithm, cut into runs each drawn in a face that has its letters, shaped with HarfBuzz, and drawn so that
text extraction gives back the words as typed.

The steps, per field (a paragraph of a cell, a heading, a label line):
1. the faces: each character goes to its script's face (`fonts.family_for`), so a line mixes faces run by run;
2. the bidi levels of the whole field (ICU), so an Arabic street name inside an English address keeps its place;
3. the line breaks (`breaking`), measured on the logical text, before any reordering;
4. per line, the runs reordered for display (rule L2 of the bidi algorithm), each shaped by HarfBuzz in its
   direction: Bengali vowel signs and conjuncts, Arabic joining, Thai marks;
5. drawing: a shaped or right-to-left run is wrapped in a marked-content span whose ActualText is the run's
   logical text, so `pdftotext` and a PDF search see "রহিম" and "محمد", not glyph codes or presentation forms.
   Poppler reverses right-to-left text it extracts, so a right-to-left run's ActualText is given reversed.

Plain text in the Latin face (every ASCII string, most European names) skips shaping and spans: it extracts
correctly as drawn, and the large directories stay fast.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import icu
import uharfbuzz
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr
from reportlab.pdfgen.canvas import Canvas

from oursociety_desktop.exports.pdf import breaking, fonts

FSI, PDI = "\u2068", "\u2069"
_CONTROLS = frozenset("\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u202e\u200e\u200f")
_SHAPED_FAMILIES = frozenset({"arabic", "bengali", "devanagari", "tamil", "thai"})
_NOT_DRAWN = frozenset("\ufe0e\ufe0f")  # variation selectors: Symbola draws emoji in one style anyway
HYPHEN = "-"


@dataclass(frozen=True)
class Run:
    """A piece of a line drawn in one face and one direction."""

    font: str
    text: str  # the logical text, as typed
    drawn: str  # what ReportLab draws: the text itself, or a ShapedStr of glyphs in visual order
    width: float  # in points
    rtl: bool = False
    shaped: bool = False
    fake_bold: bool = False  # a face without a bold, thickened with a stroke
    astral: bool = False  # characters beyond U+FFFF (emoji), which ReportLab's text map cannot carry
    scale: float = 1.0  # drawn at this multiple of the line's type size

    @property
    def spans_text(self) -> bool:
        """Whether the run needs an ActualText span to extract as typed."""
        return self.shaped or self.rtl or self.astral


@dataclass(frozen=True)
class Line:
    """One printed line: its runs in visual (left-to-right drawing) order and its width in points."""

    runs: tuple[Run, ...]
    width: float
    text: str  # the line's logical text (with the hyphen, if a word was cut)
    cut: bool = False  # a word too wide for the column was cut at the end of this line
    # For a left-to-right paragraph wrapped onto several lines: the whole paragraph on its first line, "" on the
    # others, given as ActualText so extraction reads the paragraph whole (tables are read row by row, and the
    # next column's words would land inside a wrapped name) and a cut word without its hyphen.
    actual: str | None = None


@lru_cache(maxsize=4096)
def _is_rtl_char(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


def has_rtl(text: str) -> bool:
    """Whether the text holds right-to-left letters (Arabic, Urdu, Persian, Hebrew...)."""
    return not text.isascii() and any(_is_rtl_char(ch) for ch in text)


def isolate_join(parts: Iterable[str], separator: str) -> str:
    """Join the parts of a field (the lines of an address, a list of names) so that each keeps its own reading
    direction: an Arabic street name does not pull the comma and house number after it into right-to-left
    order. Each part becomes a bidi isolate when any part is right-to-left."""
    items = [p for p in parts if p]
    if not any(has_rtl(p) for p in items):
        return separator.join(items)
    return separator.join(FSI + p + PDI for p in items)


def _bold(font: str) -> bool:
    return font != fonts.BODY and fonts.BY_FONT.get(font, fonts.LATIN).bold == font


# --- faces -------------------------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def _items(text: str) -> tuple[tuple[fonts.Family, int, int], ...]:
    """(face family, start, end) runs of a logical text."""
    out: list[tuple[fonts.Family, int, int]] = []
    previous: fonts.Family | None = None
    start = 0
    for i, ch in enumerate(text):
        family = fonts.family_for(ch, previous)
        if family is not previous:
            if previous is not None:
                out.append((previous, start, i))
            previous, start = family, i
    if previous is not None:
        out.append((previous, start, len(text)))
    return tuple(out)


# --- shaping -----------------------------------------------------------------------------------------------

_shape_lock = threading.Lock()
_hb_fonts: dict[str, Any] = {}


def _needs_shaping(family: fonts.Family, text: str, rtl: bool) -> bool:
    return rtl or family.key in _SHAPED_FAMILIES or (
        not text.isascii() and any(unicodedata.combining(ch) for ch in text))


@lru_cache(maxsize=65536)
def _shape(text: str, font: str, rtl: bool) -> tuple[str, float]:
    """The glyphs HarfBuzz chooses for a run, as a ReportLab ShapedStr in visual order, and its width at 1 pt."""
    with _shape_lock:
        ttf = pdfmetrics.getFont(font)
        hb_font = _hb_fonts.get(font)
        if hb_font is None:
            hb_font = _hb_fonts[font] = ttf.hbFont(1000)  # also readies ttf.hbAddPrivate for unnamed glyphs
        buf = uharfbuzz.Buffer()
        buf.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
        buf.add_str(text)
        buf.guess_segment_properties()
        buf.direction = "rtl" if rtl else "ltr"
        uharfbuzz.shape(hb_font, buf, {"kern": True, "liga": True})
        chars: list[str] = []
        data: list[ShapeData] = []
        total = 0.0
        for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
            gid = info.codepoint
            advance = ttf.pdfScale(pos.x_advance)
            known = ttf.face.glyphToChar.get(gid)
            # A glyph with no character of its own (a conjunct, a joined Arabic form) gets a private-use code.
            code = known[0] if known else ttf.hbAddPrivate(hb_font.glyph_to_string(gid), gid, advance)
            chars.append(chr(code))
            data.append(ShapeData(info.cluster, advance, ttf.pdfScale(pos.y_advance), ttf.pdfScale(pos.x_offset),
                                  ttf.pdfScale(pos.y_offset), ttf.face.charWidths.get(code, advance)))
            total += advance
        return ShapedStr("".join(chars), shapeData=data), total / 1000.0


@lru_cache(maxsize=131072)
def _plain_width(text: str, font: str) -> float:
    return float(pdfmetrics.stringWidth(text, font, 1.0))


def _run(family: fonts.Family, text: str, bold: bool, rtl: bool, size: float) -> Run | None:
    if text.isascii():
        drawn_text, astral = text, False
    else:
        text = "".join(ch for ch in text if ch not in _CONTROLS)
        drawn_text = "".join(ch for ch in text if ch not in _NOT_DRAWN)
        astral = any(ord(ch) > 0xFFFF for ch in drawn_text)
    if not drawn_text:
        return None
    font = family.face(bold)
    size *= family.scale
    if _needs_shaping(family, drawn_text, rtl):
        drawn, unit = _shape(drawn_text, font, rtl)
        return Run(font, text, drawn, unit * size, rtl, True, bold and not family.has_bold, astral, family.scale)
    return Run(font, text, drawn_text, _plain_width(drawn_text, font) * size, rtl, False,
               bold and not family.has_bold, astral, family.scale)


@lru_cache(maxsize=131072)
def _unit_width(text: str, bold: bool) -> float:
    """The width of a logical text at 1 pt (its runs shaped alone)."""
    if text.isascii():
        return _plain_width(text, fonts.BOLD if bold else fonts.BODY)
    total = 0.0
    rtl = has_rtl(text)
    for family, start, end in _items(text):
        piece = text[start:end]
        run = _run(family, piece, bold, rtl and any(_is_rtl_char(ch) for ch in piece), 1.0)
        total += run.width if run else 0.0
    return total


def width(text: str, font: str, size: float) -> float:
    """The drawn width of a logical string in points (`font` is the body or the bold face)."""
    return _unit_width(text, _bold(font)) * size


# --- bidi --------------------------------------------------------------------------------------------------


@lru_cache(maxsize=16384)
def _levels(text: str) -> tuple[int, ...] | None:
    """The resolved bidi level of each character, or None when the text is all left-to-right."""
    if not has_rtl(text):
        return None
    bidi = icu.Bidi()
    source = icu.UnicodeString(text)  # ICU keeps a pointer to it: it must outlive the call below
    bidi.setPara(source, icu.Bidi.DEFAULT_LTR)
    unit_levels = bidi.getLevels()
    del source
    out, unit = [], 0
    for ch in text:
        out.append(unit_levels[unit])
        unit += 2 if ord(ch) >= 0x10000 else 1
    return tuple(out)


def _reorder(pieces: list[tuple[int, fonts.Family, int, int]]) -> list[tuple[int, fonts.Family, int, int]]:
    """Rule L2: from the highest level down to the lowest odd one, reverse every sequence at that level or
    above."""
    levels = [p[0] for p in pieces]
    odd = [lv for lv in levels if lv % 2]
    if not odd:
        return pieces
    out = list(pieces)
    for level in range(max(levels), min(odd) - 1, -1):
        i = 0
        while i < len(out):
            if out[i][0] >= level:
                j = i
                while j < len(out) and out[j][0] >= level:
                    j += 1
                out[i:j] = out[i:j][::-1]
                i = j
            else:
                i += 1
    return out


# --- lines -------------------------------------------------------------------------------------------------


def _build_line(text: str, start: int, end: int, bold: bool, size: float, hyphen: bool, cut: bool = False
                ) -> Line:
    """One line of a paragraph: its logical span cut into runs by face and bidi level, then reordered."""
    while end > start and text[end - 1] in " \t":
        end -= 1
    levels = _levels(text)
    pieces: list[tuple[int, fonts.Family, int, int]] = []
    for family, a, b in _items(text):
        a, b = max(a, start), min(b, end)
        if a >= b:
            continue
        if levels is None:
            pieces.append((0, family, a, b))
            continue
        run_start = a
        for i in range(a + 1, b + 1):
            if i == b or levels[i] != levels[run_start]:
                pieces.append((levels[run_start], family, run_start, i))
                run_start = i
    runs: list[Run] = []
    for level, family, a, b in _reorder(pieces):
        if level % 2 == 0 and family is not fonts.LATIN and _neutral_latin(text[a:b]):
            # Spaces and dashes left behind by a right-to-left word go back to the Latin face: drawn plain, they
            # extract in place (a span would make poppler read them as part of the right-to-left word).
            family = fonts.LATIN
        run = _run(family, text[a:b], bold, level % 2 == 1, size)
        if run is not None:
            runs.append(run)
    logical = text[start:end]
    if not logical.isascii():
        logical = "".join(ch for ch in logical if ch not in _CONTROLS)
    if hyphen:
        runs.append(Run(fonts.BOLD if bold else fonts.BODY, HYPHEN, HYPHEN,
                        _plain_width(HYPHEN, fonts.BOLD if bold else fonts.BODY) * size))
        logical += HYPHEN
    return Line(tuple(runs), sum(r.width for r in runs), logical, cut)


@lru_cache(maxsize=4096)
def _neutral_latin(text: str) -> bool:
    return not any(ch.isalpha() or unicodedata.category(ch).startswith("M") for ch in text) and \
        all(fonts.covers(fonts.LATIN.regular, ch) for ch in text)


def _cut_word(word: str, bold: bool, size: float, limit: float) -> list[tuple[str, bool]]:
    """A word wider than its column cut between characters, with a hyphen where the script uses one."""
    hyphen = breaking.hyphenates(word)
    room = limit - (_plain_width(HYPHEN, fonts.BOLD if bold else fonts.BODY) * size if hyphen else 0.0)
    pieces: list[tuple[str, bool]] = []
    piece = ""
    for grapheme in breaking.graphemes(word):
        if piece and _unit_width(piece + grapheme, bold) * size > room:
            pieces.append((piece, hyphen and not piece.endswith(HYPHEN)))
            piece = grapheme
        else:
            piece += grapheme
    pieces.append((piece, False))
    return pieces


def _wrap_spans(text: str, bold: bool, size: float, limit: float, emergency: bool
                ) -> list[tuple[int, int, bool, bool]]:
    """(start, end, hyphen, cut) of each line of a paragraph, measured on the logical text."""
    spans: list[tuple[int, int, bool, bool]] = []
    line_start = pos = 0
    line_width = 0.0
    for segment in breaking.segments(text):
        seg_width = _unit_width(segment.rstrip(" "), bold) * size
        if pos > line_start and line_width + seg_width > limit:
            spans.append((line_start, pos, False, False))
            line_start, line_width = pos, 0.0
        if pos == line_start and seg_width > limit:
            word = segment.rstrip(" ")
            if breaking.is_protected(word) and not emergency:
                pieces = [(word, False)]  # the caller shrinks the cell rather than cut an email or phone number
            elif breaking.is_protected(word):
                pieces = _greedy(breaking.first_cuts(word), bold, size, limit)
                if any(_unit_width(p, bold) * size > limit for p, _ in pieces):
                    pieces = _greedy(breaking.emergency_cuts(word), bold, size, limit)
            else:
                pieces = _cut_word(word, bold, size, limit)
            for piece, hyphen in pieces[:-1]:
                spans.append((pos, pos + len(piece), hyphen, True))
                pos += len(piece)
            line_start = pos
            last = pieces[-1][0] + segment[len(word):]
            line_width = _unit_width(last, bold) * size
            pos += len(last)
            continue
        line_width += _unit_width(segment, bold) * size
        pos += len(segment)
    spans.append((line_start, pos, False, False))
    return spans


def _greedy(parts: list[str], bold: bool, size: float, limit: float) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    piece = ""
    for part in parts:
        if piece and _unit_width(piece + part, bold) * size > limit:
            out.append((piece, False))
            piece = ""
        piece += part
    out.append((piece, False))
    return out


def layout(text: str, font: str, size: float, limit: float, emergency: bool = False, whole: bool = True
           ) -> list[Line]:
    """Wrapped, reordered, shaped lines ready to draw: a new paragraph at each newline, breaks where Unicode
    allows them, a word cut (with a hyphen in the scripts that use one) only when it alone is wider than
    `limit`. An email address or phone number wider than `limit` stays whole (see `fit`) unless `emergency`.
    With `whole`, a wrapped left-to-right paragraph extracts as one piece (see `Line.actual`)."""
    bold = _bold(font)
    lines: list[Line] = []
    for raw in (text if text.isascii() else unicodedata.normalize("NFC", text)).splitlines() or [""]:
        paragraph = _collapse_spaces(raw.replace("\t", " "))
        if _unit_width(paragraph, bold) * size <= limit:
            lines.append(_build_line(paragraph, 0, len(paragraph), bold, size, False))
            continue
        wrapped = [_build_line(paragraph, start, end, bold, size, hyphen, cut)
                   for start, end, hyphen, cut in _wrap_spans(paragraph, bold, size, limit, emergency)]
        if whole and len(wrapped) > 1 and not has_rtl(paragraph):
            full = "".join(ch for ch in paragraph if ch not in _CONTROLS)
            wrapped = [replace(line, actual=full if i == 0 else "") for i, line in enumerate(wrapped)]
        lines.extend(wrapped)
    return lines


def _collapse_spaces(text: str) -> str:
    # Not str.split(): it would eat no-break spaces, which keep postcodes and phone numbers whole.
    while "  " in text:
        text = text.replace("  ", " ")
    return text.strip(" ")


def fit(text: str, font: str, size: float, limit: float, smallest: float, whole: bool = True
        ) -> tuple[float, list[Line]]:
    """Lay out a text at `size`, or smaller (not below `smallest`) when an email address, a phone number or a
    word does not fit whole; cut it only when even `smallest` is too big. Returns the size used and the lines."""
    lines = layout(text, font, size, limit, whole=whole)
    current = size
    while any(line.width > limit + 0.01 for line in lines) or _has_cut_word(lines):
        if current - 0.5 < smallest:
            return current, layout(text, font, current, limit, emergency=True, whole=whole)
        current -= 0.5
        lines = layout(text, font, current, limit, whole=whole)
    return current, lines


def _has_cut_word(lines: list[Line]) -> bool:
    return any(line.cut for line in lines)


def is_plain(lines: list[Line], font: str) -> bool:
    """Whether every line is one unshaped left-to-right run in `font`, so a plain string can carry it (the fast
    path in tables; a wrapped paragraph needs its ActualText)."""
    return all(line.actual is None and len(line.runs) <= 1 and
               all(r.font == font and not r.spans_text and not r.fake_bold for r in line.runs) for line in lines)


def _actual_text(text: str) -> str:
    return "/Span <</ActualText <FEFF" + text.encode("utf-16-be").hex().upper() + ">>> BDC"


def draw_lines(canvas: Canvas, lines: list[Line], x: float, y: float, size: float, leading: float,
               align_right: bool = False, limit: float = 0.0) -> None:
    """Draw lines downwards from baseline `y` (right-aligned within `limit` when `align_right`)."""
    for line in lines:
        fake_bold = any(run.fake_bold for run in line.runs)
        if fake_bold:
            canvas.saveState()
            canvas.setLineWidth(size * 0.035)
            canvas.setStrokeColor(canvas._fillColorObj)
        # One text object per line, faces switched inside it, so extraction reads the line as one piece.
        text_object = canvas.beginText(x + (limit - line.width if align_right else 0.0), y)
        if line.actual is not None:
            text_object._code.append(_actual_text(line.actual))
        for run in line.runs:
            if run.spans_text and line.actual is None:
                # Poppler reverses right-to-left text when it extracts it: give it the run reversed.
                text_object._code.append(_actual_text(run.text[::-1] if run.rtl else run.text))
            text_object.setFont(run.font, size * run.scale)
            if run.fake_bold:
                text_object.setTextRenderMode(2)
            text_object.textOut(run.drawn)
            if run.fake_bold:
                text_object.setTextRenderMode(0)
            if run.spans_text and line.actual is None:
                text_object._code.append("EMC")
        if line.actual is not None:
            text_object._code.append("EMC")
        canvas.drawText(text_object)
        if fake_bold:
            canvas.restoreState()
        y -= leading
