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

import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

from reportlab.pdfgen.canvas import Canvas

from oursociety_desktop.formats.pdf import breaking, fonts
from oursociety_desktop.formats.pdf.runs import (
    CONTROLS,
    Run,
    has_rtl,
    is_bold,
    isolate_join,
    items,
    levels,
    make_run,
    plain_width,
    reorder,
    unit_width,
    width,
)

__all__ = ["Line", "Run", "draw_lines", "fit", "has_rtl", "is_plain", "isolate_join", "layout", "width"]

HYPHEN = "-"


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


# --- lines -------------------------------------------------------------------------------------------------


def _build_line(text: str, start: int, end: int, bold: bool, size: float, hyphen: bool, cut: bool = False
                ) -> Line:
    """One line of a paragraph: its logical span cut into runs by face and bidi level, then reordered."""
    while end > start and text[end - 1] in " \t":
        end -= 1
    resolved = levels(text)
    pieces: list[tuple[int, fonts.Family, int, int]] = []
    for family, a, b in items(text):
        a, b = max(a, start), min(b, end)
        if a >= b:
            continue
        if resolved is None:
            pieces.append((0, family, a, b))
            continue
        run_start = a
        for i in range(a + 1, b + 1):
            if i == b or resolved[i] != resolved[run_start]:
                pieces.append((resolved[run_start], family, run_start, i))
                run_start = i
    runs: list[Run] = []
    for level, family, a, b in reorder(pieces):
        if level % 2 == 0 and family is not fonts.LATIN and _neutral_latin(text[a:b]):
            # Spaces and dashes left behind by a right-to-left word go back to the Latin face: drawn plain, they
            # extract in place (a span would make poppler read them as part of the right-to-left word).
            family = fonts.LATIN
        run = make_run(family, text[a:b], bold, level % 2 == 1, size)
        if run is not None:
            runs.append(run)
    logical = text[start:end]
    if not logical.isascii():
        logical = "".join(ch for ch in logical if ch not in CONTROLS)
    if hyphen:
        runs.append(Run(fonts.BOLD if bold else fonts.BODY, HYPHEN, HYPHEN,
                        plain_width(HYPHEN, fonts.BOLD if bold else fonts.BODY) * size))
        logical += HYPHEN
    return Line(tuple(runs), sum(r.width for r in runs), logical, cut)


@lru_cache(maxsize=4096)
def _neutral_latin(text: str) -> bool:
    return not any(ch.isalpha() or unicodedata.category(ch).startswith("M") for ch in text) and \
        all(fonts.covers(fonts.LATIN.regular, ch) for ch in text)


def _cut_word(word: str, bold: bool, size: float, limit: float) -> list[tuple[str, bool]]:
    """A word wider than its column cut between characters, with a hyphen where the script uses one."""
    hyphen = breaking.hyphenates(word)
    room = limit - (plain_width(HYPHEN, fonts.BOLD if bold else fonts.BODY) * size if hyphen else 0.0)
    pieces: list[tuple[str, bool]] = []
    piece = ""
    for grapheme in breaking.graphemes(word):
        if piece and unit_width(piece + grapheme, bold) * size > room:
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
        seg_width = unit_width(segment.rstrip(" "), bold) * size
        if pos > line_start and line_width + seg_width > limit:
            spans.append((line_start, pos, False, False))
            line_start, line_width = pos, 0.0
        if pos == line_start and seg_width > limit:
            word = segment.rstrip(" ")
            if breaking.is_protected(word) and not emergency:
                pieces = [(word, False)]  # the caller shrinks the cell rather than cut an email or phone number
            elif breaking.is_protected(word):
                pieces = _greedy(breaking.first_cuts(word), bold, size, limit)
                if any(unit_width(p, bold) * size > limit for p, _ in pieces):
                    pieces = _greedy(breaking.emergency_cuts(word), bold, size, limit)
            else:
                pieces = _cut_word(word, bold, size, limit)
            for piece, hyphen in pieces[:-1]:
                spans.append((pos, pos + len(piece), hyphen, True))
                pos += len(piece)
            line_start = pos
            last = pieces[-1][0] + segment[len(word):]
            line_width = unit_width(last, bold) * size
            pos += len(last)
            continue
        line_width += unit_width(segment, bold) * size
        pos += len(segment)
    spans.append((line_start, pos, False, False))
    return spans


def _greedy(parts: list[str], bold: bool, size: float, limit: float) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    piece = ""
    for part in parts:
        if piece and unit_width(piece + part, bold) * size > limit:
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
    bold = is_bold(font)
    lines: list[Line] = []
    for raw in (text if text.isascii() else unicodedata.normalize("NFC", text)).splitlines() or [""]:
        paragraph = _collapse_spaces(raw.replace("\t", " "))
        if unit_width(paragraph, bold) * size <= limit:
            lines.append(_build_line(paragraph, 0, len(paragraph), bold, size, False))
            continue
        wrapped = [_build_line(paragraph, start, end, bold, size, hyphen, cut)
                   for start, end, hyphen, cut in _wrap_spans(paragraph, bold, size, limit, emergency)]
        if whole and len(wrapped) > 1 and not has_rtl(paragraph):
            full = "".join(ch for ch in paragraph if ch not in CONTROLS)
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
