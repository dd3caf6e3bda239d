"""Text folding for search, sorting and duplicate detection: case, accents and special letters."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from oursociety_desktop.i18n import _, ngettext
from oursociety_desktop.models.errors import UserError, ValidationError
from oursociety_desktop.models.wording import field_label

MAX_TEXT = 100_000  # characters in one field of a record

# Letters that Unicode does not decompose into a base letter and a mark, so NFKD alone keeps them.
_SPECIAL = str.maketrans(
    {
        "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th",
        "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ß": "ss", "ı": "i", "ħ": "h", "Ħ": "h", "ŧ": "t",
        "ſ": "s", "ŋ": "n", "ĸ": "k",
        # Arabic letter variants that people type interchangeably.
        "أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه", "ـ": "",
    }
)
_NON_DIGITS = re.compile(r"\D")

# Control characters (C0, DEL, C1): an escape sequence in a name imported from a hostile file would drive the
# terminal that lists it, and a line break in a name breaks every one-line list, label and calendar line.
# A byte order mark inside a text (two files joined into one) is dropped with them: it is invisible, and a name
# holding one would match no search and no duplicate.
_CONTROLS = dict.fromkeys((*range(0x00, 0x20), *range(0x7F, 0xA0), 0xFEFF))
_CONTROLS_BUT_LINES = {code: None for code in _CONTROLS if chr(code) not in "\t\n\r"}
# Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) in a one-line field: a right-to-
# left override shows "Ann" as "nnA" and reverses what follows it on the same line of a list, a label or a
# terminal, so one person can pass for another. A name's direction comes from its own letters. The marks
# (U+200E, U+200F), which mixed-script names need, and the joiners (U+200C, U+200D), which Persian and Indic
# names need, are kept.
_CONTROLS_AND_BIDI = {**_CONTROLS, **dict.fromkeys((*range(0x202A, 0x202F), *range(0x2066, 0x206A)))}
_BREAKS = re.compile(r"[\t\n\v\f\r\x1c-\x1e\x85\u2028\u2029]+")
# Every line break other than LF that some reader splits lines at (Python's str.splitlines splits at all of them).
_OTHER_BREAKS = re.compile(r"\r\n|[\r\v\f\x1c-\x1e\x85\u2028\u2029]")


def single_line(text: str) -> str:
    """Text for a one-line field (a name, a title): each run of line breaks or tabs becomes one space, other
    control characters and bidirectional overrides are dropped. Text without any (nearly all) comes back as it is.

    >>> single_line("Ann\\x1b[2J\\r\\nZed")
    'Ann[2J Zed'
    """
    if text.isprintable():
        return text
    return _BREAKS.sub(" ", text).translate(_CONTROLS_AND_BIDI)


def without_controls(text: str) -> str:
    """Text for a field of several lines (notes): control characters other than line breaks and tabs dropped."""
    if text.isprintable():
        return text
    return text.translate(_CONTROLS_BUT_LINES)


def newlines_only(text: str) -> str:
    """Text whose every line break is LF, for a writer that escapes LF (vCard, iCalendar): a CR, CRLF, NEL, line or
    paragraph separator left as it is would be a raw line break to a reader that splits lines at it, and what
    follows would read as a property of its own.

    >>> newlines_only("Hall\\u2028EMAIL:x@example.org\\r\\nend")
    'Hall\\nEMAIL:x@example.org\\nend'
    """
    return _OTHER_BREAKS.sub("\n", text)


def nfc(text: str) -> str:
    """Text in Unicode normal form C, as the hub stores every text: "é" one character, not "e" and a combining
    accent, so a name typed on a keyboard that sends decomposed letters prints, sorts and matches the same.

    >>> nfc("Zoe\u0308") == "Zo\u00eb"
    True
    """
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", text)


def nfc_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The same values with every text (and every text inside a list or a dict, keys too) in normal form C."""
    return {key: _nfc_any(value) for key, value in values.items()}


def _nfc_any(value: object) -> object:
    if isinstance(value, str):  # inline `nfc`: a merge asks this of every value it reads
        return value if value.isascii() else unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc_any(v) for v in value]
    if isinstance(value, dict):
        return {nfc(k) if isinstance(k, str) else k: _nfc_any(v) for k, v in value.items()}
    return value


def _east_asian(text: str) -> bool:
    """Whether a name is written in Chinese characters, kana or Hangul."""
    return bool(text) and all(
        0x4E00 <= ord(ch) <= 0x9FFF or 0x3400 <= ord(ch) <= 0x4DBF or 0x3040 <= ord(ch) <= 0x30FF
        or 0xAC00 <= ord(ch) <= 0xD7A3 or 0x1100 <= ord(ch) <= 0x11FF or 0x20000 <= ord(ch) <= 0x2FFFF
        or ch in " \u30fb" for ch in text)


def personal_name(given: str, family: str) -> str:
    """Given and family name in the order the name's own culture writes them: "Łukasz Wójcik", but "王小明",
    "山田太郎", "김민준" (family name first, no space, when both parts are Chinese, Japanese or Korean)."""
    if family and not family.isascii() and _east_asian(family) and (not given or _east_asian(given)):
        return f"{family}{given}"
    return " ".join(p for p in (given, family) if p)


def fold(text: str) -> str:
    """Lower-case, accent-free, with ł→l, æ→ae, Greek tonos removed and runs of spaces collapsed.

    >>> fold("Łukasiewicz Γιώργος Zoë")
    'lukasiewicz γιωργοσ zoe'
    """
    if text.isascii():
        # The same result, without the per-character work: ASCII has no accents, specials or compatibility forms.
        # (Splitting on whitespace and joining with one space is what replacing runs of `\s` and stripping does.)
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    stripped = decomposed.translate(_WITHOUT_MARKS)
    folded = stripped.casefold().translate(_SPECIAL)
    return " ".join(folded.split())


class _MarksRemoved(dict[int, int | None]):
    """A `str.translate` table that drops combining marks (`unicodedata.combining`), filled in as characters are
    met, so folding runs at C speed on text it has seen the letters of."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_WITHOUT_MARKS = _MarksRemoved()


def digits_only(text: str) -> str:
    """Only the ASCII digits of a string (for phone matching), after folding other digit scripts."""
    return _NON_DIGITS.sub("", unicodedata.normalize("NFKD", text).translate(_DIGIT_MAP))


# Arabic-Indic and Eastern Arabic-Indic digits fold to ASCII so a number typed in either script matches.
_DIGIT_MAP = str.maketrans(
    {**{chr(0x660 + i): str(i) for i in range(10)}, **{chr(0x6F0 + i): str(i) for i in range(10)}}
)


def sort_key(family: str, given: str, display: str) -> str:
    """The key contacts are listed by: family name, then given name, folded; the display name as fallback."""
    key = fold(f"{family} {given}") if (family or given) else fold(display)
    return key or "\uffff"


def four_digit_year(text: str) -> str:
    """A year as the hub's dates write it ("2026"), from four digits of any script ("٢٠٢٦" too); "" stays "".
    Raises UserError for anything else (" 2026", "²⁰²⁶", "20266"), which would match no date and list nothing."""
    if not text:
        return ""
    if len(text) != 4 or not all(unicodedata.decimal(ch, None) is not None for ch in text):
        raise UserError(_("A year is four digits, not '{year}'.").format(year=text))
    return "".join(str(unicodedata.decimal(ch)) for ch in text)


def within_limit(name: str, text: str, limit: int = MAX_TEXT) -> str:
    """The text, or ValidationError when it is longer than `limit` characters (a 1 MB name, pasted or imported,
    would be printed on every list and label and sent to every hub)."""
    if len(text) > limit:
        raise ValidationError(name, ngettext("{name} is longer than {max_text:,} character.",
                                             "{name} is longer than {max_text:,} characters.", limit)
                              .format(name=field_label(name), max_text=limit))
    return text
