"""Application start-up: a minimal window that shows the hub and where its data lives.

The full workspaces come with the desktop-app issue; this keeps `oursociety` runnable from the first day.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox

from oursociety_desktop.models.database import Database
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.paths import database_path


def run(folder: Path, argv: list[str]) -> int:
    """Create the QApplication and show the main window; returns the exit code."""
    app = QApplication.instance() or QApplication(argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Our Society")
    try:
        db = Database.open(folder) if database_path(folder).exists() else Database.create(folder, "Our Society hub")
    except UserError as exc:
        QMessageBox.critical(None, app.tr("Our Society"), exc.message)
        return 1
    window = QMainWindow()
    window.setWindowTitle(app.tr("Our Society — {0}").format(db.hub_name))
    label = QLabel(app.tr("Hub: {0}\nData folder: {1}").format(db.hub_name, folder))
    label.setMargin(24)
    window.setCentralWidget(label)
    window.resize(900, 600)
    window.show()
    code = app.exec()
    db.close()
    return int(code)
