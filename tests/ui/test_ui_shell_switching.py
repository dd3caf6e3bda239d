"""Switching workspaces reads a workspace's data again exactly once (it used to be twice for Groups, Actions and
Connections: once by the window, once by the workspace itself)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot

from oursociety_desktop.models.database import Database
from oursociety_desktop.ui.context import AppContext, DataEvents
from oursociety_desktop.ui.main_window import MainWindow
from oursociety_desktop.ui.tasks import SyncTaskRunner
from oursociety_desktop.ui.workspaces import WORKSPACES


@pytest.mark.parametrize("key", ["groups", "actions", "connections", "today", "contacts"])
def test_each_switch_refreshes_once(key: str, db: Database, data_dir: Path, qtbot: QtBot,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    window = MainWindow(AppContext(db, SyncTaskRunner(), QUndoStack(), DataEvents()), data_dir, specs=WORKSPACES)
    qtbot.addWidget(window)
    window.show()
    widget = window.show_workspace(key)
    window.show_workspace("exchange" if key != "exchange" else "today")
    calls: list[str] = []
    original = widget.refresh  # type: ignore[attr-defined]
    monkeypatch.setattr(widget, "refresh", lambda: (calls.append(key), original()))
    window.show_workspace(key)
    assert calls == [key]
    window.show_workspace(key)  # already in front: asked again, reads again once
    assert calls == [key, key]


@pytest.mark.parametrize("key,record_type", [("groups", "membership"), ("actions", "action"),
                                             ("connections", "connection")])
def test_a_change_while_hidden_is_read_once_on_showing(key: str, record_type: str, db: Database, data_dir: Path,
                                                       qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = AppContext(db, SyncTaskRunner(), QUndoStack(), DataEvents())
    window = MainWindow(ctx, data_dir, specs=WORKSPACES)
    qtbot.addWidget(window)
    window.show()
    widget = window.show_workspace(key)
    window.show_workspace("today")
    calls: list[str] = []
    original = widget.refresh  # type: ignore[attr-defined]
    monkeypatch.setattr(widget, "refresh", lambda: (calls.append(key), original()))
    ctx.events.announce(record_type)  # hidden: only noted
    assert calls == []
    window.show_workspace(key)
    assert calls == [key]
