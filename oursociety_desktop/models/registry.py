"""The record registry: one declaration per synchronised record type, read by everything that must know the types.

A `RecordType` says which table holds the records, which fields travel and which stay at this hub, the
**references** from its records to other records (and what happens to a reference when its target is deleted,
erased or merged into another record), which references make a record personal data of a contact, and how a
record is named in a list. Sharing, both export paths, the bundle merge, erasure, the health check, the duplicate
merge, the dump and the editor's related lists iterate the registry; none of them keeps a list of types or of
references of its own. docs/architecture.md walks through adding a type.

Reference rules (every reference is a plain UUID column, no SQL foreign key, because records arrive in any order):

- deleted target: the reference stays as it is (an undo of the delete brings the whole picture back).
- erased target (only contacts are erased): `ERASE_DELETE` tombstones the referring record, `ERASE_CLEAR` empties
  the reference and keeps the record; either way the fields in `RecordType.erase_wipes` are emptied, because they
  may describe the erased person.
- merged target (duplicate contacts merged, "A merged into B"): the reference follows to the surviving record; a
  record that then repeats another live one of the same `identity` is tombstoned, as is one whose
  `distinct_fields` now name the same record twice (a connection of a person with themself).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter
from typing import Any

from oursociety_desktop.models.names import name_to_show, name_to_show_sql
from oursociety_desktop.models.tables import (
    Action,
    ActionLink,
    Connection,
    Contact,
    Group,
    Hours,
    HoursTotal,
    Lesson,
    LessonPerson,
    Membership,
    Need,
    Offer,
    SyncedRecord,
)

ERASE_DELETE = "delete"
ERASE_CLEAR = "clear"

# Fields of the record envelope: present in every outgoing record, never a field of its own.
ENVELOPE = ("id", "origin_hub", "base_stamp", "stamps")


@dataclass(frozen=True)
class Reference:
    """A field of one record type that holds the id of a record of type `target`.

    `personal`: the referring record is personal data of the target contact: it leaves the hub only when that
    contact may, and erasing the contact tombstones or clears it (`on_erase`)."""

    field: str
    target: str
    personal: bool = False
    on_erase: str = ERASE_DELETE


@dataclass(frozen=True)
class RecordType:
    """Everything the code needs to know about one synchronised record type."""

    table: type[SyncedRecord]
    references: tuple[Reference, ...] = ()
    # Fields that identify the record among the live ones (a membership is one per group and contact). With
    # `derived_id`, the record's id is derived from them (`pair_id`), so the same pair added at two hubs is one
    # record everywhere, and one removal removes it.
    identity: tuple[str, ...] = ()
    derived_id: bool = False
    # Reference fields that must name different records (a connection is between two people).
    distinct_fields: tuple[str, ...] = ()
    # Fields emptied when a contact this record is personal data of is erased.
    erase_wipes: tuple[str, ...] = ()
    # How a record is named in lists: in Python (from a row mapping) and as an SQL expression over an alias.
    label: Callable[[Mapping[str, Any]], str] | None = None
    label_sql: Callable[[str], str] | None = None
    # Fields shown beside the label where a record is listed as the target of another's reference (an action's
    # status and due date in a person's related actions).
    summary_fields: tuple[str, ...] = ()
    # A hub setting that must be on for records of this type to leave the hub at all (hours: only their monthly
    # totals travel unless the hub chooses to share the detail). Empty: the type travels under consent alone.
    shared_when_setting: str = ""
    # A boolean field of the record that must be true for it to leave the hub (a lesson's `share_with_hubs`);
    # records referring to a record kept home by it stay home too (the people named in an unshared lesson).
    shared_flag: str = ""
    # Fields a later version added to a type older hubs already exchanged: a bundle of an older hub lacks them, and
    # they take their default with the record's creation stamp (a value set since has a later stamp, and wins).
    added_fields: tuple[str, ...] = ()

    @cached_property
    def name(self) -> str:
        """The type's name in bundles, dumps and the conflicts inbox (the table class's RECORD_TYPE; asked once per
        record by a merge: looked up once)."""
        return self.table.RECORD_TYPE

    @property
    def table_name(self) -> str:
        """The SQL table holding the records."""
        return str(self.table.__tablename__)

    @property
    def sync_fields(self) -> tuple[str, ...]:
        """Fields merged one by one with last-writer-wins (`deleted` included)."""
        return self.table.SYNC_FIELDS

    @property
    def local_fields(self) -> tuple[str, ...]:
        """Synchronised fields that never leave this hub (stamped, but not written to a bundle or a dump)."""
        return self.table.LOCAL_FIELDS

    @cached_property
    def outgoing_fields(self) -> tuple[str, ...]:
        """The synchronised fields that may leave the hub (asked once per record by a merge: worked out once)."""
        return tuple(f for f in self.sync_fields if f not in self.local_fields)

    @property
    def member(self) -> str:
        """The bundle member holding records of this type."""
        return member_name(self.name)

    def identity_id(self, values: Mapping[str, Any]) -> str:
        """The id a record with these identity values has (`derived_id` types)."""
        return pair_id(self.name, values, self.identity)

    def personal_references(self) -> tuple[Reference, ...]:
        """References that make a record personal data of a contact."""
        return tuple(r for r in self.references if r.personal)

    def defaults(self) -> dict[str, Any]:
        """Every synchronised field's value in a new, empty record (a fresh dict, with fresh lists)."""
        return _fresh(*self._defaults)

    def local_defaults(self) -> dict[str, Any]:
        """`defaults()` of the fields that never leave the hub only (what a record arriving in a bundle lacks)."""
        return _fresh(*self._local_defaults)

    def add_local_defaults(self, row: dict[str, Any]) -> None:
        """Set `row`'s fields that never leave the hub to `local_defaults()`, without building that dict."""
        values, lists = self._local_defaults
        row.update(values)
        for name in lists:
            row[name] = list(values[name])

    @cached_property
    def _local_defaults(self) -> tuple[dict[str, Any], tuple[str, ...]]:
        values, lists = self._defaults
        return {name: values[name] for name in self.local_fields}, tuple(n for n in lists if n in self.local_fields)

    @cached_property
    def outgoing_values(self) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
        """A function giving a record's `outgoing_fields` values as a tuple, in that order (KeyError if one lacks)."""
        names = self.outgoing_fields
        return values_getter(names)

    @cached_property
    def _defaults(self) -> tuple[dict[str, Any], tuple[str, ...]]:
        # Building a table instance costs about a millisecond (pydantic): once per type, not once per record.
        blank = self.table()
        values = {name: getattr(blank, name) for name in self.sync_fields}
        return values, tuple(name for name, value in values.items() if isinstance(value, list))


def _fresh(values: dict[str, Any], lists: tuple[str, ...]) -> dict[str, Any]:
    """A copy of `values` with its `lists` copied too, so no two records share a list."""
    fresh = dict(values)
    for name in lists:
        fresh[name] = list(values[name])
    return fresh


def values_getter(names: tuple[str, ...] | list[str]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """A function giving a mapping's values of `names` as a tuple in that order (KeyError if one lacks): an
    `itemgetter`, which gives a bare value for one name and cannot take none."""
    if len(names) > 1:
        return itemgetter(*names)
    if names:
        name = names[0]
        return lambda values: (values[name],)
    return lambda values: ()


PAIR_NAMESPACE = uuid.UUID("6f1d7c2e-4b8a-5e0f-9a3d-2c6b8e1f4a70")
_PAIR_NAMESPACE_BYTES = PAIR_NAMESPACE.bytes


def pair_id(record_type: str, values: Mapping[str, Any], identity: tuple[str, ...]) -> str:
    """The id of a record identified by its `identity` fields: a UUID 5 of the type and their values, the same at
    every hub."""
    return pair_id_of(record_type, [values[name] for name in identity])


# The RFC 4122 variant's first hex digit (binary 10xx) for each first hex digit of the hash's ninth byte.
_VARIANT_DIGIT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


def pair_id_of(record_type: str, values: Iterable[Any]) -> str:
    """`pair_id` of identity values given in the `identity` order (a row as read, without a mapping)."""
    key = "\x1f".join([record_type, *map(str, values)])
    # str(uuid.uuid5(PAIR_NAMESPACE, key)), spelt out on the hex digits: an import of 100,000 people checks
    # 200,000 of these, and the UUID object in between cost more than the hash. The version digit is 5, the
    # variant's two high bits are 10.
    text = hashlib.sha1(_PAIR_NAMESPACE_BYTES + key.encode("utf-8")).hexdigest()
    return f"{text[:8]}-{text[8:12]}-5{text[13:16]}-{_VARIANT_DIGIT[text[16]]}{text[17:20]}-{text[20:32]}"


def member_name(record_type: str) -> str:
    """The bundle member of a record type, known or not: `records/<type>.jsonl`."""
    return f"records/{record_type}.jsonl"


def _contact_label(row: Mapping[str, Any]) -> str:
    return name_to_show(row.get("display_name") or "", row.get("given_name") or "", row.get("family_name") or "",
                        row.get("organisation") or "", bool(row.get("erased")))


BUILT_IN: tuple[RecordType, ...] = (
    RecordType(Contact, label=_contact_label, label_sql=name_to_show_sql, added_fields=("consent_recorded_by",)),
    RecordType(
        Group,
        references=(Reference("parent_id", "group"),),
        label=lambda row: str(row.get("name") or ""), label_sql=lambda a: f"{a}.name",
        added_fields=("themes",),
    ),
    RecordType(
        Membership,
        references=(Reference("group_id", "group"), Reference("contact_id", "contact", personal=True)),
        identity=("group_id", "contact_id"), derived_id=True,
    ),
    RecordType(
        Action,
        references=(Reference("group_id", "group"),),
        label=lambda row: str(row.get("title") or ""), label_sql=lambda a: f"{a}.title",
        summary_fields=("status", "due"),
        added_fields=("themes",),
    ),
    RecordType(
        ActionLink,
        references=(Reference("action_id", "action"), Reference("contact_id", "contact", personal=True)),
        identity=("action_id", "contact_id", "role"), derived_id=True,
    ),
    RecordType(
        Connection,
        references=(
            Reference("contact_a", "contact", personal=True),
            Reference("contact_b", "contact", personal=True),
            Reference("introduced_by", "contact", personal=True, on_erase=ERASE_CLEAR),
            Reference("follow_up_action_id", "action"),
        ),
        distinct_fields=("contact_a", "contact_b"),
        erase_wipes=("note",),
    ),
    RecordType(
        Lesson,
        references=(Reference("group_id", "group"), Reference("action_id", "action")),
        label=lambda row: str(row.get("title") or ""), label_sql=lambda a: f"{a}.title",
        summary_fields=("kind", "date"),
        shared_flag="share_with_hubs",
    ),
    RecordType(
        LessonPerson,
        references=(Reference("lesson_id", "lesson"), Reference("contact_id", "contact", personal=True)),
        identity=("lesson_id", "contact_id"),
    ),
    RecordType(
        Offer,
        references=(Reference("contact_id", "contact", personal=True),),
        erase_wipes=("text", "locality", "availability"),
        label=lambda row: str(row.get("text") or ""), label_sql=lambda a: f"{a}.text",
        summary_fields=("kind", "until"),
    ),
    RecordType(
        Need,
        references=(Reference("contact_id", "contact", personal=True),),
        erase_wipes=("text", "locality", "availability"),
        label=lambda row: str(row.get("text") or ""), label_sql=lambda a: f"{a}.text",
        summary_fields=("kind", "until"),
    ),
    RecordType(
        Hours,
        references=(Reference("contact_id", "contact", personal=True), Reference("action_id", "action"),
                    Reference("group_id", "group")),
        erase_wipes=("note",),
        label=lambda row: f"{row.get('hours') or 0:g} h {row.get('kind') or ''} {row.get('date') or ''}".strip(),
        label_sql=lambda a: f"{a}.date",
        summary_fields=("kind", "hours", "date"),
        shared_when_setting="share_hours_detail",
    ),
    RecordType(
        HoursTotal,
        identity=("hub_id", "month"),
        label=lambda row: f"{row.get('month') or ''}: {row.get('given') or 0:g} h",
        label_sql=lambda a: f"{a}.month",
    ),
)


@dataclass
class Registry:
    """The record types in dependency order (a type comes after the types its references point at)."""

    _types: dict[str, RecordType] = field(default_factory=dict)

    def add(self, record_type: RecordType) -> None:
        """Declare a type. Raises ValueError for a duplicate name or a reference to an undeclared type."""
        if record_type.name in self._types:
            raise ValueError(f"record type {record_type.name!r} is declared twice")
        for ref in record_type.references:
            if ref.target not in self._types and ref.target != record_type.name:
                raise ValueError(f"{record_type.name}.{ref.field} refers to undeclared type {ref.target!r}")
            if ref.field not in record_type.sync_fields:
                raise ValueError(f"{record_type.name}.{ref.field} is not a synchronised field")
        self._types[record_type.name] = record_type

    def remove(self, name: str) -> None:
        """Withdraw a type declared with `add` (tests that declare a type of their own)."""
        del self._types[name]

    def __iter__(self) -> Iterator[RecordType]:
        return iter(tuple(self._types.values()))

    def __contains__(self, name: object) -> bool:
        return name in self._types

    def get(self, name: str) -> RecordType | None:
        """The declaration of a type, or None when this version does not know it."""
        return self._types.get(name)

    def __getitem__(self, name: str) -> RecordType:
        return self._types[name]

    def names(self) -> tuple[str, ...]:
        """Type names in dependency order."""
        return tuple(self._types)

    def of_table(self, cls: type[SyncedRecord]) -> RecordType:
        """The declaration of the type stored in table class `cls`."""
        for record_type in self._types.values():
            if record_type.table is cls:
                return record_type
        raise KeyError(cls.__name__)

    def references_to(self, target: str) -> Iterator[tuple[RecordType, Reference]]:
        """Every (type, reference) that points at records of type `target`."""
        for record_type in self._types.values():
            for ref in record_type.references:
                if ref.target == target:
                    yield record_type, ref

    @contextmanager
    def extended(self, record_type: RecordType) -> Iterator[RecordType]:
        """Declare a type for the duration of a `with` block."""
        self.add(record_type)
        try:
            yield record_type
        finally:
            self.remove(record_type.name)


REGISTRY = Registry()
for _declared in BUILT_IN:
    REGISTRY.add(_declared)
