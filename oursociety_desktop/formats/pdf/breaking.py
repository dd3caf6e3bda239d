"""Where a line may break: the Unicode line-breaking rules (UAX #14, from ICU), never inside an email address,
a phone number or a web address, and where a word too wide for its column may be cut.

ICU's break iterators know Thai (which has no spaces between words), Chinese and Japanese (between most
characters), hyphens and punctuation; a hand-written splitter would not.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import icu

# Emails, web addresses and phone numbers are read and copied whole: a break inside one makes it wrong.
_UNBREAKABLE = re.compile(
    r"[^\s@<>()\[\],;:]+@[^\s@<>()\[\],;:]+\.[^\s@<>()\[\],;:]+"  # email
    r"|(?:https?://|www\.)\S+"  # web address
    r"|\+?\(?\d[\d\u00a0 ().\-/]{4,}\d"  # phone number (and postcodes written only in digits)
)
# Scripts that mark a word cut at the end of a line with a hyphen.
_HYPHENATED = re.compile(r"[A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff\u1e00-\u1eff]")

_local = threading.local()


def _line_iterator() -> icu.BreakIterator:
    # Break iterators hold state: one per thread (printing runs on a worker thread too).
    iterator = getattr(_local, "line", None)
    if iterator is None:
        iterator = _local.line = icu.BreakIterator.createLineInstance(icu.Locale.getRoot())
    return iterator


def _character_iterator() -> icu.BreakIterator:
    iterator = getattr(_local, "character", None)
    if iterator is None:
        iterator = _local.character = icu.BreakIterator.createCharacterInstance(icu.Locale.getRoot())
    return iterator


def protected_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the emails, web addresses and phone numbers in a text."""
    return [m.span() for m in _UNBREAKABLE.finditer(text)]


@lru_cache(maxsize=16384)
def segments(text: str) -> tuple[str, ...]:
    """The text cut at every place a line may break (UAX #14), each piece keeping its trailing spaces; no cut
    inside an email address, a web address or a phone number."""
    if not text:
        return ()
    iterator = _line_iterator()
    iterator.setText(text)
    # ICU counts in UTF-16 code units; map them back to Python's code points.
    units = _utf16_offsets(text)
    cuts = sorted({units[b] for b in iterator if 0 < units[b] < len(text)})
    # Korean breaks between words, not between syllables (unless a word alone is too wide).
    cuts = [c for c in cuts if not (_is_hangul(text[c - 1]) and _is_hangul(text[c]))]
    spans = protected_spans(text)
    if spans:
        cuts = [c for c in cuts if not any(start < c < end for start, end in spans)]
    pieces, start = [], 0
    for cut in cuts:
        if cut > start:
            pieces.append(text[start:cut])
            start = cut
    pieces.append(text[start:])
    return tuple(pieces)


def _is_hangul(char: str) -> bool:
    return 0xAC00 <= ord(char) <= 0xD7A3 or 0x1100 <= ord(char) <= 0x11FF


def _utf16_offsets(text: str) -> list[int]:
    """Index: UTF-16 offset -> code point offset (only where a code point starts)."""
    if text.isascii() or all(ord(ch) < 0x10000 for ch in text):
        return list(range(len(text) + 1))
    out: list[int] = []
    for i, ch in enumerate(text):
        out.append(i)
        if ord(ch) >= 0x10000:
            out.append(i)
    out.append(len(text))
    return out


def graphemes(text: str) -> list[str]:
    """The user-perceived characters of a text: a letter with its marks, a Bengali conjunct's pieces, an emoji
    with its modifiers stay together."""
    iterator = _character_iterator()
    iterator.setText(text)
    units = _utf16_offsets(text)
    bounds = [0, *(units[b] for b in iterator)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def is_protected(text: str) -> bool:
    """Whether a whole piece is an email address, a web address or a phone number."""
    stripped = text.strip()
    return bool(stripped) and bool(_UNBREAKABLE.fullmatch(stripped))


def hyphenates(text: str) -> bool:
    """Whether a word cut at the end of a line takes a hyphen (Latin, Greek and Cyrillic do; Thai, Chinese,
    Arabic and the Indian scripts do not)."""
    return bool(_HYPHENATED.search(text))


def emergency_cuts(text: str) -> list[str]:
    """Where an email or web address may be cut when even a shrunk cell cannot hold it whole: before its "@"
    first (where a reader expects it), then after a ".", "/" or "-"; a phone number at its spaces."""
    return [p for p in re.split(r"(?<=[./\-\u00a0 ])|(?=@)", text) if p]


def first_cuts(text: str) -> list[str]:
    """The preferred emergency cut alone: an email address before its "@"."""
    return [p for p in re.split(r"(?=@)", text) if p] if "@" in text[1:] else [text]
