"""The Actions workspace: filters over a lazily fetched action list, and the editor of the selected action.

The editor's pending changes are saved when another action is chosen and when the workspace is hidden (switching
workspace or closing the window), so nothing typed is lost.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, QModelIndex, QStandardPaths, Qt, Signal
from PySide6.QtGui import QFontMetrics, QHideEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from oursociety_desktop.formats.ics import export_ics
from oursociety_desktop.models.actions import delete_action
from oursociety_desktop.models.errors import NotFound, UserError
from oursociety_desktop.ui.actions.action_model import (
    ACTION_ROW_ROLE,
    COL_GROUP,
    COL_KIND,
    COL_OWNERS,
    COL_STATUS,
    COL_TITLE,
    COL_WHEN,
    ActionTableModel,
)
from oursociety_desktop.ui.actions.editor import ActionEditor
from oursociety_desktop.ui.actions.filter_bar import ActionFilterBar
from oursociety_desktop.ui.actions.labels import kind_labels, status_labels
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.widgets.edits import MessageLine, try_edit
from oursociety_desktop.ui.widgets.staleness import RefreshWhenShown
from oursociety_desktop.ui.widgets.tables import record_table
from oursociety_desktop.ui.wording import plural


class ActionsWorkspace(RefreshWhenShown, QWidget):
    """Actions filtered by status, owner, group, overdue and this week; edit, mark done, delete, with undo."""

    RELEVANT: ClassVar[frozenset[str]] = frozenset({"action", "action_link", "group", "contact", "connection"})
    learn_about = Signal(list)  # a new action's themes: the window opens Learning on what other hubs learned

    TITLE: ClassVar[str] = QCoreApplication.translate("ActionsWorkspace", "Actions")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = ActionTableModel(ctx, self)
        self.filter_bar = ActionFilterBar(ctx, self)
        self.editor = ActionEditor(ctx, self)
        self._build()
        self.filter_bar.changed.connect(self.apply_filter)
        self.editor.saved.connect(self._select_action)
        self.editor.created_with_themes.connect(self.learn_about)
        ctx.events.changed.connect(self.on_data_changed)
        self.apply_filter()

    def _build(self) -> None:
        self.view = record_table(self, self.model, self.tr("Actions"), COL_TITLE)
        self.fit_columns()
        self.view.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._on_current(cur))
        self.view.activated.connect(lambda _index: self.editor.focus_first())
        self.count_label = QLabel(self)
        self.new_button = QPushButton(self.tr("&New action"), self)
        self.new_button.setToolTip(self.tr("New action (Ctrl+Shift+A)"))
        self.new_button.clicked.connect(self.new_action)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.delete_button.setToolTip(self.tr("Delete the selected action (Delete); undo with Ctrl+Z"))
        self.delete_button.clicked.connect(self.delete_selected)
        self.calendar_button = QPushButton(self.tr("Add to &calendar…"), self)
        self.calendar_button.setToolTip(self.tr("Save the selected action, or every open dated action, as an "
                                                "iCalendar (.ics) file for a phone or calendar app"))
        self.calendar_button.setAccessibleName(self.tr("Add to calendar"))
        self.calendar_button.setAccessibleDescription(self.calendar_button.toolTip())
        self.calendar_button.clicked.connect(self.export_calendar)
        self.message = MessageLine(self)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.delete_button)
        row.addWidget(self.calendar_button)
        row.addStretch(1)
        row.addWidget(self.count_label)
        left_layout.addLayout(row)
        left_layout.addWidget(self.message)
        scroll = QScrollArea(self)
        scroll.setWidget(self.editor)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setMinimumWidth(380)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(scroll)
        # The list gets the room: titles are what people scan; the editor needs about 45 characters.
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([820, 440])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_bar)
        layout.addWidget(splitter, 1)
        QWidget.setTabOrder(self.filter_bar.week_check, self.view)
        QWidget.setTabOrder(self.view, self.new_button)
        QWidget.setTabOrder(self.new_button, self.delete_button)
        QWidget.setTabOrder(self.delete_button, self.calendar_button)
        QWidget.setTabOrder(self.calendar_button, self.editor.title_edit)

        delete = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.view)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_selected)

    def fit_columns(self) -> None:
        """Widths from the longest label each column can hold in the current text size (no per-row measuring on
        50k rows); the title takes the rest."""
        header = self.view.horizontalHeader()
        metrics = self.bold_metrics()
        widest = {COL_WHEN: ["2026-12-31"], COL_KIND: list(kind_labels().values()),
                  COL_STATUS: list(status_labels().values())}
        for column, texts in widest.items():
            header.resizeSection(column, max(metrics.horizontalAdvance(t) for t in texts) + 20)
        char = self.fontMetrics().horizontalAdvance("0")
        for column, chars in ((COL_GROUP, 12), (COL_OWNERS, 14)):
            header.resizeSection(column, chars * char + 16)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)

    def bold_metrics(self) -> QFontMetrics:
        """Metrics of the bold font overdue dates are shown in."""
        font = self.font()
        font.setBold(True)
        return QFontMetrics(font)

    # ---- reading ----

    def apply_filter(self) -> None:
        """Show the actions the filter bar selects."""
        self.model.set_filter(self.filter_bar.current())
        self._after_reload()

    def refresh(self) -> None:
        """Read everything again (after changes elsewhere or an undo)."""
        self._stale = False
        self.filter_bar.reload_groups()
        self.editor.reload_groups()
        self.model.flt = self.filter_bar.current()  # same filter, today's date
        self.model.reload()  # keeps as many rows as were scrolled into view
        if self.editor.action_id and not self.editor.is_dirty():
            self._reload_editor()
        self._after_reload()

    def _reload_editor(self) -> None:
        try:
            self.editor.load(self.editor.action_id)
        except NotFound:
            self.editor.load("")

    def _after_reload(self) -> None:
        self.count_label.setText(plural(self.model.total, "{n} action", "{n} actions"))
        if self.editor.action_id:
            self._select_row(self.editor.action_id)

    def hideEvent(self, event: QHideEvent) -> None:
        if self.editor.is_dirty():
            self.editor.save()
        super().hideEvent(event)

    # ---- selection ----

    def selected_id(self) -> str:
        """The id of the selected action ('' when none)."""
        index = self.view.currentIndex()
        return str(index.data(ACTION_ROW_ROLE).id) if index.isValid() else ""

    def _select_row(self, action_id: str) -> bool:
        row = self.model.row_of(action_id)
        if row < 0:
            self.view.selectionModel().clearSelection()
            return False
        self.view.selectionModel().blockSignals(True)
        self.view.selectionModel().setCurrentIndex(
            self.model.index(row, COL_TITLE),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.view.selectionModel().blockSignals(False)
        self.view.scrollTo(self.model.index(row, COL_TITLE))
        return True

    def _select_action(self, action_id: str) -> None:
        self._select_row(action_id)

    def _on_current(self, current: QModelIndex) -> None:
        if not current.isValid():
            return
        action_id = str(current.data(ACTION_ROW_ROLE).id)
        if action_id == self.editor.action_id:
            return
        if self.editor.is_dirty() and not self.editor.save():
            self.message.show_error(self.tr("The open action was not saved: fix the marked field first."))
            self._select_row(self.editor.action_id)
            return
        self.editor.load(action_id)
        self._select_row(action_id)  # saving above re-read the list, which reset the selection

    def open_record(self, record_id: str) -> None:
        """Open an action in the editor (and select it in the list when the filter shows it)."""
        if self.editor.is_dirty() and not self.editor.save():
            return
        try:
            self.editor.load(record_id)
        except NotFound as exc:
            self.message.show_error(exc.message)
            return
        self._select_row(record_id)

    # ---- edits ----

    def new_action(self) -> None:
        """Start a new action in the editor (saved with Save)."""
        if self.editor.is_dirty() and not self.editor.save():
            return
        self.view.selectionModel().clearSelection()
        self.editor.load("")
        self.editor.focus_first()

    def ask_calendar_path(self, suggested: str) -> Path | None:
        """Where to save the calendar file (a test replaces this: the file dialog is the edge it cannot own)."""
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Add to calendar"), suggested,
                                              self.tr("Calendar files (*.ics)"))
        if not name:
            return None
        return Path(name if name.lower().endswith(".ics") else name + ".ics")

    def export_calendar(self) -> None:
        """The selected action (or every open action with a date) as a .ics file for phones and calendars."""
        chosen = self.selected_id()
        ids = [chosen] if chosen else None
        title = self.model.rows[self.model.row_of(chosen)].title if chosen else self.ctx.db.hub_name
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path = self.ask_calendar_path(str(Path(folder) / f"{title}.ics"))
        if path is None:
            return
        try:
            result = export_ics(self.ctx.db, path, ids)
        except UserError as exc:
            self.message.show_error(exc.message)
            return
        self.message.show_error(plural(result.events, "Saved {n} event to {file}: open it on a phone or "
                                                              "in a calendar app.",
                                       "Saved {n} events to {file}: open it on a phone or in a calendar "
                                               "app.", file=path.name))

    def delete_selected(self) -> None:
        """Delete the selected action (undoable)."""
        action_id = self.selected_id()
        if not action_id:
            return
        row = self.model.rows[self.model.row_of(action_id)]
        if try_edit(self.ctx, self.tr("Delete action {0}").format(row.title),
                    lambda tx: delete_action(tx, action_id, True), lambda tx: delete_action(tx, action_id, False),
                    "action", self.message):
            if self.editor.action_id == action_id:
                self.editor.load("")
            self.message.show_note(self.tr("Deleted “{0}”. Undo with Ctrl+Z.").format(row.title), self.ctx.undo_stack)
