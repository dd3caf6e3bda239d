"""Application start-up: the QApplication, the error handler, first run (when the data folder has no hub),
then the main window on the user's data."""

from __future__ import annotations

import ctypes
import importlib
import sys
import threading
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QLockFile
from PySide6.QtGui import QIcon, QUndoStack
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from oursociety_desktop.i18n import choose_language
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.errors import DatabaseDamaged, UserError
from oursociety_desktop.paths import database_path, storage_warning
from oursociety_desktop.ui.context import AppContext, DataEvents
from oursociety_desktop.ui.errors import ErrorHandler
from oursociety_desktop.ui.first_run import FirstRunDialog, add_demo_data, create_hub
from oursociety_desktop.ui.heap import freeze_long_lived
from oursociety_desktop.ui.main_window import MainWindow
from oursociety_desktop.ui.recovery import offer_restore
from oursociety_desktop.ui.settings import apply_text_size
from oursociety_desktop.ui.single_instance import InstanceServer, ask_running_to_show
from oursociety_desktop.ui.tasks import TaskRunner
from oursociety_desktop.ui.translator import install_translators
from oursociety_desktop.ui.widgets.focus_frame import show_focus_frames
from oursociety_desktop.ui.wording import plural


def application(argv: list[str]) -> QApplication:
    """The one QApplication, named for the platform (settings, window titles)."""
    app = QApplication.instance() or QApplication(argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Our Society")
    app.setApplicationDisplayName("Our Society")
    app.setOrganizationName("OurSociety")
    # Matches the desktop entry's name, so a Wayland or X11 desktop links the window to its entry and icon.
    app.setDesktopFileName("org.oursociety.Desktop")
    app.setWindowIcon(app_icon())
    show_focus_frames()
    return app


ICON_SIZES = (16, 32, 48, 64, 128, 256)


def app_icon() -> QIcon:
    """The app's icon from the PNGs rendered from its SVG (resources/icons; PNG needs no image plug-in)."""
    icon = QIcon()
    folder = resources.files("oursociety_desktop.resources").joinpath("icons")
    for size in ICON_SIZES:
        with resources.as_file(folder.joinpath(f"oursociety-{size}.png")) as path:
            icon.addFile(str(path))
    return icon


def make_context(db: Database, runner: TaskRunner | None = None) -> AppContext:
    """The services every workspace is given."""
    return AppContext(db=db, runner=runner or TaskRunner(), undo_stack=QUndoStack(), events=DataEvents())


def open_or_create(folder: Path, parent: QWidget | None = None) -> tuple[Database, bool] | None:
    """Open the hub in `folder`, or run first run to create it. Returns (db, wants_demo), or None if cancelled."""
    if database_path(folder).exists():
        return Database.open(folder), False
    dialog = FirstRunDialog(folder, parent)
    if not dialog.exec():
        return None
    choices = dialog.choices()
    return create_hub(folder, choices), choices.demo


def open_main_window(ctx: AppContext, folder: Path, wants_demo: bool) -> MainWindow:
    """Build and show the main window; demo data, if asked for, is added on the task runner."""
    apply_text_size(int(ctx.db.setting("text_size") or 0))
    window = MainWindow(ctx, folder)
    ctx.runner.parent_widget = window
    window.show()
    warn_about_storage(window, folder)
    if ctx.db.reapplied_erasures:  # a restored backup older than erasures made since
        note = QMessageBox(QMessageBox.Icon.Information, window.tr("Erasures applied again"), plural(
            ctx.db.reapplied_erasures,
            "This database is older than {n} erasure made since; it was applied again before anything else.",
            "This database is older than {n} erasures made since; they were applied again before anything else."),
            QMessageBox.StandardButton.Ok, window)
        note.open()
    preload_in_background()
    if wants_demo:
        def done(_made: object) -> None:
            ctx.events.announce("contact", "group", "action", "connection")

        def failed(message: str) -> None:
            QMessageBox.warning(window, window.tr("Demo data"), message)

        add_demo_data(ctx.runner, ctx.db, on_done=done, on_error=failed)
    return window


def warn_about_storage(window: QWidget, folder: Path) -> QMessageBox | None:
    """A non-blocking warning when the data folder is on removable media or in a cloud-synced folder."""
    warning = storage_warning(folder)
    if warning is None:
        return None
    box = QMessageBox(QMessageBox.Icon.Warning, window.tr("Where your data lives"), warning,
                      QMessageBox.StandardButton.Ok, window)
    box.setModal(False)
    box.show()
    return box


# Modules behind the workspaces that are slow to import (ReportLab, rapidfuzz...). Importing them on the GUI thread
# at the first visit of Print froze the window for 350-750 ms, so they are imported on a background thread as soon
# as the window is up; none of them touches Qt.
PRELOAD = ("oursociety_desktop.formats.pdf.products", "oursociety_desktop.formats.pdf.labels",
           "oursociety_desktop.services.exchange", "oursociety_desktop.formats.vcard",
           "oursociety_desktop.formats.csv_io", "oursociety_desktop.models.duplicates")


def preload_in_background(modules: tuple[str, ...] = PRELOAD) -> threading.Thread:
    """Import the slow core modules on a daemon thread (an import error is left for the real import to report)."""
    def work() -> None:
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001, S112 - the workspace's own import reports it properly
                continue
        if modules is PRELOAD:
            # The first typed date loaded dateparser and its language data on the GUI thread: 0.9-1.2 s.
            from oursociety_desktop.ui.widgets.dates import warm_up

            warm_up()
            # The first phone shown in the editor loaded the phone-number metadata on the GUI thread (up to 0.4 s).
            from oursociety_desktop.models.phones import normalise_phone

            normalise_phone("020 7946 0000")
            freeze_long_lived()  # what start-up imported lives as long as the app

    thread = threading.Thread(target=work, name="preload", daemon=True)
    thread.start()
    return thread


def limit_malloc_arenas(arenas: int = 2) -> bool:
    """Cap glibc's malloc arenas. Each worker thread otherwise gets an arena of its own that keeps freed memory:
    over an hour of simulated use, resident memory stepped up by 50 MB and stayed (with 2 arenas: +2.5%)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    m_arena_max = -8
    return bool(libc.mallopt(m_arena_max, arenas))


def hold_instance_lock(folder: Path) -> QLockFile | None:
    """One window per data folder: a second start brings the running window to the front and leaves.

    Only when the running app does not answer (busy, or on another computer sharing the folder) is the user told
    that the hub is open elsewhere."""
    lock = QLockFile(str(folder / "oursociety.lock"))
    lock.setStaleLockTime(0)  # a lock left by a crashed process is detected by its dead PID, not by age
    if lock.tryLock(500):
        return lock
    if ask_running_to_show(folder):
        return None
    text = QApplication.translate("Start", "This hub is already open in another Our Society window, which did not "
                                  "answer. Switch to that window, or close it and start again.")
    QMessageBox.information(None, QApplication.translate("Start", "Our Society is already open"), text)
    return None


def bring_to_front(window: QWidget) -> None:
    """Show a window on top of the others (a second start asked for it)."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()


def open_with_recovery(folder: Path) -> tuple[Database, bool] | None:
    """Open (or create) the hub; a damaged database is explained and a backup offered; other errors are shown."""
    while True:
        try:
            return open_or_create(folder)
        except DatabaseDamaged as exc:
            if not offer_restore(folder, exc.message):
                return None
        except UserError as exc:
            QMessageBox.critical(None, QApplication.translate("Start", "Our Society"), exc.message)
            return None


def run(folder: Path, argv: list[str], language: str | None = None) -> int:
    """Start the app on the hub in `folder` in `language` (the --lang option; else as `i18n.choose_language`
    says, the hub's Settings choice included once the hub is open); returns the exit code."""
    limit_malloc_arenas()
    app = application(argv)
    install_translators(app, choose_language(language))
    window: list[MainWindow] = []
    handler = ErrorHandler(folder, parent=lambda: window[0] if window else None).install()
    try:
        # The lock lives in the data folder; on a first run the folder (and so the lock) comes with the new hub,
        # so a cancelled first run leaves nothing behind.
        lock = hold_instance_lock(folder) if folder.is_dir() else None
        if lock is None and folder.is_dir():
            return 1
        opened = open_with_recovery(folder)
        if opened is None:
            return 0
        db, wants_demo = opened
        if lock is None and (lock := hold_instance_lock(folder)) is None:
            db.close()
            return 1
        saved = str(db.setting("language") or "")
        if saved:
            install_translators(app, choose_language(language, saved))  # the hub's choice, made in Settings
        ctx = make_context(db)
        window.append(open_main_window(ctx, folder, wants_demo))
        instances = InstanceServer(folder, app)
        instances.show_requested.connect(lambda: bring_to_front(window[0]))
        instances.listen()
        code = app.exec()
        instances.close()
        ctx.runner.pool.waitForDone()
        db.close()
        return int(code)
    finally:
        handler.uninstall()
