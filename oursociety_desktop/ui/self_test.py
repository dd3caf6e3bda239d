"""The window's half of `oursociety --self-test`: the real main window on a temporary hub, and a printed PDF read
back through QtPdf. In a standalone build these prove that Qt's platform plugin, its PDF module and the window's
imports were all bundled; from source they prove the same of the installed binding."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QApplication

from oursociety_desktop import i18n
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.ui.contacts.workspace import ContactsWorkspace
from oursociety_desktop.ui.main import application, make_context, open_main_window
from oursociety_desktop.ui.translator import install_translators


def report_qt_failures(on_fatal: Callable[[str], None]) -> None:
    """Route Qt's messages for the self-test: a fatal one (no platform plug-in could be loaded, the usual fault of
    an incomplete build) goes to `on_fatal` with its first line, which ends the process before Qt aborts it; the
    rest (the offscreen platform's notes) are left out of the self-test's report."""
    def handler(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        if kind == QtMsgType.QtFatalMsg:
            on_fatal("Qt: " + (message.strip().splitlines() or [""])[0])

    qInstallMessageHandler(handler)


def _settle(app: QCoreApplication, seconds: float = 0.3) -> None:
    """Let queued events (the first paint, lazy workspace set-up) run for a moment."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def show_window(db: Database, folder: Path, contact_id: str) -> tuple[int, float]:
    """Open the main window on `db`, show the contact in the Contacts workspace and close it again. Returns the
    number of rows the contacts list shows and when (time.monotonic()) the window was first shown and painted;
    raises UserError when the window could not be shown."""
    app = application(["oursociety"])
    install_translators(app, i18n.current_language())
    ctx = make_context(db)
    window = open_main_window(ctx, folder, wants_demo=False)
    try:
        app.processEvents()
        shown_at = time.monotonic()
        _settle(app)
        if not window.isVisible():
            raise UserError(QApplication.translate("SelfTest", "The main window could not be shown."))
        if window.windowIcon().availableSizes() == []:
            raise UserError(QApplication.translate("SelfTest", "The app's icon is missing."))
        window.open_record("contact", contact_id)
        _settle(app)
        contacts = window.workspace("contacts")
        return (contacts.model.rowCount() if isinstance(contacts, ContactsWorkspace) else 0), shown_at
    finally:
        window.close()
        ctx.runner.pool.waitForDone()
        window.deleteLater()
        _settle(app, 0.05)


def pdf_text(path: Path) -> tuple[int, str]:
    """(pages, the text of every page) of a PDF, read with Qt's own PDF module (PySide6-Pdf)."""
    document = QPdfDocument()
    error = document.load(str(path))
    if error != QPdfDocument.Error.None_:
        raise UserError(QApplication.translate("SelfTest", "Qt could not read the printed PDF ({error}).").format(
            error=error.name))
    pages = document.pageCount()
    text = "\n".join(document.getAllText(page).text() for page in range(pages))
    document.close()
    return pages, text
