"""Helpers for the learning-network tests: a real hub in a temporary folder, people, offers and needs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.database import Database, set_setting
from oursociety_desktop.models.offers import create_need, create_offer


def new_hub(root: Path, name: str, share_by_default: bool = True) -> Database:
    """A hub in root/name whose new contacts are shared unless told otherwise."""
    db = Database.create(root / name, name)
    with db.write() as tx:
        set_setting(tx.session, "default_share_with_hubs", share_by_default)
    return db


def person(db: Database, given: str, family: str = "", **values: Any) -> str:
    """Create a contact; returns its id."""
    with db.write() as tx:
        return create_contact(tx, {"given_name": given, "family_name": family, **values}).id


def offer(db: Database, contact_id: str, body: str, **values: Any) -> str:
    """Create an offer; returns its id."""
    with db.write() as tx:
        return create_offer(tx, {"contact_id": contact_id, "text": body, **values}).id


def need(db: Database, contact_id: str, body: str, **values: Any) -> str:
    """Create a need; returns its id."""
    with db.write() as tx:
        return create_need(tx, {"contact_id": contact_id, "text": body, **values}).id
