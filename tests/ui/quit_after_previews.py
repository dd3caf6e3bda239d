"""Run as a program by test_ui_shell_quit: open the real main window on a hub, make every kind of preview (each
print product, then a bundle import preview), then quit through File → Quit (Ctrl+Q) and let the interpreter
finalise. Exit code 0 means no abort on the way out; a PySide6 reference-count fault ends it with 134."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

import oursociety_desktop.ui  # noqa: F401 - installs the reference-count guard before any Qt call
from oursociety_desktop.models.database import Database
from oursociety_desktop.ui.main import application, make_context
from oursociety_desktop.ui.main_window import MainWindow
from oursociety_desktop.ui.tasks import TaskRunner


def wait_idle(app: QApplication, runner: TaskRunner, limit_s: float = 60) -> None:
    start = time.monotonic()
    while runner.busy() and time.monotonic() - start < limit_s:
        app.processEvents()
        time.sleep(0.005)
    app.processEvents()


def main(folder: Path, bundle: Path) -> int:
    app = application([])
    db = Database.open(folder)
    ctx = make_context(db, TaskRunner(show_dialog=False))
    window = MainWindow(ctx, folder)
    ctx.runner.parent_widget = window
    window.show()
    printing = window.show_workspace("print")
    combo = printing.panel.product_combo  # type: ignore[attr-defined]
    for i in range(combo.count()):
        combo.setCurrentIndex(i)
        if printing.panel.group_combo.count() > 1:  # type: ignore[attr-defined]
            printing.panel.group_combo.setCurrentIndex(1)  # type: ignore[attr-defined]
        printing.make_preview()  # type: ignore[attr-defined]
        wait_idle(app, ctx.runner)
        print(combo.itemData(i), printing.document.pageCount(), flush=True)  # type: ignore[attr-defined]
    exchange = window.show_workspace("exchange")
    panel = exchange.import_panel  # type: ignore[attr-defined]
    panel.import_path = bundle
    panel.start_preview()
    wait_idle(app, ctx.runner)
    print("bundle", panel.preview is not None, flush=True)
    # Quit as the user does: the menu's Quit action (Ctrl+Q), from inside the running event loop.
    QTimer.singleShot(0, window.quit_action.trigger)
    code = app.exec()
    ctx.runner.pool.waitForDone()
    db.close()
    print("quit", code, flush=True)
    return int(code)


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
