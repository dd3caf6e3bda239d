"""What record types and contact fields are called in the user's language, for every message and screen.

A record type's id (`action_link`) and a field's name (`do_not_mail`) are identifiers: a sentence shown to a
person names them by these words instead ("person on an action", "do not post"), translated where they are shown.
An id this version does not know (a record type from a newer hub, a field added since) is shown as it is, with its
underscores as spaces.
"""

from __future__ import annotations

from oursociety_desktop.i18n import N_, _

# A record type as one record is called inside a sentence ("No {record_type} with id ...").
_RECORD_TYPE = {
    "contact": N_("contact"), "group": N_("group"), "membership": N_("membership"), "action": N_("action"),
    "action_link": N_("action link"), "connection": N_("connection"), "lesson": N_("lesson"),
    "lesson_person": N_("lesson person"), "offer": N_("offer"), "need": N_("need"), "hours": N_("hours"),
    "hours_total": N_("hours total"),
}

# A record type as a heading over its records (a column, a line of counts).
_RECORD_TYPE_HEADING = {
    "contact": N_("Contacts"), "group": N_("Groups"), "membership": N_("Group memberships"),
    "action": N_("Actions"), "action_link": N_("People on actions"), "connection": N_("Connections"),
    "lesson": N_("Lessons"), "lesson_person": N_("People in lessons"), "offer": N_("Offers"), "need": N_("Needs"),
    "hours": N_("Hours"), "hours_total": N_("Hours totals"),
}

_FIELD = {
    "given_name": N_("given name"), "family_name": N_("family name"), "display_name": N_("display name"),
    "organisation": N_("organisation"), "role": N_("role"), "street": N_("street"),
    "locality": N_("town or city"), "region": N_("county or region"), "postcode": N_("postcode"),
    "country": N_("country"), "languages": N_("languages"), "tags": N_("tags"),
    "engagement_stage": N_("engagement"), "phones": N_("phones"), "emails": N_("emails"), "notes": N_("notes"),
    "private_notes": N_("private notes"), "share_with_hubs": N_("sharing with other hubs"),
    "include_in_directory": N_("printed directory"), "do_not_phone": N_("do not phone"),
    "do_not_email": N_("do not email"), "do_not_mail": N_("do not post"), "do_not_sms": N_("do not text"),
    "consent_recorded_at": N_("consent date"), "consent_method": N_("how consent was given"),
    # the other records' text fields (groups, actions, connections) and a hub's name
    "name": N_("name"), "description": N_("description"), "title": N_("title"), "location": N_("place"),
    "outcome": N_("outcome"), "note": N_("note"),
}


def _known(table: dict[str, str], name: str) -> str:
    return _(table[name]) if name in table else name.replace("_", " ")


def record_type_word(record_type: str) -> str:
    """One record of a type, as a sentence names it: "membership", "action link" (lower case)."""
    return _known(_RECORD_TYPE, record_type)


def record_type_heading(record_type: str) -> str:
    """A type's records under a heading: "Group memberships", "People on actions" (an unknown type: its id,
    capitalised)."""
    known = _RECORD_TYPE_HEADING.get(record_type)
    return _(known) if known else record_type.replace("_", " ").capitalize()


def field_label(name: str) -> str:
    """The label a field has on screen ("do_not_mail" → "do not post", an action's "location" → "place"), for undo
    texts and messages."""
    return _known(_FIELD, name)
