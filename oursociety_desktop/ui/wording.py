"""One way to say a number of things, and human labels for fields: every count on screen goes through `plural`.

Until the strings move to gettext (a later issue) the two forms are given whole, so "1 pages" cannot happen and a
translator sees complete sentences with a named `{n}` placeholder."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale


def plural(count: int, one: str, many: str, **values: object) -> str:
    """`one` or `many`, formatted with `n` (the count in the user's locale: 1,234) and the other named values."""
    return (one if count == 1 else many).format(n=QLocale().toString(count), **values)


def field_label(name: str) -> str:
    """The label a contact field has on screen ("do_not_mail" → "Do not post"), for undo texts and messages."""
    labels = {
        "given_name": "given name", "family_name": "family name", "display_name": "display name",
        "organisation": "organisation", "role": "role", "street": "street", "locality": "town or city",
        "region": "county or region", "postcode": "postcode", "country": "country", "languages": "languages",
        "tags": "tags", "engagement_stage": "engagement", "phones": "phones", "emails": "emails", "notes": "notes",
        "private_notes": "private notes", "share_with_hubs": "sharing with other hubs",
        "include_in_directory": "printed directory", "do_not_phone": "do not phone", "do_not_email": "do not email",
        "do_not_mail": "do not post", "do_not_sms": "do not text", "consent_recorded_at": "consent date",
        "consent_method": "how consent was given",
    }
    return QCoreApplication.translate("Fields", labels.get(name, name.replace("_", " ")))
