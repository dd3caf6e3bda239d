"""vCard 3.0 and 4.0 writing: one card per contact, CRLF, folded at 75 octets, text escaped.

Labels that are plain vCard types ("mobile", "home", "work fax"...) become TYPE values; any other label is
written Apple's way, as a grouped `itemN.X-ABLabel`, which Google, Apple and Android read. Our reader in
`vcard.py` reads every card written here back to the same contact values (tested, and with vobject for 3.0).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from oursociety_desktop.models.names import name_of
from oursociety_desktop.models.text import newlines_only

VERSIONS = ("3.0", "4.0")

# Labels written as TYPE values on export; anything else is written as a grouped X-ABLabel.
_LABEL_TO_TYPE = {"mobile": "CELL", "home": "HOME", "work": "WORK", "fax": "FAX", "pager": "PAGER",
                  "text": "TEXT", "video": "VIDEO", "main": "MAIN", "other": "OTHER", "iphone": "IPHONE",
                  "car": "CAR"}
# This app's own properties: consent and privacy choices travel with the card (other apps ignore X- properties).
OWN_PROPERTIES = {"do_not_phone": "X-OURSOCIETY-DO-NOT-PHONE", "do_not_email": "X-OURSOCIETY-DO-NOT-EMAIL",
                  "do_not_mail": "X-OURSOCIETY-DO-NOT-MAIL", "do_not_sms": "X-OURSOCIETY-DO-NOT-SMS",
                  "share_with_hubs": "X-OURSOCIETY-SHARE-WITH-HUBS",
                  "include_in_directory": "X-OURSOCIETY-IN-DIRECTORY",
                  "consent_recorded_at": "X-OURSOCIETY-CONSENT-RECORDED-AT",
                  "consent_method": "X-OURSOCIETY-CONSENT-METHOD", "engagement_stage": "X-OURSOCIETY-STAGE"}



def escape_text(value: str) -> str:
    """vCard 3.0/4.0 text escaping (RFC 6350 section 3.4): backslash, comma, semicolon and line breaks, every kind
    of which (CR, NEL, U+2028...) is written as `\\n`, since a reader splitting lines at it would take the text
    after it as a property of its own."""
    return (newlines_only(value).replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
            .replace("\n", "\\n"))


def fold_line(line: str) -> str:
    """Fold a content line at 75 octets (RFC 6350 §3.2), never inside a UTF-8 character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    out: list[str] = []
    current: list[str] = []
    size, limit = 0, 75
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            out.append("".join(current))
            current, size, limit = [], 0, 74  # continuation lines start with a space
        current.append(ch)
        size += width
    out.append("".join(current))
    return "\r\n ".join(out)


def _typed(name: str, label: str, version: str, item: list[int], extra_type: str = "") -> list[str]:
    words = label.split()
    if all(w in _LABEL_TO_TYPE for w in words) and len(set(words)) == len(words):
        types = [_LABEL_TO_TYPE[w] for w in words]
        if extra_type:
            types.append(extra_type)
        type_param = ""
        if types:
            joined = ",".join(t.lower() if version == "4.0" else t for t in types)
            type_param = f";TYPE={joined}"
        return [f"{name}{type_param}"]
    item[0] += 1
    group = f"item{item[0]}"
    type_param = f";TYPE={extra_type.lower() if version == '4.0' else extra_type}" if extra_type else ""
    return [f"{group}.{name}{type_param}", f"{group}.X-ABLabel:{escape_text(label)}"]


def _name(values: Mapping[str, Any]) -> str:
    return name_of(*(str(values.get(f) or "") for f in ("display_name", "given_name", "family_name", "organisation")))


def contact_to_vcard(values: Mapping[str, Any], version: str = "3.0") -> str:
    """One contact (a dict of Contact fields, with `id`) as a vCard 3.0 or 4.0, CRLF line endings."""
    if version not in VERSIONS:
        raise ValueError(f"unsupported vCard version {version}")
    lines = ["BEGIN:VCARD", f"VERSION:{version}"]
    given, family = str(values.get("given_name") or ""), str(values.get("family_name") or "")
    fn = _name(values)
    if version == "4.0":
        lines.append("KIND:individual")
    lines.append(f"FN:{escape_text(fn)}")
    lines.append(f"N:{escape_text(family)};{escape_text(given)};;;")
    if values.get("organisation"):
        lines.append(f"ORG:{escape_text(str(values['organisation']))}")
    if values.get("role"):
        lines.append(f"TITLE:{escape_text(str(values['role']))}")
    if not (values.get("display_name") or given or family) and values.get("organisation"):
        lines.append("X-ABShowAs:COMPANY")
    item = [0]
    value_text = ";VALUE=text" if version == "4.0" else ""
    for phone in values.get("phones") or []:
        head, *rest = _typed("TEL", str(phone.get("label", "")), version, item)
        lines.append(f"{head}{value_text}:{escape_text(str(phone['value']))}")
        lines.extend(rest)
    for email in values.get("emails") or []:
        head, *rest = _typed("EMAIL", str(email.get("label", "")), version, item,
                             "INTERNET" if version == "3.0" else "")
        lines.append(f"{head}:{escape_text(str(email['value']))}")
        lines.extend(rest)
    address = [str(values.get(k) or "") for k in ("street", "locality", "region", "postcode", "country")]
    if any(address):
        lines.append("ADR:;;" + ";".join(escape_text(p) for p in address))
    if values.get("notes"):
        lines.append(f"NOTE:{escape_text(str(values['notes']))}")
    if values.get("tags"):
        lines.append("CATEGORIES:" + ",".join(escape_text(str(t)) for t in values["tags"]))
    for language in values.get("languages") or []:
        lines.append(f"{'LANG' if version == '4.0' else 'X-OURSOCIETY-LANG'}:{escape_text(str(language))}")
    for group in values.get("groups") or []:
        lines.append(f"X-OURSOCIETY-GROUP:{escape_text(str(group))}")
    for field_name, prop in OWN_PROPERTIES.items():
        value = values.get(field_name)
        if isinstance(value, bool):
            if value:
                lines.append(f"{prop}:1")
        elif value and not (field_name == "engagement_stage" and value == "new"):
            lines.append(f"{prop}:{escape_text(str(value))}")
    if values.get("id"):
        lines.append(f"UID:urn:uuid:{values['id']}")
    lines.append("END:VCARD")
    return "".join(fold_line(line) + "\r\n" for line in lines)


def group_to_vcard(name: str, group_id: str, member_ids: Iterable[str], version: str = "4.0") -> str:
    """A group as a card: vCard 4.0 `KIND:group` with `MEMBER` lines, or for 3.0 Apple's
    `X-ADDRESSBOOKSERVER-KIND:group` with `X-ADDRESSBOOKSERVER-MEMBER` (what iCloud and macOS write)."""
    if version == "4.0":
        lines = ["BEGIN:VCARD", "VERSION:4.0", "KIND:group", f"FN:{escape_text(name)}"]
        lines.extend(f"MEMBER:urn:uuid:{m}" for m in member_ids)
    else:
        lines = ["BEGIN:VCARD", f"VERSION:{version}", "X-ADDRESSBOOKSERVER-KIND:group", f"FN:{escape_text(name)}",
                 f"N:{escape_text(name)};;;;"]
        lines.extend(f"X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:{m}" for m in member_ids)
    lines.extend([f"UID:urn:uuid:{group_id}", "END:VCARD"])
    return "".join(fold_line(line) + "\r\n" for line in lines)


def write_vcards(contacts: Iterable[Mapping[str, Any]], version: str = "3.0",
                 groups: Iterable[tuple[str, str, list[str]]] = ()) -> Iterable[bytes]:
    """Encoded vCards, one chunk per contact (UTF-8), then one card per group given as (id, name, member ids)."""
    for values in contacts:
        yield contact_to_vcard(values, version).encode("utf-8")
    for group_id, name, members in groups:
        yield group_to_vcard(name, group_id, members, version).encode("utf-8")


def safe_file_stem(values: Mapping[str, Any]) -> str:
    """A file name stem for one contact's card: its shown name (safe characters only) and an id prefix."""
    name = _name(values)
    cleaned = re.sub(r"[^\w\- ]+", "", name, flags=re.UNICODE).strip().replace(" ", "-")[:60] or "contact"
    return f"{cleaned}-{str(values.get('id', ''))[:8]}"
