"""The tables that are not synchronised records of a type this version knows: this hub, its peers, settings,
the exchange log, conflicts, the derived search tables, local decisions, and records of unknown types kept as
they came so they can be passed on. (Split from models/tables.py, which re-exports every class here.)
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel


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
    """Derived, local: the folded text the FTS5 index covers. Its integer rowid survives VACUUM. `live_sort_key` is
    the contact's sort key while it is live and None once deleted (a trigger on contact keeps it in step);
    `contact_rowid` the contact row's rowid (the list's order breaks ties of names by it)."""

    __tablename__ = "contact_search"

    rowid: int | None = Field(default=None, primary_key=True)
    contact_id: str = Field(unique=True)
    body: str = ""
    live_sort_key: str | None = None
    contact_rowid: int | None = None


class ContactPhone(SQLModel, table=True):
    """Derived, local: each contact's phone numbers in E.164, for duplicate detection."""

    __tablename__ = "contact_phone"

    contact_id: str = Field(primary_key=True)
    e164: str = Field(primary_key=True, index=True)
