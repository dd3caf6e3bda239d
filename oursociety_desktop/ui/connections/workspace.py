"""The Connections workspace: every introduction, newest first, filtered by person; record, edit, delete.

Recording an introduction (with its optional follow-up action) is one transaction and one undo step.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from oursociety_desktop.models.actions import delete_action
from oursociety_desktop.models.connections import delete_connection, record_introduction, update_connection
from oursociety_desktop.models.database import Tx
from oursociety_desktop.models.records import get_record
from oursociety_desktop.models.tables import Connection
from oursociety_desktop.ui.connections.connection_model import (
    COL_A,
    COL_B,
    COL_BY,
    COL_DATE,
    COL_FOLLOW_UP,
    COL_KIND,
    COL_NOTE,
    CONNECTION_ROW_ROLE,
    ConnectionTableModel,
)
from oursociety_desktop.ui.connections.dialog import ConnectionDialog
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.widgets.contact_picker import ContactButton
from oursociety_desktop.ui.widgets.edits import MessageLine, push, push_update, try_edit
from oursociety_desktop.ui.widgets.staleness import RefreshWhenShown
from oursociety_desktop.ui.widgets.tables import record_table, size_columns
from oursociety_desktop.ui.wording import plural

EDITABLE = ("introduced_by", "contact_a", "contact_b", "kind", "date", "note")


class ConnectionsWorkspace(RefreshWhenShown, QWidget):
    """Who introduced whom: list, filter by person, record (with a follow-up), edit and delete, with undo."""

    RELEVANT: ClassVar[frozenset[str]] = frozenset({"connection", "contact", "action"})

    TITLE: ClassVar[str] = QCoreApplication.translate("ConnectionsWorkspace", "Connections")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = ConnectionTableModel(ctx, self)
        self._build()
        ctx.events.changed.connect(self.on_data_changed)
        self.refresh()

    def _build(self) -> None:
        self.person_button = ContactButton(self.ctx, self.tr("Show the connections of"),
                                           self.tr("Everyone — choose a person…"), self)
        self.person_button.setAccessibleName(self.tr("Show the connections of one person"))
        self.person_button.setAccessibleDescription(self.tr("Opens a search to choose the person"))
        self.person_button.changed.connect(self._on_person)
        self.everyone_button = QToolButton(self)
        self.everyone_button.setText("✕")
        self.everyone_button.setAccessibleName(self.tr("Show everyone's connections"))
        self.everyone_button.setToolTip(self.tr("Show everyone's connections"))
        self.everyone_button.clicked.connect(lambda: self.person_button.set_contact(""))
        self.everyone_button.hide()
        person_label = QLabel(self.tr("&Person:"), self)
        person_label.setBuddy(self.person_button)
        self.count_label = QLabel(self)
        self.view = record_table(self, self.model, self.tr("Connections"), COL_NOTE)
        self.fit_columns()
        self.view.activated.connect(lambda _index: self.edit_selected())
        self.new_button = QPushButton(self.tr("&Record an introduction…"), self)
        self.new_button.setToolTip(self.tr("Record who introduced whom"))
        self.new_button.clicked.connect(self.new_connection)
        self.edit_button = QPushButton(self.tr("&Edit…"), self)
        self.edit_button.setToolTip(self.tr("Change the selected connection (Enter)"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.delete_button.setToolTip(self.tr("Delete the selected connection (Delete); undo with Ctrl+Z"))
        self.delete_button.clicked.connect(self.delete_selected)
        self.message = MessageLine(self)

        top = QHBoxLayout()
        top.addWidget(person_label)
        top.addWidget(self.person_button)
        top.addWidget(self.everyone_button)
        top.addStretch(1)
        top.addWidget(self.count_label)
        bottom = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.delete_button):
            bottom.addWidget(button)
        bottom.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.message)
        QWidget.setTabOrder(self.person_button, self.everyone_button)
        QWidget.setTabOrder(self.everyone_button, self.view)
        QWidget.setTabOrder(self.view, self.new_button)

        delete = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.view)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_selected)

    # ---- reading ----

    def fit_columns(self) -> None:
        """Widths in characters of the current text size (refitted after Larger text)."""
        size_columns(self.view, {COL_DATE: 11, COL_KIND: 11, COL_A: 22, COL_B: 22, COL_BY: 22, COL_FOLLOW_UP: 24})

    def refresh(self) -> None:
        """Read the list again, keeping the selection."""
        self._stale = False
        selected = self.selected_id()
        self.model.reload()
        self._after_reload(selected)

    def _on_person(self, _person_id: str) -> None:
        self.model.set_person(self.person_button.contact_id)
        self.everyone_button.setVisible(bool(self.person_button.contact_id))
        self._after_reload("")

    def _after_reload(self, selected: str) -> None:
        self.count_label.setText(plural(self.model.total, "{n} connection", "{n} connections"))
        if selected:
            self.select(selected)
        has_rows = self.model.rowCount() > 0
        self.edit_button.setEnabled(has_rows)
        self.delete_button.setEnabled(has_rows)

    def selected_id(self) -> str:
        """The id of the selected connection ('' when none)."""
        index = self.view.currentIndex()
        return str(index.data(CONNECTION_ROW_ROLE).id) if index.isValid() else ""

    def select(self, connection_id: str) -> bool:
        """Select a loaded connection; False when the list does not show it."""
        row = self.model.row_of(connection_id)
        if row < 0:
            return False
        self.view.selectionModel().setCurrentIndex(
            self.model.index(row, COL_A),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(self.model.index(row, COL_A))
        return True

    def open_record(self, record_id: str) -> None:
        """Show a connection: select it, widening the filter to everyone if it is not listed."""
        if not self.select(record_id) and self.person_button.contact_id:
            self.person_button.set_contact("")
            self.select(record_id)

    # ---- edits ----

    def _open_dialog(self, dialog: ConnectionDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def new_connection(self) -> None:
        """Ask who introduced whom, then record it (and its follow-up) as one undoable step."""
        made: list[tuple[str, str]] = []  # (connection id, follow-up action id)

        def submit(values: dict[str, Any], follow_up: dict[str, Any] | None) -> None:
            def do(tx: Tx) -> None:
                if made:
                    delete_connection(tx, made[0][0], False)
                    if made[0][1]:
                        delete_action(tx, made[0][1], False)
                else:
                    connection = record_introduction(tx, values, follow_up)
                    made.append((connection.id, connection.follow_up_action_id))

            def undo(tx: Tx) -> None:
                delete_connection(tx, made[0][0], True)
                if made[0][1]:
                    delete_action(tx, made[0][1], True)

            push(self.ctx, self.tr("Record an introduction"), do, undo, "connection")
            self.message.clear_message()
            self.select(made[0][0])

        self._open_dialog(ConnectionDialog(self.ctx, self.tr("Record an introduction"), submit, parent=self))

    def edit_selected(self) -> None:
        """Change the selected connection's people, kind, date or note (undoable)."""
        connection_id = self.selected_id()
        if not connection_id:
            return
        with self.ctx.db.read() as session:
            record = get_record(session, Connection, connection_id)
            old = {name: str(getattr(record, name)) for name in EDITABLE}

        def submit(values: dict[str, Any], _follow_up: dict[str, Any] | None) -> None:
            new = {k: v for k, v in values.items() if v != old[k]}
            if new:
                push_update(self.ctx, self.tr("Edit connection"), update_connection, connection_id, new, old,
                            "connection")

        self._open_dialog(ConnectionDialog(self.ctx, self.tr("Edit connection"), submit, current=old, parent=self))

    def delete_selected(self) -> None:
        """Delete the selected connection (its follow-up action stays); undoable."""
        connection_id = self.selected_id()
        if not connection_id:
            return
        row = self.view.currentIndex().data(CONNECTION_ROW_ROLE)
        if try_edit(self.ctx, self.tr("Delete connection"), lambda tx: delete_connection(tx, connection_id, True),
                    lambda tx: delete_connection(tx, connection_id, False), "connection", self.message):
            self.message.show_note(self.tr("Deleted the connection between {0} and {1}. Undo with Ctrl+Z.")
                                   .format(row.person_a, row.person_b), self.ctx.undo_stack)
