"""The main window: a navigation list of the registered workspaces, the workspace shown beside it, and the
File / Edit / View / Help menus (undo and redo, settings, backups, larger text)."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl, Signal, SignalInstance
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from oursociety_desktop import __version__
from oursociety_desktop.models.database import set_setting
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.settings import LARGER_TEXT, SettingsDialog, apply_text_size, make_backup
from oursociety_desktop.ui.widgets.staleness import RefreshWhenShown
from oursociety_desktop.ui.workspaces import WORKSPACES, WorkspaceSpec

# Which workspace shows a record of each type.
RECORD_WORKSPACE = {"contact": "contacts", "group": "groups", "membership": "groups", "action": "actions",
                    "action_link": "actions", "connection": "connections"}


class MainWindow(QMainWindow):
    """The window an organiser lives in. Workspaces are built the first time they are shown."""

    workspace_shown = Signal(str)

    def __init__(self, ctx: AppContext, folder: Path, specs: tuple[WorkspaceSpec, ...] = WORKSPACES,
                 start: str = "today") -> None:
        super().__init__()
        self.ctx, self.folder, self.specs = ctx, folder, specs
        self.setWindowTitle(self.tr("Our Society — {0}").format(ctx.db.hub_name))
        self.workspaces: dict[str, QWidget] = {}
        self.nav = QListWidget(self)
        self.nav.setAccessibleName(self.tr("Workspaces"))
        self.nav.setIconSize(QSize(0, 0))
        self.stack = QStackedWidget(self)
        self._pages: dict[str, int] = {}
        for spec in specs:
            item = QListWidgetItem(spec.translated_title(), self.nav)
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setToolTip(self.tr("{0} ({1})").format(spec.translated_title(), spec.shortcut))
            self._pages[spec.key] = self.stack.addWidget(QWidget(self.stack))
        width = max(self.nav.sizeHintForColumn(0), 80) + 4 * self.nav.frameWidth() + 24
        self.nav.setFixedWidth(width)
        self.nav.currentItemChanged.connect(self._nav_changed)
        central = QWidget(self)
        row = QHBoxLayout(central)
        row.setContentsMargins(6, 6, 6, 0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_menus()
        ctx.events.failed.connect(self._edit_refused)
        ctx.events.changed.connect(self._data_changed)
        self.statusBar().showMessage(self.tr("Data folder: {0}").format(folder))
        self.resize(1200, 760)
        self.show_workspace(start)

    # ---- menus ----

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        settings = file_menu.addAction(self.tr("&Settings…"), self.open_settings)
        settings.setShortcut(QKeySequence(QKeySequence.StandardKey.Preferences) if not
                             QKeySequence(QKeySequence.StandardKey.Preferences).isEmpty() else QKeySequence("Ctrl+,"))
        file_menu.addAction(self.tr("&Back up now"), self.backup_now)
        file_menu.addAction(self.tr("&Open data folder"),
                            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder))))
        file_menu.addSeparator()
        quit_action = file_menu.addAction(self.tr("&Quit"), self.close)
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))

        edit_menu = self.menuBar().addMenu(self.tr("&Edit"))
        self.undo_action = self.ctx.undo_stack.createUndoAction(self, self.tr("&Undo"))
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo_action = self.ctx.undo_stack.createRedoAction(self, self.tr("&Redo"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)

        view_menu = self.menuBar().addMenu(self.tr("&View"))
        self.workspace_actions: dict[str, QAction] = {}
        for spec in self.specs:
            action = view_menu.addAction(spec.translated_title(), partial(self.show_workspace, spec.key))
            action.setShortcut(QKeySequence(spec.shortcut))
            self.workspace_actions[spec.key] = action
        view_menu.addSeparator()
        self.larger_text = view_menu.addAction(self.tr("&Larger text"))
        self.larger_text.setCheckable(True)
        self.larger_text.setChecked(int(self.ctx.db.setting("text_size") or 0) > 0)
        self.larger_text.toggled.connect(self.set_larger_text)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(self.tr("&About Our Society"), self._about)

    # ---- workspaces ----

    def workspace(self, key: str) -> QWidget:
        """The workspace with this registry key, built now if it has not been shown yet."""
        if key not in self.workspaces:
            spec = next(s for s in self.specs if s.key == key)
            cls = spec.load()
            widget = cls(self.ctx, self.stack)  # type: ignore[arg-type]
            opener = getattr(widget, "open_record", None)
            if isinstance(opener, SignalInstance):  # a workspace that links to other records (Today, Contacts)
                opener.connect(self.open_record)
            placeholder = self.stack.widget(self._pages[key])
            self.stack.insertWidget(self._pages[key], widget)
            if placeholder is not None:
                self.stack.removeWidget(placeholder)
                placeholder.deleteLater()
            self.workspaces[key] = widget
        return self.workspaces[key]

    def _nav_changed(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is not None:
            self.show_workspace(str(item.data(Qt.ItemDataRole.UserRole)))

    def current_key(self) -> str:
        """The key of the workspace on show."""
        item = self.nav.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else ""

    def show_workspace(self, key: str) -> QWidget:
        """Bring a workspace to the front (refreshing it) and select it in the navigation."""
        widget = self.workspace(key)
        shown_once = bool(getattr(widget, "_shown_once", False))
        if isinstance(widget, RefreshWhenShown) and shown_once:
            # It reads again in its own showEvent; refreshing it here as well did the same work twice.
            widget.mark_stale()
        self.stack.setCurrentWidget(widget)
        row = next(i for i, s in enumerate(self.specs) if s.key == key)
        if self.nav.currentRow() != row:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(row)
            self.nav.blockSignals(False)
        if isinstance(widget, RefreshWhenShown):
            if widget.is_stale():  # no showEvent came: it was already in front, or the window is not shown
                widget.refresh()
        elif shown_once and callable(refresh := getattr(widget, "refresh", None)):
            refresh()
        widget._shown_once = True  # type: ignore[attr-defined]
        self.workspace_shown.emit(key)
        return widget

    def open_record(self, record_type: str, record_id: str) -> None:
        """Show a record in its workspace (a contact in the editor, an action in Actions...)."""
        key = RECORD_WORKSPACE.get(record_type, "")
        if not any(s.key == key for s in self.specs):
            return
        widget = self.show_workspace(key)
        for name in ("open_contact", "open_record"):
            method = getattr(widget, name, None)
            if callable(method) and not isinstance(method, SignalInstance):
                method(record_id)
                return

    # ---- commands ----

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.ctx, self.folder, self)
        if dialog.exec():
            self.setWindowTitle(self.tr("Our Society — {0}").format(self.ctx.db.hub_name))
            self.larger_text.blockSignals(True)
            self.larger_text.setChecked(int(self.ctx.db.setting("text_size") or 0) > 0)
            self.larger_text.blockSignals(False)

    def set_larger_text(self, on: bool) -> None:
        """Switch between the system text size and larger text (saved as a hub setting)."""
        size = LARGER_TEXT if on else 0
        with self.ctx.db.write() as tx:
            set_setting(tx.session, "text_size", size)
        apply_text_size(size)

    def backup_now(self) -> None:
        self.ctx.runner.run(make_backup, self.ctx.db.path, self.folder, title=self.tr("Backing up"),
                            on_done=lambda path: self.statusBar().showMessage(self.tr("Backed up to {0}").format(path)),
                            on_error=self._backup_failed)

    def _backup_failed(self, message: str) -> None:
        QMessageBox.warning(self, self.tr("Backup failed"), message)

    def _edit_refused(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)
        QMessageBox.warning(self, self.tr("Not done"), message)

    def _data_changed(self, record_type: str) -> None:
        if record_type == "settings":
            self.setWindowTitle(self.tr("Our Society — {0}").format(self.ctx.db.hub_name))

    def _about(self) -> None:
        QMessageBox.about(self, self.tr("About Our Society"), self.tr(
            "Our Society Desktop {0}\n\nAn offline organiser for community hubs. Your data stays in {1}.")
            .format(__version__, self.folder))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.ctx.runner.busy():
            answer = QMessageBox.question(self, self.tr("Work in progress"), self.tr(
                "A task is still running. Quit anyway? The app closes once it has finished; press Cancel in its "
                "progress window instead to stop it with nothing changed."))
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        event.accept()
