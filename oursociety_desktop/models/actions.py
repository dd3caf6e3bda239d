"""Actions (tasks, meetings, events, calls, follow-ups) and the contacts linked to them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from oursociety_desktop.i18n import _
from oursociety_desktop.models.database import Tx
from oursociety_desktop.models.errors import ValidationError
from oursociety_desktop.models.list_order import ListOrder, order_by
from oursociety_desktop.models.names import name_to_show_sql
from oursociety_desktop.models.records import create_record, get_record, set_deleted, update_record
from oursociety_desktop.models.references import upsert_pair
from oursociety_desktop.models.registry import REGISTRY
from oursociety_desktop.models.tables import (
    ACTION_KINDS,
    ACTION_LINK_ROLES,
    ACTION_STATUSES,
    Action,
    ActionLink,
    Contact,
    Group,
)
from oursociety_desktop.models.text import nfc_values, single_line, within_limit, without_controls
from oursociety_desktop.models.themes import clean_themes

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
        raise ValidationError(field, _("'{value}' is not a date; use YYYY-MM-DD or YYYY-MM-DDTHH:MM.")
                                     .format(value=value)) from None


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name == "deleted":
            out[name] = bool(value)
            continue
        if name == "themes":
            out[name] = clean_themes(value)
            continue
        text = within_limit(name, without_controls(str(value)) if name in ("notes", "outcome")
                            else single_line(str(value)).strip())
        if name == "title" and not text:
            raise ValidationError("title", _("An action needs a title."))
        if name == "kind" and text not in ACTION_KINDS:
            raise ValidationError("kind", _("Unknown kind '{text}'; use one of {action_kinds}.")
                                          .format(text=text, action_kinds=', '.join(ACTION_KINDS)))
        if name == "status" and text not in ACTION_STATUSES:
            raise ValidationError("status", _("Unknown status '{text}'; use one of {action_statuses}.")
                                            .format(text=text, action_statuses=', '.join(ACTION_STATUSES)))
        if name in DATE_FIELDS:
            text = parse_when(name, text)
        out[name] = text
    return nfc_values(out)


def create_action(tx: Tx, values: Mapping[str, Any]) -> Action:
    """Add an action; `group_id`, if given, must name a live group."""
    clean = _clean(values)
    if not clean.get("title"):
        raise ValidationError("title", _("An action needs a title."))
    if clean.get("group_id"):
        clean["group_id"] = get_record(tx.session, Group, clean["group_id"], live=True).id
    _check_order(clean.get("starts_at", ""), clean.get("ends_at", ""))
    return create_record(tx, Action, clean)


def update_action(tx: Tx, action_id: str, changes: Mapping[str, Any]) -> Action:
    """Change some fields of an action."""
    action = get_record(tx.session, Action, action_id, live=True)
    clean = _clean(changes)
    if clean.get("group_id"):
        clean["group_id"] = get_record(tx.session, Group, clean["group_id"], live=True).id
    _check_order(clean.get("starts_at", action.starts_at), clean.get("ends_at", action.ends_at))
    update_record(tx, action, clean)
    return action


def _check_order(starts: str, ends: str) -> None:
    """Refuse an end before the start (ValidationError on ends_at). A day without a time is the whole day, so a
    meeting starting at 18:00 may end on its start's date. Only edits made here are checked: the merge takes
    each field's latest value, and two hubs' edits may meet in any order."""
    if not starts or not ends:
        return
    whole_days = len(starts) == 10 or len(ends) == 10
    if (ends[:10] < starts[:10]) if whole_days else (ends < starts):
        raise ValidationError("ends_at", _("An action cannot end before it starts ({starts}).")
                                         .format(starts=starts.replace("T", " ")))


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
        raise ValidationError("role", _("Unknown role '{role}'; use one of {action_link_roles}.")
                                      .format(role=role, action_link_roles=', '.join(ACTION_LINK_ROLES)))
    action = get_record(tx.session, Action, action_id, live=True)
    contact = get_record(tx.session, Contact, contact_id, live=True)
    link = upsert_pair(tx, REGISTRY["action_link"], {"action_id": action.id, "contact_id": contact.id, "role": role})
    assert isinstance(link, ActionLink)
    return link


# ---- lists for the Actions workspace (filtered and paginated in SQL) ----

# A status filter value meaning "open or doing": what is still to do.
TO_DO = "to do"


@dataclass(frozen=True)
class ActionFilter:
    """What the action list shows. Empty strings mean "any"; `status` may also be TO_DO (open or doing);
    `today` anchors overdue and this week (Monday to Sunday)."""

    status: str = ""
    owner_id: str = ""
    group_id: str = ""
    overdue: bool = False
    this_week: bool = False
    today: date = field(default_factory=date.today)


@dataclass(frozen=True)
class ActionRow:
    """One action as the list shows it: its date is the due date, else the start."""

    id: str
    title: str
    kind: str
    status: str
    when: str
    group_name: str
    owners: str


@dataclass(frozen=True)
class LinkRow:
    """One contact linked to an action."""

    link_id: str
    contact_id: str
    name: str
    role: str


# The date an action is listed under: due, else the day it starts ('' when neither is set).
_WHEN = "CASE WHEN a.due != '' THEN a.due ELSE substr(a.starts_at, 1, 10) END"


def _where(flt: ActionFilter) -> tuple[str, dict[str, Any]]:
    clauses = ["a.deleted = 0"]
    params: dict[str, Any] = {}
    if flt.status == TO_DO:
        clauses.append("a.status IN ('open', 'doing')")
    elif flt.status:
        clauses.append("a.status = :status")
        params["status"] = flt.status
    if flt.group_id:
        clauses.append("a.group_id = :group_id")
        params["group_id"] = flt.group_id
    if flt.owner_id:
        # Unary + keeps SQLite from scanning the (deleted, status, due) index: one owner has few actions, found
        # by primary key from the link list.
        clauses[0] = "+a.deleted = 0"
        clauses.append("a.id IN (SELECT l.action_id FROM action_link l WHERE l.contact_id = :owner "
                       "AND l.role = 'owner' AND l.deleted = 0)")
        params["owner"] = flt.owner_id
    if flt.overdue:
        clauses.append(f"a.status IN ('open', 'doing') AND {_WHEN} != '' AND {_WHEN} < :today")
        params["today"] = flt.today.isoformat()
    if flt.this_week:
        monday = flt.today - timedelta(days=flt.today.weekday())
        clauses.append(f"{_WHEN} BETWEEN :monday AND :sunday")
        params["monday"], params["sunday"] = monday.isoformat(), (monday + timedelta(days=6)).isoformat()
    return " AND ".join(clauses), params


def count_actions(session: Session, flt: ActionFilter) -> int:
    """How many live actions the filter selects."""
    where, params = _where(flt)
    return int(session.connection().execute(text(f"SELECT COUNT(*) FROM action a WHERE {where}"), params)
               .scalar_one())


ACTION_SORT_KEYS = {"when": _WHEN, "title": "a.title", "kind": "a.kind", "status": "a.status"}


def list_actions(session: Session, flt: ActionFilter, limit: int = 200, offset: int = 0,
                 order: ListOrder | None = None) -> list[ActionRow]:
    """One page of the filtered actions: dated ones first by date, then undated, newest change first; or in the
    chosen `order` (a key of ACTION_SORT_KEYS; ValueError for another)."""
    where, params = _where(flt)
    ordering = order_by(order, ACTION_SORT_KEYS, f"{_WHEN} = '', {_WHEN}, a.stamp DESC")
    owners = (
        f"(SELECT group_concat(name, ', ') FROM (SELECT {name_to_show_sql('c')} AS name FROM action_link l "
        "JOIN contact c ON c.id = l.contact_id AND c.deleted = 0 "
        "WHERE l.action_id = a.id AND l.role = 'owner' AND l.deleted = 0 ORDER BY c.sort_key))"
    )
    rows = session.connection().execute(
        text(
            f"SELECT a.id, a.title, a.kind, a.status, {_WHEN} AS day, COALESCE(g.name, ''), {owners} "
            "FROM (SELECT a.* FROM action a "
            f"WHERE {where} ORDER BY {ordering} LIMIT :limit OFFSET :offset) a "
            "LEFT JOIN contact_group g ON g.id = a.group_id AND g.deleted = 0 "
            f"ORDER BY {ordering}"
        ),
        {**params, "limit": limit, "offset": offset},
    )
    return [ActionRow(r[0], r[1], r[2], r[3], r[4] or "", r[5], r[6] or "") for r in rows]


def links_of(session: Session, action_id: str) -> list[LinkRow]:
    """Live contacts linked to an action, owners first, then attendees, then who it is about."""
    rows = session.connection().execute(
        text(
            f"SELECT l.id, c.id, {name_to_show_sql('c')}, l.role FROM action_link l "
            "JOIN contact c ON c.id = l.contact_id AND c.deleted = 0 "
            "WHERE l.action_id = :aid AND l.deleted = 0 "
            "ORDER BY CASE l.role WHEN 'owner' THEN 0 WHEN 'attendee' THEN 1 ELSE 2 END, c.sort_key"
        ),
        {"aid": action_id},
    )
    return [LinkRow(r[0], r[1], r[2], r[3]) for r in rows]


def delete_action_link(tx: Tx, link_id: str, deleted: bool = True) -> ActionLink:
    """Remove (or, for undo, bring back) one contact's link to an action."""
    link = get_record(tx.session, ActionLink, link_id)
    set_deleted(tx, link, deleted)
    return link


def meetings_to_sign_in(session: Session, days_back: int = 14, limit: int = 300,
                        today: date | None = None) -> list[tuple[str, str, str, str]]:
    """(id, title, starts_at, due) of the open meetings and events held from `days_back` days ago on, soonest
    first, at most `limit`: what a sign-in sheet is for. A hub with years of meetings would otherwise fill the
    chooser with thousands (10,000 at 100k contacts: 270 ms)."""
    since = ((today or date.today()) - timedelta(days=days_back)).isoformat()
    rows = session.connection().execute(text(
        "SELECT id, title, starts_at, due FROM action WHERE deleted = 0 AND kind IN ('meeting', 'event') "
        "AND status IN ('open', 'doing') AND COALESCE(NULLIF(starts_at, ''), due) >= :since "
        "ORDER BY COALESCE(NULLIF(starts_at, ''), due), title LIMIT :limit"), {"since": since, "limit": limit})
    return [(r[0], r[1], r[2], r[3]) for r in rows]
