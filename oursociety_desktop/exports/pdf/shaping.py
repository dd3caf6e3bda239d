"""Text for the page: wrapping to a width, Arabic and Hebrew shaped and reordered, each character in a font
that has it.

ReportLab draws a string in one font and does not fall back per glyph, and its own bidi shaping breaks text
extraction. So a text is wrapped in logical order, each line is reshaped (arabic_reshaper) and put in visual
order (python-bidi), and then cut into runs: DejaVu Sans wherever it has the glyph, else the CJK font.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import arabic_reshaper
from bidi.algorithm import get_display
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from oursociety_desktop.exports.pdf import fonts

_SPACES = re.compile(r"[ \t\r\f\v]+")

Run = tuple[str, str]
"""(font name, text) drawn in one go."""


@dataclass(frozen=True)
class Line:
    """One printed line: its runs in visual (left-to-right drawing) order and its width in points."""

    runs: tuple[Run, ...]
    width: float

    @property
    def text(self) -> str:
        """The line's characters as drawn."""
        return "".join(text for _, text in self.runs)


@lru_cache(maxsize=4096)
def _is_rtl_char(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


def has_rtl(text: str) -> bool:
    """Whether the text holds right-to-left letters (Arabic, Urdu, Persian, Hebrew...)."""
    return not text.isascii() and any(_is_rtl_char(ch) for ch in text)


def _chain(font: str) -> tuple[str, ...]:
    """Fonts to try, in order, for a character: the asked one, regular DejaVu (it has a few Arabic letters the
    bold lacks), FreeSerif (Urdu's heh goal and yeh barree), then the CJK font."""
    return (font, fonts.BODY, fonts.EXTRA, fonts.CJK) if font != fonts.BODY else (font, fonts.EXTRA, fonts.CJK)


def _font_for(char: str, chain: tuple[str, ...]) -> str | None:
    for name in chain:
        if fonts.covers(name, char):
            return name
    return None


def _glyph_safe(text: str, font: str) -> str:
    """Replace presentation forms no bundled font has (a few Urdu final forms) by their base letter."""
    chain = _chain(font)
    out = []
    for ch in text:
        if _font_for(ch, chain) is None:
            base = unicodedata.normalize("NFKC", ch)
            if base != ch and all(_font_for(b, chain) for b in base):
                ch = base
        out.append(ch)
    return "".join(out)


def visual(text: str, font: str = fonts.BODY) -> str:
    """A logical-order line made ready to draw: Arabic joined into its contextual forms, everything in visual
    order. Left-to-right text comes back unchanged."""
    if not has_rtl(text):
        return text
    return str(get_display(_glyph_safe(arabic_reshaper.reshape(text), font)))


def runs(text: str, font: str = fonts.BODY) -> tuple[Run, ...]:
    """Cut a visual-order string into runs, each in the first bundled font that has its characters."""
    if text.isascii():
        return ((font, text),)
    chain = _chain(font)
    # One font for the whole line when one has every glyph: extraction tools reorder right-to-left text run by
    # run, so an Urdu name cut into two fonts would read back scrambled.
    for name in chain:
        if all(ch == " " or fonts.covers(name, ch) for ch in text):
            return ((name, text),)
    out: list[Run] = []
    current, start = font, 0
    for i, ch in enumerate(text):
        wanted = current if ch == " " else (_font_for(ch, chain) or font)
        if wanted != current:
            if i > start:
                out.append((current, text[start:i]))
            current, start = wanted, i
    if start < len(text):
        out.append((current, text[start:]))
    return tuple(out)


@lru_cache(maxsize=131072)
def width(text: str, font: str, size: float) -> float:
    """The drawn width of a logical string, CJK characters measured in the CJK font (cached: directories
    measure the same towns, streets and words thousands of times, and ReportLab measures TTF text in Python)."""
    if text.isascii():
        return float(stringWidth(text, font, size))
    return float(sum(stringWidth(t, f, size) for f, t in runs(visual(text, font), font)))


def _split_long_word(word: str, font: str, size: float, limit: float) -> list[str]:
    """Break a word too wide for the line: after its hyphens where possible, else between characters."""
    if "-" in word[1:-1]:
        pieces, piece = [], ""
        for part in re.split(r"(?<=-)", word):
            if piece and width(piece + part, font, size) > limit:
                pieces.append(piece)
                piece = ""
            piece += part
        pieces.append(piece)
        if all(width(p, font, size) <= limit for p in pieces):
            return pieces
        return [q for p in pieces for q in _split_chars(p, font, size, limit)]
    return _split_chars(word, font, size, limit)


def _split_chars(word: str, font: str, size: float, limit: float) -> list[str]:
    pieces, piece = [], ""
    for ch in word:
        if piece and width(piece + ch, font, size) > limit:
            pieces.append(piece)
            piece = ch
        else:
            piece += ch
    if piece:
        pieces.append(piece)
    return pieces


def _at_split(word: str) -> tuple[str, str]:
    """An email address broken before its "@", where a reader expects the break."""
    at = word.index("@", 1)
    return word[:at], word[at:]


def wrap_logical(text: str, font: str, size: float, limit: float) -> list[str]:
    """Break a text into logical-order lines no wider than `limit`: at spaces, at newlines, and inside a word
    only when the word alone is too wide (a long email address, a CJK run without spaces)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        paragraph = _SPACES.sub(" ", paragraph).strip(" ")  # not str.split(): it would eat no-break spaces
        if width(paragraph, font, size) <= limit:
            lines.append(paragraph)
            continue
        line, line_width = "", 0.0
        space = width(" ", font, size)
        for word in paragraph.split(" "):
            # Word by word, widths summed (words shape and measure alone; a line's width is their sum).
            word_width = width(word, font, size)
            if line and line_width + space + word_width <= limit:
                line, line_width = f"{line} {word}", line_width + space + word_width
                continue
            if not line and word_width <= limit:
                line, line_width = word, word_width
                continue
            if line:
                lines.append(line)
                line = ""
            line_width = 0.0
            if word_width <= limit:
                line, line_width = word, word_width
            elif "@" in word[1:] and all(width(p, font, size) <= limit for p in _at_split(word)):
                local, domain = _at_split(word)
                lines.append(local)
                line, line_width = domain, width(domain, font, size)
            else:
                pieces = _split_long_word(word, font, size, limit)
                lines.extend(pieces[:-1])
                line, line_width = pieces[-1], width(pieces[-1], font, size)
        lines.append(line)
    return lines


def layout(text: str, font: str, size: float, limit: float) -> list[Line]:
    """Wrapped, shaped, reordered lines cut into font runs, ready to draw."""
    out = []
    for logical in wrap_logical(text, font, size, limit):
        line_runs = runs(visual(logical, font), font)
        out.append(Line(line_runs, sum(stringWidth(t, f, size) for f, t in line_runs)))
    return out


def is_plain(lines: list[Line], font: str) -> bool:
    """Whether every line is one run in `font`, so a plain string can carry it (the fast path in tables)."""
    return all(len(line.runs) <= 1 and (not line.runs or line.runs[0][0] == font) for line in lines)


def draw_lines(canvas: Canvas, lines: list[Line], x: float, y: float, size: float, leading: float,
               align_right: bool = False, limit: float = 0.0) -> None:
    """Draw lines downwards from baseline `y` (right-aligned within `limit` when `align_right`)."""
    for line in lines:
        # One text object per line, fonts switched inside it, so text extraction reads the line as one piece.
        text_object = canvas.beginText(x + (limit - line.width if align_right else 0.0), y)
        for font_name, text in line.runs:
            text_object.setFont(font_name, size)
            text_object.textOut(text)
        canvas.drawText(text_object)
        y -= leading
