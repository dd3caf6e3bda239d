"""Small input widgets shared by editors: a text box that reports when editing is finished, a message shown
beside a field, and a label/value list for phones and emails."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


class CommitTextEdit(QPlainTextEdit):
    """A multi-line text box that emits `editingFinished` when it loses focus, like QLineEdit does.

    Tab moves focus on (it does not insert a tab character), so keyboard users can leave the box.
    """

    editingFinished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.editingFinished.emit()


def make_bold(widget: QWidget) -> None:
    """Bold text at whatever size the text-size setting gives. Only the weight is set, so a new application font
    still reaches the widget; a style sheet ("font-weight: bold") would keep the size it had when it was set."""
    font = QFont()
    font.setBold(True)
    widget.setFont(font)


class FieldMessage(QLabel):
    """A message shown under a field: an error (the value was not saved) or a warning (saved, but check it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_error(self, text: str) -> None:
        """Show why the value was refused."""
        self._show("⚠ " + text, error=True)

    def show_warning(self, text: str) -> None:
        """Show a note about a value that was kept."""
        self._show("ⓘ " + text, error=False)

    def _show(self, text: str, error: bool) -> None:
        # A red that reads on both light and dark palettes for errors; the palette's own hint colour otherwise
        # (a colour role rather than a style sheet, so the label follows palette and text-size changes).
        palette = QPalette()
        if error:
            palette.setColor(QPalette.ColorRole.WindowText, QColor("#d0342c"))
        self.setPalette(palette)
        self.setForegroundRole(QPalette.ColorRole.WindowText if error else QPalette.ColorRole.PlaceholderText)
        self.setText(text)
        self.setAccessibleName(text)
        self.show()

    def clear_message(self) -> None:
        """Hide the message."""
        self.setText("")
        self.hide()


class LeftToRightDelegate(QStyledItemDelegate):
    """Cells (and their editor) laid out left to right whatever the window's direction: phone numbers and email
    addresses, whose digit groups an Urdu or Arabic window would otherwise show in reverse order."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        option.direction = Qt.LayoutDirection.LeftToRight

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        editor = super().createEditor(parent, option, index)
        editor.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        return editor


class LabelledValuesEditor(QWidget):
    """Several (label, value) pairs, e.g. phones or emails, edited in a two-column table.

    `changed` is emitted with the whole list when a cell edit is finished or a row is removed.
    """

    changed = Signal(list)

    def __init__(self, what: str, labels: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.labels = labels
        self.table = QTableWidget(0, 2, self)
        self.table.setHorizontalHeaderLabels([self.tr("Label"), what])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setItemDelegateForColumn(1, LeftToRightDelegate(self.table))
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.table.setAccessibleName(what)
        self.table.setAccessibleDescription(self.tr("Label and value on each row; double-click or F2 edits"))
        self.table.setMaximumHeight(110)
        self.add_button = QPushButton(self.tr("Add"), self)
        self.add_button.setAccessibleName(self.tr("Add {0}").format(what.lower()))
        self.add_button.setAccessibleDescription(self.tr("Adds a row to fill in"))
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.setAccessibleName(self.tr("Remove selected {0}").format(what.lower()))
        self.remove_button.setAccessibleDescription(self.tr("Removes the selected row"))
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._loading = False
        self.table.itemChanged.connect(self._on_item_changed)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_selected)

    def set_values(self, items: list[dict[str, str]]) -> None:
        """Show these entries (does not emit `changed`)."""
        self._loading = True
        self.table.setRowCount(0)
        for item in items:
            self._append(item.get("label", ""), item.get("value", ""))
        self._loading = False

    def values(self) -> list[dict[str, str]]:
        """The entries as shown, empty values left out."""
        out = []
        for row in range(self.table.rowCount()):
            label, value = self.table.item(row, 0), self.table.item(row, 1)
            text = value.text().strip() if value else ""
            if text:
                out.append({"label": label.text().strip() if label else "", "value": text})
        return out

    def _append(self, label: str, value: str) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(label))
        self.table.setItem(row, 1, QTableWidgetItem(value))
        return row

    def add_row(self) -> None:
        """Add an empty row and start editing its value."""
        self._loading = True
        row = self._append(self.labels[0] if self.labels else "", "")
        self._loading = False
        self.table.setFocus()
        self.table.setCurrentCell(row, 1)
        item = self.table.item(row, 1)
        if item is not None:
            self.table.editItem(item)

    def remove_selected(self) -> None:
        """Remove the selected rows and report the new list."""
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        if not rows and self.table.currentRow() >= 0:
            rows = [self.table.currentRow()]
        for row in rows:
            self.table.removeRow(row)
        if rows:
            self.changed.emit(self.values())

    def _on_item_changed(self, _item: QTableWidgetItem) -> None:
        if not self._loading:
            self.changed.emit(self.values())


class HeadingLabel(QLabel):
    """A bold label drawn `scale` times the application font, following the text size setting when it changes."""

    def __init__(self, text: str = "", scale: float = 1.4, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.scale = scale
        self.setWordWrap(True)
        self._apply_font()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.fontChanged.connect(self._apply_font)

    def _apply_font(self, *_font: object) -> None:
        font = QFont(QApplication.font())
        font.setPointSizeF(font.pointSizeF() * self.scale)
        font.setBold(True)
        self.setFont(font)
