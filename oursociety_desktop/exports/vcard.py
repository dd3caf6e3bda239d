"""vCard files in and out (DESIGN.md §7): our own reader for 2.1, 3.0 and 4.0 and a writer for 3.0 and 4.0.

Reading is done here rather than with vobject because vobject drops NOTE text after an unescaped comma and reads
4.0 with 3.0 rules. The reader handles folded lines, quoted-printable values with their CHARSET (2.1), escapes
(`\\, \\; \\n`), grouped properties (`item1.TEL` + `item1.X-ABLabel`), CRLF or LF, and files with many cards.
Nothing is silently truncated: values that do not fit a contact field (a second address, a birthday, a web
address) are kept in the notes; values longer than the contact limit make the card fail with a message.
Photos and URLs are never fetched: PHOTO/LOGO/SOUND/KEY are skipped, URLs are kept as text.

Files over `MAX_FILE_BYTES` are refused before they are read.
"""

from __future__ import annotations

import quopri
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oursociety_desktop.exports.people_import import ImportRow
from oursociety_desktop.exports.text_files import decode_text_file, detect_encoding, read_limited

# The writer lives in vcard_write.py; its names are part of this module's API too.
from oursociety_desktop.exports.vcard_write import VERSIONS as VERSIONS
from oursociety_desktop.exports.vcard_write import contact_to_vcard as contact_to_vcard
from oursociety_desktop.exports.vcard_write import escape_text as escape_text
from oursociety_desktop.exports.vcard_write import fold_line as fold_line
from oursociety_desktop.exports.vcard_write import safe_file_stem as safe_file_stem
from oursociety_desktop.exports.vcard_write import write_vcards as write_vcards
from oursociety_desktop.models.contacts import MAX_TEXT
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
                 "X-PHONETIC-LAST-NAME": "Phonetic family name", "X-ANDROID-CUSTOM": "Android", "ROLE": "Role"}
_BINARY = {"PHOTO", "LOGO", "SOUND", "KEY"}
# Google's system groups, not tags anyone chose.
_SYSTEM_CATEGORIES = {"mycontacts", "starred"}
# Bookkeeping properties of other address books that carry nothing of the person.
_QUIET = {"VERSION", "PRODID", "REV", "UID", "X-ABUID", "X-ABSHOWAS", "SORT-STRING", "KIND", "SOURCE", "CLASS",
          "X-ABLABEL", "X-ABADR", "LABEL", "X-OURSOCIETY-ID", "MAILER", "TZ", "GEO", "X-IMAGETYPE",
          "X-IMAGEHASH", "X-SHAREDPHOTODISPLAYPREF", "X-ADDRESSBOOKSERVER-KIND", "X-ABLABELS", "PRODUCT",
          "CLIENTPIDMAP", "X-MOZILLA-HTML", "X-EVOLUTION-FILE-AS", "XML", "FBURL", "CALURI", "CALADRURI",
          "X-MS-OL-DEFAULT-POSTAL-ADDRESS", "X-MS-OL-DESIGN", "X-MS-CARDPICTURE", "MEMBER", "X-ANDROID-GROUP"}


@dataclass
class VProperty:
    """One content line: group, upper-case name, parameters (upper-case keys) and the decoded raw value."""

    group: str
    name: str
    params: dict[str, list[str]]
    value: str
    line: int

    def types(self) -> list[str]:
        """TYPE values in lower case, in the order written."""
        return [t.lower() for t in self.params.get("TYPE", []) if t]


@dataclass
class _RawCard:
    line: int
    lines: list[tuple[int, str]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    complete: bool = False


# ---------- reading ----------


def read_vcard_file(path: Path) -> list[ImportRow]:
    """Read a .vcf file into one ImportRow per card (problems and warnings listed per card)."""
    data = read_limited(path, MAX_FILE_BYTES, "vCard")
    return parse_vcards(data, str(Path(path).name))


def parse_vcards(data: bytes, source: str = "the file") -> list[ImportRow]:
    """Parse every card in `data`. Raises UserError when the file is not a vCard file at all."""
    encoding = detect_encoding(data, source, "vCard")
    text = decode_text_file(data, source, "vCard", encoding)
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cards = _split_cards(raw_lines)
    if not cards:
        raise UserError(f"{source} is not a vCard file: it holds no BEGIN:VCARD line. Export contacts as .vcf "
                        "and try again.")
    recode = encoding == "cp1252"
    return [_card_to_row(number, card, recode) for number, card in enumerate(cards, start=1)]


def _split_cards(raw_lines: list[str]) -> list[_RawCard]:
    cards: list[_RawCard] = []
    current: _RawCard | None = None
    depth = 0
    logical: list[tuple[int, str]] = []
    qp_open = False
    for index, raw in enumerate(raw_lines, start=1):
        if current is not None:
            current.text.append(raw)
        if qp_open and logical and raw.strip().upper() != "END:VCARD":
            # A quoted-printable soft line break: the value continues on this line.
            number, previous = logical[-1]
            logical[-1] = (number, previous[:-1] + raw)
            qp_open = logical[-1][1].endswith("=") and _is_qp(logical[-1][1])
            continue
        if raw[:1] in (" ", "\t") and logical:
            number, previous = logical[-1]
            logical[-1] = (number, previous + raw[1:])
            qp_open = False
            continue
        stripped = raw.strip()
        upper = stripped.upper()
        if upper == "BEGIN:VCARD":
            depth += 1
            if depth == 1:
                current = _RawCard(line=index, text=[raw])
                cards.append(current)
                logical = current.lines
                continue
        elif upper == "END:VCARD" and depth > 0:
            depth -= 1
            if depth == 0 and current is not None:
                current.complete = True
                current = None
                logical = []
                continue
        if current is None or not stripped:
            continue  # text outside cards (a mail header, say) and blank lines are ignored
        if depth == 1:  # lines of a nested card (a 2.1 AGENT) are not this card's
            logical.append((index, raw))
            qp_open = raw.endswith("=") and _is_qp(raw)
    return cards


def _is_qp(line: str) -> bool:
    head = line.split(":", 1)[0].upper()
    return "QUOTED-PRINTABLE" in head


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


def parse_property(line: str, number: int, version: str, recode: bool = False) -> VProperty:
    """One unfolded content line into a VProperty. Raises ValueError when it is not a property line.
    `recode`: the file was read as Windows-1252, so 8-bit values with another CHARSET are decoded again."""
    head_value = _split_outside_quotes(line, ":", 1)
    if len(head_value) != 2:
        raise ValueError(f"line {number} is not a vCard property (no ':')")
    head, value = head_value
    parts = _split_outside_quotes(head, ";")
    name = parts[0].strip()
    group = ""
    if "." in name:
        group, name = name.rsplit(".", 1)
    if not name or not re.fullmatch(r"[A-Za-z0-9-]+", name):
        raise ValueError(f"line {number} has a malformed property name '{parts[0][:40]}'")
    params: dict[str, list[str]] = {}
    for param in parts[1:]:
        if not param.strip():
            continue
        key, sep, raw_values = param.partition("=")
        key = key.strip().upper()
        if not sep:
            # vCard 2.1 bare parameters: TEL;CELL;PREF, or ;QUOTED-PRINTABLE, ;BASE64.
            if key in ("QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT", "B"):
                params.setdefault("ENCODING", []).append(key)
            else:
                params.setdefault("TYPE", []).append(key)
            continue
        values = [v.strip().strip('"') for v in _split_outside_quotes(raw_values, ",")]
        if key == "TYPE":  # 4.0 allows TYPE="work,voice": a quoted list is still a list
            values = [t.strip() for v in values for t in v.split(",")]
        params.setdefault(key, []).extend(values)
    encoding = [e.upper() for e in params.get("ENCODING", [])]
    if "QUOTED-PRINTABLE" in encoding:
        value = _decode_qp(value, (params.get("CHARSET") or ["utf-8"])[0], number)
    elif recode and params.get("CHARSET") and not value.isascii():
        value = _recode(value, params["CHARSET"][0])
    return VProperty(group=group.upper(), name=name.upper(), params=params, value=value, line=number)


def _decode_qp(value: str, charset: str, number: int) -> str:
    raw = quopri.decodestring(value.encode("utf-8"))
    try:
        return raw.decode(charset)
    except LookupError:
        raise ValueError(f"line {number} uses an unknown character set '{charset}'") from None
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _recode(value: str, charset: str) -> str:
    # The file was decoded as a whole (UTF-8, else cp1252); a 2.1 property may say it was another charset.
    try:
        return value.encode("cp1252").decode(charset)
    except (UnicodeError, LookupError):
        return value


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
    if prop.group and prop.group in labels:
        return labels[prop.group]
    words = []
    for t in prop.types():
        if t in _IGNORED_TYPES or t.startswith("x-"):
            continue
        mapped = _TYPE_TO_LABEL.get(t, t)
        if mapped not in words:
            words.append(mapped)
    return " ".join(words)


def _apple_label(value: str) -> str:
    match = re.fullmatch(r"_\$!<(.*)>!\$_", value.strip())
    return match.group(1).lower() if match else value.strip()


def _card_to_row(number: int, card: _RawCard, recode: bool = False) -> ImportRow:
    row = ImportRow(number=number, where=f"card {number} (line {card.line})", source="\r\n".join(card.text))
    if not card.complete:
        row.problems.append("the file ends before this card's END:VCARD line (the file looks cut off)")
        return row
    version = "3.0"
    for _, line in card.lines:
        if line.upper().startswith("VERSION:"):
            version = line.split(":", 1)[1].strip()
    props: list[VProperty] = []
    for line_number, line in card.lines:
        try:
            props.append(parse_property(line, line_number, version, recode))
        except ValueError as exc:
            row.problems.append(str(exc))
    labels = {p.group: _apple_label(unescape_text(p.value, version)) for p in props
              if p.name == "X-ABLABEL" and p.group}
    row.values = _values_from(props, labels, version, row)
    shown = row.values.get("display_name") or " ".join(
        v for v in (row.values.get("given_name"), row.values.get("family_name")) if v)
    if shown:
        row.where = f"card {number} ({shown[:40]})"
    return row


def _values_from(props: list[VProperty], labels: Mapping[str, str], version: str, row: ImportRow) -> dict[str, Any]:
    values: dict[str, Any] = {}
    phones: list[dict[str, str]] = []
    emails: list[dict[str, str]] = []
    addresses: list[tuple[str, list[str], bool]] = []
    notes: list[str] = []
    extras: list[str] = []
    tags: list[str] = []
    languages: list[str] = []
    roles: list[str] = []
    skipped: list[str] = []
    fn = ""
    name_parts: list[str] | None = None
    for prop in props:
        if len(prop.value) > MAX_TEXT and prop.name not in _BINARY:
            row.problems.append(f"its {prop.name} is {len(prop.value):,} characters long, over the "
                                f"{MAX_TEXT:,}-character limit of a contact field")
            continue
        name = prop.name
        if name == "FN":
            fn = unescape_text(prop.value, version).strip()
        elif name == "N":
            name_parts = [unescape_text(p, version).strip() for p in split_escaped(prop.value, ";")]
        elif name == "ORG":
            org = ", ".join(p for p in (unescape_text(x, version).strip() for x in split_escaped(prop.value, ";"))
                            if p)
            if org:
                values["organisation"] = org
        elif name in ("TITLE",):
            roles.append(unescape_text(prop.value, version).strip())
        elif name == "TEL":
            value = unescape_text(prop.value, version).strip()
            if value.lower().startswith("tel:"):
                value = value[4:]
            if value:
                phones.append({"label": _label_from(prop, labels), "value": value})
        elif name == "EMAIL":
            value = unescape_text(prop.value, version).strip()
            if value.lower().startswith("mailto:"):
                value = value[7:]
            if value:
                emails.append({"label": _label_from(prop, labels), "value": value})
        elif name == "ADR":
            parts = [unescape_text(p, version).strip() for p in split_escaped(prop.value, ";")]
            preferred = "pref" in prop.types() or "PREF" in prop.params
            addresses.append((_label_from(prop, labels), parts, preferred))
        elif name == "NOTE":
            note = unescape_text(prop.value, version).replace("\r\n", "\n").replace("\r", "\n")
            if note.strip():
                notes.append(note)
        elif name == "CATEGORIES":
            tags.extend(unescape_text(p, version).strip() for p in split_escaped(prop.value, ","))
        elif name in ("LANG", "X-OURSOCIETY-LANG"):
            languages.append(unescape_text(prop.value, version).strip())
        elif name in _EXTRA_LABELS:
            value = unescape_text(prop.value, version).strip()
            if name == "X-ANDROID-CUSTOM" and value.startswith("vnd.android.cursor.item/"):
                kind, _, rest = value[len("vnd.android.cursor.item/"):].partition(";")
                data = next((p for p in rest.split(";") if p.strip()), "")
                extras.append(f"{kind.replace('_', ' ').capitalize()}: {data}") if data else None
                continue
            if name == "NICKNAME":
                value = ", ".join(unescape_text(p, version).strip() for p in split_escaped(prop.value, ","))
            label = labels.get(prop.group, "") if prop.group else ""
            if value:
                extras.append(f"{_EXTRA_LABELS[name]}{f' ({label})' if label else ''}: {value}")
        elif name in _BINARY:
            skipped.append(name)
        elif name in _QUIET or name in ("BEGIN", "END"):
            continue
        else:
            value = unescape_text(prop.value, version).strip()
            if value and not name.startswith("X-"):
                extras.append(f"{name.title()}: {value}")
            elif value:
                skipped.append(name)
    show_as_company = any(p.name == "X-ABSHOWAS" and p.value.strip().upper() == "COMPANY" for p in props)
    if show_as_company and fn == values.get("organisation") and not any(name_parts or []):
        fn = ""  # a company card: the organisation is the name, as for a contact made here with only one
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
    if skipped:
        names = sorted(set(skipped))
        row.warnings.append(f"not imported: {', '.join(names)} (photos and sounds are not kept)"
                            if set(names) & _BINARY else f"not imported: {', '.join(names)}")
    return values


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
    display = fn
    if not display and (prefix or suffix):
        display = " ".join(p for p in (prefix, joined, suffix) if p)
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
