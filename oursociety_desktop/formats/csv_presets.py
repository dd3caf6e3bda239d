"""Column presets for the CSV files other address books export: Google Contacts, Outlook, CiviCRM, Thunderbird.

A preset maps a header (compared case-insensitively) to a target: a contact field, `phone`/`email` with a label,
`note` (kept as a "Header: value" line in the notes, so nothing is lost) or `ignore`. Google's numbered columns
("Phone 1 - Value" with "Phone 1 - Label") are recognised by pattern in every preset.
"""

from __future__ import annotations

import re

from oursociety_desktop.i18n import N_

Target = tuple[str, str]  # (field, label)

# Fields a column can be mapped to, with the words shown in the mapping step (marked N_, translated there).
TARGETS: dict[str, str] = {
    "ignore": N_("(not imported)"), "given_name": N_("Given name"),
    "middle_name": N_("Middle name (added to given name)"), "family_name": N_("Family name"),
    "display_name": N_("Display name"), "organisation": N_("Organisation"), "role": N_("Role / job title"),
    "phone": N_("Phone"), "email": N_("Email"), "phone_label": N_("Phone label"), "email_label": N_("Email label"),
    "street": N_("Street"), "street2": N_("Street, second line"), "locality": N_("Town / city"),
    "region": N_("Region / county"), "postcode": N_("Postcode"), "country": N_("Country"),
    "languages": N_("Languages"), "tags": N_("Tags"), "notes": N_("Notes"),
    "note": N_("Add to notes as 'Header: value'"), "private_notes": N_("Private notes"),
    "share_with_hubs": N_("Share with other hubs (yes/no)"),
    "include_in_directory": N_("In printed directory (yes/no)"), "do_not_phone": N_("Do not phone (yes/no)"),
    "do_not_email": N_("Do not email (yes/no)"), "do_not_mail": N_("Do not mail (yes/no)"),
    "do_not_sms": N_("Do not text (yes/no)"), "engagement_stage": N_("Engagement stage"),
    "consent_recorded_at": N_("Consent recorded at"), "consent_method": N_("Consent method"),
    "prefix": N_("Name prefix (Dr., Ms.: kept in the display name)"),
    "suffix": N_("Name suffix (Jr., OBE: kept in the display name)"), "groups": N_("Groups (by name)"),
}

COMMON: dict[str, Target] = {
    "first name": ("given_name", ""), "given name": ("given_name", ""), "forename": ("given_name", ""),
    "first": ("given_name", ""), "middle name": ("middle_name", ""), "additional name": ("middle_name", ""),
    "last name": ("family_name", ""), "surname": ("family_name", ""), "family name": ("family_name", ""),
    "last": ("family_name", ""), "name": ("display_name", ""), "full name": ("display_name", ""),
    "display name": ("display_name", ""), "email": ("email", ""), "e-mail": ("email", ""),
    "email address": ("email", ""), "e-mail address": ("email", ""), "phone": ("phone", ""),
    "telephone": ("phone", ""), "phone number": ("phone", ""), "mobile": ("phone", "mobile"),
    "mobile phone": ("phone", "mobile"), "cell": ("phone", "mobile"), "home phone": ("phone", "home"),
    "work phone": ("phone", "work"), "company": ("organisation", ""), "organisation": ("organisation", ""),
    "organization": ("organisation", ""), "organisation name": ("organisation", ""), "role": ("role", ""),
    "job title": ("role", ""), "title": ("role", ""), "position": ("role", ""), "street": ("street", ""),
    "address": ("street", ""), "street address": ("street", ""), "address line 1": ("street", ""),
    "address line 2": ("street2", ""), "city": ("locality", ""), "town": ("locality", ""),
    "locality": ("locality", ""), "county": ("region", ""), "state": ("region", ""), "region": ("region", ""),
    "postcode": ("postcode", ""), "post code": ("postcode", ""), "postal code": ("postcode", ""),
    "zip": ("postcode", ""), "zip code": ("postcode", ""), "country": ("country", ""),
    "notes": ("notes", ""), "note": ("notes", ""), "comments": ("notes", ""), "tags": ("tags", ""),
    "labels": ("tags", ""), "categories": ("tags", ""), "language": ("languages", ""),
    "languages": ("languages", ""), "birthday": ("note", ""), "nickname": ("note", ""),
    "website": ("note", ""), "web page": ("note", ""), "prefix": ("prefix", ""), "name prefix": ("prefix", ""),
    "suffix": ("suffix", ""), "name suffix": ("suffix", ""), "honorific": ("prefix", ""),
    "salutation": ("prefix", ""), "groups": ("groups", ""), "group": ("groups", ""),
    "e-mail 1 address": ("email", ""), "email 1": ("email", ""), "email 2": ("email", ""),
    "home address": ("street", ""), "home street": ("street", ""), "home city": ("locality", ""),
    "home town": ("locality", ""), "home county": ("region", ""), "home state": ("region", ""),
    "home region": ("region", ""), "home postcode": ("postcode", ""), "home post code": ("postcode", ""),
    "home postal code": ("postcode", ""), "home zip": ("postcode", ""), "home zipcode": ("postcode", ""),
    "home zip code": ("postcode", ""), "home country": ("country", ""), "home country/region": ("country", ""),
    "mobile number": ("phone", "mobile"), "primary email": ("email", ""), "secondary email": ("email", ""),
    "county/region": ("region", ""), "province": ("region", ""), "state/province": ("region", ""),
    "address 1": ("street", ""), "address 2": ("street2", ""), "street address 2": ("street2", ""),
    "do not email": ("do_not_email", ""), "do not phone": ("do_not_phone", ""), "do not mail": ("do_not_mail", ""),
    "do not sms": ("do_not_sms", ""), "do not text": ("do_not_sms", ""), "private notes": ("private_notes", ""),
    "share with hubs": ("share_with_hubs", ""), "include in directory": ("include_in_directory", ""),
    "engagement stage": ("engagement_stage", ""), "consent recorded at": ("consent_recorded_at", ""),
    "consent method": ("consent_method", ""), "town/city": ("locality", ""), "mobile phone number": ("phone", "mobile"),
}

GOOGLE: dict[str, Target] = {
    "name": ("display_name", ""), "given name": ("given_name", ""), "additional name": ("middle_name", ""),
    "family name": ("family_name", ""), "first name": ("given_name", ""), "middle name": ("middle_name", ""),
    "last name": ("family_name", ""), "organization name": ("organisation", ""),
    "organization title": ("role", ""), "organization 1 - name": ("organisation", ""),
    "organization 1 - title": ("role", ""), "notes": ("notes", ""), "labels": ("tags", ""),
    "group membership": ("tags", ""), "birthday": ("note", ""), "nickname": ("note", ""), "photo": ("ignore", ""),
    "file as": ("ignore", ""), "yomi name": ("note", ""), "phonetic first name": ("note", ""),
    "phonetic middle name": ("note", ""), "phonetic last name": ("note", ""), "name prefix": ("prefix", ""),
    "name suffix": ("suffix", ""), "initials": ("note", ""), "short name": ("note", ""),
    "maiden name": ("note", ""), "organization department": ("note", ""), "gender": ("note", ""),
    "location": ("note", ""), "billing information": ("note", ""), "directory server": ("note", ""),
    "mileage": ("note", ""), "occupation": ("note", ""), "hobby": ("note", ""), "sensitivity": ("ignore", ""),
    "priority": ("note", ""), "subject": ("note", ""), "language": ("languages", ""),
}

OUTLOOK: dict[str, Target] = {
    "first name": ("given_name", ""), "middle name": ("middle_name", ""), "last name": ("family_name", ""),
    "title": ("prefix", ""), "suffix": ("suffix", ""), "nickname": ("note", ""), "given yomi": ("note", ""),
    "surname yomi": ("note", ""), "e-mail address": ("email", ""), "e-mail 2 address": ("email", ""),
    "e-mail 3 address": ("email", ""), "e-mail type": ("ignore", ""), "e-mail display name": ("ignore", ""),
    "e-mail 2 type": ("ignore", ""), "e-mail 2 display name": ("ignore", ""), "e-mail 3 type": ("ignore", ""),
    "e-mail 3 display name": ("ignore", ""), "home phone": ("phone", "home"), "home phone 2": ("phone", "home"),
    "business phone": ("phone", "work"), "business phone 2": ("phone", "work"), "mobile phone": ("phone", "mobile"),
    "car phone": ("phone", "car"), "other phone": ("phone", "other"), "primary phone": ("phone", "main"),
    "pager": ("phone", "pager"), "business fax": ("phone", "work fax"), "home fax": ("phone", "home fax"),
    "other fax": ("phone", "fax"), "company main phone": ("phone", "work"), "callback": ("phone", "callback"),
    "radio phone": ("phone", "radio"), "telex": ("note", ""), "tty/tdd phone": ("phone", "textphone"),
    "assistant's phone": ("phone", "assistant"), "isdn": ("phone", "isdn"), "imaddress": ("note", ""),
    "job title": ("role", ""), "department": ("note", ""), "company": ("organisation", ""),
    "office location": ("note", ""), "manager's name": ("note", ""), "assistant's name": ("note", ""),
    "company yomi": ("note", ""), "business street": ("note", ""), "business street 2": ("note", ""),
    "business street 3": ("note", ""), "business city": ("note", ""), "business state": ("note", ""),
    "business postal code": ("note", ""), "business country/region": ("note", ""), "home street": ("street", ""),
    "home street 2": ("street2", ""), "home street 3": ("street2", ""), "home city": ("locality", ""),
    "home state": ("region", ""), "home postal code": ("postcode", ""), "home country/region": ("country", ""),
    "other street": ("note", ""), "other city": ("note", ""), "other state": ("note", ""),
    "other postal code": ("note", ""), "other country/region": ("note", ""), "personal web page": ("note", ""),
    "web page": ("note", ""), "spouse": ("note", ""), "schools": ("note", ""), "hobby": ("note", ""),
    "location": ("note", ""), "birthday": ("note", ""), "anniversary": ("note", ""), "notes": ("notes", ""),
    "categories": ("tags", ""), "language": ("languages", ""), "gender": ("note", ""),
    "account": ("note", ""), "billing information": ("note", ""), "directory server": ("note", ""),
    "initials": ("note", ""), "internet free busy": ("note", ""), "keywords": ("tags", ""),
    "mileage": ("note", ""), "priority": ("ignore", ""), "private": ("ignore", ""),
    "profession": ("note", ""), "referred by": ("note", ""), "sensitivity": ("ignore", ""),
    "user 1": ("note", ""), "user 2": ("note", ""), "user 3": ("note", ""), "user 4": ("note", ""),
    "children": ("note", ""), "government id number": ("ignore", ""), "organizational id number": ("note", ""),
    "business address po box": ("note", ""), "home address po box": ("street2", ""),
    "other address po box": ("note", ""), "e-mail 1 address": ("email", ""), "home county": ("region", ""),
    "home post code": ("postcode", ""), "home postcode": ("postcode", ""),
}

CIVICRM: dict[str, Target] = {
    "contact id": ("ignore", ""), "contact type": ("ignore", ""), "contact subtype": ("ignore", ""),
    "do not email": ("do_not_email", ""), "do not phone": ("do_not_phone", ""), "do not mail": ("do_not_mail", ""),
    "do not sms": ("do_not_sms", ""), "do not trade": ("ignore", ""), "no bulk emails (user opt out)": ("ignore", ""),
    "legal identifier": ("ignore", ""), "external identifier": ("ignore", ""), "sort name": ("ignore", ""),
    "display name": ("display_name", ""), "nickname": ("note", ""), "legal name": ("note", ""),
    "image url": ("ignore", ""), "preferred communication method": ("note", ""),
    "preferred language": ("languages", ""), "preferred mail format": ("ignore", ""), "contact hash": ("ignore", ""),
    "contact source": ("note", ""), "first name": ("given_name", ""), "middle name": ("middle_name", ""),
    "last name": ("family_name", ""), "individual prefix": ("prefix", ""),
    "individual suffix": ("suffix", ""), "formal title": ("prefix", ""), "prefix": ("prefix", ""),
    "suffix": ("suffix", ""), "prefix id": ("prefix", ""), "suffix id": ("suffix", ""),
    "communication style": ("ignore", ""), "email greeting": ("ignore", ""),
    "postal greeting": ("ignore", ""), "addressee": ("ignore", ""), "job title": ("role", ""),
    "gender": ("note", ""), "birth date": ("note", ""), "deceased": ("note", ""), "deceased date": ("note", ""),
    "household name": ("note", ""), "organization name": ("organisation", ""), "sic code": ("ignore", ""),
    "unique id (openid)": ("ignore", ""), "current employer": ("organisation", ""),
    "contact is in trash": ("ignore", ""), "created date": ("ignore", ""), "modified date": ("ignore", ""),
    "location type": ("ignore", ""), "street address": ("street", ""), "supplemental address 1": ("street2", ""),
    "supplemental address 2": ("street2", ""), "supplemental address 3": ("street2", ""), "city": ("locality", ""),
    "postal code suffix": ("ignore", ""), "postal code": ("postcode", ""), "latitude": ("ignore", ""),
    "longitude": ("ignore", ""), "address name": ("ignore", ""), "master address belongs to": ("ignore", ""),
    "county": ("region", ""), "state": ("region", ""), "country": ("country", ""), "phone": ("phone", ""),
    "phone extension": ("note", ""), "phone type": ("phone_label", ""), "email": ("email", ""),
    "on hold": ("ignore", ""), "use for bulk mail": ("ignore", ""), "signature text": ("ignore", ""),
    "signature html": ("ignore", ""), "im provider": ("ignore", ""), "im screen name": ("note", ""),
    "openid": ("ignore", ""), "world region": ("ignore", ""), "website": ("note", ""), "group(s)": ("tags", ""),
    "tag(s)": ("tags", ""), "note(s)": ("notes", ""), "state/province": ("region", ""),
    "street address (primary)": ("street", ""), "city (primary)": ("locality", ""),
    "postal code (primary)": ("postcode", ""), "country (primary)": ("country", ""),
    "email (primary)": ("email", ""), "phone (primary)": ("phone", ""),
    "state/province (primary)": ("region", ""), "contact_type": ("ignore", ""), "first": ("given_name", ""),
    "last": ("family_name", ""), "email address": ("email", ""), "street": ("street", ""),
    "phone number": ("phone", ""), "mobile": ("phone", "mobile"), "employer": ("organisation", ""),
    "organization": ("organisation", ""), "organisation": ("organisation", ""), "postcode": ("postcode", ""),
    "zip": ("postcode", ""), "state province": ("region", ""), "groups": ("groups", ""), "tags": ("tags", ""),
    "note": ("notes", ""), "notes": ("notes", ""), "is deceased": ("note", ""),
}

THUNDERBIRD: dict[str, Target] = {
    "first name": ("given_name", ""), "last name": ("family_name", ""), "display name": ("display_name", ""),
    "nickname": ("note", ""), "primary email": ("email", ""), "secondary email": ("email", ""),
    "screen name": ("note", ""), "work phone": ("phone", "work"), "home phone": ("phone", "home"),
    "fax number": ("phone", "fax"), "pager number": ("phone", "pager"), "mobile number": ("phone", "mobile"),
    "home address": ("street", ""), "home address 2": ("street2", ""), "home city": ("locality", ""),
    "home state": ("region", ""), "home zipcode": ("postcode", ""), "home country": ("country", ""),
    "home county": ("region", ""), "home post code": ("postcode", ""), "home postcode": ("postcode", ""),
    "work county": ("note", ""), "work post code": ("note", ""), "work postcode": ("note", ""),
    "work address": ("note", ""), "work address 2": ("note", ""), "work city": ("note", ""),
    "work state": ("note", ""), "work zipcode": ("note", ""), "work country": ("note", ""),
    "job title": ("role", ""), "department": ("note", ""), "organization": ("organisation", ""),
    "web page 1": ("note", ""), "web page 2": ("note", ""), "birth year": ("note", ""),
    "birth month": ("note", ""), "birth day": ("note", ""), "custom 1": ("note", ""), "custom 2": ("note", ""),
    "custom 3": ("note", ""), "custom 4": ("note", ""), "notes": ("notes", ""),
}

PRESETS: dict[str, dict[str, Target]] = {"google": GOOGLE, "outlook": OUTLOOK, "civicrm": CIVICRM,
                                         "thunderbird": THUNDERBIRD}
PRESET_CHOICES = ("auto", "google", "outlook", "civicrm", "thunderbird")

# Google's numbered columns: "Phone 1 - Value", "E-mail 2 - Label", "Address 1 - City"...
NUMBERED = re.compile(r"^(e-mail|email|phone|address|website|relation|event|im|custom field|organization|"
                      r"external id|user defined field) (\d+) - (.+)$")
# Families whose value column is written as "Label: value" in the notes, the label taken from its label column.
LABELLED_NOTES = {"website": "Website", "relation": "Relation", "event": "Event", "im": "Chat",
                  "custom field": "Custom field", "external id": "External ID", "user defined field": "Field"}
_GOOGLE_ADDRESS = {"street": "street", "city": "locality", "region": "region", "postal code": "postcode",
                   "country": "country", "po box": "street2", "extended address": "street2",
                   "formatted": "ignore", "label": "ignore", "type": "ignore", "neighborhood": "street2"}


def header_key(header: str) -> str:
    """A header compared case-insensitively with runs of spaces collapsed."""
    return " ".join(header.replace("\ufeff", "").strip().casefold().split())


def compact_key(header: str) -> str:
    """A header with case, spaces, underscores and punctuation gone: `first_name`, `FIRSTNAME` and
    "First Name" are one key (CiviCRM's own exports and import templates use all three)."""
    return re.sub(r"[^0-9a-z]+", "", header_key(header).replace("e-mail", "email"))


def lookup(table: dict[str, Target], header: str) -> Target | None:
    """The target of a header in a preset table, by exact key, else by compact key."""
    key = header_key(header)
    if key in table:
        return table[key]
    return _compact_table(table).get(compact_key(header))


def _compact_table(table: dict[str, Target]) -> dict[str, Target]:
    """The table by compact key, made once per table. (It was made again on every look-up: `setdefault` builds
    its default first. A CSV file of 10,000 columns took 29 s to map.) The entry keeps its table, so the id of a
    table since freed is never taken for another's."""
    entry = _compact_tables.get(id(table))
    if entry is None or entry[0] is not table:
        if len(_compact_tables) > 64:  # tables made for one file (the app's own headers): let old ones go
            _compact_tables.clear()
        entry = _compact_tables[id(table)] = (table, {compact_key(k): v for k, v in table.items()})
    return entry[1]


_compact_tables: dict[int, tuple[dict[str, Target], dict[str, Target]]] = {}


def numbered_target(header: str) -> tuple[str, str, str] | None:
    """For a Google numbered header: (field, label, the header of its label column) or None."""
    match = NUMBERED.match(header_key(header))
    if not match:
        return None
    kind, number, part = match.groups()
    if kind in ("e-mail", "email", "phone"):
        field = "email" if kind != "phone" else "phone"
        if part == "value":
            return field, "", f"{kind} {number} - label"
        if part in ("label", "type"):
            return "ignore", "", ""
        return "ignore", "", ""
    if kind == "address":
        if number != "1":
            return ("note", "", "") if part not in ("formatted", "label", "type") else ("ignore", "", "")
        return _GOOGLE_ADDRESS.get(part, "note"), "", ""
    if kind == "organization":
        return {"name": ("organisation", "", ""), "title": ("role", "", "")}.get(part, ("note", "", ""))
    if part == "value":
        return "note", LABELLED_NOTES.get(kind, kind.capitalize()), f"{kind} {number} - label"
    if part in ("label", "type"):
        return "ignore", "", ""  # read with its value column
    return "note", "", ""


def detect_preset(headers: list[str]) -> str:
    """The preset whose headers best cover these, or "auto"."""
    keys = {header_key(h) for h in headers}
    best, best_hits = "auto", 0
    compact = {compact_key(h) for h in headers}
    for name, table in PRESETS.items():
        hits = len(compact & {compact_key(k) for k in table})
        if name == "google":
            hits += sum(1 for k in keys if NUMBERED.match(k))
        if hits > best_hits and hits >= max(3, len(keys) // 3):
            best, best_hits = name, hits
    return best
