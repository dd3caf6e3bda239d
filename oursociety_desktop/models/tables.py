"""The tables. Synchronised records carry a UUID, their origin hub, one stamp per field and a
`deleted` tombstone; local-only tables hold this hub, its peers, settings, the exchange log and conflicts.

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

from sqlalchemy import JSON, Index
from sqlmodel import Field, SQLModel

from oursociety_desktop.models.names import name_to_show

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

    id: str = Field(default_factory=new_id, primary_key=True)
    origin_hub: str = Field(default="")
    # Per-field stamps, stored compactly: a field's stamp is `stamps[field]` if present, else `base_stamp` (the
    # stamp of the creation, or of an erasure). A new record has `stamps == {}`; an edit adds only its fields.
    base_stamp: str = Field(default="")
    stamps: dict[str, str] = Field(default_factory=dict, sa_type=JSON)
    # The highest field stamp: what delta exports and "recently changed" select on.
    stamp: str = Field(default="", index=True)
    deleted: bool = Field(default=False)
    # Fields a newer version of the app added, kept as they came (values by name; their stamps are in `stamps`), so
    # they merge per field like the others and travel on to other hubs untouched.
    extra: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)

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

    group_id: str = Field(default="", index=True)
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


class MatchDecision(SQLModel, table=True):
    """Local: a suggested introduction (need, offer) that a broker accepted or declined, so it is not suggested
    again."""

    __tablename__ = "match_decision"

    need_id: str = Field(primary_key=True)
    offer_id: str = Field(primary_key=True)
    decision: str = ""
    decided_at: str = ""
    connection_id: str = ""


class LessonSearch(SQLModel, table=True):
    """Derived, local: the folded text of every text field of a lesson, which an FTS5 index covers. `stamp` says
    which version of the lesson the row was made from, so rows of lessons changed by any path are refreshed."""

    __tablename__ = "lesson_search"

    rowid: int | None = Field(default=None, primary_key=True)
    lesson_id: str = Field(unique=True)
    stamp: str = ""
    body: str = ""


class OpaqueRecord(SQLModel, table=True):
    """A record of a type this version does not know, kept as it came from a newer hub and passed on.

    Its fields (by name, `deleted` among them when the type has it) merge per field by stamp like any other
    record's; `stamps` is in the same compact form (a field missing from it carries `base_stamp`)."""

    __tablename__ = "opaque_record"

    record_type: str = Field(primary_key=True)
    id: str = Field(primary_key=True)
    origin_hub: str = ""
    base_stamp: str = ""
    stamps: dict[str, str] = Field(default_factory=dict, sa_type=JSON)
    stamp: str = Field(default="", index=True)
    fields: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class OpaqueType(SQLModel, table=True):
    """What the newest bundle declaring an unknown record type said of its references (so consent and erasure
    reach records this version cannot read: a record personal to a contact travels only with that contact)."""

    __tablename__ = "opaque_type"

    name: str = Field(primary_key=True)
    # [{"field": ..., "target": ..., "personal": bool}, ...] as the bundle's manifest declared them.
    refs: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)


# ---- local-only tables ----


class Hub(SQLModel, table=True):
    """This hub: exactly one row."""

    id: str = Field(primary_key=True)
    name: str
    created_at: str
    # The highest hybrid-logical-clock stamp issued or seen, so stamps keep increasing across restarts.
    clock: str = ""
    # Which copy of this hub this database is (a UUID): a restored or copied database gets a new one.
    incarnation: str = ""
    # The hub's Ed25519 private signing key (raw 32 bytes, base64); bundles are signed with it.
    signing_key: str = ""


class QuarantinedRecord(SQLModel, table=True):
    """A record that arrived with a stamp more than 24 hours ahead of this hub's clock: kept aside, not merged,
    until this hub's time passes it or the organiser accepts it, so a hub with a wrong clock moves no clock here."""

    __tablename__ = "quarantined_record"

    record_type: str = Field(primary_key=True)
    id: str = Field(primary_key=True)
    stamp: str = Field(primary_key=True)  # the record's newest stamp
    hub_id: str = ""  # the hub that issued that stamp: the one whose clock is wrong
    record: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    received_at: str = ""


class KnownStamp(SQLModel, table=True):
    """The knowledge vector: per hub this hub imported bundles from, the clock of that hub's latest bundle imported
    contiguously (models/knowledge.py)."""

    __tablename__ = "known_stamp"

    hub_id: str = Field(primary_key=True)
    stamp: str = ""


class PeerHub(SQLModel, table=True):
    """Another hub this one has exchanged bundles with."""

    __tablename__ = "peer_hub"

    id: str = Field(primary_key=True)
    name: str = ""
    first_seen_at: str = ""
    last_import_at: str = ""
    # This hub's clock when it wrote the latest bundle the peer has imported contiguously (the peer's knowledge
    # vector names it): a delta for the peer holds what this hub changed after it.
    acknowledged: str = ""
    # The peer's whole knowledge vector, from its latest bundle that reached this hub.
    knowledge: dict[str, str] = Field(default_factory=dict, sa_type=JSON)
    # Records imported here after the acknowledged bundle may carry older stamps: a delta for the peer starts no
    # later than this mark until the peer acknowledges a bundle written after exchange log line `resend_after_log`.
    resend_from: str = ""
    resend_after_log: int = 0
    # The incarnation (copy) of the peer its latest bundle came from, and every one seen.
    incarnation: str = ""
    incarnations: list[str] = Field(default_factory=list, sa_type=JSON)
    # The peer's Ed25519 public key, learned at first contact, and whether the organiser accepted it
    # ("trusted"), has yet to ("pending") or withdrew trust (""): models/trust.py.
    signing_key: str = ""
    trust: str = ""
    # The peer's X25519 public key from its latest bundle signed by the pinned key: the bundles this hub leaves in
    # an exchange folder are encrypted to it while the peer is trusted (formats/hub_crypto.py).
    encryption_key: str = ""


class Setting(SQLModel, table=True):
    """A hub setting (default region, default sharing flag, text size...), stored as JSON."""

    key: str = Field(primary_key=True)
    value: Any = Field(default=None, sa_type=JSON)


class SchemaVersion(SQLModel, table=True):
    """Applied schema migrations, one row each."""

    __tablename__ = "schema_version"

    version: int = Field(primary_key=True)
    applied_at: str


class ExchangeLog(SQLModel, table=True):
    """One line per bundle made or imported."""

    __tablename__ = "exchange_log"

    id: int | None = Field(default=None, primary_key=True)
    at: str
    direction: str  # "export" | "import"
    peer_hub: str = ""
    file_name: str = ""
    summary: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class Conflict(SQLModel, table=True):
    """A value that lost a concurrent edit at this hub, kept so the organiser can take it instead."""

    id: int | None = Field(default=None, primary_key=True)
    record_type: str
    record_id: str = Field(index=True)
    field: str
    ours_value: Any = Field(default=None, sa_type=JSON)
    ours_stamp: str = ""
    theirs_value: Any = Field(default=None, sa_type=JSON)
    theirs_stamp: str = ""
    detected_at: str = ""
    resolved: bool = Field(default=False, index=True)


class NotDuplicate(SQLModel, table=True):
    """A pair of contacts the organiser said are different people (ids in sorted order)."""

    __tablename__ = "not_duplicate"

    contact_a: str = Field(primary_key=True)
    contact_b: str = Field(primary_key=True)


class ContactSearch(SQLModel, table=True):
    """Derived, local: the folded text the FTS5 index covers. Its integer rowid survives VACUUM."""

    __tablename__ = "contact_search"

    rowid: int | None = Field(default=None, primary_key=True)
    contact_id: str = Field(unique=True)
    body: str = ""


class ContactPhone(SQLModel, table=True):
    """Derived, local: each contact's phone numbers in E.164, for duplicate detection."""

    __tablename__ = "contact_phone"

    contact_id: str = Field(primary_key=True)
    e164: str = Field(primary_key=True, index=True)
