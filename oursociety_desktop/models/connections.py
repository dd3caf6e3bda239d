"""Connections: who knows whom, and who introduced them, when and why (DESIGN.md §4)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, col, or_, select

from oursociety_desktop.models.actions import parse_when
from oursociety_desktop.models.database import Tx
from oursociety_desktop.models.errors import ValidationError
from oursociety_desktop.models.records import create_record, get_record, set_deleted, update_record
from oursociety_desktop.models.tables import CONNECTION_KINDS, Action, Connection, Contact


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
                raise ValidationError("kind", f"Unknown kind '{value}'; use one of {', '.join(CONNECTION_KINDS)}.")
            out[name] = value
        elif name == "date":
            out[name] = parse_when("date", str(value))
        else:
            out[name] = str(value)
    return out


def create_connection(tx: Tx, values: Mapping[str, Any]) -> Connection:
    """Record that two contacts are connected (optionally introduced by a third)."""
    clean = _clean(tx.session, values)
    a, b = clean.get("contact_a", ""), clean.get("contact_b", "")
    if not a or not b:
        raise ValidationError("contact_b", "A connection needs two people.")
    if a == b:
        raise ValidationError("contact_b", "A connection needs two different people.")
    if clean.get("introduced_by") in (a, b):
        raise ValidationError("introduced_by", "The person who made the introduction must be someone else.")
    return create_record(tx, Connection, clean)


def update_connection(tx: Tx, connection_id: str, changes: Mapping[str, Any]) -> Connection:
    """Change a connection's kind, date, note, introducer or follow-up."""
    connection = get_record(tx.session, Connection, connection_id, live=True)
    update_record(tx, connection, _clean(tx.session, changes))
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
