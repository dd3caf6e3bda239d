"""The right side of the Groups workspace: the chosen group's heading and members, with add, remove and
change-role (each one undoable transaction)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from oursociety_desktop.models.groups import (
    GroupRow,
    add_member,
    membership_state,
    remove_member,
    restore_membership,
)
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.groups.labels import kind_labels, role_labels
from oursociety_desktop.ui.groups.member_model import COL_NAME, COL_ROLE, COL_SINCE, MEMBER_ROW_ROLE, MemberTableModel
from oursociety_desktop.ui.widgets.contact_picker import open_contact_picker
from oursociety_desktop.ui.widgets.edits import MessageLine, try_edit
from oursociety_desktop.ui.wording import plural


class MembersPanel(QWidget):
    """Members of `group` (set with `show_group`); refusals go to the shared message line."""

    def __init__(self, ctx: AppContext, message: MessageLine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.message = message
        self.group: GroupRow | None = None
        self.model = MemberTableModel(ctx, self)
        self.title_label = QLabel(self)
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail_label = QLabel(self)
        self.detail_label.setWordWrap(True)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName(self.tr("Members of the group"))
        self.view.setAccessibleDescription(self.tr("Insert adds a member, Delete removes the selected one"))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setTabKeyNavigation(False)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.fit_columns()
        self.view.selectionModel().currentRowChanged.connect(lambda _c, _p: self._sync_buttons())
        self.add_button = QPushButton(self.tr("&Add member…"), self)
        self.add_button.setToolTip(self.tr("Add a contact to this group (Insert)"))
        self.add_button.clicked.connect(self.add_member)
        self.remove_button = QPushButton(self.tr("&Remove member"), self)
        self.remove_button.setToolTip(self.tr("Take the selected contact out of this group (Delete)"))
        self.remove_button.clicked.connect(self.remove_member)
        self.role_combo = QComboBox(self)
        self.role_combo.setAccessibleName(self.tr("Role of the selected member"))
        self.role_combo.setAccessibleDescription(self.tr("Member, coordinator or contact person"))
        for value, label in role_labels().items():
            self.role_combo.addItem(label, value)
        self.role_combo.activated.connect(lambda _i: self.set_role(str(self.role_combo.currentData())))
        role_label = QLabel(self.tr("R&ole:"), self)
        role_label.setBuddy(self.role_combo)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title_label)
        layout.addWidget(self.detail_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addSpacing(12)
        buttons.addWidget(role_label)
        buttons.addWidget(self.role_combo)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        QWidget.setTabOrder(self.add_button, self.remove_button)
        QWidget.setTabOrder(self.remove_button, self.role_combo)
        QWidget.setTabOrder(self.role_combo, self.view)

    def show_group(self, group: GroupRow | None, empty_text: str) -> None:
        """Show a group's heading and members (None shows `empty_text`), keeping the selected member."""
        selected = self.current_member_id()
        self.group = group
        if group is None:
            self.title_label.setText(empty_text)
            self.detail_label.clear()
            self.model.show_group("")
        else:
            self.title_label.setText(group.name)
            details = [plural(group.members, "{n} member", "{n} members"),
                       kind_labels().get(group.kind, group.kind)]
            if group.description:
                details.append(group.description)
            self.detail_label.setText(" · ".join(details))
            if group.id == self.model.group_id:
                self.model.reload()
            else:
                self.model.show_group(group.id)
                selected = ""
        if selected and (row := self.model.row_of(selected)) >= 0:
            self.view.selectRow(row)
        self.add_button.setEnabled(group is not None)
        self._sync_buttons()

    def current_member_id(self) -> str:
        """The contact id of the selected member ('' when none)."""
        index = self.view.currentIndex()
        if not index.isValid() or not self.view.selectionModel().isRowSelected(index.row(), QModelIndex()):
            return ""
        return str(index.data(MEMBER_ROW_ROLE).contact_id)

    def fit_columns(self) -> None:
        """Widths from the longest label each column holds, in the current text size (refitted after Larger
        text), and rows as tall as the text."""
        header, metrics = self.view.horizontalHeader(), self.fontMetrics()
        header.resizeSection(COL_ROLE, max(metrics.horizontalAdvance(t) for t in role_labels().values()) + 24)
        header.resizeSection(COL_SINCE, metrics.horizontalAdvance(self.tr("Member since")) + 24)
        self.view.verticalHeader().setDefaultSectionSize(metrics.height() + 8)

    def _sync_buttons(self) -> None:
        index = self.view.currentIndex()
        member = index.data(MEMBER_ROW_ROLE) if index.isValid() else None
        self.remove_button.setEnabled(member is not None)
        self.role_combo.setEnabled(member is not None)
        if member is not None:
            self.role_combo.setCurrentIndex(max(0, self.role_combo.findData(member.role)))

    # ---- edits ----

    def add_member(self) -> None:
        """Pick a contact (and role) and add them to the group."""
        group = self.group
        if group is None:
            return
        open_contact_picker(self.ctx, self, self.tr("Add a member to {0}").format(group.name),
                            lambda contact_id, role: self._add(group, contact_id, role),
                            roles=list(role_labels().items()))

    def _add(self, group: GroupRow, contact_id: str, role: str) -> None:
        with self.ctx.db.read() as session:
            before = membership_state(session, group.id, contact_id)
        since = "" if before is not None else date.today().isoformat()
        if try_edit(self.ctx, self.tr("Add member to {0}").format(group.name),
                    lambda tx: add_member(tx, group.id, contact_id, role, since),
                    lambda tx: restore_membership(tx, group.id, contact_id, before), "membership", self.message):
            if (row := self.model.row_of(contact_id)) >= 0:
                self.view.selectRow(row)

    def remove_member(self) -> None:
        """Take the selected member out of the group (undoable)."""
        group, contact_id = self.group, self.current_member_id()
        if group is None or not contact_id:
            return
        with self.ctx.db.read() as session:
            before = membership_state(session, group.id, contact_id)
        try_edit(self.ctx, self.tr("Remove member from {0}").format(group.name),
                 lambda tx: remove_member(tx, group.id, contact_id),
                 lambda tx: restore_membership(tx, group.id, contact_id, before), "membership", self.message)

    def set_role(self, role: str) -> None:
        """Give the selected member a new role in the group (undoable)."""
        group, contact_id = self.group, self.current_member_id()
        if group is None or not contact_id:
            return
        with self.ctx.db.read() as session:
            before = membership_state(session, group.id, contact_id)
        if before != role:
            try_edit(self.ctx, self.tr("Change role in {0}").format(group.name),
                     lambda tx: add_member(tx, group.id, contact_id, role),
                     lambda tx: restore_membership(tx, group.id, contact_id, before), "membership", self.message)
