"""Dates and times (issue 17, problem 7): typed in the user's locale or picked on a calendar; the meeting picker
lists coming meetings first with weekday, date and time, and narrows as you type."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from oursociety_desktop.models.actions import create_action
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.errors import ValidationError
from oursociety_desktop.ui.printing.options_panel import PrintOptionsPanel
from oursociety_desktop.ui.widgets.dates import DateEdit, locale_date_order, parse_typed_date
from oursociety_desktop.ui.widgets.meeting_picker import make_searchable, meeting_label, upcoming_first

MONDAY = datetime(2026, 11, 30, 9, 0)


@pytest.fixture
def british() -> Iterator[None]:
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    yield
    QLocale.setDefault(before)


@pytest.mark.parametrize(("typed", "order", "expected"), [
    ("2026-12-03", "DMY", "2026-12-03"),
    ("3/12", "DMY", "2026-12-03"),
    ("3/12", "MDY", "2027-03-12"),  # March 12th has passed this year: the next one
    ("3 Dec", "DMY", "2026-12-03"),
    ("next tue", "DMY", "2026-12-01"),
    ("3 grudnia", "DMY", "2026-12-03"),
])
def test_typed_dates_are_read_in_the_locale(typed: str, order: str, expected: str) -> None:
    assert parse_typed_date(typed, False, today=MONDAY, order=order, languages=("en", "pl")) == expected


def test_times_are_kept_when_asked_for() -> None:
    assert parse_typed_date("tomorrow 7pm", True, today=MONDAY) == "2026-12-01T19:00"
    assert parse_typed_date("2026-12-03 18:30", True, today=MONDAY) == "2026-12-03T18:30"
    with pytest.raises(ValueError):
        parse_typed_date("45 Smarch", False, today=MONDAY)


def test_the_field_shows_the_locale_and_reads_it_back(british: None, qtbot: QtBot) -> None:
    assert locale_date_order() == "DMY"
    edit = DateEdit(True)
    qtbot.addWidget(edit)
    edit.set_iso("2026-12-03T18:30")
    assert edit.text() == "03/12/2026 18:30"
    assert edit.iso() == "2026-12-03T18:30"
    edit.setText("nonsense day")
    with pytest.raises(ValidationError) as exc:
        edit.iso("due")
    assert exc.value.field == "due" and "YYYY" not in exc.value.message


def test_the_calendar_picks_a_day_and_keeps_the_time(british: None, qtbot: QtBot) -> None:
    edit = DateEdit(True)
    qtbot.addWidget(edit)
    edit.show()
    edit.set_iso("2026-12-03T18:30")
    qtbot.keyClick(edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # the keyboard opens it
    popup = edit.popup
    assert popup is not None and popup.isVisible()
    assert popup.calendar.selectedDate() == QDate(2026, 12, 3)
    with qtbot.waitSignal(edit.editingFinished):
        popup.calendar.activated.emit(QDate(2026, 12, 10))
    assert edit.iso() == "2026-12-10T18:30" and not popup.isVisible()


def test_meetings_come_upcoming_first_with_weekday_and_time(british: None) -> None:
    rows = [("a", "Old AGM", "2026-11-01T19:00", ""), ("b", "Lunch Club", "2026-12-01T12:30", ""),
            ("c", "Soon", "", "2026-11-30"), ("d", "Later", "2027-01-05T18:00", "")]
    ordered = upcoming_first(rows, today=date(2026, 11, 30))
    assert [r[0] for r in ordered] == ["c", "b", "d", "a"]
    assert meeting_label("Lunch Club", "2026-12-01T12:30") == "Tue 1 Dec 2026, 12:30 — Lunch Club"
    assert meeting_label("Soon", "2026-11-30") == "Mon 30 Nov 2026 — Soon"


def test_the_print_meeting_picker_is_searchable(db: Database, british: None, qtbot: QtBot) -> None:
    today = date.today()
    with db.write() as tx:
        for i in range(40):
            create_action(tx, {"title": f"Meeting {i}", "kind": "meeting",
                               "starts_at": f"{(today + timedelta(days=i)).isoformat()}T18:00"})
        create_action(tx, {"title": "Tuesday Lunch Club", "kind": "meeting",
                           "starts_at": f"{(today + timedelta(days=3)).isoformat()}T12:30"})
    panel = PrintOptionsPanel(db)
    qtbot.addWidget(panel)
    panel.reload_choices()
    combo = panel.meeting_combo
    assert combo.itemText(1).endswith("— Meeting 0")  # today's first
    assert ", 18:00 — " in combo.itemText(1)
    completer = combo.completer()
    assert completer is not None and completer.filterMode() == Qt.MatchFlag.MatchContains
    completer.setCompletionPrefix("lunch")
    assert completer.completionCount() == 1
    assert "Tuesday Lunch Club" in completer.currentCompletion()


def test_make_searchable_keeps_item_data(qtbot: QtBot) -> None:
    combo = QComboBox()
    qtbot.addWidget(combo)
    combo.addItem("First", "1")
    combo.addItem("Second", "2")
    make_searchable(combo)
    combo.setCurrentIndex(1)
    assert combo.currentData() == "2" and combo.isEditable()
