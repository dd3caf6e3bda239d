"""Checking records that arrive in a bundle (docs/bundle-format.md §4) before they are merged.

A record is checked in two steps: its envelope (id, origin, stamps) first, which is all the merge needs to see that
this hub already holds that version; then, only for records that will be written, every known field's type.

Fields a newer version added (names this version does not know) are accepted when their names are plain
(`[a-z][a-z0-9_]*`, at most 64 characters, at most 200 of them); their values may be any JSON, within the bundle's
line limit. Names of columns this hub keeps for itself (`private_notes`, `sort_key`...) are never taken from a
bundle.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from operator import itemgetter
from typing import Any

from oursociety_desktop.i18n import _, ngettext
from oursociety_desktop.models.clock import HUB_ID, ID_CHAR, STAMP_PATTERN, is_stamp
from oursociety_desktop.models.contacts import MAX_TEXT, erased_values
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.registry import ENVELOPE, RecordType, values_getter
from oursociety_desktop.models.wording import record_type_word

MAX_ID = 64
MAX_LIST = 1000
MAX_UNKNOWN_FIELDS = 200
FIELD_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")
TYPE_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
LABELLED_FIELDS = ("phones", "emails")


def bad_record(record_type: str, record_id: Any, what: str) -> UserError:
    """The one-line refusal for a record that is not valid."""
    shown = record_id if isinstance(record_id, str) and len(record_id) <= MAX_ID else "?"
    return UserError(_("The bundle's {record_type} record ({shown}) is not valid: {what}. "
                     "Nothing was imported.").format(record_type=record_type_word(record_type), shown=shown, what=what))


# Numbers in records (hours) are finite and of a human size; anything else is a damaged or hostile bundle.
MAX_NUMBER = 1e9


@lru_cache(maxsize=64)
def field_kinds(record_type: RecordType) -> tuple[tuple[str, str], ...]:
    """(field, kind) for every field that travels: kind is text, bool, number, labelled ({label, value} list) or
    words."""
    defaults = record_type.defaults()
    kinds = []
    for name in record_type.outgoing_fields:
        default = defaults[name]
        if isinstance(default, bool):
            kinds.append((name, "bool"))
        elif isinstance(default, int | float):
            kinds.append((name, "number"))
        elif isinstance(default, str):
            kinds.append((name, "text"))
        elif name in LABELLED_FIELDS:
            kinds.append((name, "labelled"))
        else:
            kinds.append((name, "words"))
    return tuple(kinds)


@lru_cache(maxsize=64)
def known_names(record_type: RecordType | None) -> frozenset[str]:
    """The names of a record's keys this version knows: the envelope, and for a known type its table's columns
    (fields that travel, and local or derived ones, which are never taken from a bundle)."""
    known = set(ENVELOPE)
    if record_type is not None:
        known |= set(record_type.table.model_fields)
    return frozenset(known)


def unknown_field_names(known: frozenset[str], record: dict[str, Any]) -> list[str]:
    """Names of the fields a record carries that this version does not know (`known` from `known_names`)."""
    if record.keys() <= known:
        return []  # the usual record, told in C
    return [name for name in record if name not in known]


def check_envelope(type_name: str, carried: set[str], unknown: list[str], record: dict[str, Any]) -> None:
    """Check a record's id, origin, stamps and unknown field names. `carried`: the names its stamps may name."""
    rid = record.get("id")
    if not isinstance(rid, str) or not 1 <= len(rid) <= MAX_ID:
        raise bad_record(type_name, rid, _("its id is missing or not text"))
    if not plain_ids(rid):
        raise bad_record(type_name, ascii(rid)[1:-1][:MAX_ID],
                         _("its id holds a space, a control or a character outside ASCII"))
    origin = record.get("origin_hub")
    if not isinstance(origin, str) or len(origin) > MAX_ID:
        raise bad_record(type_name, rid, _("{field} is not text").format(field="origin_hub"))
    if not plain_ids(origin):
        raise bad_record(type_name, rid, _("{field} is not a hub id").format(field="origin_hub"))
    _check_stamp(type_name, rid, record.get("base_stamp"))
    stamps = record.get("stamps")
    if not isinstance(stamps, dict):
        raise bad_record(type_name, rid, _("{field} is not an object").format(field="stamps"))
    if len(unknown) > MAX_UNKNOWN_FIELDS:
        raise bad_record(type_name, rid, ngettext("it has more than {count} field", "it has more than {count} fields",
                                                   MAX_UNKNOWN_FIELDS).format(count=MAX_UNKNOWN_FIELDS))
    for name in unknown:
        if not FIELD_NAME.fullmatch(name):
            raise bad_record(type_name, rid, _("a field name '{name}' is not plain lower-case text").format(
                name=name[:40]))
    for name, stamp in stamps.items():
        if name not in carried:
            raise bad_record(type_name, rid, _("a stamp for unknown field '{name}'").format(name=str(name)[:40]))
        _check_stamp(type_name, rid, stamp, of_field=name)


_PLAIN_ID_TEXT = re.compile(ID_CHAR + "*")


def plain_ids(text: str) -> bool:
    """True when `text` (an id, or many ids joined) is printable ASCII without spaces, as a hub id in a stamp is:
    "c-1" with a line break or a no-break space after it would be another record than "c-1", listed alike (13
    copies of a person, each a new record). ASCII, so that every version agrees whatever its Unicode tables."""
    return _PLAIN_ID_TEXT.fullmatch(text) is not None


# A stamp `is_stamp` accepts, in ASCII digits and below MAX_WALL_MS (9,000,000,000,000 ms): a batch's usual stamps.
_PLAIN_STAMP = re.compile(r"[0-8][0-9]{12}\.[0-9a-f]{6}\." + HUB_ID.pattern)
_ENVELOPE_OF = tuple(map(itemgetter, ("id", "origin_hub", "base_stamp", "stamps")))


def envelopes_plainly_valid(carried: set[str], records: list[dict[str, Any]]) -> bool:
    """True when every record of a batch has an envelope `check_envelope` accepts and no field this version does not
    know (`carried`: its type's fields), told a key at a time over the whole batch in C: the usual batch. False
    sends each record through `check_envelope`, which names the first fault."""
    try:
        ids, origins, bases, stamps = ([pick(record) for record in records] for pick in _ENVELOPE_OF)
    except KeyError:
        return False
    if set(map(type, ids)) != {str} or set(map(type, origins)) != {str} or set(map(type, stamps)) != {dict}:
        return False  # also an empty batch
    if min(map(len, ids)) < 1 or max(map(len, ids)) > MAX_ID or max(map(len, origins)) > MAX_ID:
        return False
    if not plain_ids("".join(ids)) or not plain_ids("".join(origins)):
        return False
    try:
        if not all(map(_PLAIN_STAMP.fullmatch, bases)):
            return False
        for named in filter(None, stamps):
            if not named.keys() <= carried or not all(map(_PLAIN_STAMP.fullmatch, named.values())):
                return False
    except TypeError:  # a stamp that is not text
        return False
    return True


def _check_stamp(type_name: str, rid: Any, stamp: Any, of_field: str = "") -> None:
    """Refuse a record whose `base_stamp` (or, given `of_field`, that field's stamp) is not a version stamp."""
    if is_stamp(stamp):
        return
    what = _("the stamp of {field}").format(field=of_field) if of_field else "base_stamp"
    if isinstance(stamp, str) and STAMP_PATTERN.fullmatch(stamp):
        raise bad_record(type_name, rid, _("{what} lies beyond the year 2255, outside the dates this app can hold")
                         .format(what=what))
    raise bad_record(type_name, rid, _("{what} is not a version stamp").format(what=what))


def fill_added_fields(record_type: RecordType, record: dict[str, Any]) -> None:
    """Give a record from an older writer the fields added since format 2.0 (`RecordType.added_fields`): their
    empty value at the record's creation stamp (the older hub that made the record never set them; a 2.0 hub
    relaying a newer record keeps the field, as any field it does not know)."""
    if not record_type.added_fields:
        return
    defaults = record_type.defaults()
    for name in record_type.added_fields:
        if name not in record:
            record[name] = defaults[name]
            record["stamps"].pop(name, None)


@dataclass(frozen=True)
class _Grouped:
    """A type's travelling fields grouped by kind, for `_plainly_valid`: getters giving each group's values as a
    tuple, and the (field, kind) of the list fields, whose entries are checked one by one."""

    texts: Callable[[dict[str, Any]], tuple[Any, ...]]
    bools: Callable[[dict[str, Any]], tuple[Any, ...]]
    numbers: Callable[[dict[str, Any]], tuple[Any, ...]]
    lists: Callable[[dict[str, Any]], tuple[Any, ...]]
    list_kinds: tuple[tuple[str, str], ...]


def _grouped(record_type: RecordType) -> _Grouped:
    grouped = _GROUPED.get(record_type.table)  # by table: hashing the frozen RecordType costs more than the check
    if grouped is None:
        kinds = field_kinds(record_type)
        lists = tuple((name, kind) for name, kind in kinds if kind in ("labelled", "words"))
        texts, bools, numbers = (values_getter([name for name, kind in kinds if kind == wanted])
                                 for wanted in ("text", "bool", "number"))
        grouped = _Grouped(texts, bools, numbers, values_getter([name for name, _kind in lists]), lists)
        _GROUPED[record_type.table] = grouped
    return grouped


_GROUPED: dict[type, _Grouped] = {}


def _plainly_valid(grouped: _Grouped, record: dict[str, Any]) -> bool:
    """True when every travelling field is present with a text, bool or number of its kind and every list field is
    a list of at most MAX_LIST entries: the common case, checked a field kind at a time in C. False sends the
    record through the field-by-field checks, which name what is wrong."""
    try:
        texts, bools = grouped.texts(record), grouped.bools(record)
        numbers, lists = grouped.numbers(record), grouped.lists(record)
    except KeyError:
        return False
    return _kinds_plain(texts, bools, numbers, lists)


def _kinds_plain(texts: Sequence[Any], bools: Sequence[Any], numbers: Sequence[Any], lists: Sequence[Any]) -> bool:
    """Whether the values of each kind (of one record or of a whole batch) are all of that kind and within its
    limits: texts, bools, numbers, and lists of at most MAX_LIST entries."""
    if texts and (set(map(type, texts)) != {str} or max(map(len, texts)) > MAX_TEXT):
        return False
    if bools and set(map(type, bools)) != {bool}:
        return False
    if numbers and not all(type(v) in (int, float) and -MAX_NUMBER <= v <= MAX_NUMBER for v in numbers):
        return False
    return not lists or (set(map(type, lists)) == {list} and max(map(len, lists)) <= MAX_LIST)


def check_batch_values(record_type: RecordType, records: list[dict[str, Any]]) -> None:
    """`check_values` of every record of a batch, in order. The usual batch (every field present with a value of its
    kind) is told a field kind at a time over the whole batch in C; only an erased contact is still checked on its
    own. Any fault sends the batch through `check_values`, which names the first one."""
    if not _batch_plainly_valid(record_type, records):
        for record in records:
            check_values(record_type, record)
    elif record_type.name == "contact":
        for record in records:
            if record["erased"]:
                _check_erased(record_type, record)


_LABEL_VALUE = itemgetter("label", "value")


def _batch_plainly_valid(record_type: RecordType, records: list[dict[str, Any]]) -> bool:
    """`_plainly_valid` of every record of a batch, and every entry of their list fields valid."""
    grouped = _grouped(record_type)
    try:
        texts, bools, numbers, lists = (list(chain.from_iterable(map(getter, records))) for getter in
                                        (grouped.texts, grouped.bools, grouped.numbers, grouped.lists))
    except KeyError:
        return False
    if not _kinds_plain(texts, bools, numbers, lists):
        return False
    for name, kind in grouped.list_kinds:  # every field is a list now
        entries = list(chain.from_iterable(map(itemgetter(name), records)))
        if entries and kind == "labelled":  # each {"label": text, "value": text}, no other key
            if set(map(type, entries)) != {dict} or sum(map(len, entries)) != 2 * len(entries):
                return False
            try:
                entries = list(chain.from_iterable(map(_LABEL_VALUE, entries)))
            except KeyError:
                return False
        if entries and (set(map(type, entries)) != {str} or max(map(len, entries)) > 1000):
            return False
    return True


def check_values(record_type: RecordType, record: dict[str, Any]) -> None:
    """Check every known travelling field's presence and type (after `check_envelope` and `fill_added_fields`)."""
    name_of_type = record_type.name
    rid = record["id"]
    grouped = _grouped(record_type)
    # The entries of list fields are always checked here; every field only when the quick check found a fault.
    for name, kind in grouped.list_kinds if _plainly_valid(grouped, record) else field_kinds(record_type):
        if name not in record:
            raise bad_record(name_of_type, rid, _("field '{field}' is missing").format(field=name))
        value = record[name]
        if kind == "text":
            if type(value) is not str or len(value) > MAX_TEXT:
                raise bad_record(name_of_type, rid, ngettext(
                    "{field} must be text of at most {count} character",
                    "{field} must be text of at most {count} characters", MAX_TEXT).format(
                        field=name, count=f"{MAX_TEXT:,}"))
        elif kind == "bool":
            if type(value) is not bool:
                raise bad_record(name_of_type, rid, _("{field} must be true or false").format(field=name))
        elif kind == "number":
            if type(value) not in (int, float) or not -MAX_NUMBER <= value <= MAX_NUMBER:
                raise bad_record(name_of_type, rid, _("{field} must be a number between {low} and {high}").format(
                    field=name, low=f"-{MAX_NUMBER:g}", high=f"{MAX_NUMBER:g}"))
        else:
            if type(value) is not list or len(value) > MAX_LIST:
                raise bad_record(name_of_type, rid, ngettext(
                    "{field} must be a list of at most {count} entry",
                    "{field} must be a list of at most {count} entries", MAX_LIST).format(field=name, count=MAX_LIST))
            if kind == "labelled":
                for item in value:
                    if type(item) is not dict or item.keys() != {"label", "value"} \
                            or not all(type(v) is str and len(v) <= 1000 for v in item.values()):
                        raise bad_record(name_of_type, rid, _("each entry of {field} must be {shape} text").format(
                            field=name, shape='{"label", "value"}'))
            elif not all(type(v) is str and len(v) <= 1000 for v in value):
                raise bad_record(name_of_type, rid, _("{field} must be a list of words").format(field=name))
    if name_of_type == "contact" and record["erased"]:
        _check_erased(record_type, record)


def _check_erased(record_type: RecordType, record: dict[str, Any]) -> None:
    """An erased contact holds every personal field at its erased value and is deleted."""
    wiped = erased_values()
    for name, _kind in field_kinds(record_type):
        if name in wiped and record[name] != wiped[name]:
            raise bad_record(record_type.name, record["id"], _("it is erased but still holds {field}").format(
                field=name))
    if not record["deleted"]:
        raise bad_record(record_type.name, record["id"], _("it is erased but not deleted"))
