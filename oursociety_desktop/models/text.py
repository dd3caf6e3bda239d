"""Text folding for search, sorting and duplicate detection: case, accents and special letters."""

from __future__ import annotations

import re
import unicodedata

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
_SPACES = re.compile(r"\s+")
_NON_DIGITS = re.compile(r"\D")


def fold(text: str) -> str:
    """Lower-case, accent-free, with ł→l, æ→ae, Greek tonos removed and runs of spaces collapsed.

    >>> fold("Łukasiewicz Γιώργος Zoë")
    'lukasiewicz γιωργοσ zoe'
    """
    if text.isascii():
        # The same result, without the per-character work: ASCII has no accents, specials or compatibility forms.
        return _SPACES.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = stripped.casefold().translate(_SPECIAL)
    return _SPACES.sub(" ", folded).strip()


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
