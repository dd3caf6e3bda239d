"""The contacts linked to the action being edited: add one with the picker (as owner, attendee or about),
remove one. Each is one undoable step."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from oursociety_desktop.models.actions import delete_action_link, link_contact
from oursociety_desktop.models.database import Tx
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.ui.actions.labels import role_labels
from oursociety_desktop.ui.actions.link_model import COL_NAME, COL_ROLE, LINK_ROW_ROLE, LinkTableModel
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.widgets.contact_picker import open_contact_picker
from oursociety_desktop.ui.widgets.edits import Step, push
from oursociety_desktop.ui.widgets.fields import make_bold


class LinksPanel(QWidget):
    """A table of linked contacts with Link and Unlink buttons; refusals show in `error_label`."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = LinkTableModel(ctx, self)
        title = QLabel(self.tr("People"), self)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName(self.tr("People linked to the action"))
        self.view.setAccessibleDescription(self.tr("Owners, attendees and the people it is about; Delete unlinks"))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setTabKeyNavigation(False)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.view.horizontalHeader().setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.view.horizontalHeader().setSectionResizeMode(COL_ROLE, QHeaderView.ResizeMode.ResizeToContents)
        self.view.setMinimumHeight(self.fontMetrics().height() * 6)
        self.link_button = QPushButton(self.tr("&Link contact…"), self)
        self.link_button.setToolTip(self.tr("Link a contact as owner, attendee or the person it is about"))
        self.link_button.clicked.connect(self.link)
        self.unlink_button = QPushButton(self.tr("&Unlink"), self)
        self.unlink_button.setToolTip(self.tr("Remove the selected person from the action (Delete)"))
        self.unlink_button.clicked.connect(self.unlink)
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        make_bold(self.error_label)
        self.error_label.setAccessibleName(self.tr("Problem with the people linked"))
        self.error_label.hide()
        row = QHBoxLayout()
        row.addWidget(title)
        row.addStretch(1)
        row.addWidget(self.link_button)
        row.addWidget(self.unlink_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.error_label)
        delete = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.view)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.unlink)
        self.show_action("")

    def show_action(self, action_id: str) -> None:
        """Show the links of a saved action; a new action gets its people once saved."""
        self.model.show_action(action_id)
        self.link_button.setEnabled(bool(action_id))
        self.unlink_button.setEnabled(bool(action_id) and self.model.rowCount() > 0)
        self.error_label.hide()

    def link(self) -> None:
        """Pick a contact and a role, and link them."""
        action_id = self.model.action_id
        if not action_id:
            return
        roles = list(role_labels().items())
        open_contact_picker(self.ctx, self, self.tr("Link a contact to the action"),
                            lambda contact_id, role: self._link(action_id, contact_id, role), roles=roles)

    def _link(self, action_id: str, contact_id: str, role: str) -> None:
        if any(r.contact_id == contact_id and r.role == role for r in self.model.rows):
            self._refuse(self.tr("That person is already linked in that role."))
            return
        linked: list[str] = []

        def do(tx: Tx) -> None:
            linked[:] = [link_contact(tx, action_id, contact_id, role).id]

        self._push(self.tr("Link contact"), do, lambda tx: delete_action_link(tx, linked[0], True))

    def unlink(self) -> None:
        """Remove the selected link."""
        index = self.view.currentIndex()
        row = index.data(LINK_ROW_ROLE) if index.isValid() else None
        if row is None:
            return
        link_id = row.link_id
        self._push(self.tr("Unlink contact"), lambda tx: delete_action_link(tx, link_id, True),
                   lambda tx: delete_action_link(tx, link_id, False))

    def _push(self, text: str, do: Step, undo: Step) -> None:
        try:
            push(self.ctx, text, do, undo, "action_link")
        except UserError as exc:
            self._refuse(exc.message)
            return
        self.show_action(self.model.action_id)
        if self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(0, 0, QModelIndex()))

    def _refuse(self, message: str) -> None:
        self.error_label.setText("⚠ " + message)
        self.error_label.show()
