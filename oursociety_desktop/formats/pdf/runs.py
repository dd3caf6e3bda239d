"""The pieces of a line: each character in a face that has it (`fonts.family_for`), the bidi levels of a whole
field (ICU), and each run shaped by HarfBuzz in its direction, measured once and cached.

`shaping` builds lines from these; nothing else needs them.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import icu
import uharfbuzz
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr

from oursociety_desktop.formats.pdf import fonts

FSI, PDI = "\u2068", "\u2069"
CONTROLS = frozenset("\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u202e\u200e\u200f")
_SHAPED_FAMILIES = frozenset({"arabic", "bengali", "devanagari", "tamil", "thai"})
_NOT_DRAWN = frozenset("\ufe0e\ufe0f")  # variation selectors: Symbola draws emoji in one style anyway


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


@lru_cache(maxsize=4096)
def is_rtl_char(char: str) -> bool:
    """Whether a character is a right-to-left letter (bidi class R or AL)."""
    return unicodedata.bidirectional(char) in ("R", "AL")


def has_rtl(text: str) -> bool:
    """Whether the text holds right-to-left letters (Arabic, Urdu, Persian, Hebrew...)."""
    return not text.isascii() and any(is_rtl_char(ch) for ch in text)


def isolate_join(parts: Iterable[str], separator: str) -> str:
    """Join the parts of a field (the lines of an address, a list of names) so that each keeps its own reading
    direction: an Arabic street name does not pull the comma and house number after it into right-to-left
    order. Each part becomes a bidi isolate when any part is right-to-left."""
    items = [p for p in parts if p]
    if not any(has_rtl(p) for p in items):
        return separator.join(items)
    return separator.join(FSI + p + PDI for p in items)


def is_bold(font: str) -> bool:
    """Whether a registered font name is one of the bold faces."""
    return font != fonts.BODY and fonts.BY_FONT.get(font, fonts.LATIN).bold == font


# --- faces -------------------------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def items(text: str) -> tuple[tuple[fonts.Family, int, int], ...]:
    """(face family, start, end) runs of a logical text."""
    if text.isascii():
        return ((fonts.LATIN, 0, len(text)),) if text else ()  # DejaVu has every ASCII character
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
def plain_width(text: str, font: str) -> float:
    """The width at 1 pt of a text drawn unshaped in one face."""
    return float(pdfmetrics.stringWidth(text, font, 1.0))


def make_run(family: fonts.Family, text: str, bold: bool, rtl: bool, size: float) -> Run | None:
    """A run of `text` in the family's face, shaped when its script or direction needs it (None if nothing is
    left to draw once the bidi controls are gone)."""
    if text.isascii():
        drawn_text, astral = text, False
    else:
        text = "".join(ch for ch in text if ch not in CONTROLS)
        drawn_text = "".join(ch for ch in text if ch not in _NOT_DRAWN)
        astral = any(ord(ch) > 0xFFFF for ch in drawn_text)
    if not drawn_text:
        return None
    font = family.face(bold)
    size *= family.scale
    if _needs_shaping(family, drawn_text, rtl):
        drawn, unit = _shape(drawn_text, font, rtl)
        return Run(font, text, drawn, unit * size, rtl, True, bold and not family.has_bold, astral, family.scale)
    return Run(font, text, drawn_text, plain_width(drawn_text, font) * size, rtl, False,
               bold and not family.has_bold, astral, family.scale)


@lru_cache(maxsize=131072)
def unit_width(text: str, bold: bool) -> float:
    """The width of a logical text at 1 pt (its runs shaped alone)."""
    if text.isascii():
        return plain_width(text, fonts.BOLD if bold else fonts.BODY)
    total = 0.0
    rtl = has_rtl(text)
    for family, start, end in items(text):
        piece = text[start:end]
        run = make_run(family, piece, bold, rtl and any(is_rtl_char(ch) for ch in piece), 1.0)
        total += run.width if run else 0.0
    return total


def width(text: str, font: str, size: float) -> float:
    """The drawn width of a logical string in points (`font` is the body or the bold face)."""
    return unit_width(text, is_bold(font)) * size


# --- bidi --------------------------------------------------------------------------------------------------


@lru_cache(maxsize=16384)
def levels(text: str) -> tuple[int, ...] | None:
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


def reorder(pieces: list[tuple[int, fonts.Family, int, int]]) -> list[tuple[int, fonts.Family, int, int]]:
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
