"""Choosing a meeting: coming ones first, each with its weekday, date and time in the user's locale, and a list
that narrows as you type any part of it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, QLocale, Qt, QTime
from PySide6.QtWidgets import QComboBox, QCompleter

MeetingRow = tuple[str, str, str, str]  # (id, title, starts_at, due)


def when_of(row: MeetingRow) -> str:
    """The moment a meeting is held: its start, else its due date (ISO)."""
    return row[2] or row[3]


def upcoming_first(rows: Iterable[MeetingRow], today: date | None = None) -> list[MeetingRow]:
    """Meetings from today on, soonest first, then the past ones, latest first (undated last)."""
    day = (today or date.today()).isoformat()
    dated = [r for r in rows if when_of(r)]
    coming = sorted((r for r in dated if when_of(r)[:10] >= day), key=lambda r: (when_of(r), r[1]))
    past = sorted((r for r in dated if when_of(r)[:10] < day), key=lambda r: when_of(r), reverse=True)
    return coming + past + [r for r in rows if not when_of(r)]


def meeting_label(title: str, when: str, locale: QLocale | None = None) -> str:
    """"Tue 3 Dec 2026, 18:30 — Tuesday Lunch Club" (the time only when one is set)."""
    if not when:
        return title
    shown = locale or QLocale()
    try:
        moment = datetime.fromisoformat(when)
    except ValueError:
        return f"{when} — {title}"
    day = QDate(moment.year, moment.month, moment.day)
    text = shown.toString(day, "ddd d MMM yyyy")
    if len(when) > 10:
        text += ", " + shown.toString(QDateTime(day, QTime(moment.hour, moment.minute)).time(),
                                      QLocale.FormatType.ShortFormat)
    return f"{text} — {title}"


def make_searchable(combo: QComboBox) -> None:
    """Let the user type any part of an entry (a title, a weekday, a date) to narrow the list."""
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = QCompleter(combo.model(), combo)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setCompleter(completer)
    line = combo.lineEdit()
    if line is not None:
        line.setPlaceholderText(combo.tr("Type part of a title or date"))
