"""The conflicts inbox: values that lost a concurrent edit at this hub.

In a Conflict row, *ours* is the value this hub holds (the winner, with its stamp) and *theirs* the value that lost.
"Keep ours" just closes the conflict; "take theirs" writes the losing value again as a new edit, which carries a new
stamp and so wins at every hub it reaches.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from oursociety_desktop.i18n import _
from oursociety_desktop.models.contacts import refresh_derived, update_contact
from oursociety_desktop.models.database import Tx
from oursociety_desktop.models.errors import NotFound, UserError
from oursociety_desktop.models.records import get_record, update_record
from oursociety_desktop.models.registry import REGISTRY
from oursociety_desktop.models.tables import Conflict, Contact
from oursociety_desktop.models.wording import record_type_word


def list_conflicts(session: Session, include_resolved: bool = False) -> list[Conflict]:
    """Conflicts, open ones only unless asked, oldest first."""
    query = select(Conflict)
    if not include_resolved:
        query = query.where(col(Conflict.resolved).is_(False))
    return list(session.exec(query.order_by(col(Conflict.id))).all())


def conflict_json(conflict: Conflict) -> dict[str, Any]:
    """A conflict as plain JSON (what `conflicts --json` prints)."""
    return {"id": conflict.id, "record_type": conflict.record_type, "record_id": conflict.record_id,
            "field": conflict.field, "ours_value": conflict.ours_value, "ours_stamp": conflict.ours_stamp,
            "theirs_value": conflict.theirs_value, "theirs_stamp": conflict.theirs_stamp,
            "detected_at": conflict.detected_at, "resolved": conflict.resolved}


def record_label(session: Session, record_type: str, record_id: str) -> str:
    """A short human name for the record a conflict is about."""
    declared = REGISTRY.get(record_type)
    record = session.get(declared.table, record_id) if declared is not None else None
    if declared is None or record is None:
        return record_id[:8]
    label = declared.label(record.model_dump()) if declared.label is not None else ""
    return label or f"{record_type_word(record_type)} {record_id[:8]}"


def resolve_conflict(tx: Tx, conflict_id: int, keep: str) -> Conflict:
    """Close a conflict keeping ours, or take theirs (a new edit). Other open conflicts on the same field close too."""
    if keep not in ("ours", "theirs"):
        raise UserError(_("Say which value to keep: --keep ours or --keep theirs."))
    # An id beyond SQLite's 64-bit integers names no conflict (and cannot be put to the query).
    conflict = tx.session.get(Conflict, conflict_id) if -(2**63) <= conflict_id < 2**63 else None
    if conflict is None:
        raise NotFound(_("No conflict with id {conflict_id}; `oursociety conflicts` lists them.")
                       .format(conflict_id=conflict_id))
    if conflict.resolved:
        raise UserError(_("Conflict {conflict_id} was already resolved.").format(conflict_id=conflict_id))
    if keep == "theirs":
        declared = REGISTRY.get(conflict.record_type)
        if declared is None:
            raise UserError(_("Conflict {conflict_id} is about an unknown record type.")
                            .format(conflict_id=conflict_id))
        record = get_record(tx.session, declared.table, conflict.record_id)
        if isinstance(record, Contact) and not record.deleted:
            update_contact(tx, record.id, {conflict.field: conflict.theirs_value})
        else:
            # A deleted record (or its `deleted` field itself): a plain stamped edit, derived data refreshed after.
            if update_record(tx, record, {conflict.field: conflict.theirs_value}) and isinstance(record, Contact):
                refresh_derived(tx, record)
    for other in tx.session.exec(
        select(Conflict).where(Conflict.record_id == conflict.record_id, Conflict.field == conflict.field,
                               col(Conflict.resolved).is_(False))
    ).all():
        other.resolved = True
        tx.session.add(other)
    return conflict
