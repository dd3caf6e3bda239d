"""The main window as the window tests use it: shown, active, closed by pytest-qt after the test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.main_window import MainWindow


def active_window(ctx: AppContext, data_dir: Path, qtbot: QtBot, **options: Any) -> MainWindow:
    """A main window on `ctx`, shown and active (keyboard focus works as for a user)."""
    win = MainWindow(ctx, data_dir, **options)
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitActive(win)
    return win
