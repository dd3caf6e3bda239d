"""The bundled fonts: DejaVu Sans (Latin, Greek, Cyrillic, Arabic, Hebrew), FreeSerif (the Urdu letters DejaVu
lacks) and Droid Sans Fallback (CJK).

They live in `oursociety_desktop/resources/fonts/` with their licences and are read through importlib.resources,
so printing never depends on the fonts installed on the machine.
"""

from __future__ import annotations

import threading
from importlib import resources

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

BODY = "OS-DejaVuSans"
BOLD = "OS-DejaVuSans-Bold"
CJK = "OS-DroidSansFallback"
EXTRA = "OS-FreeSerif"  # Urdu letters DejaVu lacks

_FILES = {BODY: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", EXTRA: "FreeSerif.ttf", CJK: "DroidSansFallbackFull.ttf"}
_lock = threading.Lock()
_coverage: dict[str, frozenset[int] | dict[int, int]] = {}


def register_fonts() -> None:
    """Register the bundled fonts with ReportLab once per process (safe from worker threads)."""
    with _lock:
        if _coverage:
            return
        folder = resources.files("oursociety_desktop.resources").joinpath("fonts")
        for name, file_name in _FILES.items():
            with resources.as_file(folder.joinpath(file_name)) as path:
                font = TTFont(name, str(path))
            pdfmetrics.registerFont(font)
            _coverage[name] = font.face.charToGlyph
        pdfmetrics.registerFontFamily(BODY, normal=BODY, bold=BOLD, italic=BODY, boldItalic=BOLD)


def covers(font_name: str, char: str) -> bool:
    """Whether a registered font has a glyph for the character."""
    register_fonts()
    return ord(char) in _coverage[font_name]
