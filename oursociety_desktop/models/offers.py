"""Offers and needs: what a person can give (a skill, time, a thing to lend, a space) and what
they are looking for (help, advice, a skill, a space), with themes, place, availability and until when it stands.

Both are personal data of the person (models/registry.py): they leave the hub only with the person's sharing
consent, and the person's erasure tombstones and wipes them at every hub."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from oursociety_desktop.i18n import _, ngettext
from oursociety_desktop.models.actions import parse_when
from oursociety_desktop.models.database import Tx
from oursociety_desktop.models.errors import ValidationError
from oursociety_desktop.models.names import name_to_show_sql
from oursociety_desktop.models.records import create_record, get_record, set_deleted, update_record
from oursociety_desktop.models.tables import NEED_KINDS, OFFER_KINDS, Contact, Need, Offer
from oursociety_desktop.models.text import single_line, without_controls
from oursociety_desktop.models.themes import clean_themes

MAX_TEXT = 5_000
OfferOrNeed = Offer | Need


def _kinds(cls: type[OfferOrNeed]) -> tuple[str, ...]:
    return OFFER_KINDS if cls is Offer else NEED_KINDS


def _clean(session: Session, cls: type[OfferOrNeed], values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    what = "offer" if cls is Offer else "need"
    for name, value in values.items():
        if name == "deleted":
            out[name] = bool(value)
        elif name == "contact_id":
            out[name] = get_record(session, Contact, str(value), live=True).id
        elif name == "themes":
            out[name] = clean_themes(value)
        elif name == "kind":
            if value not in _kinds(cls):
                raise ValidationError("kind", _("Unknown {what} kind '{value}'; use one of {cls}.")
                                              .format(what=what, value=value, cls=', '.join(_kinds(cls))))
            out[name] = value
        elif name == "until":
            out[name] = parse_when("until", str(value))[:10]
        else:
            textual = (" ".join(single_line(str(value)).split()) if name != "text"
                       else without_controls(str(value)).strip())
            if len(textual) > MAX_TEXT:
                raise ValidationError(name, ngettext("The {what}'s {name} is longer than {max_text} character.",
                                                     "The {what}'s {name} is longer than {max_text} characters.",
                                                     MAX_TEXT).format(what=what, name=name, max_text=MAX_TEXT))
            out[name] = textual
    if "text" in out and not out["text"]:
        raise ValidationError("text", _("Say what the {what} is: the text is empty.").format(what=what))
    return out


def _create(tx: Tx, cls: type[OfferOrNeed], values: Mapping[str, Any], record_id: str | None = None
            ) -> OfferOrNeed:
    clean = _clean(tx.session, cls, values)
    if not clean.get("contact_id"):
        raise ValidationError("contact_id", _("Say whose it is: a contact id is needed."))
    if not clean.get("text"):
        raise ValidationError("text", _("Say what it is: the text is empty."))
    if "locality" not in clean:
        # Where the person is, unless told otherwise: matching compares places.
        clean["locality"] = get_record(tx.session, Contact, clean["contact_id"]).locality
    return create_record(tx, cls, clean, record_id=record_id)


def create_offer(tx: Tx, values: Mapping[str, Any], record_id: str | None = None) -> Offer:
    """Record what a person offers (`record_id`: an id chosen beforehand, so an undone creation can be redone as
    the same record)."""
    offer = _create(tx, Offer, values, record_id)
    assert isinstance(offer, Offer)
    return offer


def create_need(tx: Tx, values: Mapping[str, Any], record_id: str | None = None) -> Need:
    """Record what a person needs (`record_id` as for `create_offer`)."""
    need = _create(tx, Need, values, record_id)
    assert isinstance(need, Need)
    return need


def update_offer_or_need(tx: Tx, cls: type[OfferOrNeed], record_id: str, changes: Mapping[str, Any]
                         ) -> OfferOrNeed:
    """Change fields of an offer or a need."""
    record = get_record(tx.session, cls, record_id, live=True)
    update_record(tx, record, _clean(tx.session, cls, changes))
    return record


def delete_offer_or_need(tx: Tx, cls: type[OfferOrNeed], record_id: str, deleted: bool = True) -> OfferOrNeed:
    """Tombstone (or restore) an offer or a need."""
    record = get_record(tx.session, cls, record_id)
    set_deleted(tx, record, deleted)
    return record


@dataclass(frozen=True)
class OfferNeedRow:
    """One live offer or need, with the person's shown name."""

    id: str
    contact_id: str
    person: str
    kind: str
    text: str
    themes: tuple[str, ...]
    locality: str
    availability: str
    until: str


def list_offers_or_needs(session: Session, cls: type[OfferOrNeed], contact_id: str = "", limit: int = 1000
                         ) -> list[OfferNeedRow]:
    """Live offers (or needs), newest first, optionally of one person."""
    import json

    table = "offer" if cls is Offer else "need"
    clause = " AND r.contact_id = :cid" if contact_id else ""
    rows = session.connection().execute(text(
        f"SELECT r.id, r.contact_id, COALESCE({name_to_show_sql('c')}, ''), r.kind, r.text, r.themes, r.locality, "
        f"r.availability, r.until FROM {table} r LEFT JOIN contact c ON c.id = r.contact_id "  # noqa: S608
        f"WHERE r.deleted = 0{clause} ORDER BY r.stamp DESC LIMIT :limit"), {"cid": contact_id, "limit": limit})
    return [OfferNeedRow(r[0], r[1], r[2], r[3], r[4], tuple(json.loads(r[5]) if isinstance(r[5], str) else r[5]),
                         r[6], r[7], r[8]) for r in rows]
