"""The one translation mechanism of the whole program: GNU gettext catalogues (Babel builds them).

The Qt-free core, the command line and the printed pages call `_()` / `ngettext()` from here; the window's
`tr()` calls reach the same catalogues through `ui/translator.py`, so each sentence is translated once, in one
file per language: `resources/locale/<lang>/LC_MESSAGES/oursociety.po` (compiled to `.mo` by `bash dev.sh`).

The language is, in order: the `--lang` option, `OURSOCIETY_LANG`, the hub's Settings choice (passed in by the
window), the system locale (`LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG`), else English. A language without a
catalogue shows English. `docs/translating.md` says how catalogues are made, reviewed and added.
"""

from __future__ import annotations

import gettext
import locale
import os
from importlib import resources
from pathlib import Path

DOMAIN = "oursociety"
# The languages with a catalogue, by code, each named in itself (as a language menu shows them).
LANGUAGES: dict[str, str] = {
    "en": "English", "cy": "Cymraeg", "pl": "Polski", "ur": "اردو", "bn": "বাংলা", "ar": "العربية",
}
RIGHT_TO_LEFT = frozenset({"ar", "ur", "fa", "he", "ps", "sd", "ug", "yi", "dv", "ckb"})

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def locale_dir() -> Path:
    """The folder holding `<lang>/LC_MESSAGES/oursociety.mo`."""
    return Path(str(resources.files("oursociety_desktop.resources") / "locale"))


def _base(code: str) -> str:
    """'pl_PL.UTF-8' -> 'pl'; 'C' and 'POSIX' -> ''."""
    code = code.split(".")[0].split("@")[0].replace("-", "_")
    return "" if code in ("", "C", "POSIX") else code.split("_")[0].lower()


def system_language() -> str:
    """The user's language from the environment and the system locale ('' when none is set)."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for code in os.environ.get(variable, "").split(":"):
            if _base(code):
                return _base(code)
    try:
        found = locale.getlocale(locale.LC_MESSAGES)[0]  # type: ignore[attr-defined,unused-ignore]
    except (AttributeError, ValueError):
        found = None
    return _base(found or "")


def choose_language(option: str | None = None, saved: str | None = None) -> str:
    """The language to use: `option` (--lang), `OURSOCIETY_LANG`, `saved` (Settings), the system's, else 'en'."""
    for candidate in (option, os.environ.get("OURSOCIETY_LANG"), saved, system_language()):
        if candidate and _base(candidate):
            return _base(candidate)
    return "en"


def install(language: str) -> str:
    """Use `language` for every later message (falls back to English without a catalogue); returns the code."""
    global _translation, _language
    _language = _base(language) or "en"
    _translation = gettext.translation(DOMAIN, str(locale_dir()), [_language], fallback=True)
    return _language


def current_language() -> str:
    """The language `install` chose ('en' until then)."""
    return _language


def is_right_to_left(language: str | None = None) -> bool:
    """Whether the language (default: the current one) is written right to left (Arabic, Urdu...)."""
    return _base(language or _language) in RIGHT_TO_LEFT


def has_catalogue(language: str) -> bool:
    """Whether a compiled catalogue exists for `language`."""
    return (locale_dir() / _base(language) / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()


def _(message: str) -> str:
    """The translation of `message` (English when there is none)."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for the number `n` (languages have 1 to 6 plural forms; the catalogue knows)."""
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the conventional name of gettext's no-op marker
    """Marks a message for extraction where it is defined; it is translated with `_()` where it is shown."""
    return message


def Nn_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 - named after N_
    """Marks a message with a count for extraction where it is defined (as one plural entry); it is shown with
    `ngettext(*forms, n)`."""
    return singular, plural
