"""Checking records that arrive in a bundle (docs/bundle-format.md §4) before they are merged.

A record is checked in two steps: its envelope (id, origin, stamps) first, which is all the merge needs to see that
this hub already holds that version; then, only for records that will be written, every field's type.
"""

from __future__ import annotations

import re
from typing import Any

from oursociety_desktop.models.contacts import MAX_TEXT, erased_values
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.sharing import outgoing_fields
from oursociety_desktop.models.tables import RECORD_TYPES, SyncedRecord

STAMP_PATTERN = re.compile(r"\d{13}\.[0-9a-f]{6}\.[!-~]{1,64}")
MAX_ID = 64
MAX_LIST = 1000
LABELLED_FIELDS = ("phones", "emails")


def _defaults(cls: type[SyncedRecord]) -> dict[str, Any]:
    blank = cls()
    return {name: getattr(blank, name) for name in cls.SYNC_FIELDS}


DEFAULTS: dict[str, dict[str, Any]] = {name: _defaults(cls) for name, cls in RECORD_TYPES.items()}


def _bad(record_type: str, record_id: Any, what: str) -> UserError:
    shown = record_id if isinstance(record_id, str) and len(record_id) <= MAX_ID else "?"
    return UserError(f"A {record_type.replace('_', ' ')} record ({shown}) in the bundle is not valid: {what}. "
                     "Nothing was imported.")


def _field_kinds(cls: type[SyncedRecord], fields: tuple[str, ...]) -> list[tuple[str, str]]:
    defaults = DEFAULTS[cls.RECORD_TYPE]
    kinds = []
    for name in fields:
        default = defaults[name]
        if isinstance(default, bool):
            kinds.append((name, "bool"))
        elif isinstance(default, str):
            kinds.append((name, "text"))
        elif name in LABELLED_FIELDS:
            kinds.append((name, "labelled"))
        else:
            kinds.append((name, "words"))
    return kinds


_KINDS: dict[str, list[tuple[str, str]]] = {
    name: _field_kinds(cls, outgoing_fields(cls)) for name, cls in RECORD_TYPES.items()
}


def check_envelope(cls: type[SyncedRecord], fields: tuple[str, ...], record: dict[str, Any]) -> None:
    """Check a record's id, origin and stamps (enough to tell whether this hub already has this version)."""
    record_type = cls.RECORD_TYPE
    rid = record.get("id")
    if not isinstance(rid, str) or not 1 <= len(rid) <= MAX_ID:
        raise _bad(record_type, rid, "its id is missing or not text")
    origin = record.get("origin_hub")
    if not isinstance(origin, str) or len(origin) > MAX_ID:
        raise _bad(record_type, rid, "origin_hub is not text")
    base = record.get("base_stamp")
    if not isinstance(base, str) or not STAMP_PATTERN.fullmatch(base):
        raise _bad(record_type, rid, "base_stamp is not a version stamp")
    stamps = record.get("stamps")
    if not isinstance(stamps, dict):
        raise _bad(record_type, rid, "stamps is not an object")
    for name, stamp in stamps.items():
        if name not in fields:
            raise _bad(record_type, rid, f"a stamp for unknown field '{str(name)[:40]}'")
        if not isinstance(stamp, str) or not STAMP_PATTERN.fullmatch(stamp):
            raise _bad(record_type, rid, f"the stamp of {name} is not a version stamp")


def check_incoming(cls: type[SyncedRecord], fields: tuple[str, ...], record: dict[str, Any]) -> None:
    """Raise UserError unless `record` has the shape of an outgoing record of `cls` (docs/bundle-format.md)."""
    check_envelope(cls, fields, record)
    check_values(cls, record)


def check_values(cls: type[SyncedRecord], record: dict[str, Any]) -> None:
    """Check every travelling field's presence and type (after `check_envelope`)."""
    record_type = cls.RECORD_TYPE
    rid = record["id"]
    for name, kind in _KINDS[record_type]:
        if name not in record:
            raise _bad(record_type, rid, f"field '{name}' is missing")
        value = record[name]
        if kind == "text":
            if type(value) is not str or len(value) > MAX_TEXT:
                raise _bad(record_type, rid, f"{name} must be text of at most {MAX_TEXT:,} characters")
        elif kind == "bool":
            if type(value) is not bool:
                raise _bad(record_type, rid, f"{name} must be true or false")
        else:
            if type(value) is not list or len(value) > MAX_LIST:
                raise _bad(record_type, rid, f"{name} must be a list of at most {MAX_LIST} entries")
            if kind == "labelled":
                for item in value:
                    if type(item) is not dict or item.keys() != {"label", "value"} \
                            or not all(type(v) is str and len(v) <= 1000 for v in item.values()):
                        raise _bad(record_type, rid, f"each entry of {name} must be {{\"label\", \"value\"}} text")
            elif not all(type(v) is str and len(v) <= 1000 for v in value):
                raise _bad(record_type, rid, f"{name} must be a list of words")
    if record_type == "contact" and record["erased"]:
        wiped = erased_values()
        for name, _kind in _KINDS[record_type]:
            if name in wiped and record[name] != wiped[name]:
                raise _bad(record_type, rid, f"it is erased but still holds {name}")
        if not record["deleted"]:
            raise _bad(record_type, rid, "it is erased but not deleted")
