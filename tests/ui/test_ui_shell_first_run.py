"""First run: the dialog, the hub it creates, demo data on the task runner, and opening an existing hub."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from oursociety_desktop.models.database import Database
from oursociety_desktop.models.health import record_counts
from oursociety_desktop.paths import database_path
from oursociety_desktop.ui.first_run import FirstRunDialog, add_demo_data, create_hub
from oursociety_desktop.ui.main import open_or_create
from oursociety_desktop.ui.tasks import SyncTaskRunner


def type_text(widget: QWidget, text: str) -> None:
    widget.setFocus()
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


def test_dialog_needs_a_name_and_shows_the_data_folder(data_dir: Path, qtbot: QtBot) -> None:
    dialog = FirstRunDialog(data_dir)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.folder_label.text() == str(data_dir)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert ok.text() == "Create hub"
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()  # refused: no name
    assert "Give the hub a name" in dialog.message.text()
    assert not database_path(data_dir).exists()
    type_text(dialog.hub_name, "Świetlica Łódź")
    dialog.region.setCurrentIndex(dialog.region.findData("PL"))
    qtbot.mouseClick(dialog.demo, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    choices = dialog.choices()
    assert (choices.hub_name, choices.region, choices.demo) == ("Świetlica Łódź", "PL", True)


def test_every_input_has_an_accessible_name(data_dir: Path, qtbot: QtBot) -> None:
    dialog = FirstRunDialog(data_dir)
    qtbot.addWidget(dialog)
    for widget in (dialog.hub_name, dialog.region):
        assert widget.accessibleName()


def test_first_run_flow_creates_the_hub_with_demo_data(data_dir: Path, qtbot: QtBot) -> None:
    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, FirstRunDialog):
            QTimer.singleShot(10, answer)
            return
        type_text(dialog.hub_name, "Riverside Hub")
        dialog.region.setCurrentIndex(dialog.region.findData("IE"))
        dialog.demo.setChecked(True)
        dialog.accept()

    QTimer.singleShot(0, answer)
    opened = open_or_create(data_dir)
    assert opened is not None
    db, wants_demo = opened
    try:
        assert wants_demo is True
        assert db.hub_name == "Riverside Hub"
        assert db.setting("default_region") == "IE"
        runner = SyncTaskRunner()
        results: list[object] = []
        add_demo_data(runner, db, on_done=results.append, on_error=lambda m: results.append(("error", m)),
                      contacts=40)
        assert results and isinstance(results[0], dict) and results[0]["contact"] == 40
        assert runner.progress_seen  # progress was reported
        with db.read() as session:
            assert record_counts(session.connection())["contact"]["live"] == 40
    finally:
        db.close()
    # Next start: the hub is opened without asking anything.
    again = open_or_create(data_dir)
    assert again is not None
    again[0].close()
    assert again[1] is False


def test_cancelled_demo_leaves_an_empty_hub(data_dir: Path) -> None:
    from oursociety_desktop.ui.first_run import FirstRunChoices

    db = create_hub(data_dir, FirstRunChoices("Hub", "GB", True))
    try:
        errors: list[str] = []
        add_demo_data(SyncTaskRunner(cancel_at=1), db, on_done=lambda _r: None, on_error=errors.append, contacts=50)
        assert errors and "cancelled" in errors[0].lower()
        with db.read() as session:
            assert record_counts(session.connection())["contact"]["live"] == 0
    finally:
        db.close()


def test_cancel_first_run_creates_nothing(data_dir: Path) -> None:
    QTimer.singleShot(0, lambda: QApplication.activeModalWidget() and QApplication.activeModalWidget().reject())
    assert open_or_create(data_dir) is None
    assert not database_path(data_dir).exists()


def test_existing_hub_opens(db: Database, data_dir: Path) -> None:
    opened = open_or_create(data_dir)
    assert opened is not None
    assert opened[0].hub_id == db.hub_id
    opened[0].close()


START_SCRIPT = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from oursociety_desktop.ui.main import run
from oursociety_desktop.ui.main_window import MainWindow

def look():
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    if not windows:
        QTimer.singleShot(20, look)
        return
    print("TITLE", windows[0].windowTitle(), windows[0].current_key())
    windows[0].close()
    QApplication.quit()

QTimer.singleShot(0, look)
sys.exit(run(Path(sys.argv[1]), sys.argv[:1]))
"""


def test_run_opens_the_main_window_on_an_existing_hub(db: Database, data_dir: Path) -> None:
    """What `oursociety` with no arguments does, in its own process: the window opens on the hub; quitting
    returns 0."""
    import os
    import subprocess
    import sys

    db.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "-c", START_SCRIPT, str(data_dir)], capture_output=True, text=True,
                          env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "TITLE Test Hub today" in proc.stdout


FIRST_RUN_SCRIPT = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from oursociety_desktop.ui.first_run import FirstRunDialog
from oursociety_desktop.ui.main import run
from oursociety_desktop.ui.main_window import MainWindow

def answer():
    dialog = QApplication.activeModalWidget()
    if not isinstance(dialog, FirstRunDialog):
        QTimer.singleShot(20, answer)
        return
    dialog.hub_name.setText("Hub Północ")
    dialog.region.setCurrentIndex(dialog.region.findData("PL"))
    dialog.demo.setChecked(True)
    dialog.accept()
    QTimer.singleShot(20, wait_for_demo)

def wait_for_demo():
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    if not windows or windows[0].ctx.runner.busy():
        QTimer.singleShot(50, wait_for_demo)
        return
    today = windows[0].workspace("today")
    print("COUNTS", today.counts.text())
    windows[0].close()
    QApplication.quit()

QTimer.singleShot(0, answer)
sys.exit(run(Path(sys.argv[1]), sys.argv[:1]))
"""


def test_first_run_in_the_real_app_with_demo_data_on_a_worker_thread(data_dir: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "-c", FIRST_RUN_SCRIPT, str(data_dir)], capture_output=True, text=True,
                          env=env, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "COUNTS 500 contacts" in proc.stdout  # Today refreshed once the worker finished
    db = Database.open(data_dir)
    try:
        assert db.hub_name == "Hub Północ"
        assert db.setting("default_region") == "PL"
        with db.read() as session:
            assert record_counts(session.connection())["contact"]["live"] == 500
    finally:
        db.close()
