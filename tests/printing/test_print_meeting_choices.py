"""The sign-in sheet's meeting list offers meetings about to happen, not every meeting the hub ever held."""

from __future__ import annotations

from datetime import date, timedelta

from pytestqt.qtbot import QtBot

from oursociety_desktop.models.actions import create_action
from oursociety_desktop.models.database import Database
from oursociety_desktop.ui.printing.options_panel import PrintOptionsPanel


def test_only_recent_and_coming_meetings_are_offered(db: Database, qtbot: QtBot) -> None:
    today = date.today()
    with db.write() as tx:
        create_action(tx, {"title": "Long ago", "kind": "meeting", "due": (today - timedelta(days=90)).isoformat()})
        create_action(tx, {"title": "Last week", "kind": "meeting",
                           "starts_at": f"{(today - timedelta(days=7)).isoformat()}T18:30"})
        create_action(tx, {"title": "Next month", "kind": "event", "due": (today + timedelta(days=30)).isoformat()})
        create_action(tx, {"title": "Tomorrow", "kind": "meeting",
                           "starts_at": f"{(today + timedelta(days=1)).isoformat()}T19:00"})
        create_action(tx, {"title": "Not a meeting", "kind": "task", "due": today.isoformat()})
    panel = PrintOptionsPanel(db)
    qtbot.addWidget(panel)
    panel.reload_choices()
    # Coming meetings first, soonest first, then the recent past (issue 17); each shown as "<weekday date, time> —
    # <title>".
    titles = [panel.meeting_combo.itemText(i).split(" — ")[-1] for i in range(panel.meeting_combo.count())]
    assert titles == ["No meeting", "Tomorrow", "Next month", "Last week"]
