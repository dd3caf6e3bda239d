"""The Groups workspace: the group tree on the left, the chosen group's members on the right.

Every change (group created, edited, moved, deleted; member added, removed, role changed) is one transaction
on the undo stack; the views refresh from `ctx.events.changed`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from oursociety_desktop.formats.mailto import GroupMail, group_mail
from oursociety_desktop.models.database import Tx
from oursociety_desktop.models.groups import (
    GroupRow,
    create_group,
    delete_group,
    group_rows,
    update_group,
)
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.groups.group_dialog import GroupDialog
from oursociety_desktop.ui.groups.group_tree_model import (
    COL_KIND,
    COL_MEMBERS,
    GROUP_ID_ROLE,
    GroupTreeModel,
    RowHeightDelegate,
)
from oursociety_desktop.ui.groups.labels import kind_labels
from oursociety_desktop.ui.groups.members_panel import MembersPanel
from oursociety_desktop.ui.widgets.edits import MessageLine, push_create, push_update, try_edit
from oursociety_desktop.ui.widgets.staleness import RefreshWhenShown
from oursociety_desktop.ui.wording import plural


class GroupsWorkspace(RefreshWhenShown, QWidget):
    """Nested groups with member counts; members with roles; add, remove and change roles with undo."""

    RELEVANT: ClassVar[frozenset[str]] = frozenset({"group", "membership", "contact"})
    learn_about = Signal(list)  # a new group's themes: the window opens Learning on what other hubs learned

    TITLE: ClassVar[str] = QCoreApplication.translate("GroupsWorkspace", "Groups")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._first_load = True
        self.tree_model = GroupTreeModel(self)
        self._build()
        ctx.events.changed.connect(self.on_data_changed)
        self.refresh()

    # ---- layout ----

    def _build(self) -> None:
        self.tree = QTreeView(self)
        self.tree.setModel(self.tree_model)
        self.tree.setAccessibleName(self.tr("Groups"))
        self.tree.setAccessibleDescription(self.tr("Groups and their sub-groups; Enter moves to the members"))
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setItemDelegate(RowHeightDelegate(self.fontMetrics().height() + 8, self.tree))
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Fixed widths from what the columns can hold: measuring every row is slow with hundreds of groups.
        header.setSectionResizeMode(COL_MEMBERS, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(COL_KIND, QHeaderView.ResizeMode.Fixed)
        self._fit_tree_columns()
        self.tree.selectionModel().currentRowChanged.connect(lambda _cur, _prev: self._show_current_group())
        self.new_button = QPushButton(self.tr("&New group…"), self)
        self.edit_button = QPushButton(self.tr("&Edit / move…"), self)
        self.delete_group_button = QPushButton(self.tr("Delete group"), self)
        for button, tip in ((self.new_button, self.tr("New group (Ctrl+Shift+N)")),
                            (self.edit_button, self.tr("Rename, describe or move the group (F2)")),
                            (self.delete_group_button, self.tr("Delete the group and its sub-groups (Delete)"))):
            button.setToolTip(tip)
        self.new_button.clicked.connect(self.new_group)
        self.edit_button.clicked.connect(self.edit_group)
        self.delete_group_button.clicked.connect(self.delete_group)
        self.email_button = QPushButton(self.tr("E&mail the group…"), self)
        self.email_button.setToolTip(self.tr("Open your mail program with the members' addresses in Bcc, "
                                             "leaving out people who asked not to be emailed"))
        self.email_button.setAccessibleName(self.tr("Email the group"))
        self.email_button.setAccessibleDescription(self.email_button.toolTip())
        self.email_button.clicked.connect(self.email_group)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.tree, 1)
        row = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.delete_group_button, self.email_button):
            row.addWidget(button)
        row.addStretch(1)
        left_layout.addLayout(row)

        self.message = MessageLine(self)
        self.members = MembersPanel(self.ctx, self.message, self)
        # Short names for the members side, used by the shortcuts and by tests driving the workspace.
        self.members_view, self.members_model = self.members.view, self.members.model
        self.add_member_button, self.remove_member_button = self.members.add_button, self.members.remove_button
        self.role_combo, self.detail_label = self.members.role_combo, self.members.detail_label
        self.tree.activated.connect(lambda _index: self.members_view.setFocus())
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.members, 1)
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
        QWidget.setTabOrder(self.delete_group_button, self.email_button)
        QWidget.setTabOrder(self.email_button, self.add_member_button)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        # New group is the window's File → New group (Ctrl+Shift+N), so it works wherever the focus is.
        for keys, slot in ((QKeySequence(Qt.Key.Key_F2), self.edit_group),
                           (QKeySequence(Qt.Key.Key_Insert), self.members.add_member),
                           (QKeySequence(Qt.Key.Key_Delete), self._delete_focused)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)

    # ---- reading ----

    def _fit_tree_columns(self) -> None:
        # Fixed widths from what the columns can hold: measuring every row is slow with hundreds of groups.
        header, metrics = self.tree.header(), self.fontMetrics()
        header.resizeSection(COL_MEMBERS, max(metrics.horizontalAdvance(t) for t in ("000000", self.tr("Members")))
                             + 20)
        header.resizeSection(COL_KIND, max(metrics.horizontalAdvance(t) for t in kind_labels().values()) + 20)

    def fit_columns(self) -> None:
        """The groups' and the members' columns fitted again to a new text size."""
        self._fit_tree_columns()
        delegate = self.tree.itemDelegate()
        if isinstance(delegate, RowHeightDelegate):
            delegate.height = self.fontMetrics().height() + 8
            self.tree.doItemsLayout()
        self.members.fit_columns()

    def refresh(self) -> None:
        """Reload the tree (keeping what was open and selected) and the members."""
        self._stale = False
        current = self.current_group_id()
        expanded = [gid for gid in self.tree_model.all_ids() if self.tree.isExpanded(self.tree_model.index_of(gid))]
        with self.ctx.db.read() as session:
            rows = group_rows(session)
        self.tree_model.load(rows)
        if self._first_load:
            self._first_load = False
            self.tree.expandToDepth(0)  # show the first level of sub-groups, so nesting is visible at once
        for gid in expanded:
            self.tree.setExpanded(self.tree_model.index_of(gid), True)
        if current and self.tree_model.group(current) is not None:
            self._select_group(current)
        elif self.tree_model.rowCount() and not current:
            self._select_group(str(self.tree_model.index(0, 0).data(GROUP_ID_ROLE)))
        else:
            self._show_current_group()

    def current_group_id(self) -> str:
        """The selected group's id ('' when none)."""
        index = self.tree.currentIndex()
        return str(index.siblingAtColumn(0).data(GROUP_ID_ROLE)) if index.isValid() else ""

    def open_mail_link(self, link: str) -> bool:
        """Hand a mailto: link to the system (a test replaces this)."""
        return QDesktopServices.openUrl(QUrl(link))

    def email_group(self) -> GroupMail | None:
        """Open the mail program with the members in Bcc; say how many were left out and why."""
        group_id = self.current_group_id()
        if not group_id:
            return None
        with self.ctx.db.read() as session:
            mail = group_mail(session.connection(), group_id)
        skipped = plural(mail.skipped_do_not_email, "{n} person who asked not to be emailed was left out",
                         "{n} people who asked not to be emailed were left out")
        missing = plural(mail.without_email, "{n} member has no email address",
                         "{n} members have no email address")
        if not mail.addresses:
            self.message.show_error(self.tr("Nobody in {0} can be emailed: {1}; {2}.").format(
                mail.group_name, skipped, missing))
            return mail
        if mail.fits_in_a_link():
            self.open_mail_link(mail.link())
            done = plural(len(mail.addresses), "Opened your mail program with {n} address in Bcc",
                          "Opened your mail program with {n} addresses in Bcc")
        else:  # too long for a link: the addresses go to the clipboard, to paste into Bcc
            clipboard = QGuiApplication.clipboard()
            clipboard.setText(", ".join(mail.addresses))
            done = plural(len(mail.addresses), "Copied {n} address: paste it into Bcc",
                          "Copied {n} addresses: paste them into Bcc")
        self.message.show_error(self.tr("{0}; {1}; {2}.").format(done, skipped, missing))
        return mail

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
        empty = (self.tr("No group selected") if self.tree_model.rowCount()
                 else self.tr("No groups yet: press Ctrl+Shift+N to make one."))
        self.members.show_group(group, empty)
        for button in (self.edit_button, self.delete_group_button, self.email_button):
            button.setEnabled(group is not None)

    def current_member_id(self) -> str:
        """The contact id of the selected member ('' when none)."""
        return self.members.current_member_id()

    # ---- group edits ----

    def _edit(self, text: str, do: Any, undo: Any, record_type: str) -> bool:
        return try_edit(self.ctx, text, do, undo, record_type, self.message)

    def new_group(self) -> None:
        """Ask for a new group's details, then create it (undoable)."""
        def submit(values: dict[str, Any]) -> None:
            group_id = push_create(self.ctx, self.tr("New group {0}").format(values["name"].strip()),
                                   lambda tx: create_group(tx, values), delete_group, "group")
            self._select_group(group_id)
            made = self.current_group()  # its themes as the core tidied them
            if made is not None and made.id == group_id and made.themes:
                self.learn_about.emit(list(made.themes))

        dialog = GroupDialog(self.tr("New group"), self.tree_model.ordered(), set(), submit, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def edit_group(self) -> None:
        """Rename, describe or move the selected group (undoable)."""
        group = self.current_group()
        if group is None:
            return
        old = {"name": group.name, "kind": group.kind, "parent_id": group.parent_id, "description": group.description,
               "themes": ", ".join(group.themes)}

        def submit(values: dict[str, Any]) -> None:
            new = {k: v for k, v in values.items() if (v.strip() if k == "name" else v) != old[k]}
            if not new:
                return
            push_update(self.ctx, self.tr("Edit group {0}").format(group.name), update_group, group.id, new, old,
                        "group")

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
                note += plural(len(ids) - 1, " and {n} sub-group", " and {n} sub-groups")
            self.message.show_note(note + self.tr(". Undo with Ctrl+Z."), self.ctx.undo_stack)

    def _delete_focused(self) -> None:
        if self.members_view.hasFocus():
            self.members.remove_member()
        elif self.tree.hasFocus():
            self.delete_group()
