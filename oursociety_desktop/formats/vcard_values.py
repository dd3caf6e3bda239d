"""From a card's properties to a contact's fields: names, phones and emails with their labels, addresses,
organisation, notes, tags and our own consent flags; values with no field of their own become "Label: value"
lines of the notes, and every property not imported is named in the card's warnings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from oursociety_desktop.formats.import_rows import ImportRow
from oursociety_desktop.formats.labels import IGNORED_VCARD_TYPES, apple_label, canonical_label, label_from_types
from oursociety_desktop.formats.vcard_extras import (
    EXTRA_LABELS,
    QUIET,
    SYSTEM_CATEGORIES,
    android_custom_line,
    fc_encoded_line,
)
from oursociety_desktop.formats.vcard_lines import BINARY_PROPERTIES, VProperty, split_escaped, unescape_text
from oursociety_desktop.formats.vcard_write import OWN_PROPERTIES
from oursociety_desktop.i18n import _, ngettext
from oursociety_desktop.models.contacts import BOOL_FIELDS, MAX_TEXT
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.text import fold, personal_name


def _label_from(prop: VProperty, labels: Mapping[str, str]) -> str:
    if prop.group and labels.get(prop.group):
        return canonical_label(labels[prop.group])
    for key in ("X-ABLABEL", "X-LABEL", "LABEL"):  # TEL;X-Label=Shed: and 4.0 parameters of that kind
        if prop.params.get(key) and prop.name in ("TEL", "EMAIL"):
            return canonical_label(prop.params[key][0])
    return label_from_types(prop.params.get("TYPE", []))


def uid_of(value: str) -> str:
    """A UID or MEMBER value without its `urn:uuid:` or `urn:` prefix."""
    value = value.strip()
    for prefix in ("urn:uuid:", "urn:"):
        if value.lower().startswith(prefix):
            return value[len(prefix):].strip()
    return value


def _text(prop: VProperty, version: str, source: str) -> str:
    """The unescaped value of a property this app uses (refusing the file, with the --encoding hint, when its
    bytes are in no charset we could tell)."""
    if prop.undecodable:
        raise UserError(_("Could not tell the text encoding of {source} (line {line}, {name}); give it "
                        "with --encoding (for example --encoding shift_jis) or save the file as UTF-8.")
                        .format(source=source, line=prop.line, name=prop.name))
    return unescape_text(prop.value, version)


def group_card(row: ImportRow, props: list[VProperty], version: str, source: str) -> None:
    """Fill `row` as a group: its name (FN, N or ORG) and its members' UIDs; a nameless group is a problem."""
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
            member = uid_of(_text(prop, version, source))
            if member:
                row.members = [*row.members, member]
    if name:
        row.values = {"name": name}
    else:
        row.add_problem(_("a group card with no name (FN)"))


_USED = {"FN", "N", "ORG", "TITLE", "TEL", "EMAIL", "ADR", "LABEL", "NOTE", "CATEGORIES", "LANG", "X-OURSOCIETY-LANG",
         "X-OURSOCIETY-GROUP"}
# This app's own properties (read back by this app, ignored by others): consent and privacy choices.
_OWN_FLAGS = {prop: field_name for field_name, prop in OWN_PROPERTIES.items()}


# Properties whose Apple label (`itemN.X-ABLabel`) becomes their own label or the label of their line in the notes.
_TAKE_LABELS = {"TEL", "EMAIL", "ADR", "LABEL", *EXTRA_LABELS}
_FIELD_TITLES = {"ORG": "Organisation", "TITLE": "Role", "NOTE": "Note", "FN": "Name", "N": "Name"}


def _labels_on_unlabelled(props: list[VProperty], labels: Mapping[str, str]) -> list[str]:
    """Notes for Apple labels that no label here can hold: one on an ORG or a TITLE ("Organisation label: Work"),
    or one whose group has no other property. A label is never dropped without a word."""
    labelled = {p.group for p in props if p.group and p.name in _TAKE_LABELS}
    lines = []
    for group, label in labels.items():
        if not label or group in labelled:
            continue
        names = list(dict.fromkeys(p.name for p in props if p.group == group and p.name != "X-ABLABEL"))
        if not names:
            lines.append(f"Label: {apple_label(label)}")
        lines.extend(f"{_FIELD_TITLES.get(name, name.title())} label: {apple_label(label)}" for name in names)
    return lines


def values_from(props: list[VProperty], labels: Mapping[str, str], version: str, row: ImportRow,
                 source: str = "the file") -> dict[str, Any]:
    """A person's contact values from their card's properties (`labels`: Apple's item labels by group); what
    has no field of its own goes to the notes, and every property not imported is a warning of `row`."""
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
    other_names: list[str] = []
    fn = ""
    name_parts: list[str] | None = None
    for prop in props:
        name = prop.name
        if len(prop.value) > MAX_TEXT and name not in BINARY_PROPERTIES and not prop.binary:
            if name in _USED or name in EXTRA_LABELS or name in _OWN_FLAGS:
                row.add_problem(ngettext("its {name} is {count:,} character long, over the "
                                         "{max_text:,}-character limit of a contact field",
                                         "its {name} is {count:,} characters long, over the "
                                         "{max_text:,}-character limit of a contact field", len(prop.value))
                                .format(name=name, count=len(prop.value), max_text=MAX_TEXT))
            elif name not in QUIET:
                skipped.append(name)  # a value this app does not use never refuses the card
            continue
        if name in BINARY_PROPERTIES or prop.binary:
            binary += 1
            skipped.append(name)
            continue
        if name in QUIET or name in ("BEGIN", "END"):
            continue
        if name == "FN":
            text = _text(prop, version, source).strip()
            if text and fn and text != fn:
                other_names.append(text)  # another form of the name (ALTID, a second script): kept, not lost
            fn = fn or text
        elif name == "N":
            parts = [unescape_text(p, version).strip() for p in split_escaped(_raw(prop, source), ";")]
            if any(parts) and name_parts is None:
                name_parts = parts
            elif any(parts) and parts != name_parts:
                other_names.append(" ".join(p for p in (*parts[3:4], *parts[1:3], parts[0], *parts[4:5]) if p))
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
            for printed in prop.params.get("LABEL", []):  # 4.0: the printed address as a parameter
                address_labels.append((_label_from(prop, labels), unescape_text(printed, "4.0").strip()))
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
                row.groups = [*row.groups, group]
        elif name == "CLASS":  # an access classification: only one that is not the default says something
            value = _text(prop, version, source).strip()
            if value and value.upper() != "PUBLIC":
                extras.append(f"Access class: {value}")
        elif name.startswith("X-FCENCODED-"):
            line = fc_encoded_line(name, _text(prop, version, source).strip())
            if line:
                extras.append(line)
        elif name in EXTRA_LABELS:
            value = _text(prop, version, source).strip()
            if name == "X-ANDROID-CUSTOM" and value.startswith("vnd.android.cursor.item/"):
                line = android_custom_line(value)
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
                                     + prop.params.get("X-USER", [])) if t.lower() not in IGNORED_VCARD_TYPES]
                label = ", ".join(dict.fromkeys(words))
            if value:
                extras.append(f"{EXTRA_LABELS[name]}{f' ({apple_label(label)})' if label else ''}: {value}")
        else:
            value = _text(prop, version, source).strip() if not prop.undecodable else "?"
            if value and not name.startswith("X-"):
                extras.append(f"{name.title()}: {value}")
            elif value:
                skipped.append(name)
    extras.extend(_labels_on_unlabelled(props, labels))
    show_as_company = any(p.name == "X-ABSHOWAS" and p.value.strip().upper() == "COMPANY" for p in props)
    if orgs:
        values["organisation"] = orgs[0]
        extras.extend(f"Organisation: {org}" for org in orgs[1:])  # a second ORG is kept, never overwritten
    if show_as_company and fn == values.get("organisation") and not any(name_parts or []):
        fn = ""  # a company card: the organisation is the name, as for a contact made here with only one
    if not fn and not any(name_parts or []) and not orgs and nicknames:
        fn = nicknames[0]  # a card with only a nickname is called by it
    _apply_names(values, fn, name_parts)
    shown = values.get("display_name") or personal_name(values.get("given_name", ""), values.get("family_name", ""))
    extras.extend(f"Other name: {n}" for n in dict.fromkeys(other_names) if n != shown)
    if roles:
        values["role"] = ", ".join(dict.fromkeys(r for r in roles if r))
    if phones:
        values["phones"] = phones
    if emails:
        values["emails"] = emails
    if addresses:
        addresses.sort(key=lambda a: not a[2])  # the preferred address first
        _apply_address(values, addresses[0][1])
        for label, parts, _lines in addresses[1:]:
            text = ", ".join(p for p in _address_lines(parts) if p)
            if text:
                extras.append(f"Address{f' ({label})' if label else ''}: {text}")
        # A printed label that says what the ADRs and the name say is that address; one that says more is kept.
        # (Most cards have no label: their words are not folded.)
        said = [p for _label, parts, _pref in addresses for p in parts] + [fn, *orgs, *(name_parts or [])]
        said_words = {w for p in said for w in fold(p).replace(",", " ").split()} if address_labels else set()
        for label, text in address_labels:
            if not set(fold(text).replace(",", " ").split()) <= said_words:
                extras.append(f"Address label{f' ({label})' if label else ''}: {', '.join(text.splitlines())}")
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
            row.add_problem(ngettext("its notes would be {count:,} character long, over the "
                                     "{max_text:,}-character limit",
                                     "its notes would be {count:,} characters long, over the "
                                     "{max_text:,}-character limit", len(text_notes))
                            .format(count=len(text_notes), max_text=MAX_TEXT))
    tags = [t for t in dict.fromkeys(tags) if t and t.casefold() not in SYSTEM_CATEGORIES]
    if tags:
        values["tags"] = tags
    if languages:
        values["languages"] = [t for t in dict.fromkeys(languages) if t]
    for prop in props:  # how a used value whose bytes were not its charset's was read
        if prop.warning and prop.name not in skipped and prop.name not in QUIET:
            row.warn(prop.name, prop.warning)
    for name in sorted(set(skipped)):
        count = skipped.count(name)
        binary_kind = name in BINARY_PROPERTIES or _is_binary_name(props, name)
        if count > 1:
            warning = (ngettext("not imported (a picture, sound or key, {count} time)",
                                "not imported (a picture, sound or key, {count} times)", count) if binary_kind
                       else ngettext("not imported (a property, {count} time)",
                                     "not imported (a property, {count} times)", count))
        else:
            warning = _("not imported (a picture, sound or key)") if binary_kind else _("not imported (a property)")
        row.warn(name, warning.format(count=count))
    row.skipped_binary = binary
    return values


def _is_binary_name(props: list[VProperty], name: str) -> bool:
    return any(p.binary for p in props if p.name == name)


def _raw(prop: VProperty, source: str) -> str:
    if prop.undecodable:
        raise UserError(_("Could not tell the text encoding of {source} (line {line}, {name}); give it "
                        "with --encoding (for example --encoding shift_jis) or save the file as UTF-8.")
                        .format(source=source, line=prop.line, name=prop.name))
    return prop.value


def _own_flag(values: dict[str, Any], field_name: str, text: str, row: ImportRow) -> None:
    if field_name in BOOL_FIELDS:
        lowered = text.casefold()
        if lowered in ("1", "true", "yes"):
            values[field_name] = True
        elif lowered in ("0", "false", "no", ""):
            values[field_name] = False
        else:
            row.warn(field_name, _("'{text}' is not yes or no; not imported").format(text=text))
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
    if display and display not in (joined, personal_name(given, family)):
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
