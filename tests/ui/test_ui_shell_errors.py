"""Unexpected errors: a log in the data folder, a dialog with a copyable report, and the app keeps running."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.tables import Contact
from oursociety_desktop.paths import log_path
from oursociety_desktop.ui.errors import ErrorHandler


def _raise_and_handle(handler: ErrorHandler) -> None:
    try:
        {}["missing"]  # noqa: B018 - the unexpected error under test
    except KeyError:
        exc_type, exc, tb = sys.exc_info()
        assert exc_type is not None and exc is not None
        handler(exc_type, exc, tb)


def test_error_is_logged_and_shown_with_a_copyable_report(db: Database, data_dir: Path, qtbot: QtBot) -> None:
    with db.write() as tx:
        cid = create_contact(tx, {"given_name": "Kept"}).id
    handler = ErrorHandler(data_dir).install()
    try:
        assert sys.excepthook is handler
        _raise_and_handle(handler)
    finally:
        handler.uninstall()
    assert sys.excepthook is not handler
    log = log_path(data_dir).read_text(encoding="utf-8")
    assert "KeyError: 'missing'" in log and "Traceback" in log
    dialog = handler.dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.isVisible() and not dialog.isModal()  # the window behind keeps working
    assert "KeyError: 'missing'" in dialog.report.toPlainText()
    copy = next(b for b in dialog.findChildren(QPushButton) if b.text() == "&Copy report")
    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    assert "KeyError: 'missing'" in QGuiApplication.clipboard().text()
    # The edit made before the error is in the database.
    with db.read() as session:
        assert session.get(Contact, cid) is not None
    # A second error appends to the same log.
    _raise_and_handle(handler)
    assert log_path(data_dir).read_text(encoding="utf-8").count("KeyError: 'missing'") >= 2
    assert handler.dialog is not None
    qtbot.addWidget(handler.dialog)


def test_unwritable_log_still_shows_the_dialog(tmp_path: Path, qtbot: QtBot) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    handler = ErrorHandler(blocker)  # the "data folder" is a file: the log cannot be written
    _raise_and_handle(handler)
    assert handler.dialog is not None
    qtbot.addWidget(handler.dialog)
    assert "KeyError" in handler.last_report
