"""Actions (tasks, meetings, events, calls, follow-ups) and the contacts linked to them (DESIGN.md §4)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlmodel import col, select

from oursociety_desktop.models.database import Tx
from oursociety_desktop.models.errors import ValidationError
from oursociety_desktop.models.records import create_record, get_record, set_deleted, update_record
from oursociety_desktop.models.tables import (
    ACTION_KINDS,
    ACTION_LINK_ROLES,
    ACTION_STATUSES,
    Action,
    ActionLink,
    Contact,
    Group,
)

DATE_FIELDS = ("due", "starts_at", "ends_at")


def parse_when(field: str, value: str) -> str:
    """Accept YYYY-MM-DD or an ISO date-time; return it in canonical ISO form ('' stays '')."""
    text = value.strip()
    if not text:
        return ""
    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
        return datetime.fromisoformat(text).replace(second=0, microsecond=0).isoformat(timespec="minutes")
    except ValueError:
        raise ValidationError(field, f"'{value}' is not a date; use YYYY-MM-DD or YYYY-MM-DDTHH:MM.") from None


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name == "deleted":
            out[name] = bool(value)
            continue
        text = str(value).strip() if name not in ("notes", "outcome") else str(value)
        if name == "title" and not text:
            raise ValidationError("title", "An action needs a title.")
        if name == "kind" and text not in ACTION_KINDS:
            raise ValidationError("kind", f"Unknown kind '{text}'; use one of {', '.join(ACTION_KINDS)}.")
        if name == "status" and text not in ACTION_STATUSES:
            raise ValidationError("status", f"Unknown status '{text}'; use one of {', '.join(ACTION_STATUSES)}.")
        if name in DATE_FIELDS:
            text = parse_when(name, text)
        out[name] = text
    return out


def create_action(tx: Tx, values: Mapping[str, Any]) -> Action:
    """Add an action; `group_id`, if given, must name a live group."""
    clean = _clean(values)
    if not clean.get("title"):
        raise ValidationError("title", "An action needs a title.")
    if clean.get("group_id"):
        clean["group_id"] = get_record(tx.session, Group, clean["group_id"], live=True).id
    return create_record(tx, Action, clean)


def update_action(tx: Tx, action_id: str, changes: Mapping[str, Any]) -> Action:
    """Change some fields of an action."""
    action = get_record(tx.session, Action, action_id, live=True)
    clean = _clean(changes)
    if clean.get("group_id"):
        clean["group_id"] = get_record(tx.session, Group, clean["group_id"], live=True).id
    update_record(tx, action, clean)
    return action


def mark_done(tx: Tx, action_id: str, outcome: str = "") -> Action:
    """Close an action with its outcome."""
    return update_action(tx, action_id, {"status": "done", "outcome": outcome} if outcome else {"status": "done"})


def delete_action(tx: Tx, action_id: str, deleted: bool = True) -> Action:
    """Tombstone (or restore) an action."""
    action = get_record(tx.session, Action, action_id)
    set_deleted(tx, action, deleted)
    return action


def link_contact(tx: Tx, action_id: str, contact_id: str, role: str = "owner") -> ActionLink:
    """Link a contact to an action as owner, attendee or the person it is about (revives an old link)."""
    if role not in ACTION_LINK_ROLES:
        raise ValidationError("role", f"Unknown role '{role}'; use one of {', '.join(ACTION_LINK_ROLES)}.")
    action = get_record(tx.session, Action, action_id, live=True)
    contact = get_record(tx.session, Contact, contact_id, live=True)
    existing = tx.session.exec(
        select(ActionLink).where(ActionLink.action_id == action.id, ActionLink.contact_id == contact.id,
                                 ActionLink.role == role).order_by(col(ActionLink.id))
    ).first()
    if existing is not None:
        update_record(tx, existing, {"deleted": False})
        return existing
    return create_record(tx, ActionLink, {"action_id": action.id, "contact_id": contact.id, "role": role})


def unlink_contact(tx: Tx, link_id: str) -> ActionLink:
    """Remove a contact's link to an action."""
    link = get_record(tx.session, ActionLink, link_id)
    set_deleted(tx, link, True)
    return link
