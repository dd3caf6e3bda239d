"""Start the desktop app on the hub in a data folder."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from oursociety_desktop.models.database import Database


def run_app(folder: Path, language: str | None = None) -> int:
    """Open the main window (the UI package imports Qt only here, so the CLI never needs a display); `language`
    is the --lang option, if given."""
    from oursociety_desktop.ui.main import run

    return run(folder, sys.argv[:1], language)


def report_qt_failures(on_fatal: Callable[[str], None]) -> None:
    """For `--self-test`: Qt's fatal messages go to `on_fatal` (see ui/self_test.py)."""
    from oursociety_desktop.ui.self_test import report_qt_failures as route

    route(on_fatal)


def window_self_test(db: Database, folder: Path, contact_id: str) -> tuple[int, float]:
    """The window's part of `--self-test`: show the main window on `db` (see ui/self_test.py); returns the rows
    the contacts list shows and the time.monotonic() at which the window was first shown."""
    from oursociety_desktop.ui.self_test import show_window

    return show_window(db, folder, contact_id)


def pdf_text(path: Path) -> tuple[int, str]:
    """(pages, text) of a PDF read back through Qt's PDF module, for `--self-test`."""
    from oursociety_desktop.ui.self_test import pdf_text as read

    return read(path)
