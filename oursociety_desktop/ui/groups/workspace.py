"""The Groups workspace: the group tree on the left, the chosen group's members on the right.

Every change (group created, edited, moved, deleted; member added, removed, role changed) is one transaction
on the undo stack; the views refresh from `ctx.events.changed`.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from oursociety_desktop.models.database import Tx
from oursociety_desktop.models.groups import (
    GroupRow,
    add_member,
    create_group,
    delete_group,
    group_rows,
    membership_state,
    remove_member,
    restore_membership,
    update_group,
)
from oursociety_desktop.models.tables import MEMBERSHIP_ROLES
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.groups.group_dialog import GroupDialog
from oursociety_desktop.ui.groups.members_model import COL_NAME, MEMBER_ROW_ROLE, MemberTableModel
from oursociety_desktop.ui.groups.tree_model import COL_KIND, COL_MEMBERS, GROUP_ID_ROLE, GroupTreeModel
from oursociety_desktop.ui.widgets.contact_picker import open_contact_picker
from oursociety_desktop.ui.widgets.edits import MessageLine, push, try_edit

RELEVANT = {"group", "membership", "contact"}


class GroupsWorkspace(QWidget):
    """Nested groups with member counts; members with roles; add, remove and change roles with undo."""

    TITLE: ClassVar[str] = QCoreApplication.translate("GroupsWorkspace", "Groups")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tree_model = GroupTreeModel(self)
        self.members_model = MemberTableModel(ctx, self)
        self._build()
        ctx.events.changed.connect(self._on_changed)
        self.refresh()

    # ---- layout ----

    def _build(self) -> None:
        self.tree = QTreeView(self)
        self.tree.setModel(self.tree_model)
        self.tree.setAccessibleName(self.tr("Groups"))
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_MEMBERS, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_KIND, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.selectionModel().currentRowChanged.connect(lambda _cur, _prev: self._show_current_group())
        self.new_button = QPushButton(self.tr("&New group…"), self)
        self.edit_button = QPushButton(self.tr("&Edit / move…"), self)
        self.delete_group_button = QPushButton(self.tr("Delete group"), self)
        for button, tip in ((self.new_button, self.tr("New group (Ctrl+N)")),
                            (self.edit_button, self.tr("Rename, describe or move the group (F2)")),
                            (self.delete_group_button, self.tr("Delete the group and its sub-groups (Delete)"))):
            button.setToolTip(tip)
        self.new_button.clicked.connect(self.new_group)
        self.edit_button.clicked.connect(self.edit_group)
        self.delete_group_button.clicked.connect(self.delete_group)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.tree, 1)
        row = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.delete_group_button):
            row.addWidget(button)
        row.addStretch(1)
        left_layout.addLayout(row)

        self.title_label = QLabel(self)
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail_label = QLabel(self)
        self.detail_label.setWordWrap(True)
        self.members_view = QTableView(self)
        self.members_view.setModel(self.members_model)
        self.members_view.setAccessibleName(self.tr("Members of the group"))
        self.members_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.members_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.members_view.setTabKeyNavigation(False)
        self.members_view.setAlternatingRowColors(True)
        self.members_view.verticalHeader().hide()
        self.members_view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.members_view.horizontalHeader().setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.members_view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.members_view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.members_view.selectionModel().currentRowChanged.connect(lambda _c, _p: self._sync_member_buttons())
        self.tree.activated.connect(lambda _index: self.members_view.setFocus())
        self.add_member_button = QPushButton(self.tr("&Add member…"), self)
        self.add_member_button.setToolTip(self.tr("Add a contact to this group (Insert)"))
        self.add_member_button.clicked.connect(self.add_member)
        self.remove_member_button = QPushButton(self.tr("&Remove member"), self)
        self.remove_member_button.setToolTip(self.tr("Take the selected contact out of this group (Delete)"))
        self.remove_member_button.clicked.connect(self.remove_member)
        self.role_combo = QComboBox(self)
        self.role_combo.setAccessibleName(self.tr("Role of the selected member"))
        self.role_combo.addItem(self.tr("member"), "member")
        self.role_combo.addItem(self.tr("coordinator"), "coordinator")
        self.role_combo.activated.connect(lambda _i: self.set_role(str(self.role_combo.currentData())))
        role_label = QLabel(self.tr("R&ole:"), self)
        role_label.setBuddy(self.role_combo)
        self.message = MessageLine(self)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.title_label)
        right_layout.addWidget(self.detail_label)
        actions = QHBoxLayout()
        actions.addWidget(self.add_member_button)
        actions.addWidget(self.remove_member_button)
        actions.addSpacing(12)
        actions.addWidget(role_label)
        actions.addWidget(self.role_combo)
        actions.addStretch(1)
        right_layout.addLayout(actions)
        right_layout.addWidget(self.members_view, 1)
        right_layout.addWidget(self.message)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        QWidget.setTabOrder(self.tree, self.new_button)
        QWidget.setTabOrder(self.new_button, self.edit_button)
        QWidget.setTabOrder(self.edit_button, self.delete_group_button)
        QWidget.setTabOrder(self.delete_group_button, self.add_member_button)
        QWidget.setTabOrder(self.add_member_button, self.remove_member_button)
        QWidget.setTabOrder(self.remove_member_button, self.role_combo)
        QWidget.setTabOrder(self.role_combo, self.members_view)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot in ((QKeySequence.StandardKey.New, self.new_group),
                           (QKeySequence(Qt.Key.Key_F2), self.edit_group),
                           (QKeySequence(Qt.Key.Key_Insert), self.add_member),
                           (QKeySequence(Qt.Key.Key_Delete), self._delete_focused)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)

    # ---- reading ----

    def refresh(self) -> None:
        """Reload the tree (keeping what was open and selected) and the members."""
        current = self.current_group_id()
        expanded = [gid for gid in self.tree_model.all_ids() if self.tree.isExpanded(self.tree_model.index_of(gid))]
        with self.ctx.db.read() as session:
            rows = group_rows(session)
        self.tree_model.load(rows)
        for gid in expanded:
            self.tree.setExpanded(self.tree_model.index_of(gid), True)
        if current and self.tree_model.group(current) is not None:
            self._select_group(current)
        elif self.tree_model.rowCount() and not current:
            self._select_group(str(self.tree_model.index(0, 0).data(GROUP_ID_ROLE)))
        else:
            self._show_current_group()

    def _on_changed(self, record_type: str) -> None:
        if record_type in RELEVANT:
            self.refresh()

    def current_group_id(self) -> str:
        """The selected group's id ('' when none)."""
        index = self.tree.currentIndex()
        return str(index.siblingAtColumn(0).data(GROUP_ID_ROLE)) if index.isValid() else ""

    def current_group(self) -> GroupRow | None:
        """The selected group's row."""
        return self.tree_model.group(self.current_group_id())

    def _select_group(self, group_id: str) -> None:
        index = self.tree_model.index_of(group_id)
        if not index.isValid():
            return
        parent = index.parent()
        while parent.isValid():
            self.tree.expand(parent)
            parent = parent.parent()
        self.tree.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.tree.scrollTo(index)
        self._show_current_group()

    def open_record(self, record_id: str) -> None:
        """Select a group (by id) and show its members."""
        self._select_group(record_id)

    def _show_current_group(self) -> None:
        group = self.current_group()
        selected_member = self.current_member_id()
        if group is None:
            self.title_label.setText(self.tr("No group selected") if self.tree_model.rowCount()
                                     else self.tr("No groups yet: press Ctrl+N to make one."))
            self.detail_label.clear()
            self.members_model.show_group("")
        else:
            self.title_label.setText(group.name)
            details = [self.tr("%n member(s)", "", group.members), group.kind]
            if group.description:
                details.append(group.description)
            self.detail_label.setText(" · ".join(details))
            if group.id == self.members_model.group_id:
                self.members_model.reload()
            else:
                self.members_model.show_group(group.id)
                selected_member = ""
        if selected_member:
            row = self.members_model.row_of(selected_member)
            if row >= 0:
                self.members_view.selectRow(row)
        for button in (self.edit_button, self.delete_group_button, self.add_member_button):
            button.setEnabled(group is not None)
        self._sync_member_buttons()

    def current_member_id(self) -> str:
        """The contact id of the selected member ('' when none)."""
        index = self.members_view.currentIndex()
        if not index.isValid() or not self.members_view.selectionModel().isRowSelected(index.row(), QModelIndex()):
            return ""
        return str(index.data(MEMBER_ROW_ROLE).contact_id)

    def _sync_member_buttons(self) -> None:
        index = self.members_view.currentIndex()
        member = index.data(MEMBER_ROW_ROLE) if index.isValid() else None
        self.remove_member_button.setEnabled(member is not None)
        self.role_combo.setEnabled(member is not None)
        if member is not None:
            self.role_combo.setCurrentIndex(max(0, self.role_combo.findData(member.role)))

    # ---- group edits ----

    def _edit(self, text: str, do: Any, undo: Any, record_type: str) -> bool:
        return try_edit(self.ctx, text, do, undo, record_type, self.message)

    def new_group(self) -> None:
        """Ask for a new group's details, then create it (undoable)."""
        created: list[str] = []

        def submit(values: dict[str, Any]) -> None:
            def do(tx: Tx) -> None:
                if created:
                    delete_group(tx, created[0], False)
                else:
                    created.append(create_group(tx, values).id)

            push(self.ctx, self.tr("New group {0}").format(values["name"].strip()), do,
                      lambda tx: delete_group(tx, created[0], True), "group")
            self._select_group(created[0])

        dialog = GroupDialog(self.tr("New group"), self.tree_model.ordered(), set(), submit, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def edit_group(self) -> None:
        """Rename, describe or move the selected group (undoable)."""
        group = self.current_group()
        if group is None:
            return
        old = {"name": group.name, "kind": group.kind, "parent_id": group.parent_id, "description": group.description}

        def submit(values: dict[str, Any]) -> None:
            new = {k: v for k, v in values.items() if (v.strip() if k == "name" else v) != old[k]}
            if not new:
                return
            before = {k: old[k] for k in new}
            push(self.ctx, self.tr("Edit group {0}").format(group.name),
                      lambda tx: update_group(tx, group.id, new),
                      lambda tx: update_group(tx, group.id, before), "group")

        dialog = GroupDialog(self.tr("Edit group"), self.tree_model.ordered(), self.tree_model.subtree_ids(group.id),
                             submit, current=group, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def delete_group(self) -> None:
        """Delete the selected group and every group inside it (one undoable step; members are kept)."""
        group = self.current_group()
        if group is None:
            return
        ids = sorted(self.tree_model.subtree_ids(group.id))

        def mark(tx: Tx, flag: bool) -> None:
            for gid in ids:
                delete_group(tx, gid, flag)

        if self._edit(self.tr("Delete group {0}").format(group.name), lambda tx: mark(tx, True),
                      lambda tx: mark(tx, False), "group"):
            note = self.tr("Deleted “{0}”").format(group.name)
            if len(ids) > 1:
                note += self.tr(" and %n sub-group(s)", "", len(ids) - 1)
            self.message.show_error(note + self.tr(". Undo with Ctrl+Z."))

    def _delete_focused(self) -> None:
        if self.members_view.hasFocus():
            self.remove_member()
        elif self.tree.hasFocus():
            self.delete_group()

    # ---- membership edits ----

    def add_member(self) -> None:
        """Pick a contact (and role) and add them to the selected group."""
        group = self.current_group()
        if group is None:
            return
        roles = [(role, self.role_combo.itemText(self.role_combo.findData(role))) for role in MEMBERSHIP_ROLES]
        open_contact_picker(self.ctx, self, self.tr("Add a member to {0}").format(group.name),
                            lambda contact_id, role: self._add(group.id, group.name, contact_id, role), roles=roles)

    def _add(self, group_id: str, group_name: str, contact_id: str, role: str) -> None:
        with self.ctx.db.read() as session:
            before = membership_state(session, group_id, contact_id)
        since = "" if before is not None else date.today().isoformat()
        if self._edit(self.tr("Add member to {0}").format(group_name),
                      lambda tx: add_member(tx, group_id, contact_id, role, since),
                      lambda tx: restore_membership(tx, group_id, contact_id, before), "membership"):
            row = self.members_model.row_of(contact_id)
            if row >= 0:
                self.members_view.selectRow(row)

    def remove_member(self) -> None:
        """Take the selected member out of the group (undoable)."""
        group, contact_id = self.current_group(), self.current_member_id()
        if group is None or not contact_id:
            return
        with self.ctx.db.read() as session:
            before = membership_state(session, group.id, contact_id)
        self._edit(self.tr("Remove member from {0}").format(group.name),
                   lambda tx: remove_member(tx, group.id, contact_id),
                   lambda tx: restore_membership(tx, group.id, contact_id, before), "membership")

    def set_role(self, role: str) -> None:
        """Give the selected member a new role in the group (undoable)."""
        group, contact_id = self.current_group(), self.current_member_id()
        if group is None or not contact_id:
            return
        with self.ctx.db.read() as session:
            before = membership_state(session, group.id, contact_id)
        if before == role:
            return
        self._edit(self.tr("Change role in {0}").format(group.name),
                   lambda tx: add_member(tx, group.id, contact_id, role),
                   lambda tx: restore_membership(tx, group.id, contact_id, before), "membership")
