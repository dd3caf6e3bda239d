"""The Contacts workspace: the searchable, filterable list on the left, the editor of the chosen contact on the
right, and bulk actions on a selection (each one undoable step)."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import (
    QCoreApplication,
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from oursociety_desktop.models.consent import hub_consent_defaults
from oursociety_desktop.models.contact_lookups import all_groups, all_tags
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.registry import REGISTRY
from oursociety_desktop.ui.contacts import commands, dialogs
from oursociety_desktop.ui.contacts.columns import ContactColumns
from oursociety_desktop.ui.contacts.contact_model import (
    COL_NAME,
    ContactTableModel,
)
from oursociety_desktop.ui.contacts.editor import ContactEditor
from oursociety_desktop.ui.contacts.filter_bar import ContactFilterBar
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.wording import plural

RESELECT_LIMIT = 2000


class ContactsWorkspace(QWidget):
    """Contacts: list, search, filters, editor and bulk actions."""

    TITLE = QCoreApplication.translate("Workspaces", "Contacts")
    open_record = Signal(str, str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = ContactTableModel(ctx.db, self)
        self.filters = ContactFilterBar(self._groups, self._tags, self)
        self.filters.query_changed.connect(self._apply_query)
        self.filters.search.returnPressed.connect(self._search_entered)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Contacts"))
        self.table.setAccessibleDescription(self.tr("The people of this hub; a header click sorts, Enter opens"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.columns = ContactColumns(ctx, self.table, self.model)
        self.columns.set_up()
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.count_label = QLabel(self)
        self.model.count_known.connect(lambda _n: self._update_count())
        self.model.sorting.connect(self._show_sorting)
        self.new_button = QPushButton(self.tr("&New person…"), self)
        self.new_button.setAccessibleName(self.tr("New person"))
        self.new_button.setAccessibleDescription(self.tr("Add a person and the consents they gave (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_contact)
        self.bulk_button = QPushButton(self.tr("With &selected…"), self)
        self.bulk_button.setAccessibleName(self.tr("Actions on the selected contacts"))
        self.bulk_button.setAccessibleDescription(self.tr("Add several people to a group at once, tag, share or "
                                                          "delete them"))
        self.bulk_menu = self._build_bulk_menu()
        self.bulk_button.setMenu(self.bulk_menu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.editor = ContactEditor(ctx, self)
        self.editor.open_record.connect(self.open_record)
        self.editor.delete_requested.connect(lambda cid: self.delete_selected([cid]))
        self.editor.forget_requested.connect(lambda cid: self.forget_selected([cid]))
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.bulk_button)
        bottom.addWidget(self.new_button)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.filters)
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(bottom)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.editor)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([700, 440])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        self.setTabOrder(self.filters.search, self.filters.group)
        self.setTabOrder(self.filters.group, self.filters.tag)
        self.setTabOrder(self.filters.tag, self.filters.consent)
        self.setTabOrder(self.filters.consent, self.table)
        self.setTabOrder(self.table, self.bulk_button)
        self.setTabOrder(self.bulk_button, self.new_button)
        ctx.events.changed.connect(self._data_changed)
        self._update_count()

    # ---- building ----

    def fit_columns(self) -> None:
        """Column widths for the current text size (the window calls it when the text size changes)."""
        self.columns.fit()

    def remember_columns(self) -> None:
        """Keep the user's column widths (and sort) for the next start."""
        self.columns.remember()

    def show_only(self, flag: str) -> None:
        """List only the people with one consent state (e.g. "no_share"), search and other filters cleared."""
        self.filters.clear()
        self.filters.consent.setCurrentIndex(max(0, self.filters.consent.findData(flag)))
        self.table.setFocus()

    def focus_search(self) -> None:
        """Edit → Find: the search box, its text selected so typing replaces it."""
        self.filters.search.setFocus()
        self.filters.search.selectAll()

    def _build_bulk_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.addAction(self.tr("Add to group…"), self.add_selected_to_group)
        menu.addAction(self.tr("Add a tag…"), self.tag_selected)
        menu.addSeparator()
        for field, on, off in (("share_with_hubs", self.tr("Share with other hubs"), self.tr("Stop sharing")),
                               ("include_in_directory", self.tr("Include in directory"),
                                self.tr("Leave out of directory"))):
            menu.addAction(on, partial(self.set_flag_selected, field, True))
            menu.addAction(off, partial(self.set_flag_selected, field, False))
        menu.addSeparator()
        delete = menu.addAction(self.tr("Delete"), lambda: self.delete_selected())
        delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.table.addAction(delete)
        menu.addAction(self.tr("Forget (erase)…"), lambda: self.forget_selected())
        return menu

    def _context_menu(self, pos: QPoint) -> None:
        self.bulk_menu.exec(self.table.viewport().mapToGlobal(pos))

    def _groups(self) -> list[tuple[str, str]]:
        with self.ctx.db.read() as session:
            return all_groups(session.connection())

    def _tags(self) -> list[str]:
        with self.ctx.db.read() as session:
            return all_tags(session.connection())

    # ---- list ----

    def refresh(self) -> None:
        """Re-read the list and the open contact, keeping the selection (a bulk action can be followed by another).

        A person whose deletion the editor was showing is shown again once the delete is undone."""
        current = self.editor.contact_id or self.editor.deleted_id
        rows = self.table.selectionModel().selectedRows()
        everything = bool(rows) and len(rows) == self.model.rowCount()
        kept = self.selected_ids() if len(rows) <= RESELECT_LIMIT else []
        self.model.reload()
        self.filters.group.reset_items()
        self.filters.tag.reset_items()
        self._update_count()
        if current:
            self.select_contact(current)
        if everything:
            self.table.selectAll()
        elif len(kept) > 1:
            selection = self.table.selectionModel()
            for contact_id in kept:
                row = self.model.row_of(contact_id)
                if row is not None:
                    selection.select(self.model.index(row, COL_NAME), QItemSelectionModel.SelectionFlag.Select
                                     | QItemSelectionModel.SelectionFlag.Rows)

    def _apply_query(self, query: object) -> None:
        current = self.editor.contact_id
        self.model.set_query(query)  # type: ignore[arg-type]
        self._update_count()
        if current:
            self.select_contact(current, load=False)

    def _search_entered(self) -> None:
        """Enter in the search box: search now and move to the list, on its first row (keyboard use)."""
        self.filters.emit_now()
        if self.model.rowCount():
            if not self.table.currentIndex().isValid():
                self.table.selectRow(0)
            self.table.setFocus()

    def _data_changed(self, record_types: frozenset[str]) -> None:
        if any(record_type in REGISTRY for record_type in record_types):
            self.refresh()

    def _show_sorting(self, busy: bool) -> None:
        if busy:
            self.count_label.setText(self.tr("Sorting…"))
        else:
            self._update_count()

    def _update_count(self) -> None:
        count = self.model.rowCount()
        if self.model.count_exact:
            self.count_label.setText(plural(count, "{n} person", "{n} people"))
        else:
            self.count_label.setText(plural(count, "{n} or more people", "{n} or more people"))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        contact_id = self.model.contact_id(current.row()) if current.isValid() else None
        if contact_id and contact_id != self.editor.contact_id:
            self.editor.load(contact_id)

    def select_contact(self, contact_id: str, load: bool = True) -> bool:
        """Make a contact the current row (and show it in the editor). False when the list does not hold it."""
        row = self.model.row_of(contact_id)
        if row is None:
            # No row is left highlighted for someone other than the person the editor shows.
            self.table.selectionModel().clear()
            if load:
                self.editor.load(contact_id)
            return False
        index = self.model.index(row, COL_NAME)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        if load:
            self.editor.load(contact_id)
        return True

    def show_new_contact(self, contact_id: str) -> None:
        """A person just added: selected and scrolled into view (the search and filters are cleared when they hide
        them), the editor on their first field."""
        if not self.select_contact(contact_id):
            self.filters.clear()
            self.select_contact(contact_id)
        self.editor.lines["given_name"].setFocus()

    def open_contact(self, contact_id: str) -> None:
        """Show a contact in the editor, selecting it in the list if the list holds it."""
        self.select_contact(contact_id)

    def selected_ids(self) -> list[str]:
        """Ids of the selected contacts, in list order (the open contact when nothing is selected)."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if rows and len(rows) == self.model.complete_count():
            return self.model.all_ids()  # one query, not a page per 100 rows
        ids = [cid for row in rows if (cid := self.model.contact_id(row))]
        if not ids and self.editor.contact_id:
            ids = [self.editor.contact_id]
        return ids

    # ---- actions ----

    def _report(self, exc: UserError) -> None:
        QMessageBox.warning(self, self.tr("Not done"), exc.message)

    def new_contact(self) -> None:
        """Ask for a name, create the contact and open it in the editor."""
        dialog = dialogs.NewContactDialog(lambda values: commands.new_contact(self.ctx, values),
                                          hub_consent_defaults(self.ctx.db.setting), self)
        accepted = dialog.exec()
        dialog.deleteLater()
        if accepted and dialog.created_id:
            self.show_new_contact(dialog.created_id)

    def add_selected_to_group(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        dialog = dialogs.ChooseGroupDialog(self._groups(), len(ids), self)
        if dialog.exec() and (group_id := dialog.group_id()):
            try:
                commands.add_to_group(self.ctx, ids, group_id)
            except UserError as exc:
                self._report(exc)

    def tag_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        tag, ok = QInputDialog.getText(self, self.tr("Add a tag"),
                                       plural(len(ids), "Tag for the selected person:",
                                              "Tag for the {n} selected people:"))
        if ok and tag.strip():
            try:
                commands.add_tag(self.ctx, ids, tag)
            except UserError as exc:
                self._report(exc)

    def set_flag_selected(self, field: str, value: bool) -> None:
        if ids := self.selected_ids():
            try:
                commands.set_flag(self.ctx, ids, field, value)
            except UserError as exc:
                self._report(exc)

    def delete_selected(self, ids: list[str] | None = None) -> None:
        """Delete the selected contacts (Ctrl+Z brings them back)."""
        chosen = ids or self.selected_ids()
        if chosen:
            try:
                commands.delete_contacts(self.ctx, chosen)
            except UserError as exc:
                self._report(exc)

    def forget_selected(self, ids: list[str] | None = None) -> None:
        """Erase the selected people after a confirmation that explains what erasure means."""
        chosen = ids or self.selected_ids()
        if not chosen:
            return
        reason = dialogs.confirm_forget(self, commands.describe(self.ctx, chosen))
        if reason is not None:
            try:
                commands.forget_contacts(self.ctx, chosen, reason)
            except UserError as exc:
                self._report(exc)
