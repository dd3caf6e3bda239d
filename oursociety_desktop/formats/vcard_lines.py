"""vCard content lines (RFC 6350 section 3, RFC 2426, and vCard 2.1), read from bytes: a card's lines unfolded
(folding and quoted-printable soft breaks in either order), each property split into group, name, parameters and
value, and each value decoded on its own charset. The cards come from `vcard_cards`. No field of a contact is
known here; `vcard_values` maps properties to fields."""

from __future__ import annotations

import quopri
import re
from dataclasses import dataclass
from functools import lru_cache

from oursociety_desktop.formats.charsets import codec_name, decode_value

# Properties whose values are binary data (photos, sounds, keys): skipped and counted, never decoded.
BINARY_PROPERTIES = {"PHOTO", "LOGO", "SOUND", "KEY", "X-MS-CARDPICTURE", "X-PHOTO", "X-LOGO"}


@dataclass(slots=True)
class VProperty:
    """One content line: group, upper-case name, parameters (upper-case keys) and the decoded value.

    `warning` says how a value whose bytes did not match its charset was read; `undecodable` is set when no
    charset could read it (the card is refused only if the value was needed); `binary` when the value is
    base64 data (never decoded)."""

    group: str
    name: str
    params: dict[str, list[str]]
    value: str
    line: int
    warning: str = ""
    undecodable: bool = False
    binary: bool = False

    def types(self) -> list[str]:
        """TYPE values in lower case, in the order written."""
        return [t.lower() for t in self.params.get("TYPE", []) if t]


# What a property line starts with: an optional group, a name (real writers use `_` and `/` too), parameters, ':'.
_HEAD = re.compile(rb"^[ \t]*(?:[A-Za-z0-9_/-]+\.)?[A-Za-z0-9_/-]+[ \t]*(?:;[^:]*)?:")
_NAME_ONLY = re.compile(rb"^(?:[A-Za-z0-9_/-]+\.)?[A-Za-z0-9_/-]+(?:;[^:]*)?$")
_BASE64_LINE = re.compile(rb"^[A-Za-z0-9+/=]+$")
_NAME = re.compile(r"[A-Za-z0-9_/-]+")


def _is_qp_head(line: bytes | bytearray) -> bool:
    colon = line.find(b":")
    return b"QUOTED-PRINTABLE" in (line if colon < 0 else line[:colon]).upper()


def _grown(piece: bytes | bytearray) -> bytearray:
    """A content line that continues on the next physical line, as a bytearray: each continuation is added in
    place, so a value folded over 50,000 lines (a 4 MB photo) is copied once, not once per line."""
    return piece if isinstance(piece, bytearray) else bytearray(piece)


def unfold(lines: list[tuple[int, bytes]], version: str) -> tuple[list[tuple[int, bytes]], list[tuple[int, bytes]]]:
    """Join a card's physical lines into content lines, on bytes (before any decoding, so a fold inside a UTF-8
    character is harmless). Folding and quoted-printable soft line breaks combine in either order; in 2.1 the
    whitespace of a fold belongs to the value, in 3.0 and 4.0 it is dropped. Also tolerated: `#` comments, bare
    names with no value, 2.1 base64 data whose lines are not indented, and a value continued after a trailing
    backslash. Returns (content lines, lines that could not be read)."""
    logical: list[tuple[int, bytes | bytearray]] = []
    junk: list[tuple[int, bytes]] = []
    qp_open = b64_open = grown = False
    keep_space = version == "2.1"
    for index, raw in lines:
        if logical and qp_open:
            number, previous = logical[-1]
            rest = raw if keep_space or raw[:1] not in (b" ", b"\t") else raw[1:]
            line = _grown(previous)
            del line[-1:]
            line += rest
            logical[-1], grown = (number, line), True
            qp_open = rest.endswith(b"=")
            continue
        if logical and raw[:1] in (b" ", b"\t"):
            number, previous = logical[-1]
            rest = raw.strip() if b64_open else raw if keep_space else raw[1:]
            line = _grown(previous)
            line += rest
            logical[-1], grown = (number, line), True
            qp_open = _is_qp_head(line) and line.endswith(b"=")
            continue
        stripped = raw.strip()
        if not stripped:
            b64_open = False
            continue
        if stripped.startswith(b"#"):
            continue  # a comment line some writers add
        if logical and b64_open and _BASE64_LINE.match(stripped):
            number, previous = logical[-1]
            line = _grown(previous)
            line += stripped
            logical[-1], grown = (number, line), True
            continue
        colon = raw.find(b":")
        encodings = _head_encodings(raw[:colon]) if colon >= 0 else None
        if encodings is None:  # not "name;params:" (what _HEAD matches)
            if logical and logical[-1][1].endswith(b"\\") and not logical[-1][1].endswith(b"\\\\"):
                number, previous = logical[-1]  # "...Street\" then the next line of the address
                line = _grown(previous)
                line[-1:] = b"\n" + raw
                logical[-1], grown = (number, line), True
                continue
            if not _NAME_ONLY.match(stripped):
                junk.append((index, raw))
            continue  # a bare name ("FN") is an empty property
        logical.append((index, raw.lstrip(b" \t")))
        quoted_printable, b64_open = encodings
        qp_open = quoted_printable and raw.endswith(b"=")
    if grown:
        return [(number, bytes(line)) for number, line in logical], junk
    return logical, junk  # type: ignore[return-value]  # no line grew: every one is still bytes


@lru_cache(maxsize=4096)
def _head_encodings(head: bytes) -> tuple[bool, bool] | None:
    """For the text before a line's first ':', remembered (the same heads recur on every card): None when it is
    not a property's head (`_HEAD`), else whether the value is quoted-printable and whether it is base64."""
    if not _HEAD.match(head + b":"):
        return None
    upper = head.upper()
    return b"QUOTED-PRINTABLE" in upper, b"BASE64" in upper or b"ENCODING=B" in upper.replace(b" ", b"")


def _split_outside_quotes(text: str, sep: str, limit: int = -1) -> list[str]:
    if '"' not in text:
        return text.split(sep, limit) if limit >= 0 else text.split(sep)
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
            current.append(ch)
        elif ch == sep and not quoted and (limit < 0 or len(parts) < limit):
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _split_head(line: bytes) -> tuple[bytes, bytes] | None:
    colon = line.find(b":")
    if colon < 0:
        return None
    if line.find(b'"', 0, colon) < 0:  # no quoted parameter before the colon (most lines): no copy to look
        return line[:colon], line[colon + 1:]
    quoted = False
    for i, byte in enumerate(line):
        if byte == 0x22:
            quoted = not quoted
        elif byte == 0x3A and not quoted:
            return line[:i], line[i + 1:]
    # An unbalanced quote in the parameters: fall back to the first colon.
    head, sep, value = line.partition(b":")
    return (head, value) if sep else None


def parse_property(line: bytes | str, number: int, version: str, default: str = "", hint: str = "") -> VProperty:
    """One unfolded content line into a VProperty; its value is decoded on its own (its CHARSET, else
    `default`, else UTF-8, else Windows-1252). Raises ValueError when it is not a property line."""
    raw_line = line.encode("utf-8") if isinstance(line, str) else line
    split = _split_head(raw_line)
    if split is None:
        raise ValueError(f"line {number} is not a vCard property (no ':')")
    raw_head, raw_value = split
    head = _read_head(raw_head)
    if isinstance(head, str):
        raise ValueError(f"line {number} has a malformed property name '{head}'")
    group, upper, params, kind, charset = head
    prop = VProperty(group, upper, params, "", number)
    if kind == _TEXT and raw_value.isascii():
        prop.value = raw_value.decode("ascii")  # what decode_value gives for plain ASCII, whatever the charset
        return prop
    if kind == _BINARY:
        prop.binary = True
        return prop
    if kind == _UNREAD:
        prop.value = raw_value.decode("utf-8", errors="replace")
        return prop
    if kind == _QUOTED:
        raw_value = quopri.decodestring(raw_value)
    try:
        decoded = decode_value(raw_value, charset, default, hint)
    except UnicodeError:
        prop.value = raw_value.decode("cp1252", errors="replace")
        prop.undecodable = True
        return prop
    prop.value = decoded.text
    prop.warning = decoded.warning
    return prop


# What a property's value is, from its head: base64 data (never decoded), a binary property's text kept as it
# is, quoted-printable text, or text.
_BINARY, _UNREAD, _QUOTED, _TEXT = "binary", "unread", "quoted-printable", "text"


_CARET = re.compile(r"\^([n^'])")
_CARET_CHARACTER = {"n": "\n", "^": "^", "'": '"'}


def _caret_decoded(value: str) -> str:
    """A parameter value with RFC 6868's escapes undone: `^n` a line break, `^'` a double quote, `^^` a caret
    (any other caret is kept as it is, as the RFC asks)."""
    return _CARET.sub(lambda m: _CARET_CHARACTER[m.group(1)], value) if "^" in value else value


@lru_cache(maxsize=4096)
def _read_head(raw_head: bytes) -> tuple[str, str, dict[str, list[str]], str, str] | str:
    """A property's head (`item1.TEL;TYPE=CELL`) read once however often it recurs in a file: (upper-case group,
    upper-case name, parameters, what the value is, its CHARSET), or the start of the name when it is malformed.
    The parameters are shared by every property with this head: read them, never change them."""
    head = raw_head.decode("utf-8", errors="replace")
    parts = _split_outside_quotes(head, ";")
    name = parts[0].strip()
    group = ""
    if "." in name:
        group, name = name.rsplit(".", 1)
    if not name or not _NAME.fullmatch(name):
        return parts[0][:40]
    params: dict[str, list[str]] = {}
    for param in parts[1:]:
        if not param.strip():
            continue
        key, sep, raw_values = param.partition("=")
        key = key.strip().upper()
        if not sep:
            # vCard 2.1 bare parameters: TEL;CELL;PREF, or ;QUOTED-PRINTABLE, ;BASE64 (case of custom ones kept).
            if key in ("QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT", "B"):
                params.setdefault("ENCODING", []).append(key)
            else:
                params.setdefault("TYPE", []).extend(t.strip() for t in param.split(",") if t.strip())
            continue
        values = [_caret_decoded(v.strip().strip('"')) for v in _split_outside_quotes(raw_values, ",")]
        if key == "TYPE":  # 4.0 allows TYPE="work,voice": a quoted list is still a list
            values = [t.strip() for v in values for t in v.split(",")]
        params.setdefault(key, []).extend(values)
    encoding = [e.upper() for e in params.get("ENCODING", [])]
    upper = name.upper()
    if "BASE64" in encoding or "B" in encoding:
        kind = _BINARY
    elif upper in BINARY_PROPERTIES:
        kind = _UNREAD
    elif "QUOTED-PRINTABLE" in encoding:
        kind = _QUOTED
    else:
        kind = _TEXT
    return group.upper(), upper, params, kind, (params.get("CHARSET") or [""])[0]


def unescape_text(value: str, version: str) -> str:
    """Undo vCard text escaping (`\\\\`, `\\,`, `\\;`, `\\n`). 2.1 only escapes semicolons."""
    if "\\" not in value:
        return value
    if version == "2.1":
        return value.replace("\\;", ";")
    out: list[str] = []
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def split_escaped(value: str, sep: str) -> list[str]:
    """Split on `sep` where it is not escaped by a backslash (escapes are kept for `unescape_text`)."""
    if "\\" not in value:
        return value.split(sep)
    parts: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            current.append(value[i:i + 2])
            i += 2
            continue
        if ch == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append("".join(current))
    return parts


_CHARSET = re.compile(rb";\s*CHARSET\s*=\s*\"?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_MAYBE_CHARSET = re.compile(rb"CHARSET", re.IGNORECASE)


def card_charset(lines: list[tuple[int, bytes]]) -> str:
    """A non-UTF-8 charset some property of the card names (2.1 writers often label only some values), used for
    the card's other 8-bit values that are not UTF-8."""
    if not _MAYBE_CHARSET.search(b"\n".join([line for _number, line in lines])):
        return ""  # no line names a charset anywhere (most cards): nothing to look at per head
    for _number, line in lines:
        match = _CHARSET.search(line.split(b":", 1)[0])
        if match:
            name = match.group(1).decode("ascii")
            codec = codec_name(name)
            if codec and codec not in ("utf-8", "ascii"):
                return name
    return ""
