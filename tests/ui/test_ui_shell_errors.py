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


CRASHING_SLOT_SCRIPT = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from oursociety_desktop.ui.errors import ErrorDialog
from oursociety_desktop.ui.main import application, run
from oursociety_desktop.ui.main_window import MainWindow

app = application(sys.argv[:1])  # timers need the application's event dispatcher

def boom():
    raise RuntimeError("slot failed on purpose")

def check():
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, ErrorDialog) and w.isVisible()]
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    if not dialogs:
        QTimer.singleShot(20, check)
        return
    windows[0].show_workspace("contacts")  # still working after the error
    print("STILL RUNNING", windows[0].current_key(), "slot failed on purpose" in dialogs[0].report.toPlainText())
    QApplication.quit()

QTimer.singleShot(50, boom)
QTimer.singleShot(100, check)
sys.exit(run(Path(sys.argv[1]), sys.argv[:1]))
"""


def test_exception_in_a_slot_of_the_running_app(db: Database, data_dir: Path) -> None:
    import os
    import subprocess

    db.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "-c", CRASHING_SLOT_SCRIPT, str(data_dir)], capture_output=True,
                          text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "STILL RUNNING contacts True" in proc.stdout
    assert "RuntimeError: slot failed on purpose" in log_path(data_dir).read_text(encoding="utf-8")
