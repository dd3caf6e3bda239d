"""What an import does to an existing person a row duplicates ("update" or "fill"): the changes, and what they
add in words for the summary."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from oursociety_desktop.i18n import _
from oursociety_desktop.models.contacts import BOOL_FIELDS, LIST_FIELDS
from oursociety_desktop.models.phones import e164_of
from oursociety_desktop.models.tables import Contact
from oursociety_desktop.models.wording import field_label


def _phone_key(value: str, region: str) -> str:
    return e164_of(value, region) or "".join(ch for ch in value if ch.isdigit()) or value.casefold()


def _added(name: str, item: Mapping[str, Any]) -> str:
    """What a summary says of a phone or email added to a contact (`name`: "phones" or "emails")."""
    label = str(item.get("label") or "")
    if name == "phones":
        return (_("added phone {value} ({label})") if label else _("added phone {value}")).format(
            value=item["value"], label=label)
    return (_("added email {value} ({label})") if label else _("added email {value}")).format(
        value=item["value"], label=label)


def merge_changes(existing: Contact, incoming: Mapping[str, Any], mode: str,
                  region: str = "GB") -> tuple[dict[str, Any], list[str]]:
    """The changes an `update` or `fill` makes, and what they add in words. Phones are compared in E.164 (one
    number is never stored twice in two spellings), emails case-insensitively; both modes add the phones, emails,
    tags and languages the existing person lacks."""
    changes: dict[str, Any] = {}
    said: list[str] = []
    for name, value in incoming.items():
        current = getattr(existing, name)
        if name in ("phones", "emails"):
            def key(item: Mapping[str, Any], phones: bool = name == "phones") -> str:
                text = str(item["value"])
                return _phone_key(text, region) if phones else text.strip().casefold()
            known = {key(item) for item in current}
            extra = []
            for item in value:
                if key(item) not in known:
                    known.add(key(item))
                    extra.append(item)
            if extra:
                changes[name] = [*current, *extra]
                said.extend(_added(name, item) for item in extra)
        elif name in LIST_FIELDS:
            extra = [v for v in value if v not in current]
            if extra:
                changes[name] = [*current, *extra]
                said.append(_("added {field} {value}").format(field=field_label(name), value=", ".join(extra)))
        elif name in BOOL_FIELDS:
            if mode == "update" and value != current:
                changes[name] = value
                said.append((_("set {field} to yes") if value else _("set {field} to no"))
                            .format(field=field_label(name)))
        elif value in ("", None):
            continue
        elif mode == "update" or not current:
            if value != current:
                changes[name] = value
                said.append((_("changed {field}") if current else _("added {field}"))
                            .format(field=field_label(name)))
    return changes, said
