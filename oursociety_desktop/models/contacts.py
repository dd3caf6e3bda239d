"""Contacts: create, edit, delete, erase ("forget"), with validation and the derived search rows."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, select

from oursociety_desktop.i18n import _
from oursociety_desktop.models.actions import parse_when
from oursociety_desktop.models.consent import with_receipt
from oursociety_desktop.models.database import Tx
from oursociety_desktop.models.erasure import DEFAULT_ERASURE_REASON as DEFAULT_ERASURE_REASON
from oursociety_desktop.models.erasure import ERASURE_REASONS as ERASURE_REASONS
from oursociety_desktop.models.errors import UserError, ValidationError
from oursociety_desktop.models.records import create_record, get_record, set_deleted, update_record
from oursociety_desktop.models.references import erase_related_records, same_person_ids
from oursociety_desktop.models.search import purge_deleted_index_entries, search_row, write_search_rows
from oursociety_desktop.models.tables import CONTACT_STAGES, Contact
from oursociety_desktop.models.text import MAX_TEXT as MAX_TEXT  # where the readers of files take it from
from oursociety_desktop.models.text import nfc, single_line, sort_key, within_limit, without_controls
from oursociety_desktop.models.withdrawal import check_consent_edit, withheld_here, withhold_after_edit
from oursociety_desktop.models.wording import field_label

_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>.]+$")
BOOL_FIELDS = ("share_with_hubs", "include_in_directory", "do_not_phone", "do_not_email", "do_not_mail",
               "do_not_sms")
LIST_FIELDS = ("languages", "tags")


def validate_email(value: str) -> str:
    """Return the trimmed address, or raise ValidationError saying what is wrong."""
    address = value.strip()
    if not _EMAIL.match(address):
        raise ValidationError("emails", _("'{value}' is not a valid email address (expected name@example.org).")
                                        .format(value=value))
    return address


def _labelled(field: str, items: Any) -> list[dict[str, str]]:
    if not isinstance(items, list):
        raise ValidationError(field, _("{field} must be a list of {{label, value}} entries.").format(field=field))
    out: list[dict[str, str]] = []
    for item in items:
        if isinstance(item, str):
            item = {"label": "", "value": item}
        if not isinstance(item, Mapping) or not isinstance(item.get("value", ""), str):
            raise ValidationError(field, _("Each entry of {field} needs a text value.").format(field=field))
        value = single_line(str(item.get("value", ""))).strip()
        if not value:
            continue
        if field == "emails":
            value = validate_email(value)
        out.append({"label": nfc(single_line(str(item.get("label", "") or "")).strip()), "value": nfc(value)})
    return out


_UNTRIMMED = frozenset(("notes", "private_notes"))
_SEVERAL_LINES = frozenset((*_UNTRIMMED, "street"))  # the other texts are one line
_FLAGS = frozenset((*BOOL_FIELDS, "deleted"))


def normalise_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate and tidy contact values (trim text, check emails, stage, flags, lists). Raises ValidationError.
    Every text comes out in normal form C (`text.nfc`). An import checks every row with this, so each value is
    visited once."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name in ("phones", "emails"):
            out[name] = _labelled(name, value)
        elif name in LIST_FIELDS:
            if isinstance(value, str):
                value = [p for p in re.split(r"[,;]", value)]
            if not isinstance(value, list):
                raise ValidationError(name, _("{name} must be a list of words.").format(name=name))
            words = (single_line(str(v)).strip() for v in value)
            out[name] = [nfc(v) for v in dict.fromkeys(w for w in words if w)]
        elif name in _FLAGS:
            if not isinstance(value, bool):
                raise ValidationError(name, _("{name} must be true or false.").format(name=name))
            out[name] = value
        elif name == "engagement_stage":
            stage = str(value).strip().lower() or "new"
            if stage not in CONTACT_STAGES:
                choices = ", ".join(CONTACT_STAGES)
                raise ValidationError(name, _("Unknown engagement stage '{value}'; use one of {choices}.")
                                            .format(value=value, choices=choices))
            out[name] = nfc(stage)
        else:
            if not isinstance(value, str):
                raise ValidationError(name, _("{name} must be text.").format(name=field_label(name)))
            value = without_controls(value) if name in _SEVERAL_LINES else single_line(value)
            within_limit(name, value)
            out[name] = nfc(value if name in _UNTRIMMED else value.strip())
            if name == "consent_recorded_at":  # a date the window's date field would take, or none
                out[name] = parse_when(name, out[name])
    return out


def _require_a_name(values: Mapping[str, Any]) -> None:
    if not any(str(values.get(n) or "").strip() for n in ("given_name", "family_name", "display_name",
                                                            "organisation")):
        raise ValidationError("given_name",
                              _("A contact needs a name (given, family or display name) or organisation."))


def refresh_derived(tx: Tx, contact: Contact) -> None:
    """Recompute the contact's local sort key, search text and E.164 phone index."""
    region = str(tx.setting("default_region"))
    contact.sort_key = sort_key(contact.family_name, contact.given_name, contact.display_name or contact.organisation)
    tx.session.add(contact)
    tx.session.flush()
    write_search_rows(tx.session.connection(), [search_row(contact.model_dump(), region)])


def create_contact(tx: Tx, values: Mapping[str, Any]) -> Contact:
    """Add a contact. `share_with_hubs` and `include_in_directory` default to the hub settings (set at first run)."""
    clean = normalise_values(values)
    _require_a_name(clean)
    clean.setdefault("share_with_hubs", bool(tx.setting("default_share_with_hubs")))
    clean.setdefault("include_in_directory", bool(tx.setting("default_include_in_directory")))
    contact = create_record(tx, Contact, clean)
    refresh_derived(tx, contact)
    return contact


def update_contact(tx: Tx, contact_id: str, changes: Mapping[str, Any]) -> Contact:
    """Change some fields of a live contact; each changed field gets a new stamp."""
    contact = get_record(tx.session, Contact, contact_id, live=True)
    clean = normalise_values(with_receipt(contact.model_dump(), changes))
    check_consent_edit(tx, contact, clean)
    merged = {**contact.model_dump(), **clean}
    if not withheld_here(merged, tx.hub_id):
        _require_a_name(merged)
    if update_record(tx, contact, clean):
        withheld = withhold_after_edit(tx, contact)  # withdrawn here: a person whose consent another hub holds
        refresh_derived(tx, contact)
        if withheld:  # their name and numbers out of the search index's segments too, as after an erasure
            purge_deleted_index_entries(tx.session.connection())
    return contact


def delete_contact(tx: Tx, contact_id: str, deleted: bool = True) -> Contact:
    """Tombstone a contact, or with `deleted=False` bring back a deleted (not erased) one: the undo of delete.
    Raises NotFound for an unknown id."""
    contact = get_record(tx.session, Contact, contact_id)
    set_deleted(tx, contact, deleted)
    return contact


def erased_values() -> dict[str, Any]:
    """The value every personal field takes when a person is erased."""
    blank = Contact()
    return {name: getattr(blank, name) for name in Contact.PERSONAL_FIELDS}


def erasure_reason(value: object) -> str:
    """A stored reason as this version keeps it: one of ERASURE_REASONS; anything else (free text written by an
    older version) becomes "other"."""
    return value if isinstance(value, str) and value in ERASURE_REASONS else "other"


def forget_contact(tx: Tx, contact_id: str, reason: str = DEFAULT_ERASURE_REASON) -> Contact:
    """Erase a person (right to erasure): wipe every personal field, keep only id, stamp and reason.

    What refers to them follows the registry's erasure rules (memberships, action links and connections with them
    tombstoned, introductions they made kept without them, connection notes wiped). Erasure is final:
    later edits are refused here, and the merge lets erasure beat any concurrent edit at other hubs.
    """
    if reason not in ERASURE_REASONS:
        raise UserError(_("The reason for an erasure is one of: {erasure_reasons} (it travels to every "
                        "hub, so it is never free text).").format(erasure_reasons=', '.join(ERASURE_REASONS)))
    contact = get_record(tx.session, Contact, contact_id)
    if contact.erased:
        return contact
    tx.session.flush()
    # The same person under other ids (duplicates merged into this one, or the one it was merged into) keeps
    # their fields: the erasure reaches every one of them.
    for other_id in same_person_ids(tx.session.connection(), contact.id):
        other = tx.session.get(Contact, other_id)
        if other is not None and other_id != contact.id and not other.erased:
            _erase(tx, other, reason)
    return _erase(tx, contact, reason)


def _erase(tx: Tx, contact: Contact, reason: str) -> Contact:
    stamp = tx.stamp()
    for name, value in erased_values().items():
        setattr(contact, name, value)
    contact.deleted = True
    contact.erased = True
    contact.erased_reason = reason
    contact.merged_into = ""
    contact.sort_key = ""
    contact.extra = {}  # fields a newer version added may be personal too
    # After erasure only one stamp matters: the erasure's. Field stamps would say when the person was edited.
    contact.set_stamps(stamp, {}, stamp)  # its origin hub becomes this one, as every hub derives it
    tx.session.add(contact)
    erase_related_records(tx, contact.id)
    write_search_rows(tx.session.connection(), [(contact.id, "", [], None)])
    purge_deleted_index_entries(tx.session.connection())
    return contact


def get_contact(session: Session, contact_id: str) -> Contact:
    """A contact by id or unique id prefix (deleted ones included)."""
    return get_record(session, Contact, contact_id)


def contact_json(contact: Contact, *, include_private: bool = True) -> dict[str, Any]:
    """A contact as plain JSON values (what `contact show --json` prints)."""
    data: dict[str, Any] = {"id": contact.id, "origin_hub": contact.origin_hub, "stamp": contact.stamp,
                            "shown_name": contact.shown_name}
    for name in Contact.SYNC_FIELDS:
        if name in Contact.LOCAL_FIELDS and not include_private:
            continue
        data[name] = getattr(contact, name)
    return data


def touch_all_search_rows(tx: Tx) -> int:
    """Rebuild every contact's search row (after the default phone region changes). Returns how many."""
    session = tx.session
    region = str(tx.setting("default_region"))
    rows = [search_row(contact.model_dump(), region) for contact in session.exec(select(Contact)).all()]
    write_search_rows(session.connection(), rows)
    return len(rows)
