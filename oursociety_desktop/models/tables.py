"""The tables. Synchronised records carry a UUID, their origin hub, one stamp per field and a
`deleted` tombstone; local-only tables (this hub, its peers, settings, the exchange log, conflicts...) are in
models/tables_local.py and re-exported here.

References between synchronised records (a membership's contact, an action link's action...) are plain indexed
UUID columns, not SQL foreign keys: records arrive from other hubs in any order and a hub may never receive the
record a reference points to (consent keeps it at home). Which field refers to which type, and what a reference
does when its target is deleted, erased or merged, is declared once in models/registry.py.

The schema itself is made by the migrations (models/migrations.py), never from these classes; a test checks that
the two agree.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from sqlalchemy import JSON, Computed, Index, inspect
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Field, SQLModel

from oursociety_desktop.models.clock import stamp_hub, stamp_hub_sql
from oursociety_desktop.models.names import name_to_show

# The local tables live in their own module; importing them here registers them with the metadata and keeps
# `from oursociety_desktop.models.tables import Hub` working.
from oursociety_desktop.models.tables_local import (
    Conflict,
    ContactPhone,
    ContactSearch,
    ExchangeLog,
    Hub,
    KnownStamp,
    LessonSearch,
    MatchDecision,
    NotDuplicate,
    OpaqueRecord,
    OpaqueType,
    PeerHub,
    QuarantinedRecord,
    SchemaVersion,
    Setting,
)

CONTACT_STAGES = ("new", "contacted", "engaged", "active", "leader", "inactive")
GROUP_KINDS = ("working group", "neighbourhood circle", "project", "network", "other")
MEMBERSHIP_ROLES = ("member", "coordinator")
ACTION_KINDS = ("task", "meeting", "event", "call", "follow-up")
ACTION_STATUSES = ("open", "doing", "done", "cancelled")
ACTION_LINK_ROLES = ("owner", "attendee", "about")
CONNECTION_KINDS = ("introduced", "knows", "mentors", "works with")
LESSON_KINDS = ("lesson learned", "story", "how-to", "warning")
OFFER_KINDS = ("skill", "time", "lend", "space")
NEED_KINDS = ("help", "advice", "skill", "space")
HOURS_KINDS = ("given", "pledged")


def edit_stamp_of(base_stamp: str, stamp: str) -> str | None:
    """What the `edit_stamp` column stores for a record whose stamp is `stamp`: None when it is `base_stamp`."""
    return None if stamp == base_stamp else stamp


def new_id() -> str:
    """A fresh record id (UUID 4, canonical text form)."""
    return str(uuid.uuid4())


class SyncedRecord(SQLModel):
    """Columns shared by every synchronised record."""

    # Fields merged one by one with last-writer-wins; set by each subclass. `deleted` is one of them.
    SYNC_FIELDS: ClassVar[tuple[str, ...]] = ()
    # Fields stamped like the others but never written to a bundle or a dump.
    LOCAL_FIELDS: ClassVar[tuple[str, ...]] = ()
    RECORD_TYPE: ClassVar[str] = ""
    # SQLite derives `origin_hub` and `stamp` (below): read back with each INSERT and UPDATE (RETURNING), so a
    # record still reads them once its transaction has ended.
    __mapper_args__: ClassVar[dict[str, Any]] = {"eager_defaults": True}

    id: str = Field(default_factory=new_id, primary_key=True)
    # The hub that issued `base_stamp` (the consent holder, models/withdrawal.py): derived by SQLite from the stamp
    # when read (a generated column, not stored), so it is never written and can never disagree with it.
    origin_hub: str = Field(default=None, sa_column_args=[Computed(stamp_hub_sql("base_stamp"), persisted=False)])
    # Per-field stamps, stored compactly: a field's stamp is `stamps[field]` if present, else `base_stamp` (the
    # stamp of the creation, or of an erasure). A new record has `stamps == {}`; an edit adds only its fields.
    base_stamp: str = Field(default="")
    stamps: dict[str, str] = Field(default_factory=dict, sa_type=JSON)
    # The record's stamp where it differs from `base_stamp` (after an edit or a merge), else NULL: what is stored
    # of `stamp`. Set through `set_stamps`.
    edit_stamp: str | None = Field(default=None)
    # The highest field stamp: what delta exports and "recently changed" select on. Generated, not stored: most
    # records are never edited, and their stamp is their base stamp (57 characters a row saved).
    stamp: str = Field(default=None, index=True,
                       sa_column_args=[Computed("coalesce(edit_stamp, base_stamp)", persisted=False)])
    deleted: bool = Field(default=False)
    # Fields a newer version of the app added, kept as they came (values by name; their stamps are in `stamps`), so
    # they merge per field like the others and travel on to other hubs untouched.
    extra: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)

    def set_stamps(self, base_stamp: str, stamps: dict[str, str], stamp: str) -> None:
        """Set the record's creation stamp, field stamps and (highest) stamp. `origin_hub` and `stamp` are SQLite's
        to write: a stored record reads them at once (SQLite derives the same when the row is written), a new one
        once it is flushed."""
        self.base_stamp = base_stamp
        self.stamps = stamps
        self.edit_stamp = edit_stamp_of(base_stamp, stamp)
        if inspect(self).has_identity:
            set_committed_value(self, "stamp", stamp)
            set_committed_value(self, "origin_hub", stamp_hub(base_stamp))

    def field_stamp(self, name: str) -> str:
        """The version stamp of one synchronised field."""
        return self.stamps.get(name, self.base_stamp)

    def synced_values(self) -> dict[str, Any]:
        """The values of the fields that travel, by name."""
        return {name: getattr(self, name) for name in self.SYNC_FIELDS}


class Contact(SyncedRecord, table=True):
    """A person the hub knows."""

    RECORD_TYPE: ClassVar[str] = "contact"
    PERSONAL_FIELDS: ClassVar[tuple[str, ...]] = (
        "given_name", "family_name", "display_name", "organisation", "role", "phones", "emails", "street",
        "locality", "region", "postcode", "country", "languages", "tags", "notes", "private_notes",
        "consent_recorded_at", "consent_method", "engagement_stage", "share_with_hubs", "include_in_directory",
        "do_not_phone", "do_not_email", "do_not_mail", "do_not_sms", "consent_recorded_by",
    )
    SYNC_FIELDS: ClassVar[tuple[str, ...]] = (
        *PERSONAL_FIELDS, "deleted", "erased", "erased_reason", "merged_into",
    )
    LOCAL_FIELDS: ClassVar[tuple[str, ...]] = ("private_notes",)
    __table_args__ = (Index("ix_contact_live_sort", "deleted", "sort_key"),)

    given_name: str = ""
    family_name: str = ""
    display_name: str = ""
    organisation: str = ""
    role: str = ""
    phones: list[dict[str, str]] = Field(default_factory=list, sa_type=JSON)
    emails: list[dict[str, str]] = Field(default_factory=list, sa_type=JSON)
    street: str = ""
    locality: str = ""
    region: str = ""
    postcode: str = ""
    country: str = ""
    languages: list[str] = Field(default_factory=list, sa_type=JSON)
    tags: list[str] = Field(default_factory=list, sa_type=JSON)
    notes: str = ""
    private_notes: str = ""
    share_with_hubs: bool = False
    include_in_directory: bool = False
    do_not_phone: bool = False
    do_not_email: bool = False
    do_not_mail: bool = False
    do_not_sms: bool = False
    consent_recorded_at: str = ""
    consent_method: str = ""
    # Who recorded the consent (with when and how above: the consent receipt, models/consent.py).
    consent_recorded_by: str = ""
    engagement_stage: str = "new"
    erased: bool = False
    erased_reason: str = ""
    merged_into: str = ""
    # Derived locally (never synchronised): the folded family-then-given key the lists sort by.
    sort_key: str = ""

    @property
    def shown_name(self) -> str:
        """The name people see (models/names.py has the rule)."""
        return name_to_show(self.display_name, self.given_name, self.family_name, self.organisation, self.erased)


class Group(SyncedRecord, table=True):
    """A working group, neighbourhood circle or project; may sit inside a parent group."""

    __tablename__ = "contact_group"
    RECORD_TYPE: ClassVar[str] = "group"
    SYNC_FIELDS: ClassVar[tuple[str, ...]] = ("name", "description", "kind", "parent_id", "themes", "deleted")

    name: str = ""
    description: str = ""
    kind: str = "working group"
    parent_id: str = Field(default="", index=True)
    themes: list[str] = Field(default_factory=list, sa_type=JSON)


class Membership(SyncedRecord, table=True):
    """A contact's place in a group."""

    RECORD_TYPE: ClassVar[str] = "membership"
    SYNC_FIELDS: ClassVar[tuple[str, ...]] = ("group_id", "contact_id", "role", "since", "deleted")

    group_id: str = ""  # indexed with `deleted` (migration 2), which serves every lookup by group
    contact_id: str = Field(default="", index=True)
    role: str = "member"
    since: str = ""


class Action(SyncedRecord, table=True):
    """A task, meeting, event, call or follow-up."""

    RECORD_TYPE: ClassVar[str] = "action"
    SYNC_FIELDS: ClassVar[tuple[str, ...]] = (
        "title", "kind", "status", "due", "starts_at", "ends_at", "location", "group_id", "notes", "outcome",
        "themes", "deleted",
    )
    __table_args__ = (Index("ix_action_live_due", "deleted", "status", "due"),)

    title: str = ""
    kind: str = "task"
    status: str = "open"
    due: str = ""
    starts_at: str = ""
    ends_at: str = ""
    location: str = ""
    group_id: str = Field(default="", index=True)
    notes: str = ""
    outcome: str = ""
    themes: list[str] = Field(default_factory=list, sa_type=JSON)


class ActionLink(SyncedRecord, table=True):
    """A contact's part in an action: owner, attendee or the person it is about."""

    __tablename__ = "action_link"
    RECORD_TYPE: ClassVar[str] = "action_link"
    SYNC_FIELDS: ClassVar[tuple[str, ...]] = ("action_id", "contact_id", "role", "deleted")

    action_id: str = Field(default="", index=True)
    contact_id: str = Field(default="", index=True)
    role: str = "owner"


class Connection(SyncedRecord, table=True):
    """Two contacts who know each other, and who introduced them, when and why."""

    RECORD_TYPE: ClassVar[str] = "connection"
    SYNC_FIELDS: ClassVar[tuple[str, ...]] = (
        "contact_a", "contact_b", "kind", "introduced_by", "date", "note", "follow_up_action_id", "deleted",
    )

    contact_a: str = Field(default="", index=True)
    contact_b: str = Field(default="", index=True)
    kind: str = "introduced"
    introduced_by: str = Field(default="", index=True)
    date: str = ""
    note: str = ""
    follow_up_action_id: str = ""


class Lesson(SyncedRecord, table=True):
    """A lesson learned, a story, a how-to or a warning, to be shared with others starting out."""

    RECORD_TYPE: ClassVar[str] = "lesson"
    SYNC_FIELDS: ClassVar[tuple[str, ...]] = (
        "title", "kind", "challenge", "tried", "worked", "not_worked", "advice", "themes", "place", "date",
        "group_id", "action_id", "share_with_hubs", "deleted",
    )

    title: str = ""
    kind: str = "lesson learned"
    challenge: str = ""
    tried: str = ""
    worked: str = ""
    not_worked: str = ""
    advice: str = ""
    themes: list[str] = Field(default_factory=list, sa_type=JSON)
    place: str = ""
    date: str = ""
    group_id: str = Field(default="", index=True)
    action_id: str = Field(default="", index=True)
    share_with_hubs: bool = False


class LessonPerson(SyncedRecord, table=True):
    """A person involved in a lesson, and whether they agreed to be named in it (one record per lesson and person).

    It is personal data of the person: it travels only with their sharing consent, and their erasure tombstones
    it everywhere, which takes their name out of every lesson."""

    __tablename__ = "lesson_person"
    RECORD_TYPE: ClassVar[str] = "lesson_person"
    SYNC_FIELDS: ClassVar[tuple[str, ...]] = ("lesson_id", "contact_id", "named", "hub_name", "deleted")

    lesson_id: str = Field(default="", index=True)
    contact_id: str = Field(default="", index=True)
    named: bool = False
    # The name of the hub that knows the person: "a member of <hub_name>" where they are not named.
    hub_name: str = ""


class Offer(SyncedRecord, table=True):
    """What a person offers: a skill, time, a thing to lend or a space."""

    RECORD_TYPE: ClassVar[str] = "offer"
    SYNC_FIELDS: ClassVar[tuple[str, ...]] = (
        "contact_id", "kind", "text", "themes", "locality", "availability", "until", "deleted",
    )

    contact_id: str = Field(default="", index=True)
    kind: str = "skill"
    text: str = ""
    themes: list[str] = Field(default_factory=list, sa_type=JSON)
    locality: str = ""
    availability: str = ""
    until: str = ""


class Need(SyncedRecord, table=True):
    """What a person needs: help, advice, a skill or a space."""

    RECORD_TYPE: ClassVar[str] = "need"
    SYNC_FIELDS: ClassVar[tuple[str, ...]] = (
        "contact_id", "kind", "text", "themes", "locality", "availability", "until", "deleted",
    )

    contact_id: str = Field(default="", index=True)
    kind: str = "help"
    text: str = ""
    themes: list[str] = Field(default_factory=list, sa_type=JSON)
    locality: str = ""
    availability: str = ""
    until: str = ""


class Hours(SyncedRecord, table=True):
    """Hours a person pledged or gave, for an action or a group, on a date."""

    RECORD_TYPE: ClassVar[str] = "hours"
    SYNC_FIELDS: ClassVar[tuple[str, ...]] = (
        "contact_id", "kind", "hours", "action_id", "group_id", "date", "note", "deleted",
    )

    contact_id: str = Field(default="", index=True)
    kind: str = "given"
    hours: float = 0.0
    action_id: str = Field(default="", index=True)
    group_id: str = Field(default="", index=True)
    date: str = ""
    note: str = ""


class HoursTotal(SyncedRecord, table=True):
    """One hub's hours in one month, as totals (no person in it): what travels of the hours by default."""

    __tablename__ = "hours_total"
    RECORD_TYPE: ClassVar[str] = "hours_total"
    SYNC_FIELDS: ClassVar[tuple[str, ...]] = ("hub_id", "month", "given", "pledged", "people", "deleted")

    hub_id: str = Field(default="", index=True)
    month: str = ""
    given: float = 0.0
    pledged: float = 0.0
    people: int = 0


__all__ = [
    "ACTION_KINDS", "ACTION_LINK_ROLES", "ACTION_STATUSES", "CONNECTION_KINDS", "CONTACT_STAGES", "GROUP_KINDS",
    "HOURS_KINDS", "LESSON_KINDS", "MEMBERSHIP_ROLES", "NEED_KINDS", "OFFER_KINDS", "Action", "ActionLink",
    "Connection", "Contact", "Group", "Hours", "HoursTotal", "Lesson", "LessonPerson", "Membership", "Need",
    "Offer", "SyncedRecord", "new_id",
    "MatchDecision",
    "LessonSearch",
    "OpaqueRecord",
    "OpaqueType",
    "Hub",
    "QuarantinedRecord",
    "KnownStamp",
    "PeerHub",
    "Setting",
    "SchemaVersion",
    "ExchangeLog",
    "Conflict",
    "NotDuplicate",
    "ContactSearch",
    "ContactPhone",
]
