"""One way to say a number of things: every count on screen goes through `plural`. What fields and record types
are called is in `models/wording.py`, shared with the command line.

The English forms are given whole, as one gettext plural message, so "1 pages" cannot happen, a translator sees
complete sentences with a named `{n}` placeholder, and each language gets as many forms as its grammar has."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, QLocale, Qt, QTimeZone
from PySide6.QtGui import QGuiApplication

from oursociety_desktop.i18n import ngettext

FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"


def plural(count: int, one: str, many: str, **values: object) -> str:
    """The English `one` and `many` (literals: extracted as one plural message, `-k plural:2,3`) in the user's
    language, in the form its grammar wants for `count` (gettext's plural forms: Welsh and Arabic have six),
    formatted with `n` (the count in the user's locale: 1,234) and the other named values."""
    return ngettext(one, many, count).format(n=QLocale().toString(count), **values)


def hours_text(hours: float) -> str:
    """A number of hours in the user's locale, as counts are (1,5 in Polish, ১.৫ in Bengali), with no trailing
    zeros: 2.0 is "2"."""
    return QLocale().toString(float(hours), "g", 6)


def isolated(text: str) -> str:
    """Text shown in a right-to-left window, set apart so its own direction decides its order (Unicode bidi, UAX #9
    first-strong isolate): a phone number "0161 496 0057" has no letter to say its direction, so in an Urdu or
    Arabic window its groups came out as "0057 496 0161"; isolated, text without letters reads left to right, and
    Latin and Arabic names keep their own direction. In a left-to-right window the text is returned as it is."""
    if not text or QGuiApplication.layoutDirection() != Qt.LayoutDirection.RightToLeft:
        return text
    return FIRST_STRONG_ISOLATE + text + POP_DIRECTIONAL_ISOLATE


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
    if QLocale().language() == QLocale.Language.C:  # no locale to follow: ISO, as the date fields write it
        return shown.toString("yyyy-MM-dd HH:mm" if with_time else "yyyy-MM-dd")
    if not with_time:
        return QLocale().toString(shown.date(), QLocale.FormatType.ShortFormat)
    return QLocale().toString(shown, QLocale.FormatType.ShortFormat)
