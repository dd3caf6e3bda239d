"""Small dialogs of the contacts workspace: a new contact, choosing a group, confirming erasure."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from oursociety_desktop.models.errors import ValidationError
from oursociety_desktop.ui.widgets.fields import FieldMessage


class NewContactDialog(QDialog):
    """Asks for a name to start a contact with; the editor takes the rest. `create` is called on OK."""

    def __init__(self, create: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New contact"))
        self._create = create
        self.created_id: str | None = None
        self.given = QLineEdit(self)
        self.given.setAccessibleName(self.tr("Given name"))
        self.family = QLineEdit(self)
        self.family.setAccessibleName(self.tr("Family name"))
        self.organisation = QLineEdit(self)
        self.organisation.setAccessibleName(self.tr("Organisation"))
        self.message = FieldMessage(self)
        form = QFormLayout()
        form.addRow(self.tr("&Given name:"), self.given)
        form.addRow(self.tr("&Family name:"), self.family)
        form.addRow(self.tr("&Organisation:"), self.organisation)
        form.addRow("", self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok is not None
        ok.setText(self.tr("Add contact"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def accept(self) -> None:
        values = {"given_name": self.given.text(), "family_name": self.family.text(),
                  "organisation": self.organisation.text()}
        try:
            self.created_id = self._create(values)
        except ValidationError as exc:
            self.message.show_error(exc.message)
            self.given.setFocus()
            return
        super().accept()


class ChooseGroupDialog(QDialog):
    """Pick one group by name (type to narrow the list)."""

    def __init__(self, groups: list[tuple[str, str]], count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add to group"))
        self.combo = QComboBox(self)
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for gid, name in groups:
            self.combo.addItem(name, gid)
        self.combo.setAccessibleName(self.tr("Group"))
        label = QLabel(self.tr("Add {0} selected contact(s) to:").format(count), self)
        label.setBuddy(self.combo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.combo)
        layout.addWidget(buttons)

    def group_id(self) -> str | None:
        """The chosen group's id (None if the typed text names no group)."""
        index = self.combo.findText(self.combo.currentText())
        return str(self.combo.itemData(index)) if index >= 0 else None


def confirm_forget(parent: QWidget, names: str) -> bool:
    """Explain erasure and ask; the safe answer (Cancel) is the default."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(parent.tr("Forget this person?"))
    box.setText(parent.tr("Forget {0}?").format(names))
    box.setInformativeText(parent.tr(
        "Forgetting erases every personal detail — names, phones, emails, address, notes and consent — and "
        "takes them out of every group, action and connection. Only an anonymous placeholder remains, so the "
        "erasure also reaches other hubs when you next exchange bundles.\n\nThis cannot be undone. Use Delete "
        "instead if you may want the record back."))
    forget = box.addButton(parent.tr("Forget for good"), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is forget
