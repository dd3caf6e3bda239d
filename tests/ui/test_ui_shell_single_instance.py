"""One window (issue 17, problem 10): starting the app again on the same hub brings the running window to the
front, through a local socket, with no dialog about process ids."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from oursociety_desktop.models.database import Database
from oursociety_desktop.ui import main as ui_main
from oursociety_desktop.ui.single_instance import InstanceServer, ask_running_to_show, server_name

HOLDER = """
import sys
from pathlib import Path
from PySide6.QtCore import QLockFile, QTimer
from PySide6.QtWidgets import QApplication
from oursociety_desktop.ui.single_instance import InstanceServer
app = QApplication([])
folder = Path(sys.argv[1])
lock = QLockFile(str(folder / "oursociety.lock"))
lock.setStaleLockTime(0)
assert lock.tryLock(1000)
server = InstanceServer(folder)
server.show_requested.connect(lambda: (print("shown", flush=True), app.quit()))
print("listening", server.listen(), flush=True)
QTimer.singleShot(30000, app.quit)
app.exec()
"""


def test_a_second_start_brings_the_first_window_forward(db: Database, data_dir: Path, qtbot: QtBot,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(data_dir)], stdout=subprocess.PIPE, text=True,
                              env=env)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "listening True"
        dialogs: list[str] = []
        monkeypatch.setattr(ui_main.QMessageBox, "information", lambda *a: dialogs.append(str(a)))
        monkeypatch.setattr(ui_main.QMessageBox, "warning", lambda *a: dialogs.append(str(a)))
        assert ui_main.hold_instance_lock(data_dir) is None  # this start leaves...
        assert dialogs == []  # ...without a dialog
        assert holder.stdout.readline().strip() == "shown"  # and the running app was asked to show its window
    finally:
        holder.kill()
        holder.wait()


def test_the_server_raises_the_window(data_dir: Path, qtbot: QtBot) -> None:
    data_dir.mkdir()
    server = InstanceServer(data_dir)
    assert server.listen()
    window = QWidget()
    qtbot.addWidget(window)
    window.showMinimized()
    server.show_requested.connect(lambda: ui_main.bring_to_front(window))
    with qtbot.waitSignal(server.show_requested, timeout=3000):
        # The client blocks while it writes: run it once the server can answer (same thread, so short waits).
        assert ask_running_to_show(data_dir, wait_ms=500)
    assert window.isVisible() and not window.isMinimized()
    server.close()
    assert not ask_running_to_show(data_dir, wait_ms=200)  # nobody listening: the caller tells the user


def test_each_folder_has_its_own_socket(tmp_path: Path) -> None:
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")
    assert server_name(tmp_path / "a") == server_name(tmp_path / "a")
