"""One record line of a bundle member, read (formats/bundle.py reads the members): parsed, every text put in
Unicode normal form C, any fault one `UserError` line."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from typing import Any

from oursociety_desktop.i18n import _
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.text import nfc_values


def short_reason(exc: BaseException) -> str:
    """The first line of an exception's message, at most 120 characters, for a one-line refusal."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:120]


# The scanner `json.loads` ends in, called directly for plain lines (`_plain_record`).
_SCAN: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def parse_record_line(line: bytes, member: str, number: int) -> dict[str, Any]:
    """One record of a member, with every text in Unicode normal form C (as the hub stores every text).

    Most lines are ASCII, or already in NFC: nothing to do. A line that is not is put in NFC as a whole before it is
    parsed (JSON's structure is ASCII and a quote composes with nothing, so that is each text put in NFC, done
    once in C), unless it holds a backslash: an escape's letter (the `n` of `\\n`) could compose with a mark after
    it, and `\\u` escapes may spell out a decomposed letter. Such lines, and lines with bytes that are not strict
    UTF-8 (JSON reads encoded surrogates), are normalised value by value after parsing."""
    plain = _plain_record(line)
    if plain is not None:
        return plain
    each = b"\\u" in line  # normalise value by value after parsing
    if not each and not line.isascii():
        try:
            decoded = line.decode("utf-8")
        except UnicodeDecodeError:
            each = True
        else:
            if not unicodedata.is_normalized("NFC", decoded):
                if b"\\" in line:
                    each = True
                else:
                    line = unicodedata.normalize("NFC", decoded).encode("utf-8")
    try:
        value = json.loads(line)
    except RecursionError:
        raise UserError(_("Record {number} of {member} is nested too deeply; the bundle is not valid. "
                        "Nothing was imported.").format(number=number, member=member)) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise UserError(_("Record {number} of {member} is not valid JSON ({exc}); the bundle is damaged. "
                        "Nothing was imported.").format(number=number, member=member, exc=short_reason(exc))) from None
    if not isinstance(value, dict):
        raise UserError(_("Record {number} of {member} is not a JSON object; the bundle is not valid. "
                        "Nothing was imported.").format(number=number, member=member))
    return nfc_values(value) if each else value


def _plain_record(line: bytes) -> dict[str, Any] | None:
    """The usual line (strict UTF-8 starting with `{`, no `\\u` escape, one JSON object and nothing after it)
    parsed as `parse_record_line` parses it, or None for any other line, which goes the careful way: that way names
    every fault. `json.loads` of bytes would first guess the encoding (UTF-8 for a line starting with `{` and a
    byte other than zero), decode, and skip whitespace around the value; at 300,000 lines those steps cost as much
    as the scanner itself."""
    if line[:1] != b"{" or line[1:2] == b"\x00" or b"\\u" in line:
        return None
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not line.isascii() and not unicodedata.is_normalized("NFC", text):
        if b"\\" in line:
            return None
        text = unicodedata.normalize("NFC", text)
    try:
        value, end = _SCAN(text, 0)
    except Exception:  # noqa: BLE001 - any fault is named by the careful way, which meets it again
        return None
    return value if end == len(text) and type(value) is dict else None
