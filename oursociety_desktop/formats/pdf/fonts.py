"""The bundled fonts, and which of them draws each character.

Every face lives in `oursociety_desktop/resources/fonts/` with its licence and is read through
importlib.resources, so printing never depends on the fonts installed on the machine, and every PDF embeds (a
subset of) each font it uses. The faces, by script:

- DejaVu Sans: Latin (Polish, Welsh, Vietnamese), Greek, Cyrillic, Hebrew, and the tick box.
- Noto Naskh Arabic: Arabic, Persian and Urdu (one face for the whole script, so letters join).
- Noto Sans Bengali, Devanagari, Tamil, Thai.
- Nanum Gothic: Hangul. Droid Sans Fallback: Chinese and Japanese (no bold face).
- Symbola: emoji and symbols, in black and white (no bold face).

A face without a bold is thickened with a stroke when bold is asked for.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont


@dataclass(frozen=True)
class Family:
    """A script's face: the font names registered with ReportLab, regular and bold (the same if no bold)."""

    key: str
    regular: str
    bold: str
    regular_file: str
    bold_file: str
    scale: float = 1.0  # drawn this much larger, so its letters look the size of the Latin text beside them

    def face(self, bold: bool) -> str:
        """The registered font name for the weight."""
        return self.bold if bold else self.regular

    @property
    def has_bold(self) -> bool:
        """Whether a real bold face is bundled."""
        return self.bold != self.regular


def _family(key: str, stem: str, regular: str, bold: str | None, scale: float = 1.0) -> Family:
    return Family(key, f"OS-{stem}", f"OS-{stem}-Bold" if bold else f"OS-{stem}", regular, bold or regular, scale)


LATIN = _family("latin", "DejaVuSans", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
# Naskh letters are small for their point size beside DejaVu's tall Latin ones.
ARABIC = _family("arabic", "NotoNaskhArabic", "NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf", 1.2)
BENGALI = _family("bengali", "NotoSansBengali", "NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf")
DEVANAGARI = _family("devanagari", "NotoSansDevanagari", "NotoSansDevanagari-Regular.ttf",
                     "NotoSansDevanagari-Bold.ttf")
TAMIL = _family("tamil", "NotoSansTamil", "NotoSansTamil-Regular.ttf", "NotoSansTamil-Bold.ttf")
THAI = _family("thai", "NotoSansThai", "NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf")
HANGUL = _family("hangul", "NanumGothic", "NanumGothic.ttf", "NanumGothicBold.ttf")
CJK = _family("cjk", "DroidSansFallback", "DroidSansFallbackFull.ttf", None)
SYMBOLS = _family("symbols", "Symbola", "Symbola.ttf", None)

FAMILIES = (LATIN, ARABIC, BENGALI, DEVANAGARI, TAMIL, THAI, HANGUL, CJK, SYMBOLS)
BY_FONT = {name: family for family in FAMILIES for name in (family.regular, family.bold)}

BODY = LATIN.regular
BOLD = LATIN.bold

# Scripts sent to their own face whatever the others cover: a word must stay in one face for its letters to join
# or stack (DejaVu has some Arabic letters but not Urdu's; Nanum has some Chinese characters).
_BLOCKS: tuple[tuple[int, int, Family], ...] = (
    (0x0600, 0x06FF, ARABIC), (0x0750, 0x077F, ARABIC), (0x08A0, 0x08FF, ARABIC), (0xFB50, 0xFDFF, ARABIC),
    (0xFE70, 0xFEFF, ARABIC),
    (0x0900, 0x097F, DEVANAGARI), (0xA8E0, 0xA8FF, DEVANAGARI), (0x0980, 0x09FF, BENGALI),
    (0x0B80, 0x0BFF, TAMIL), (0x0E00, 0x0E7F, THAI),
    (0x1100, 0x11FF, HANGUL), (0x3130, 0x318F, HANGUL), (0xA960, 0xA97F, HANGUL), (0xAC00, 0xD7FF, HANGUL),
)
_FALLBACK = (LATIN, CJK, SYMBOLS, HANGUL, ARABIC)

_lock = threading.Lock()
_coverage: dict[str, frozenset[int]] = {}


def register_fonts() -> None:
    """Register the bundled fonts with ReportLab once per process (safe from worker threads)."""
    if _coverage:
        return
    with _lock:
        if _coverage:
            return
        folder = resources.files("oursociety_desktop.resources").joinpath("fonts")
        loaded: dict[str, frozenset[int]] = {}
        for family in FAMILIES:
            for name, file_name in ((family.regular, family.regular_file), (family.bold, family.bold_file)):
                if name in loaded:
                    continue
                with resources.as_file(folder.joinpath(file_name)) as path:
                    font = TTFont(name, str(path))
                pdfmetrics.registerFont(font)
                loaded[name] = frozenset(font.face.charToGlyph)
        pdfmetrics.registerFontFamily(BODY, normal=BODY, bold=BOLD, italic=BODY, boldItalic=BOLD)
        _coverage.update(loaded)


def covers(font_name: str, char: str) -> bool:
    """Whether a registered font has a glyph for the character."""
    register_fonts()
    return ord(char) in _coverage[font_name]


def is_mark(char: str) -> bool:
    """Characters that belong with the one before them: combining marks, joiners, variation selectors."""
    return unicodedata.category(char) in ("Mn", "Mc", "Me") or char in "\u200c\u200d" or \
        0xFE00 <= ord(char) <= 0xFE0F or 0x1F3FB <= ord(char) <= 0x1F3FF


@lru_cache(maxsize=8192)
def family_for(char: str, previous: Family | None = None) -> Family:
    """The face that draws `char`: its script's own face, else the face of the text before it for marks,
    spaces, digits and punctuation it has, else the first face that has the glyph."""
    register_fonts()
    code = ord(char)
    if code < 0x80 and char != " ":
        return LATIN  # digits and punctuation beside other scripts look the same as in the Latin text
    if previous is not None and (is_mark(char) or (not char.isalpha() and code in _coverage[previous.regular])):
        return previous
    for low, high, family in _BLOCKS:
        if low <= code <= high:
            return family
    for family in _FALLBACK:
        if code in _coverage[family.regular]:
            return family
    return previous or LATIN
