"""What an import does to an existing person a row duplicates ("update" or "fill"): the changes, and what they
add in words for the summary."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from oursociety_desktop.i18n import _
from oursociety_desktop.models.contacts import BOOL_FIELDS, LIST_FIELDS
from oursociety_desktop.models.phones import e164_of
from oursociety_desktop.models.tables import Contact


def _phone_key(value: str, region: str) -> str:
    return e164_of(value, region) or "".join(ch for ch in value if ch.isdigit()) or value.casefold()


def _added(word: str, item: Mapping[str, Any]) -> str:
    label = str(item.get("label") or "")
    if label:
        return _("added {field} {value} ({label})").format(field=word, value=item["value"], label=label)
    return _("added {field} {value}").format(field=word, value=item["value"])


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
                word = "phone" if name == "phones" else "email"
                said.extend(_added(word, item) for item in extra)
        elif name in LIST_FIELDS:
            extra = [v for v in value if v not in current]
            if extra:
                changes[name] = [*current, *extra]
                said.append(_("added {field} {value}").format(field=name, value=", ".join(extra)))
        elif name in BOOL_FIELDS:
            if mode == "update" and value != current:
                changes[name] = value
                said.append((_("set {field} to yes") if value else _("set {field} to no"))
                            .format(field=name.replace("_", " ")))
        elif value in ("", None):
            continue
        elif mode == "update" or not current:
            if value != current:
                changes[name] = value
                said.append((_("changed {field}") if current else _("added {field}"))
                            .format(field=name.replace("_", " ")))
    return changes, said
