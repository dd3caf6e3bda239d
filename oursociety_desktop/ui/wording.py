"""One way to say a number of things, and human labels for fields: every count on screen goes through `plural`.

The English forms are given whole, as one gettext plural message, so "1 pages" cannot happen, a translator sees
complete sentences with a named `{n}` placeholder, and each language gets as many forms as its grammar has."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, QLocale, Qt, QTimeZone
from PySide6.QtGui import QGuiApplication

from oursociety_desktop.i18n import N_, _, ngettext

FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"


def plural(count: int, one: str, many: str, **values: object) -> str:
    """The English `one` and `many` (literals: extracted as one plural message, `-k plural:2,3`) in the user's
    language, in the form its grammar wants for `count` (gettext's plural forms: Welsh and Arabic have six),
    formatted with `n` (the count in the user's locale: 1,234) and the other named values."""
    return ngettext(one, many, count).format(n=QLocale().toString(count), **values)


def isolated(text: str) -> str:
    """Text shown in a right-to-left window, set apart so its own direction decides its order (Unicode bidi, UAX #9
    first-strong isolate): a phone number "0161 496 0057" has no letter to say its direction, so in an Urdu or
    Arabic window its groups came out as "0057 496 0161"; isolated, text without letters reads left to right, and
    Latin and Arabic names keep their own direction. In a left-to-right window the text is returned as it is."""
    if not text or QGuiApplication.layoutDirection() != Qt.LayoutDirection.RightToLeft:
        return text
    return FIRST_STRONG_ISOLATE + text + POP_DIRECTIONAL_ISOLATE


def field_label(name: str) -> str:
    """The label a contact field has on screen ("do_not_mail" → "Do not post"), for undo texts and messages."""
    labels = {
        "given_name": N_("given name"), "family_name": N_("family name"), "display_name": N_("display name"),
        "organisation": N_("organisation"), "role": N_("role"), "street": N_("street"),
        "locality": N_("town or city"), "region": N_("county or region"), "postcode": N_("postcode"),
        "country": N_("country"), "languages": N_("languages"), "tags": N_("tags"),
        "engagement_stage": N_("engagement"), "phones": N_("phones"), "emails": N_("emails"), "notes": N_("notes"),
        "private_notes": N_("private notes"), "share_with_hubs": N_("sharing with other hubs"),
        "include_in_directory": N_("printed directory"), "do_not_phone": N_("do not phone"),
        "do_not_email": N_("do not email"), "do_not_mail": N_("do not post"), "do_not_sms": N_("do not text"),
        "consent_recorded_at": N_("consent date"), "consent_method": N_("how consent was given"),
    }
    return _(labels[name]) if name in labels else name.replace("_", " ")


def local_time(value: str | datetime, with_time: bool = True) -> str:
    """A stored moment (ISO 8601, UTC when it has no zone) in the user's time zone and locale ("30/11/2026 09:15").

    Text that is not a moment is returned as it is."""
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    shown = QDateTime.fromSecsSinceEpoch(int(moment.timestamp()), QTimeZone.systemTimeZone())
    if not with_time:
        return QLocale().toString(shown.date(), QLocale.FormatType.ShortFormat)
    return QLocale().toString(shown, QLocale.FormatType.ShortFormat)
