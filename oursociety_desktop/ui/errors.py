"""Unexpected errors: written to the log file in the data folder and shown in a dialog with a copyable report.

The app keeps running: every edit is saved when it is made, so nothing the user did before the error is lost.
"""

from __future__ import annotations

import platform
import sys
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from oursociety_desktop import __version__
from oursociety_desktop.models.atomic import append_private, private_folder
from oursociety_desktop.paths import log_path

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def error_report(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    """The text of a report: when, versions, and the traceback."""
    lines = [
        f"Our Society Desktop {__version__} — {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"Python {platform.python_version()}, Qt {qVersion()}, {platform.platform()}",
        "",
        *traceback.format_exception(exc_type, exc, tb),
    ]
    return "\n".join(line.rstrip("\n") for line in lines)


def write_log(folder: Path, report: str) -> Path | None:
    """Append the report to the data folder's log file; returns its path (None if it could not be written)."""
    target = log_path(folder)
    try:
        private_folder(target.parent)
        append_private(target, report + "\n" + "-" * 72 + "\n")
    except OSError:
        return None
    return target


class ErrorDialog(QDialog):
    """Says something went wrong, that earlier edits are saved, and shows the report with a Copy button."""

    def __init__(self, report: str, log_file: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Something went wrong"))
        where = (self.tr("The details were written to {0}.").format(log_file) if log_file
                 else self.tr("The details could not be written to the log file."))
        intro = QLabel(self.tr("Our Society hit an unexpected problem. Your edits up to now are saved and the app "
                               "keeps running. {0} If it happens again, send this report to whoever supports "
                               "your hub.").format(where), self)
        intro.setWordWrap(True)
        self.report = QPlainTextEdit(report, self)
        self.report.setReadOnly(True)
        self.report.setAccessibleName(self.tr("Error report"))
        self.report.setMinimumSize(560, 220)
        copy = QPushButton(self.tr("&Copy report"), self)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(report))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.report, 1)
        layout.addWidget(buttons)


class ErrorHandler:
    """Installed as `sys.excepthook`: logs and shows each unexpected exception instead of ending the app."""

    def __init__(self, folder: Path, parent: Callable[[], QWidget | None] = lambda: None,
                 show: bool = True) -> None:
        self.folder, self.parent, self.show = folder, parent, show
        self.previous: ExceptHook | None = None
        self.last_report = ""
        self.dialog: ErrorDialog | None = None

    def __call__(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            if self.previous is not None:
                self.previous(exc_type, exc, tb)
            return
        self.last_report = error_report(exc_type, exc, tb)
        log_file = write_log(self.folder, self.last_report)
        sys.stderr.write(self.last_report + "\n")
        if self.show:
            self.dialog = ErrorDialog(self.last_report, log_file, self.parent())
            self.dialog.setModal(False)
            self.dialog.show()

    def install(self) -> ErrorHandler:
        """Make this the process's excepthook (keeps the previous one for `uninstall`)."""
        self.previous = sys.excepthook
        sys.excepthook = self
        return self

    def uninstall(self) -> None:
        """Put back the previous hook."""
        if self.previous is not None:
            sys.excepthook = self.previous
