"""A searchable contact picker on the FTS index: type, move with the arrow keys, press Enter.

`open_contact_picker` shows it window-modal without blocking (QDialog.open) and calls back with the chosen
contact id (and role, when the caller offers roles), so callers and tests stay simple.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from oursociety_desktop.models.contact_lookups import contacts_to_pick
from oursociety_desktop.models.records import get_record
from oursociety_desktop.models.tables import Contact
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.wording import plural

MAX_RESULTS = 50
DEBOUNCE_MS = 120
ID_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


class ContactSearchModel(QAbstractListModel):
    """Up to MAX_RESULTS live contacts matching the typed text (all contacts A–Z when nothing is typed)."""

    def __init__(self, ctx: AppContext, exclude: Iterable[str] = (), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.exclude = set(exclude)
        self.rows: list[tuple[str, str, str]] = []  # (id, name, detail)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        contact_id, name, detail = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{name}  ·  {detail}" if detail else name
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{name}, {detail}" if detail else name
        if role == ID_ROLE:
            return contact_id
        return None

    def search(self, typed: str) -> None:
        """Replace the rows with the best matches for `typed`."""
        with self.ctx.db.read() as session:
            rows = contacts_to_pick(session.connection(), typed, MAX_RESULTS, frozenset(self.exclude))
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()


class ContactPickerDialog(QDialog):
    """Search field above a list of matches; Enter picks the highlighted contact."""

    def __init__(self, ctx: AppContext, title: str, roles: Sequence[tuple[str, str]] = (),
                 exclude: Iterable[str] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.model = ContactSearchModel(ctx, exclude, self)
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(self.tr("Type a name, place, phone or email"))
        self.search_edit.setAccessibleName(self.tr("Search contacts"))
        self.search_edit.setClearButtonEnabled(True)
        self.list_view = QListView(self)
        self.list_view.setModel(self.model)
        self.list_view.setAccessibleName(self.tr("Matching contacts"))
        self.list_view.setUniformItemSizes(True)
        self.list_view.setMinimumSize(420, 280)
        self.list_view.doubleClicked.connect(lambda _index: self.accept())
        self.status = QLabel(self)
        self.role_combo = QComboBox(self)
        self.role_combo.setAccessibleName(self.tr("Role"))
        for value, label in roles:
            self.role_combo.addItem(label, value)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("&Search:"), self.search_edit)
        if roles:
            form.addRow(self.tr("&Role:"), self.role_combo)
        else:
            self.role_combo.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.list_view, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.search_now)
        self.search_edit.textChanged.connect(lambda _text: self._timer.start())
        self.search_edit.installEventFilter(self)
        self.search_now()
        self.search_edit.setFocus()

    def search_now(self) -> None:
        """Run the search for what is typed and highlight the first match."""
        self._timer.stop()
        self.model.search(self.search_edit.text())
        count = self.model.rowCount()
        if count == 0:
            self.status.setText(self.tr("No contact matches."))
        elif count >= MAX_RESULTS:  # "50 matches shown." read as "this hub has 50 people"
            self.status.setText(plural(count, "The first {n} match is shown; type more of a name to narrow it.",
                                       "The first {n} matches are shown; type more of a name to narrow them."))
        else:
            self.status.setText(plural(count, "{n} match shown.", "{n} matches shown."))
        if count:
            self.list_view.setCurrentIndex(self.model.index(0, 0))
        self.ok_button.setEnabled(count > 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The arrow keys move through the matches while the cursor stays in the search field.
        if watched is self.search_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
                QApplication.sendEvent(self.list_view, QKeyEvent(event.type(), key, event.modifiers()))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._timer.isActive():
                    self.search_now()
                self.accept()
                return True
        return super().eventFilter(watched, event)

    def chosen_id(self) -> str:
        """The highlighted contact's id ('' when there is none)."""
        index = self.list_view.currentIndex()
        return str(index.data(ID_ROLE)) if index.isValid() else ""

    def chosen_role(self) -> str:
        """The role picked alongside the contact ('' when no roles were offered)."""
        return str(self.role_combo.currentData() or "")

    def accept(self) -> None:
        if not self.chosen_id():
            return
        super().accept()


def open_contact_picker(ctx: AppContext, parent: QWidget, title: str, on_chosen: Callable[[str, str], None],
                        roles: Sequence[tuple[str, str]] = (), exclude: Iterable[str] = ()) -> ContactPickerDialog:
    """Show the picker window-modal; `on_chosen(contact_id, role)` runs when the user picks someone."""
    dialog = ContactPickerDialog(ctx, title, roles, exclude, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accepted.connect(lambda: on_chosen(dialog.chosen_id(), dialog.chosen_role()))
    dialog.open()
    return dialog


class ContactButton(QPushButton):
    """A form field holding one contact: shows their name, opens the picker when pressed (Space or Enter)."""

    changed = Signal(str)

    def __init__(self, ctx: AppContext, picker_title: str, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.picker_title = picker_title
        self.empty_text = empty_text
        self.contact_id = ""
        self.clicked.connect(self.choose)
        self.set_contact("")

    def choose(self) -> None:
        """Open the picker; the chosen contact becomes the value."""
        open_contact_picker(self.ctx, self, self.picker_title, lambda contact_id, _role: self.set_contact(contact_id))

    def set_contact(self, contact_id: str) -> None:
        """Hold this contact ('' for none) and show their name."""
        self.contact_id = contact_id
        name = ""
        if contact_id:
            with self.ctx.db.read() as session:
                name = get_record(session, Contact, contact_id).shown_name
        self.setText(name or self.empty_text)
        self.changed.emit(contact_id)
