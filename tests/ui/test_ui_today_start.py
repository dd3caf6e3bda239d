"""An empty hub's start (issue 17): Today offers "add your first person", "import a file" and "try demo data"
while nobody is in the hub, and each one works."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from oursociety_desktop.models.database import Database
from oursociety_desktop.ui.contacts.dialogs import NewContactDialog
from oursociety_desktop.ui.context import AppContext, DataEvents
from oursociety_desktop.ui.interop.import_wizard import ImportWizard
from oursociety_desktop.ui.main_window import MainWindow
from oursociety_desktop.ui.tasks import SyncTaskRunner
from oursociety_desktop.ui.today.workspace import TodayWorkspace


def test_an_empty_hub_offers_three_ways_to_start(db: Database, data_dir: Path, qtbot: QtBot) -> None:
    ctx = AppContext(db, SyncTaskRunner(), QUndoStack(), DataEvents())
    window = MainWindow(ctx, data_dir)
    qtbot.addWidget(window)
    window.show()
    today = window.workspace("today")
    assert isinstance(today, TodayWorkspace)
    assert today.start_box.isVisible()

    def add_ada() -> None:
        modal = QApplication.activeModalWidget()
        if not isinstance(modal, NewContactDialog):
            QTimer.singleShot(10, add_ada)
            return
        modal.given.setText("Ada")
        modal.accept()

    QTimer.singleShot(0, add_ada)
    today.start_buttons["person"].click()
    assert window.current_key() == "contacts"
    window.show_workspace("today")
    assert not today.start_box.isVisible()  # somebody is in the hub now

    today.start_buttons["import"].click()
    assert window.current_key() == "interop"
    assert any(w.isVisible() for w in window.findChildren(ImportWizard))

    today.start_buttons["demo"].click()  # the synchronous runner: done at once
    with db.read() as session:
        count = session.connection().exec_driver_sql("SELECT COUNT(*) FROM contact WHERE deleted = 0").scalar()
    assert count and count > 100
