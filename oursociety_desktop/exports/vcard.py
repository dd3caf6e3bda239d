"""vCard files in and out: our own reader for 2.1, 3.0 and 4.0 and a writer for 3.0 and 4.0.

Reading is done here rather than with vobject because vobject drops NOTE text after an unescaped comma, reads
4.0 with 3.0 rules, and decodes a whole file in one encoding. This reader works on bytes: each card's lines are
unfolded first (folding and quoted-printable soft breaks in either order; in 2.1 a fold's whitespace is the
value's), then every value is decoded on its own (its CHARSET, the user's --encoding, UTF-8, a charset the card
names elsewhere, Windows-1252 with a warning), so one bad byte sequence costs one value. Real writers' quirks are
tolerated (`#` comments, bare names, unindented 2.1 base64, backslash-continued values, `_` and `/` in names,
grouped BEGIN lines). Group cards (`KIND:group`, Apple's `X-ADDRESSBOOKSERVER-KIND`) become groups.
Nothing is dropped silently: values with no field of their own are kept as "Label: value" lines of the notes,
and every property not imported is named in the card's warnings. Photos and URLs are never fetched:
PHOTO/LOGO/SOUND/KEY and base64 values are skipped and counted, never a reason to refuse.

Files over `MAX_FILE_BYTES` are refused before they are read.
"""

from __future__ import annotations

import quopri
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oursociety_desktop.exports.charsets import check_encoding_option, codec_name, decode_value
from oursociety_desktop.exports.labels import canonical_label
from oursociety_desktop.exports.people_import import ImportRow
from oursociety_desktop.exports.text_files import looks_utf16, read_limited, refuse_binary
from oursociety_desktop.exports.vcard_write import OWN_PROPERTIES

# The writer lives in vcard_write.py; its names are part of this module's API too.
from oursociety_desktop.exports.vcard_write import VERSIONS as VERSIONS
from oursociety_desktop.exports.vcard_write import contact_to_vcard as contact_to_vcard
from oursociety_desktop.exports.vcard_write import escape_text as escape_text
from oursociety_desktop.exports.vcard_write import fold_line as fold_line
from oursociety_desktop.exports.vcard_write import safe_file_stem as safe_file_stem
from oursociety_desktop.exports.vcard_write import write_vcards as write_vcards
from oursociety_desktop.models.contacts import BOOL_FIELDS, MAX_TEXT
from oursociety_desktop.models.errors import UserError

MAX_FILE_BYTES = 100 * 1024 * 1024
"""The largest vCard file read (100 MB, about 200,000 cards); bigger files are refused before reading."""

# TYPE values (lower case) and the label we keep; "voice", "internet", "pref" say nothing an organiser needs.
_TYPE_TO_LABEL = {"cell": "mobile", "mobile": "mobile", "home": "home", "work": "work", "fax": "fax",
                  "pager": "pager", "text": "text", "video": "video", "main": "main", "other": "other",
                  "iphone": "iphone", "car": "car", "msg": "message", "textphone": "textphone", "isdn": "isdn",
                  "bbs": "bbs", "modem": "modem", "postal": "postal", "parcel": "parcel", "dom": "domestic",
                  "intl": "international"}
_IGNORED_TYPES = {"voice", "internet", "pref", "x400", "aol", "applelink", "attmail", "cis", "eworld", "ibmmail",
                  "mcimail", "powershare", "prodigy", "tlx"}
# Properties with no field of their own, kept as a line of the notes so nothing is lost.
_EXTRA_LABELS = {"NICKNAME": "Nickname", "BDAY": "Birthday", "ANNIVERSARY": "Anniversary", "URL": "Web",
                 "IMPP": "Chat", "X-SOCIALPROFILE": "Social profile", "RELATED": "Related",
                 "X-ABRELATEDNAMES": "Related", "X-ABDATE": "Date", "GENDER": "Gender", "X-GENDER": "Gender",
                 "X-AIM": "AIM", "X-SKYPE": "Skype", "X-JABBER": "Jabber", "X-ICQ": "ICQ", "X-MSN": "MSN",
                 "X-YAHOO": "Yahoo", "X-TWITTER": "Twitter", "X-PHONETIC-FIRST-NAME": "Phonetic given name",
                 "X-PHONETIC-LAST-NAME": "Phonetic family name", "X-ANDROID-CUSTOM": "Android", "ROLE": "Role",
                 "X-SIP": "SIP", "X-MS-IMADDRESS": "Chat", "X-GOOGLE-TALK": "Google Talk", "X-GTALK": "Google Talk",
                 "X-GADUGADU": "Gadu-Gadu", "X-QQ": "QQ", "X-GROUPWISE": "GroupWise", "X-MATRIX": "Matrix",
                 "X-MS-MANAGER": "Manager", "X-MANAGER": "Manager", "X-EVOLUTION-MANAGER": "Manager",
                 "X-KADDRESSBOOK-X-MANAGERSNAME": "Manager", "X-MS-ASSISTANT": "Assistant",
                 "X-ASSISTANT": "Assistant", "X-EVOLUTION-ASSISTANT": "Assistant",
                 "X-KADDRESSBOOK-X-ASSISTANTSNAME": "Assistant", "X-MS-SPOUSE": "Spouse", "X-SPOUSE": "Spouse",
                 "X-EVOLUTION-SPOUSE": "Spouse", "X-KADDRESSBOOK-X-SPOUSENAME": "Spouse",
                 "X-ANNIVERSARY": "Anniversary", "X-EVOLUTION-ANNIVERSARY": "Anniversary",
                 "X-KADDRESSBOOK-X-ANNIVERSARY": "Anniversary", "X-WAB-WEDDING_ANNIVERSARY": "Anniversary",
                 "X-MS-CHILD": "Child", "X-CHILD": "Child", "X-CALLBACK": "Callback",
                 "X-KADDRESSBOOK-X-IMADDRESS": "Chat", "X-KADDRESSBOOK-X-PROFESSION": "Profession",
                 "X-KADDRESSBOOK-X-OFFICE": "Office", "X-KADDRESSBOOK-X-DEPARTMENT": "Department",
                 "X-DEPARTMENT": "Department", "X-MAIDENNAME": "Maiden name", "X-PHONETIC-ORG": "Phonetic organisation",
                 "X-PHONETIC-MIDDLE-NAME": "Phonetic middle name",
                 "EXPERTISE": "Expertise", "HOBBY": "Hobby", "INTEREST": "Interest", "ORG-DIRECTORY": "Directory",
                 "BIRTHPLACE": "Birthplace", "DEATHPLACE": "Place of death", "DEATHDATE": "Date of death",
                 "X-EVOLUTION-BLOG-URL": "Blog", "X-EVOLUTION-VIDEO-URL": "Video",
                 "AGENT": "Agent", "GEO": "Location", "TZ": "Time zone", "FBURL": "Free/busy",
                 "CALURI": "Calendar", "CALADRURI": "Calendar requests", "SOURCE": "Source",
                 "X-MS-ANNIVERSARY": "Anniversary", "X-KADDRESSBOOK-X-SPOUSESNAME": "Spouse",
                 "X-WAB-SPOUSE_NAME": "Spouse", "X-MS-TEL": "Phone", "X-MESSAGING/XMPP-ALL": "XMPP",
                 "X-MESSAGING/TWITTER-ALL": "Twitter", "X-MESSAGING/IRC-ALL": "IRC", "X-MESSAGING/AIM-ALL": "AIM",
                 "X-MESSAGING/SKYPE-ALL": "Skype", "X-MESSAGING/ICQ-ALL": "ICQ", "X-MESSAGING/SMS-ALL": "SMS",
                 "X-MESSAGING/MSN-ALL": "MSN", "X-MESSAGING/YAHOO-ALL": "Yahoo", "X-MESSAGING/GADU-ALL": "Gadu-Gadu",
                 "X-KADDRESSBOOK-BLOGFEED": "Blog", "X-FC-TAGS": "Tags"}
_BINARY = {"PHOTO", "LOGO", "SOUND", "KEY", "X-MS-CARDPICTURE", "X-PHOTO", "X-LOGO"}
# Google's system groups, not tags anyone chose.
_SYSTEM_CATEGORIES = {"mycontacts", "starred"}
# Bookkeeping properties of other address books that carry nothing of the person.
_QUIET = {"VERSION", "PRODID", "REV", "UID", "X-ABUID", "X-ABSHOWAS", "SORT-STRING", "KIND", "CLASS",
          "X-ABLABEL", "X-ABADR", "X-OURSOCIETY-ID", "MAILER", "X-IMAGETYPE",
          "X-IMAGEHASH", "X-SHAREDPHOTODISPLAYPREF", "X-ADDRESSBOOKSERVER-KIND", "X-ABLABELS", "PRODUCT",
          "CLIENTPIDMAP", "X-EVOLUTION-FILE-AS", "XML",
          "X-MS-OL-DEFAULT-POSTAL-ADDRESS", "X-MS-OL-DESIGN", "MEMBER", "X-ANDROID-GROUP",
          "X-ADDRESSBOOKSERVER-MEMBER", "X-ABPHOTO-FACEINFO", "X-EVOLUTION-LIST",
          "X-EVOLUTION-LIST-SHOW-ADDRESSES", "X-EVOLUTION-BLOG-URL-UNUSED", "X-MOZILLA-PROPERTY",
          "X-RADICALE-NAME", "PID", "X-WAB-GENDER"}


@dataclass
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


@dataclass
class _RawCard:
    line: int
    lines: list[tuple[int, bytes]] = field(default_factory=list)
    text: list[bytes] = field(default_factory=list)
    complete: bool = False


# ---------- reading ----------

_BEGIN = re.compile(rb"^\s*(?:[A-Za-z0-9_-]+\.)?BEGIN\s*:\s*VCARD\s*$", re.IGNORECASE)
_END = re.compile(rb"^\s*(?:[A-Za-z0-9_-]+\.)?END\s*:\s*VCARD\s*$", re.IGNORECASE)
_VERSION = re.compile(rb"^\s*VERSION\s*:\s*([0-9.]+)", re.IGNORECASE)
# What a property line starts with: an optional group, a name (real writers use `_` and `/` too), parameters, ':'.
_HEAD = re.compile(rb"^[ \t]*(?:[A-Za-z0-9_/-]+\.)?[A-Za-z0-9_/-]+[ \t]*(?:;[^:]*)?:")
_NAME_ONLY = re.compile(rb"^(?:[A-Za-z0-9_/-]+\.)?[A-Za-z0-9_/-]+(?:;[^:]*)?$")
_BASE64_LINE = re.compile(rb"^[A-Za-z0-9+/=]+$")
_NAME = re.compile(r"[A-Za-z0-9_/-]+")


def read_vcard_file(path: Path, encoding: str = "") -> list[ImportRow]:
    """Read a .vcf file into one ImportRow per card (problems and warnings listed per card).
    `encoding`: the user's choice for values that name no charset (default: UTF-8, else Windows-1252)."""
    check_encoding_option(encoding)
    data = read_limited(path, MAX_FILE_BYTES, "vCard")
    return parse_vcards(data, str(Path(path).name), encoding)


def _utf8_bytes(data: bytes, source: str, default: str) -> tuple[bytes, str]:
    """The file's bytes with any BOM removed; UTF-16/32 files are transcoded to UTF-8 first (their values then
    need no other charset). Returns (bytes, the default charset for values)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:], default
    wide = ""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        wide = "utf-16"
    elif default.startswith(("utf-16", "utf-32", "utf_16", "utf_32")):
        wide = default
    else:
        wide = looks_utf16(data[:65536]) or ""
    if wide:
        try:
            return data.decode(wide).lstrip("\ufeff").encode("utf-8"), ""
        except UnicodeDecodeError as exc:
            raise UserError(f"{source} is not valid {wide} text (byte {exc.start}); give its encoding with "
                            "--encoding or save it as UTF-8.") from None
    refuse_binary(data, source, "vCard")
    return data, default


def parse_vcards(data: bytes, source: str = "the file", encoding: str = "") -> list[ImportRow]:
    """Parse every card in `data`. Raises UserError when the file is not a vCard file at all, or when a value
    this app needs cannot be decoded (the message names `--encoding`)."""
    default = check_encoding_option(encoding)
    data, default = _utf8_bytes(data, source, default)
    raw_lines = re.split(rb"\r\n|\r|\n", data)
    cards = _split_cards(raw_lines)
    if not cards:
        raise UserError(f"{source} is not a vCard file: it holds no BEGIN:VCARD line. Export contacts as .vcf "
                        "and try again.")
    return [_card_to_row(number, card, default, source) for number, card in enumerate(cards, start=1)]


def _split_cards(raw_lines: list[bytes]) -> list[_RawCard]:
    cards: list[_RawCard] = []
    current: _RawCard | None = None
    depth = 0
    for index, raw in enumerate(raw_lines, start=1):
        if current is not None:
            current.text.append(raw)
        if _BEGIN.match(raw):
            depth += 1
            if depth == 1:
                current = _RawCard(line=index, text=[raw])
                cards.append(current)
                continue
        elif _END.match(raw) and depth > 0:
            depth -= 1
            if depth == 0 and current is not None:
                current.complete = True
                current = None
                continue
        if current is not None and depth == 1:  # lines of a nested card (a 2.1 AGENT) are not this card's
            current.lines.append((index, raw))
    return cards


def _card_version(card: _RawCard) -> str:
    for _, raw in card.lines:
        match = _VERSION.match(raw)
        if match:
            return match.group(1).decode("ascii")
    return "3.0"


def _is_qp_head(line: bytes) -> bool:
    return b"QUOTED-PRINTABLE" in line.split(b":", 1)[0].upper()


def unfold(lines: list[tuple[int, bytes]], version: str) -> tuple[list[tuple[int, bytes]], list[tuple[int, bytes]]]:
    """Join a card's physical lines into content lines, on bytes (before any decoding, so a fold inside a UTF-8
    character is harmless). Folding and quoted-printable soft line breaks combine in either order; in 2.1 the
    whitespace of a fold belongs to the value, in 3.0 and 4.0 it is dropped. Also tolerated: `#` comments, bare
    names with no value, 2.1 base64 data whose lines are not indented, and a value continued after a trailing
    backslash. Returns (content lines, lines that could not be read)."""
    logical: list[tuple[int, bytes]] = []
    junk: list[tuple[int, bytes]] = []
    qp_open = b64_open = False
    keep_space = version == "2.1"
    for index, raw in lines:
        if logical and qp_open:
            number, previous = logical[-1]
            rest = raw if keep_space or raw[:1] not in (b" ", b"\t") else raw[1:]
            logical[-1] = (number, previous[:-1] + rest)
            qp_open = rest.endswith(b"=")
            continue
        if logical and raw[:1] in (b" ", b"\t"):
            number, previous = logical[-1]
            rest = raw.strip() if b64_open else raw if keep_space else raw[1:]
            logical[-1] = (number, previous + rest)
            qp_open = _is_qp_head(previous) and logical[-1][1].endswith(b"=")
            continue
        stripped = raw.strip()
        if not stripped:
            b64_open = False
            continue
        if stripped.startswith(b"#"):
            continue  # a comment line some writers add
        if logical and b64_open and _BASE64_LINE.match(stripped):
            number, previous = logical[-1]
            logical[-1] = (number, previous + stripped)
            continue
        if not _HEAD.match(raw):
            if logical and logical[-1][1].endswith(b"\\") and not logical[-1][1].endswith(b"\\\\"):
                number, previous = logical[-1]  # "...Street\" then the next line of the address
                logical[-1] = (number, previous[:-1] + b"\n" + raw)
                continue
            if not _NAME_ONLY.match(stripped):
                junk.append((index, raw))
            continue  # a bare name ("FN") is an empty property
        logical.append((index, raw.lstrip(b" \t")))
        head = raw.split(b":", 1)[0].upper()
        qp_open = raw.endswith(b"=") and b"QUOTED-PRINTABLE" in head
        b64_open = b"BASE64" in head or b"ENCODING=B" in head.replace(b" ", b"")
    return logical, junk


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
    if b'"' not in line[:colon]:
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
    head = raw_head.decode("utf-8", errors="replace")
    parts = _split_outside_quotes(head, ";")
    name = parts[0].strip()
    group = ""
    if "." in name:
        group, name = name.rsplit(".", 1)
    if not name or not _NAME.fullmatch(name):
        raise ValueError(f"line {number} has a malformed property name '{parts[0][:40]}'")
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
        values = [v.strip().strip('"') for v in _split_outside_quotes(raw_values, ",")]
        if key == "TYPE":  # 4.0 allows TYPE="work,voice": a quoted list is still a list
            values = [t.strip() for v in values for t in v.split(",")]
        params.setdefault(key, []).extend(values)
    encoding = [e.upper() for e in params.get("ENCODING", [])]
    upper = name.upper()
    prop = VProperty(group=group.upper(), name=upper, params=params, value="", line=number)
    if "BASE64" in encoding or "B" in encoding or upper in _BINARY:
        prop.binary = "BASE64" in encoding or "B" in encoding
        prop.value = "" if prop.binary else raw_value.decode("utf-8", errors="replace")
        return prop
    if "QUOTED-PRINTABLE" in encoding:
        raw_value = quopri.decodestring(raw_value)
    charset = (params.get("CHARSET") or [""])[0]
    try:
        decoded = decode_value(raw_value, charset, default, hint)
    except UnicodeError:
        prop.value = raw_value.decode("cp1252", errors="replace")
        prop.undecodable = True
        return prop
    prop.value = decoded.text
    prop.warning = decoded.warning
    return prop


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


def _label_from(prop: VProperty, labels: Mapping[str, str]) -> str:
    if prop.group and labels.get(prop.group):
        return canonical_label(labels[prop.group])
    for key in ("X-ABLABEL", "X-LABEL", "LABEL"):  # TEL;X-Label=Shed: and 4.0 parameters of that kind
        if prop.params.get(key) and prop.name in ("TEL", "EMAIL"):
            return canonical_label(prop.params[key][0])
    words: list[str] = []
    custom: list[str] = []
    for raw in prop.params.get("TYPE", []):
        t = raw.strip().lower()
        if not t or t in _IGNORED_TYPES:
            continue
        if t.startswith("x-"):  # Android's TEL;X-AllotmentShed, TYPE=x-shed: a custom label
            if t not in ("x-internet", "x-pref"):
                custom.append(raw.strip()[2:])
            continue
        mapped = _TYPE_TO_LABEL.get(t, t)
        if mapped not in words:
            words.append(mapped)
    if custom:
        return " ".join(custom)
    return canonical_label(" ".join(words))


def _apple_label(value: str) -> str:
    match = re.fullmatch(r"_\$!<(.*)>!\$_", value.strip())
    return match.group(1).lower() if match else value.strip()


def _card_to_row(number: int, card: _RawCard, default: str = "", source: str = "the file") -> ImportRow:
    row = ImportRow(number=number, where=f"card {number} (line {card.line})",
                    source="\r\n".join(t.decode("utf-8", errors="replace") for t in card.text))
    if not card.complete:
        row.problems.append("the file ends before this card's END:VCARD line (the file looks cut off)")
        return row
    version = _card_version(card)
    logical, junk = unfold(card.lines, version)
    for line_number, raw in junk:
        text = raw.decode("utf-8", errors="replace").strip()
        row.warn(f"line {line_number}", f"not a vCard property, not imported: '{text[:60]}'")
    props: list[VProperty] = []
    hint = _card_charset(logical)
    for line_number, line in logical:
        try:
            props.append(parse_property(line, line_number, version, default, hint))
        except ValueError as exc:
            text = line.decode("utf-8", errors="replace").strip()
            row.warn(f"line {line_number}", f"{exc}; not imported: '{text[:60]}'")
    labels = {p.group: _apple_label(unescape_text(p.value, version)) for p in props
              if p.name == "X-ABLABEL" and p.group}
    kind = next((p.value.strip().lower() for p in props if p.name in ("KIND", "X-ADDRESSBOOKSERVER-KIND")), "")
    row.uid = _uid(next((p.value for p in props if p.name == "UID"), ""))
    if kind == "group":
        _group_card(row, props, version, source)
    else:
        row.values = _values_from(props, labels, version, row, source)
    shown = row.values.get("name") or row.values.get("display_name") or " ".join(
        v for v in (row.values.get("given_name"), row.values.get("family_name")) if v)
    if shown:
        row.where = f"card {number} ({shown[:40]})"
    return row


_CHARSET = re.compile(rb";\s*CHARSET\s*=\s*\"?([A-Za-z0-9_.:-]+)", re.IGNORECASE)


def _card_charset(lines: list[tuple[int, bytes]]) -> str:
    """A non-UTF-8 charset some property of the card names (2.1 writers often label only some values), used for
    the card's other 8-bit values that are not UTF-8."""
    for _, line in lines:
        match = _CHARSET.search(line.split(b":", 1)[0])
        if match:
            name = match.group(1).decode("ascii")
            codec = codec_name(name)
            if codec and codec not in ("utf-8", "ascii"):
                return name
    return ""


def _uid(value: str) -> str:
    value = value.strip()
    for prefix in ("urn:uuid:", "urn:"):
        if value.lower().startswith(prefix):
            return value[len(prefix):].strip()
    return value


def _text(prop: VProperty, version: str, source: str) -> str:
    """The unescaped value of a property this app uses (refusing the file, with the --encoding hint, when its
    bytes are in no charset we could tell)."""
    if prop.undecodable:
        raise UserError(f"Could not tell the text encoding of {source} (line {prop.line}, {prop.name}); give it "
                        "with --encoding (for example --encoding shift_jis) or save the file as UTF-8.")
    return unescape_text(prop.value, version)


def _group_card(row: ImportRow, props: list[VProperty], version: str, source: str) -> None:
    row.kind = "group"
    name = ""
    for prop in props:
        if prop.name == "FN" and not name:
            name = _text(prop, version, source).strip()
        elif prop.name == "N" and not name:
            name = " ".join(p.strip() for p in reversed(split_escaped(_text(prop, version, source), ";")[:2])
                            if p.strip())
        elif prop.name == "ORG" and not name:
            name = _text(prop, version, source).replace(";", " ").strip()
        elif prop.name in ("MEMBER", "X-ADDRESSBOOKSERVER-MEMBER"):
            member = _uid(_text(prop, version, source))
            if member:
                row.members.append(member)
    if name:
        row.values = {"name": name}
    else:
        row.problems.append("a group card with no name (FN)")


def _fc_encoded(name: str, value: str) -> str:
    """A property whose name is hex-encoded (`X-FCENCODED-<hex of "X-FC-RelatedNames:Spouse">`) as a line of the
    notes: "Spouse: value"."""
    try:
        decoded = bytes.fromhex(name[len("X-FCENCODED-"):]).decode("utf-8")
    except ValueError:
        decoded = name
    label = decoded.rpartition(":")[2] or decoded
    if label == "CustomTYPE":
        label = "Other"
    return f"{label}: {value}" if value else ""


def _android_custom(value: str) -> str:
    """Android's X-ANDROID-CUSTOM (events, relations, nicknames... with their type or custom label) as a line of
    the notes, e.g. "Allotment renewal: 2030-07-15"."""
    kind, _, rest = value[len("vnd.android.cursor.item/"):].partition(";")
    fields = rest.split(";")
    data = fields[0].strip() if fields else ""
    type_code = fields[1].strip() if len(fields) > 1 else ""
    label = fields[2].strip() if len(fields) > 2 else ""
    if not data:
        data = next((p.strip() for p in fields if p.strip()), "")
    if not data:
        return ""
    names = _ANDROID_TYPES.get(kind, {})
    word = label if type_code == "0" and label else names.get(type_code, "") or label
    if not word:
        word = kind.replace("contact_", "").replace("_", " ").capitalize()
    return f"{word[:1].upper()}{word[1:]}: {data}"


_ANDROID_TYPES: dict[str, dict[str, str]] = {
    "contact_event": {"1": "Anniversary", "2": "Other date", "3": "Birthday"},
    "relation": {"1": "Assistant", "2": "Brother", "3": "Child", "4": "Domestic partner", "5": "Father",
                 "6": "Friend", "7": "Manager", "8": "Mother", "9": "Parent", "10": "Partner", "11": "Referred by",
                 "12": "Relative", "13": "Sister", "14": "Spouse"},
    "nickname": {"1": "Nickname", "2": "Other name", "3": "Maiden name", "4": "Short name", "5": "Initials"},
    "website": {"1": "Homepage", "2": "Blog", "3": "Profile", "4": "Home page", "5": "Work page", "6": "FTP",
                "7": "Website"},
}

_USED = {"FN", "N", "ORG", "TITLE", "TEL", "EMAIL", "ADR", "LABEL", "NOTE", "CATEGORIES", "LANG", "X-OURSOCIETY-LANG",
         "X-OURSOCIETY-GROUP"}
# This app's own properties (read back by this app, ignored by others): consent and privacy choices.
_OWN_FLAGS = {prop: field_name for field_name, prop in OWN_PROPERTIES.items()}


def _values_from(props: list[VProperty], labels: Mapping[str, str], version: str, row: ImportRow,
                 source: str = "the file") -> dict[str, Any]:
    values: dict[str, Any] = {}
    phones: list[dict[str, str]] = []
    emails: list[dict[str, str]] = []
    addresses: list[tuple[str, list[str], bool]] = []
    address_labels: list[tuple[str, str]] = []
    notes: list[str] = []
    extras: list[str] = []
    tags: list[str] = []
    languages: list[str] = []
    roles: list[str] = []
    orgs: list[str] = []
    skipped: list[str] = []
    binary = 0
    nicknames: list[str] = []
    fn = ""
    name_parts: list[str] | None = None
    for prop in props:
        name = prop.name
        if len(prop.value) > MAX_TEXT and name not in _BINARY and not prop.binary:
            if name in _USED or name in _EXTRA_LABELS or name in _OWN_FLAGS:
                row.problems.append(f"its {name} is {len(prop.value):,} characters long, over the "
                                    f"{MAX_TEXT:,}-character limit of a contact field")
            elif name not in _QUIET:
                skipped.append(name)  # a value this app does not use never refuses the card
            continue
        if name in _BINARY or prop.binary:
            binary += 1
            skipped.append(name)
            continue
        if name in _QUIET or name in ("BEGIN", "END"):
            continue
        if name == "FN":
            fn = fn or _text(prop, version, source).strip()
        elif name == "N":
            parts = [unescape_text(p, version).strip() for p in split_escaped(_raw(prop, source), ";")]
            if any(parts) and name_parts is None:
                name_parts = parts
        elif name == "ORG":
            org = ", ".join(p for p in (unescape_text(x, version).strip()
                                        for x in split_escaped(_raw(prop, source), ";")) if p)
            if org and org not in orgs:
                orgs.append(org)
        elif name == "TITLE":
            roles.append(_text(prop, version, source).strip())
        elif name == "TEL":
            value = _text(prop, version, source).strip()
            if value.lower().startswith("tel:"):
                value = value[4:]
            if value:
                phones.append({"label": _label_from(prop, labels), "value": value})
        elif name == "EMAIL":
            value = _text(prop, version, source).strip()
            if value.lower().startswith("mailto:"):
                value = value[7:]
            if value:
                emails.append({"label": _label_from(prop, labels), "value": value})
        elif name == "ADR":
            parts = [unescape_text(p, version).strip() for p in split_escaped(_raw(prop, source), ";")]
            if not any(parts):
                continue  # an empty structured value (a webmail's blank item1.ADR) says nothing
            preferred = "pref" in prop.types() or "PREF" in prop.params
            addresses.append((_label_from(prop, labels), parts, preferred))
        elif name == "LABEL":
            text = _text(prop, version, source).replace("\r\n", "\n").replace("\r", "\n").strip()
            if text:
                address_labels.append((_label_from(prop, labels), text))
        elif name == "NOTE":
            note = _text(prop, version, source).replace("\r\n", "\n").replace("\r", "\n")
            if note.strip():
                notes.append(note)
        elif name == "CATEGORIES":
            tags.extend(unescape_text(p, version).strip() for p in split_escaped(_raw(prop, source), ","))
        elif name in ("LANG", "X-OURSOCIETY-LANG"):
            languages.append(_text(prop, version, source).strip())
        elif name in _OWN_FLAGS:
            _own_flag(values, _OWN_FLAGS[name], _text(prop, version, source).strip(), row)
        elif name == "X-OURSOCIETY-GROUP":
            group = _text(prop, version, source).strip()
            if group and group not in row.groups:
                row.groups.append(group)
        elif name.startswith("X-FCENCODED-"):
            line = _fc_encoded(name, _text(prop, version, source).strip())
            if line:
                extras.append(line)
        elif name in _EXTRA_LABELS:
            value = _text(prop, version, source).strip()
            if name == "X-ANDROID-CUSTOM" and value.startswith("vnd.android.cursor.item/"):
                line = _android_custom(value)
                if line:
                    extras.append(line)
                    if line.startswith("Nickname: "):
                        nicknames.append(line[len("Nickname: "):])
                continue
            if name == "NICKNAME":
                value = ", ".join(unescape_text(p, version).strip() for p in split_escaped(_raw(prop, source), ","))
                nicknames.append(value)
            label = labels.get(prop.group, "") if prop.group else ""
            if not label and name in ("X-SOCIALPROFILE", "IMPP", "URL", "RELATED", "X-ABRELATEDNAMES", "X-ABDATE"):
                words = [t for t in (prop.params.get("TYPE", []) + prop.params.get("X-SERVICE-TYPE", [])
                                     + prop.params.get("X-USER", [])) if t.lower() not in _IGNORED_TYPES]
                label = ", ".join(dict.fromkeys(words))
            if value:
                extras.append(f"{_EXTRA_LABELS[name]}{f' ({_apple_label(label)})' if label else ''}: {value}")
        else:
            value = _text(prop, version, source).strip() if not prop.undecodable else "?"
            if value and not name.startswith("X-"):
                extras.append(f"{name.title()}: {value}")
            elif value:
                skipped.append(name)
    show_as_company = any(p.name == "X-ABSHOWAS" and p.value.strip().upper() == "COMPANY" for p in props)
    if orgs:
        values["organisation"] = orgs[0]
        extras.extend(f"Organisation: {org}" for org in orgs[1:])  # a second ORG is kept, never overwritten
    if show_as_company and fn == values.get("organisation") and not any(name_parts or []):
        fn = ""  # a company card: the organisation is the name, as for a contact made here with only one
    if not fn and not any(name_parts or []) and not orgs and nicknames:
        fn = nicknames[0]  # a card with only a nickname is called by it
    _apply_names(values, fn, name_parts)
    if roles:
        values["role"] = ", ".join(dict.fromkeys(r for r in roles if r))
    if phones:
        values["phones"] = phones
    if emails:
        values["emails"] = emails
    if addresses:
        addresses.sort(key=lambda a: not a[2])  # the preferred address first
        _apply_address(values, addresses[0][1])
        for label, parts, _ in addresses[1:]:
            text = ", ".join(p for p in _address_lines(parts) if p)
            if text:
                extras.append(f"Address{f' ({label})' if label else ''}: {text}")
    elif address_labels:
        # Addresses given only as a printed label (2.1 LABEL): the first is the street, the rest go to notes.
        values["street"] = ", ".join(p.strip() for p in address_labels[0][1].split("\n") if p.strip())
        for label, text in address_labels[1:]:
            extras.append(f"Address{f' ({label})' if label else ''}: {', '.join(text.splitlines())}")
    text_notes = "\n\n".join(notes)
    if extras:
        text_notes = (text_notes + "\n\n" if text_notes else "") + "\n".join(extras)
    if text_notes:
        values["notes"] = text_notes
        if len(text_notes) > MAX_TEXT:
            row.problems.append(f"its notes would be {len(text_notes):,} characters long, over the "
                                f"{MAX_TEXT:,}-character limit")
    tags = [t for t in dict.fromkeys(tags) if t and t.casefold() not in _SYSTEM_CATEGORIES]
    if tags:
        values["tags"] = tags
    if languages:
        values["languages"] = [t for t in dict.fromkeys(languages) if t]
    for prop in props:  # how a used value whose bytes were not its charset's was read
        if prop.warning and prop.name not in skipped and prop.name not in _QUIET:
            row.warn(prop.name, prop.warning)
    for name in sorted(set(skipped)):
        count = skipped.count(name)
        what = "a picture, sound or key" if name in _BINARY or _is_binary_name(props, name) else "a property"
        row.warn(name, f"not imported ({what}{f', {count} times' if count > 1 else ''})")
    row.skipped_binary = binary
    return values


def _is_binary_name(props: list[VProperty], name: str) -> bool:
    return any(p.binary for p in props if p.name == name)


def _raw(prop: VProperty, source: str) -> str:
    if prop.undecodable:
        raise UserError(f"Could not tell the text encoding of {source} (line {prop.line}, {prop.name}); give it "
                        "with --encoding (for example --encoding shift_jis) or save the file as UTF-8.")
    return prop.value


def _own_flag(values: dict[str, Any], field_name: str, text: str, row: ImportRow) -> None:
    if field_name in BOOL_FIELDS:
        lowered = text.casefold()
        if lowered in ("1", "true", "yes"):
            values[field_name] = True
        elif lowered in ("0", "false", "no", ""):
            values[field_name] = False
        else:
            row.warn(field_name, f"'{text}' is not yes or no; not imported")
    elif text:
        values[field_name] = text


def _apply_names(values: dict[str, Any], fn: str, parts: list[str] | None) -> None:
    family = given = ""
    prefix = suffix = ""
    if parts:
        parts = parts + [""] * (5 - len(parts))
        family = parts[0]
        given = " ".join(p for p in (parts[1], parts[2]) if p)
        prefix, suffix = parts[3], parts[4]
    if family:
        values["family_name"] = family
    if given:
        values["given_name"] = given
    joined = " ".join(p for p in (given, family) if p)
    display = fn or joined
    # Honorifics live in the display name ("Dr. Ada Lovelace Jr."), given and family names stay as they are.
    if prefix and not display.startswith(prefix):
        display = f"{prefix} {display}".strip()
    if suffix and not display.endswith(suffix):
        display = f"{display} {suffix}".strip()
    if display and display != joined:
        values["display_name"] = display


def _address_lines(parts: list[str]) -> list[str]:
    parts = parts + [""] * (7 - len(parts))
    pobox, extended, street, locality, region, postcode, country = parts[:7]
    return [", ".join(p for p in (pobox, extended, street) if p), locality, region, postcode, country]


def _apply_address(values: dict[str, Any], parts: list[str]) -> None:
    street, locality, region, postcode, country = _address_lines(parts)
    for key, value in (("street", street), ("locality", locality), ("region", region), ("postcode", postcode),
                       ("country", country)):
        if value:
            values[key] = value
