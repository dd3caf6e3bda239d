"""Today: overdue and upcoming actions, recently changed contacts and counts; each line opens its record."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTreeWidget
from pytestqt.qtbot import QtBot

from oursociety_desktop.models.actions import create_action
from oursociety_desktop.models.contacts import create_contact, update_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.today import read_summary
from oursociety_desktop.ui.actions.labels import kind_labels, status_labels
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.today.workspace import TodayWorkspace
from oursociety_desktop.ui.translator import install_translators

TODAY = date(2026, 3, 10)


@pytest.fixture
def seeded(db: Database) -> dict[str, str]:
    with db.write() as tx:
        ids = {
            "late": create_action(tx, {"title": "Late report", "due": "2026-03-01"}).id,
            "late_done": create_action(tx, {"title": "Done already", "due": "2026-03-02", "status": "done"}).id,
            "soon": create_action(tx, {"title": "Meeting soon", "kind": "meeting", "due": "2026-03-12T18:30"}).id,
            "today": create_action(tx, {"title": "Due today", "due": "2026-03-10", "status": "doing"}).id,
            "far": create_action(tx, {"title": "Far away", "due": "2026-06-01"}).id,
            "anna": create_contact(tx, {"given_name": "Anna"}).id,
            "omar": create_contact(tx, {"given_name": "عمر"}).id,
        }
    with db.write() as tx:
        update_contact(tx, ids["anna"], {"role": "treasurer"})  # Anna changed last
    return ids


def texts(tree: QTreeWidget) -> list[str]:
    return [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]


def test_summary_without_a_window(db: Database, seeded: dict[str, str]) -> None:
    with db.read() as session:
        summary = read_summary(session.connection(), TODAY)
    assert [a.title for a in summary.overdue] == ["Late report"]
    assert [a.title for a in summary.upcoming] == ["Due today", "Meeting soon"]
    assert [c.name for c in summary.recent] == ["Anna", "عمر"]
    assert summary.counts == {"contacts": 2, "groups": 0, "open_actions": 4, "overdue": 1, "connections": 0}


def test_lists_and_opening_records(ctx: AppContext, seeded: dict[str, str], qtbot: QtBot) -> None:
    page = TodayWorkspace(ctx, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.show()
    assert texts(page.overdue) == ["Late report"]
    assert texts(page.upcoming) == ["Due today", "Meeting soon"]
    assert texts(page.recent) == ["Anna", "عمر"]
    assert "2 contacts" in page.counts.text() and "1 overdue" in page.counts.text()
    with qtbot.waitSignal(page.open_record) as blocker:
        page.upcoming.setFocus()
        page.upcoming.setCurrentItem(page.upcoming.topLevelItem(1))
        qtbot.keyClick(page.upcoming, Qt.Key.Key_Return)
    assert blocker.args == ["action", seeded["soon"]]
    with qtbot.waitSignal(page.open_record) as blocker:
        page.recent.itemActivated.emit(page.recent.topLevelItem(1), 0)
    assert blocker.args == ["contact", seeded["omar"]]


def test_refreshes_when_data_changes_and_says_when_empty(ctx: AppContext, qtbot: QtBot) -> None:
    page = TodayWorkspace(ctx, today=lambda: TODAY)
    qtbot.addWidget(page)
    assert texts(page.overdue) == ["Nothing overdue."]
    assert texts(page.recent) == ["No contacts yet."]
    with qtbot.assertNotEmitted(page.open_record):
        page.overdue.itemActivated.emit(page.overdue.topLevelItem(0), 0)
    with ctx.db.write() as tx:
        create_action(tx, {"title": "New late one", "due": "2026-01-01"})
    ctx.events.announce("action")
    assert texts(page.overdue) == ["New late one"]


def test_kinds_and_statuses_are_shown_in_the_windows_language(ctx: AppContext, seeded: dict[str, str],
                                                               qtbot: QtBot) -> None:
    """Stored in English, an action's kind and status were shown as stored: 'meeting' and 'doing' in a Welsh or
    Urdu window, beside translated headings, while the Actions workspace showed them translated."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    install_translators(app, "cy")
    try:
        page = TodayWorkspace(ctx, today=lambda: TODAY)
        qtbot.addWidget(page)
        page.show()
        shown = [[page.upcoming.topLevelItem(i).text(c) for c in (2, 3)]
                 for i in range(page.upcoming.topLevelItemCount())]
        assert shown == [[kind_labels()["task"], status_labels()["doing"]],
                         [kind_labels()["meeting"], status_labels()["open"]]]
        assert shown[1] != ["meeting", "open"]
    finally:
        install_translators(app, "en")
