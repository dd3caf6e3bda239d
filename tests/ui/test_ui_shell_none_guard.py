"""The app survives PySide6 6.12.0's lost references to None on Python 3.11 (see ui/none_guard.py)."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import sys
import oursociety_desktop.ui  # installs the guard
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel("x")
for _ in range(100_000):
    label.update()  # a void method: on 6.12.0 + Python 3.11 each call drops a reference to None
for _ in range(2_000):
    app.processEvents()
print("alive")
"""


def test_many_void_qt_calls_do_not_abort_the_interpreter() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip().endswith("alive")
