"""The main window: a navigation list of the registered workspaces, the workspace shown beside it, and the
File / Edit / View / Help menus (undo and redo, settings, backups, larger text)."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QEvent, QSize, Qt, Signal, SignalInstance
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
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
from oursociety_desktop.models.lessons import lessons_of_other_hubs
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.heap import freeze_long_lived, thaw
from oursociety_desktop.ui.help import GettingStartedDialog, ShortcutsDialog
from oursociety_desktop.ui.menus import build_menus, build_toolbar, fill_toolbar
from oursociety_desktop.ui.settings import LARGER_TEXT, SettingsDialog, apply_text_size, make_backup
from oursociety_desktop.ui.text_undo import TextUndoRouter
from oursociety_desktop.ui.widgets.focus_frame import show_focus_frames
from oursociety_desktop.ui.widgets.scrolling import PageScrollArea
from oursociety_desktop.ui.widgets.staleness import RefreshWhenShown
from oursociety_desktop.ui.wording import isolated, plural
from oursociety_desktop.ui.workspaces import WORKSPACES, WorkspaceSpec

# Which workspace shows a record of each type.
RECORD_WORKSPACE = {"contact": "contacts", "group": "groups", "membership": "groups", "action": "actions",
                    "action_link": "actions", "connection": "connections"}


FIRST_SIZE = QSize(1200, 760)
FRAME_ROOM = 40  # the window manager's title bar and borders, outside the size asked for


def first_size(window: QWidget) -> QSize:
    """The size the window opens at: 1200x760, or what the screen it opens on has room for (a 1024x600 netbook),
    so its status bar and bottom buttons are not below the edge of the screen."""
    screen = window.screen()
    room = screen.availableGeometry().size() if screen is not None else FIRST_SIZE
    return QSize(min(FIRST_SIZE.width(), room.width()), min(FIRST_SIZE.height(), room.height() - FRAME_ROOM))


class MainWindow(QMainWindow):
    """The window an organiser lives in. Workspaces are built the first time they are shown."""

    workspace_shown = Signal(str)

    def __init__(self, ctx: AppContext, folder: Path, specs: tuple[WorkspaceSpec, ...] = WORKSPACES,
                 start: str = "today") -> None:
        super().__init__()
        self.ctx, self.folder, self.specs = ctx, folder, specs
        self._set_title()
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
        self._fit_nav()
        self.nav.currentItemChanged.connect(self._nav_changed)
        central = QWidget(self)
        row = QHBoxLayout(central)
        row.setContentsMargins(6, 6, 6, 0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        show_focus_frames()  # the window's lists and tables, and those of its dialogs, show which has the focus
        self.toolbar = build_toolbar(self)
        build_menus(self)
        fill_toolbar(self)
        # Ctrl+Z in a text field undoes the typing there first, then the saved edits (see text_undo).
        self.text_undo = TextUndoRouter(self, self.undo_action, self.redo_action)
        ctx.events.failed.connect(self._edit_refused)
        ctx.events.changed.connect(self._data_changed)
        self.statusBar().showMessage(self.tr("Data folder: {0}").format(isolated(str(folder))))
        self.resize(first_size(self))
        self.show_workspace(start)

    # ---- menus and toolbar (built by ui/menus.py) ----

    new_person_action: QAction
    new_group_action: QAction
    new_action_action: QAction
    import_action: QAction
    export_action: QAction
    print_action: QAction
    backup_action: QAction
    settings_action: QAction
    quit_action: QAction
    undo_action: QAction
    redo_action: QAction
    find_action: QAction
    workspace_actions: dict[str, QAction]
    toolbar_action: QAction
    larger_text: QAction
    shortcuts_action: QAction
    getting_started_action: QAction

    def remember_toolbar(self, shown: bool) -> None:
        """Keep the toolbar shown or hidden next time too."""
        if bool(self.ctx.db.setting("toolbar_hidden")) == (not shown):
            return
        with self.ctx.db.write() as tx:
            set_setting(tx.session, "toolbar_hidden", not shown)

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
            starter = getattr(widget, "start_requested", None)
            if isinstance(starter, SignalInstance):  # Today on an empty hub
                starter.connect(self.start_hub)
            review = getattr(widget, "review_held_back", None)
            if isinstance(review, SignalInstance):  # Exchange and Print list who is left out: one click to them
                review.connect(partial(self.review_people, "no_share" if key == "exchange" else "no_directory"))
            learn = getattr(widget, "learn_about", None)
            if isinstance(learn, SignalInstance):  # a new group or action with themes
                learn.connect(self.learn_about)
            placeholder = self.stack.widget(self._pages[key])
            # In a scroll area: the stack asks for the largest minimum size of its pages, and a workspace that
            # needs more room than a small screen has would otherwise hold the whole window bigger than it.
            self.stack.insertWidget(self._pages[key], PageScrollArea(widget, self.stack))
            if placeholder is not None:
                self.stack.removeWidget(placeholder)
                placeholder.deleteLater()
            self.workspaces[key] = widget
            freeze_long_lived()  # a workspace lives as long as the window
        return self.workspaces[key]

    def _nav_changed(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is not None:
            self.show_workspace(str(item.data(Qt.ItemDataRole.UserRole)))

    def current_key(self) -> str:
        """The key of the workspace on show."""
        item = self.nav.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else ""

    def current_workspace(self) -> QWidget | None:
        """The workspace on show (the stack holds the page it scrolls in)."""
        return self.workspaces.get(self.current_key())

    def show_workspace(self, key: str) -> QWidget:
        """Bring a workspace to the front (refreshing it) and select it in the navigation."""
        widget = self.workspace(key)
        shown_once = bool(getattr(widget, "_shown_once", False))
        if isinstance(widget, RefreshWhenShown) and shown_once:
            # It reads again in its own showEvent; refreshing it here as well did the same work twice.
            widget.mark_stale()
        self.stack.setCurrentIndex(self._pages[key])
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

    def _fit_nav(self) -> None:
        """The sidebar as wide as its longest title in the current font (no "Import & expor" at larger text)."""
        width = max(self.nav.sizeHintForColumn(0), 80) + 4 * self.nav.frameWidth() + 24
        self.nav.setFixedWidth(width)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        # A new text size: Qt passes the application's font on to every widget of the window, built workspaces
        # hidden or not, then tells the window; the sidebar and the column widths are measured in it.
        if event.type() == QEvent.Type.FontChange:
            self._fit_nav()
            for widget in self.workspaces.values():
                fit = getattr(widget, "fit_columns", None)
                if callable(fit):
                    fit()
        super().changeEvent(event)

    def _set_title(self) -> None:
        # The platform adds the application's name (" — Our Society") itself: the title is the hub's name only.
        self.setWindowTitle(self.ctx.db.hub_name)

    def _call_on(self, key: str, method: str) -> QWidget:
        widget = self.show_workspace(key)
        getattr(widget, method)()
        return widget

    def start_hub(self, how: str) -> None:
        """An empty hub's first step: add a person, import a file, or demo data (on the task runner)."""
        if how == "person":
            self.new_person()
        elif how == "import":
            self.import_people()
        elif how == "demo":
            from oursociety_desktop.ui.first_run import add_demo_data

            def done(_made: object) -> None:
                self.ctx.events.announce("contact", "group", "action", "connection")

            add_demo_data(self.ctx.runner, self.ctx.db, on_done=done, on_error=self._demo_failed)

    def _demo_failed(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)

    def learn_about(self, themes: list[str]) -> None:
        """A new group or action has these themes: Learning is set to the first of them that other hubs wrote
        lessons about (the view it opens on), and the status bar says how many and how to get there."""
        with self.ctx.db.read() as session:
            for theme in themes:
                found = len(lessons_of_other_hubs(session, theme, self.ctx.db.hub_id))
                if found:
                    break
            else:
                return
        learning = self.workspace("learning")
        learning.show_theme(theme)  # type: ignore[attr-defined]
        self.statusBar().showMessage(plural(
            found, "Another hub learned something about “{theme}”: Learning (Ctrl+Shift+L) shows it.",
            "Other hubs learned {n} things about “{theme}”: Learning (Ctrl+Shift+L) shows them.",
            theme=theme), 30_000)

    def review_people(self, flag: str) -> None:
        """Contacts, showing only the people a bundle or a printout leaves out (a consent filter)."""
        widget = self.show_workspace("contacts")
        widget.show_only(flag)  # type: ignore[attr-defined]

    def new_person(self) -> None:
        """File → New person: the add dialog of Contacts, whichever workspace is on show."""
        self._call_on("contacts", "new_contact")

    def new_group(self) -> None:
        """File → New group."""
        self._call_on("groups", "new_group")

    def new_action(self) -> None:
        """File → New action (a meeting, a call, a task)."""
        self._call_on("actions", "new_action")

    def import_people(self) -> None:
        """File → Import: the import wizard (vCard or CSV)."""
        self._call_on("interop", "open_import")

    def export_people(self) -> None:
        """File → Export: the export dialog (vCard or CSV)."""
        self._call_on("interop", "open_export")

    def print_something(self) -> None:
        """File → Print: the Print workspace, ready to choose and preview."""
        widget = self.show_workspace("print")
        button = getattr(widget, "preview_button", None)
        if isinstance(button, QWidget):
            button.setFocus()

    def find_in_list(self) -> None:
        """Edit → Find: the search box of the workspace on show, or of Contacts when it has none."""
        widget = self.workspace(self.current_key()) if self.current_key() else None
        if widget is None or not callable(getattr(widget, "focus_search", None)):
            widget = self.show_workspace("contacts")
        widget.focus_search()  # type: ignore[attr-defined]

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(self.menuBar(), self)
        dialog.show()
        return dialog

    def show_getting_started(self) -> GettingStartedDialog:
        dialog = GettingStartedDialog(self)
        dialog.show()
        return dialog

    def quit_app(self) -> None:
        """File → Quit: close the window (which asks first if a task is running), then leave."""
        if self.close():
            app = QApplication.instance()
            if app is not None:
                app.quit()

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.ctx, self.folder, self)
        if dialog.exec():
            self._set_title()
            self.larger_text.blockSignals(True)
            self.larger_text.setChecked(int(self.ctx.db.setting("text_size") or 0) > 0)
            self.larger_text.blockSignals(False)

    def set_larger_text(self, on: bool) -> None:
        """Switch between the system text size and larger text (saved as a hub setting)."""
        size = LARGER_TEXT if on else 0
        with self.ctx.db.write() as tx:
            set_setting(tx.session, "text_size", size)
        apply_text_size(size)  # changeEvent fits the sidebar and the columns once the new font has reached them

    def backup_now(self) -> None:
        self.ctx.runner.run(make_backup, self.ctx.db.path, self.folder, title=self.tr("Backing up"),
                            on_done=lambda path: self.statusBar().showMessage(self.tr("Backed up to {0}").format(path)),
                            on_error=self._backup_failed)

    def _backup_failed(self, message: str) -> None:
        QMessageBox.warning(self, self.tr("Backup failed"), message)

    def _edit_refused(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)
        QMessageBox.warning(self, self.tr("Not done"), message)

    def _data_changed(self, record_types: frozenset[str]) -> None:
        if "settings" in record_types:
            self._set_title()

    def show_about(self) -> None:
        """Help → About: the version and where the data lives."""
        QMessageBox.about(self, self.tr("About Our Society"), self.tr(
            "Our Society Desktop {0}\n\nAn offline organiser for community hubs. Your data stays in {1}.")
            .format(__version__, self.folder))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.ctx.runner.changing():
            answer = QMessageBox.question(self, self.tr("Work in progress"), self.tr(
                "A task is still running. Quit anyway? The app closes once it has finished; press Cancel in its "
                "progress window instead to stop it with nothing changed."))
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.ctx.runner.wait_for_readers()
        thaw()  # what was frozen as long-lived with the window may now be freed
        event.accept()
