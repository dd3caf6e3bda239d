"""Themes (tags) shared by lessons, offers and needs: tidied the same way everywhere, so a theme typed as
"Bike repair " at one hub and "bike repair" at another is one theme."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from oursociety_desktop.i18n import ngettext
from oursociety_desktop.models.errors import ValidationError
from oursociety_desktop.models.text import fold

MAX_THEMES = 20
MAX_THEME_LENGTH = 60


def clean_themes(values: Iterable[object] | str) -> list[str]:
    """Themes as given (a list, or one comma-separated string): trimmed, NFC, lower-case, each once, in order."""
    items = values.split(",") if isinstance(values, str) else [str(v) for v in values]
    out: list[str] = []
    seen: set[str] = set()
    for item in items:
        theme = " ".join(unicodedata.normalize("NFC", item).split()).lower()
        if not theme:
            continue
        if len(theme) > MAX_THEME_LENGTH:
            raise ValidationError("themes", ngettext(
                "The theme '{theme}…' is longer than {max_theme_length} character.",
                "The theme '{theme}…' is longer than {max_theme_length} characters.", MAX_THEME_LENGTH)
                .format(theme=theme[:20], max_theme_length=MAX_THEME_LENGTH))
        if fold(theme) not in seen:
            seen.add(fold(theme))
            out.append(theme)
    if len(out) > MAX_THEMES:
        raise ValidationError("themes", ngettext("At most {max_themes} theme, please.",
                                                 "At most {max_themes} themes, please.", MAX_THEMES)
                              .format(max_themes=MAX_THEMES))
    return out
