"""What a contact is part of: their groups, actions and connections, read and described for the editor."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from sqlalchemy import Connection, text


def _tr(source: str) -> str:
    return QCoreApplication.translate("ContactRelated", source)


@dataclass(frozen=True)
class RelatedItem:
    """One line in the editor's related lists; `record_type` and `record_id` say what it opens."""

    record_type: str
    record_id: str
    text: str


def contact_groups(conn: Connection, contact_id: str) -> list[RelatedItem]:
    """The live groups a contact belongs to, with their role."""
    rows = conn.execute(text(
        "SELECT g.id, g.name, m.role FROM membership m JOIN contact_group g ON g.id = m.group_id "
        "WHERE m.contact_id = :cid AND m.deleted = 0 AND g.deleted = 0 ORDER BY g.name COLLATE NOCASE"),
        {"cid": contact_id})
    return [RelatedItem("group", gid, _tr("{0} ({1})").format(name, role)) for gid, name, role in rows]


def contact_actions(conn: Connection, contact_id: str) -> list[RelatedItem]:
    """The live actions a contact is linked to, open ones first, soonest due first."""
    rows = conn.execute(text(
        "SELECT a.id, a.title, a.status, a.due, l.role FROM action_link l JOIN action a ON a.id = l.action_id "
        "WHERE l.contact_id = :cid AND l.deleted = 0 AND a.deleted = 0 "
        "ORDER BY a.status IN ('done', 'cancelled'), a.due = '', a.due LIMIT 200"), {"cid": contact_id})
    items = []
    for aid, title, status, due, role in rows:
        pattern = _tr("{0} — {1}, due {2} ({3})") if due else _tr("{0} — {1} ({3})")
        items.append(RelatedItem("action", aid, pattern.format(title, status, due, role)))
    return items


def contact_connections(conn: Connection, contact_id: str) -> list[RelatedItem]:
    """The live connections a contact is part of or made, newest first, described from their side."""
    rows = conn.execute(text(
        "SELECT k.id, k.kind, k.date, k.contact_a, k.contact_b, k.introduced_by, "
        "a.given_name || ' ' || a.family_name, b.given_name || ' ' || b.family_name, "
        "i.given_name || ' ' || i.family_name "
        "FROM connection k LEFT JOIN contact a ON a.id = k.contact_a LEFT JOIN contact b ON b.id = k.contact_b "
        "LEFT JOIN contact i ON i.id = k.introduced_by "
        "WHERE k.deleted = 0 AND (k.contact_a = :cid OR k.contact_b = :cid OR k.introduced_by = :cid) "
        "ORDER BY k.date DESC, k.stamp DESC LIMIT 200"), {"cid": contact_id})
    items = []
    for kid, kind, when, a, _b, by, a_name, b_name, by_name in rows:
        a_name, b_name, by_name = (n.strip() if n else "?" for n in (a_name, b_name, by_name))
        if by == contact_id:
            line = _tr("introduced {0} and {1}").format(a_name, b_name)
        else:
            other = b_name if a == contact_id else a_name
            line = (_tr("{0}: {1} (introduced by {2})") if by else _tr("{0}: {1}")).format(kind, other, by_name)
        items.append(RelatedItem("connection", kid, _tr("{0}, {1}").format(line, when) if when else line))
    return items
