"""The printed order of names and the directory's index headings, by the Unicode Collation Algorithm.

ICU (through PyICU) gives both: a collator that sorts Łukasz beside Lukas and each script in a sensible order
(Latin, Greek, Cyrillic, Hebrew, Arabic, the Indian scripts, Thai, Hangul, kana, then Chinese characters), and
an alphabetic index whose buckets are what readers expect to find a name under: a Thai name under its first
consonant (not a leading vowel sign), a Korean one under its initial jamo (ㄱ, ㄴ...), Greek and Cyrillic under
their own letters. Chinese characters share one heading, 漢字, rather than one heading per family name.

The contact list's own order (the `sort_key` column, folded text) is unchanged; this is for paper.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import icu

# Index letters beyond English: the scripts a hub's members write their names in.
INDEX_LOCALES = ("el", "ru", "uk", "he", "ar", "fa", "ur", "hi", "bn", "ta", "th", "ko", "ja")
HAN_HEADING = "\u6f22\u5b57"  # 漢字: "Chinese characters", read alike in Chinese and Japanese
OTHER_HEADING = "#"

_local = threading.local()


@dataclass(frozen=True)
class _Tools:
    collator: icu.Collator
    index: icu.ImmutableIndex


def _tools() -> _Tools:
    # ICU collators and indexes are built once per thread (a print job runs on a worker thread).
    tools: _Tools | None = getattr(_local, "tools", None)
    if tools is None:
        index = icu.AlphabeticIndex(icu.Locale.getEnglish())
        index.maxLabelCount = 1000
        for code in INDEX_LOCALES:
            index.addLabels(icu.Locale(code))
        tools = _local.tools = _Tools(icu.Collator.createInstance(icu.Locale.getEnglish()),
                                      index.buildImmutableIndex())
    return tools


def collation_key(text: str) -> bytes:
    """A key that sorts texts by the Unicode Collation Algorithm (root order, English tailoring)."""
    return bytes(_tools().collator.getSortKey(text))


def heading_position(text: str) -> int:
    """The index bucket a text files under, as a number that follows collation order."""
    tools = _tools()
    return int(tools.index.getBucketIndex(text))


def heading(text: str) -> str:
    """The heading a name files under: "A", "Π", "И", "ا", "শ", "จ", "ㄱ"; "漢字" for Chinese characters;
    "#" for digits, symbols and anything the index has no letter for."""
    tools = _tools()
    label, kind = tools.index.getBucket(tools.index.getBucketIndex(text))
    if kind == 0 and label:
        return str(label)
    first = next((ch for ch in text if not ch.isspace()), "")
    return HAN_HEADING if first and _is_han(first) else OTHER_HEADING


def _is_han(char: str) -> bool:
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2FFFF or \
        0xF900 <= code <= 0xFAFF
