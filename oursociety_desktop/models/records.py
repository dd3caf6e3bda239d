"""Edits to synchronised records with a version stamp per field.

Every service goes through these helpers, so each changed field gets the transaction's new stamp and the
record's `stamp` is the highest of its field stamps.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from sqlmodel import Session, col, select

from oursociety_desktop.i18n import _
from oursociety_desktop.models.database import Tx
from oursociety_desktop.models.errors import NotFound, RecordErased, UserError, ValidationError
from oursociety_desktop.models.tables import SyncedRecord
from oursociety_desktop.models.withdrawal import refuse_withheld_references
from oursociety_desktop.models.wording import record_type_word

R = TypeVar("R", bound=SyncedRecord)

MIN_ID_PREFIX = 6
ID_LENGTH = 36  # a UUID as text: a longer key is no id and no prefix of one


def get_record(session: Session, cls: type[R], record_id: str, *, live: bool = False) -> R:
    """Fetch by id (or a unique prefix of at least 6 characters). Raises NotFound with a one-line message."""
    key = record_id.strip().lower()
    found = session.get(cls, key) if key else None
    if found is None and MIN_ID_PREFIX <= len(key) <= ID_LENGTH:
        matches = session.exec(select(cls).where(col(cls.id).startswith(key, autoescape=True)).limit(2)).all()
        if len(matches) > 1:
            raise UserError(_("More than one {record_type} id starts with '{record_id}'; "
                            "type more of the id.")
                            .format(record_type=record_type_word(cls.RECORD_TYPE), record_id=record_id))
        found = matches[0] if matches else None
    if found is None:
        raise NotFound(_("No {record_type} with id '{record_id}'.")
                       .format(record_type=record_type_word(cls.RECORD_TYPE), record_id=record_id))
    if live and found.deleted:
        raise NotFound(_("The {record_type} '{record_id}' has been deleted.")
                       .format(record_type=record_type_word(cls.RECORD_TYPE), record_id=record_id))
    return found


def check_fields(cls: type[SyncedRecord], changes: Mapping[str, Any]) -> None:
    """Refuse field names that are not synchronised fields of `cls`."""
    unknown = sorted(set(changes) - set(cls.SYNC_FIELDS))
    if unknown:
        allowed = ", ".join(f for f in cls.SYNC_FIELDS if f not in ("erased", "erased_reason", "merged_into"))
        raise ValidationError(unknown[0], _("Unknown {record_type} field '{unknown}'; fields are: {allowed}.")
                                          .format(record_type=cls.RECORD_TYPE, unknown=unknown[0], allowed=allowed))


def create_record(tx: Tx, cls: type[R], values: Mapping[str, Any], record_id: str | None = None) -> R:
    """Insert a new record whose every synchronised field carries one new stamp."""
    check_fields(cls, values)
    refuse_withheld_references(tx, cls.RECORD_TYPE, values)
    stamp = tx.stamp()
    record = cls(**values)
    if record_id:
        record.id = record_id
    record.set_stamps(stamp, {}, stamp)
    tx.session.add(record)
    tx.session.flush()  # SQLite derives its origin hub and stamp: callers read them
    return record


def update_record(tx: Tx, record: R, changes: Mapping[str, Any]) -> list[str]:
    """Set the fields that differ, each with a new stamp. Returns the names of the fields that changed."""
    check_fields(type(record), changes)
    if getattr(record, "erased", False):
        raise RecordErased(_("This person was erased (forgotten); their record cannot be edited or restored."))
    changed = [name for name, value in changes.items() if getattr(record, name) != value]
    if not changed:
        return []
    refuse_withheld_references(tx, record.RECORD_TYPE, {**record.synced_values(), **changes}, changed)
    # A field may hold a value stamped ahead of this hub's clock (accepted from quarantine): the edit must still
    # be stamped above it, or it would lose to it at every other hub while this one shows the edit.
    stamp = tx.stamp_after(max(record.field_stamp(name) for name in changed))
    stamps = dict(record.stamps)
    for name in changed:
        setattr(record, name, changes[name])
        stamps[name] = stamp
    record.set_stamps(record.base_stamp, stamps, stamp)
    tx.session.add(record)
    return changed


def set_deleted(tx: Tx, record: R, deleted: bool = True) -> bool:
    """Tombstone (or un-tombstone, for undo) a record. Returns True when the flag changed."""
    return bool(update_record(tx, record, {"deleted": deleted}))
