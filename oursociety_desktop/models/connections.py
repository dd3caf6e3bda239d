"""Connections: who knows whom, and who introduced them, when and why."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, or_, select

from oursociety_desktop.i18n import _
from oursociety_desktop.models.actions import create_action, link_contact, parse_when
from oursociety_desktop.models.database import Tx
from oursociety_desktop.models.errors import ValidationError
from oursociety_desktop.models.list_order import ListOrder, order_by
from oursociety_desktop.models.names import name_to_show_sql
from oursociety_desktop.models.records import create_record, get_record, set_deleted, update_record
from oursociety_desktop.models.tables import CONNECTION_KINDS, Action, Connection, Contact
from oursociety_desktop.models.text import within_limit, without_controls


def _clean(session: Session, values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name == "deleted":
            out[name] = bool(value)
        elif name in ("contact_a", "contact_b", "introduced_by"):
            out[name] = get_record(session, Contact, str(value), live=True).id if value else ""
        elif name == "follow_up_action_id":
            out[name] = get_record(session, Action, str(value), live=True).id if value else ""
        elif name == "kind":
            if value not in CONNECTION_KINDS:
                raise ValidationError("kind", _("Unknown kind '{value}'; use one of {connection_kinds}.")
                                              .format(value=value, connection_kinds=', '.join(CONNECTION_KINDS)))
            out[name] = value
        elif name == "date":
            out[name] = parse_when("date", str(value))
        else:
            out[name] = within_limit(name, without_controls(str(value)))
    return out


def _check_people(values: Mapping[str, Any]) -> None:
    """A connection is between two different people, introduced (if at all) by a third. Raises ValidationError."""
    a, b = values.get("contact_a", ""), values.get("contact_b", "")
    if not a or not b:
        raise ValidationError("contact_b", _("A connection needs two people."))
    if a == b:
        raise ValidationError("contact_b", _("A connection needs two different people."))
    if values.get("introduced_by") in (a, b):
        raise ValidationError("introduced_by", _("The person who made the introduction must be someone else."))


def create_connection(tx: Tx, values: Mapping[str, Any]) -> Connection:
    """Record that two contacts are connected (optionally introduced by a third). Raises ValidationError."""
    clean = _clean(tx.session, values)
    _check_people(clean)
    return create_record(tx, Connection, clean)


def update_connection(tx: Tx, connection_id: str, changes: Mapping[str, Any]) -> Connection:
    """Change any field of a connection, its two people included; the result must still be a connection between
    two different people introduced by someone else. Raises ValidationError (nothing changed)."""
    connection = get_record(tx.session, Connection, connection_id, live=True)
    clean = _clean(tx.session, changes)
    _check_people({**connection.synced_values(), **clean})
    update_record(tx, connection, clean)
    return connection


def delete_connection(tx: Tx, connection_id: str, deleted: bool = True) -> Connection:
    """Tombstone (or restore) a connection."""
    connection = get_record(tx.session, Connection, connection_id)
    set_deleted(tx, connection, deleted)
    return connection


def connections_of(session: Session, contact_id: str) -> list[Connection]:
    """Live connections a contact is part of or made, newest first."""
    return list(
        session.exec(
            select(Connection)
            .where(
                col(Connection.deleted).is_(False),
                or_(Connection.contact_a == contact_id, Connection.contact_b == contact_id,
                    Connection.introduced_by == contact_id),
            )
            .order_by(col(Connection.date).desc(), col(Connection.stamp).desc())
        ).all()
    )


# ---- the list for the Connections workspace ----


@dataclass(frozen=True)
class ConnectionRow:
    """One live connection with the names of the people in it and its follow-up's title."""

    id: str
    kind: str
    date: str
    person_a: str
    person_b: str
    introduced_by: str
    note: str
    follow_up: str


def _person_clause(person_id: str) -> tuple[str, dict[str, Any]]:
    if not person_id:
        return "", {}
    return (" AND (k.contact_a = :p OR k.contact_b = :p OR k.introduced_by = :p)", {"p": person_id})


def count_connections(session: Session, person_id: str = "") -> int:
    """How many live connections there are (or that one person is part of or made)."""
    clause, params = _person_clause(person_id)
    return int(session.connection().execute(
        text(f"SELECT COUNT(*) FROM connection k WHERE k.deleted = 0{clause}"), params).scalar_one())


CONNECTION_SORT_KEYS = {"date": "k.date", "kind": "k.kind", "note": "k.note"}


def list_connections(session: Session, person_id: str = "", limit: int = 200, offset: int = 0,
                     order: ListOrder | None = None) -> list[ConnectionRow]:
    """One page of live connections, newest date first, with names resolved in the same query; or in the chosen
    `order` (a key of CONNECTION_SORT_KEYS; ValueError for another)."""
    clause, params = _person_clause(person_id)
    ordering = order_by(order, CONNECTION_SORT_KEYS, "k.date DESC, k.stamp DESC")
    rows = session.connection().execute(
        text(
            f"SELECT k.id, k.kind, k.date, COALESCE({name_to_show_sql('a')}, ''), "
            f"COALESCE({name_to_show_sql('b')}, ''), "
            f"CASE WHEN i.id IS NULL THEN '' ELSE {name_to_show_sql('i')} END, k.note, COALESCE(f.title, '') "
            "FROM (SELECT * FROM connection k WHERE k.deleted = 0"
            f"{clause} ORDER BY {ordering} LIMIT :limit OFFSET :offset) k "
            "LEFT JOIN contact a ON a.id = k.contact_a LEFT JOIN contact b ON b.id = k.contact_b "
            "LEFT JOIN contact i ON i.id = k.introduced_by "
            "LEFT JOIN action f ON f.id = k.follow_up_action_id AND f.deleted = 0 "
            f"ORDER BY {ordering}"
        ),
        {**params, "limit": limit, "offset": offset},
    )
    return [ConnectionRow(*(str(v) for v in r)) for r in rows]


def record_introduction(tx: Tx, values: Mapping[str, Any], follow_up: Mapping[str, Any] | None = None
                        ) -> Connection:
    """Create a connection and, if `follow_up` holds action fields, its follow-up action in the same transaction:
    the two people are linked to it as "about" and the introducer, if any, as its owner."""
    if follow_up is None:
        return create_connection(tx, values)
    action = create_action(tx, {"kind": "follow-up", **follow_up})
    connection = create_connection(tx, {**values, "follow_up_action_id": action.id})
    for contact_id in (connection.contact_a, connection.contact_b):
        link_contact(tx, action.id, contact_id, "about")
    if connection.introduced_by:
        link_contact(tx, action.id, connection.introduced_by, "owner")
    return connection
