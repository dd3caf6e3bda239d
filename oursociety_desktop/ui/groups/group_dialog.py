"""Create or edit a group: name, kind, parent (where it sits in the tree), themes and description."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from oursociety_desktop.models.errors import UserError, ValidationError
from oursociety_desktop.models.groups import GroupRow
from oursociety_desktop.models.tables import GROUP_KINDS
from oursociety_desktop.ui.groups.labels import kind_labels
from oursociety_desktop.ui.widgets.fields import make_bold

Submit = Callable[[dict[str, Any]], None]


class GroupDialog(QDialog):
    """Values are handed to `submit`, which saves them or raises UserError; the message shows beside the field."""

    def __init__(self, title: str, groups: list[tuple[int, GroupRow]], excluded: set[str], submit: Submit,
                 current: GroupRow | None = None, parent_id: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.submit = submit
        self.name_edit = QLineEdit(self)
        self.name_edit.setAccessibleName(self.tr("Group name"))
        self.kind_combo = QComboBox(self)
        self.kind_combo.setAccessibleName(self.tr("Kind of group"))
        for kind in GROUP_KINDS:
            self.kind_combo.addItem(kind_labels().get(kind, kind), kind)
        self.parent_combo = QComboBox(self)
        self.parent_combo.setAccessibleName(self.tr("Sits inside group"))
        self.parent_combo.addItem(self.tr("(top level)"), "")
        for depth, row in groups:
            if row.id not in excluded:
                self.parent_combo.addItem("    " * depth + row.name, row.id)
        self.themes_edit = QLineEdit(self)
        self.themes_edit.setAccessibleName(self.tr("Themes"))
        self.themes_edit.setPlaceholderText(self.tr("comma-separated, e.g. bike repair, youth"))
        self.themes_edit.setToolTip(self.tr("What the group is about: a new group opens Learning on what other hubs "
                                            "learned about its theme"))
        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setAccessibleName(self.tr("Description"))
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setFixedHeight(90)
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        make_bold(self.error_label)
        self.error_label.setAccessibleName(self.tr("Error"))
        self.error_label.hide()

        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.name_edit)
        form.addRow(self.tr("&Kind:"), self.kind_combo)
        form.addRow(self.tr("&Inside:"), self.parent_combo)
        form.addRow(self.tr("T&hemes:"), self.themes_edit)
        form.addRow(self.tr("&Description:"), self.description_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

        if current is not None:
            self.name_edit.setText(current.name)
            self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(current.kind)))
            self.description_edit.setPlainText(current.description)
            self.themes_edit.setText(", ".join(current.themes))
            parent_id = current.parent_id
        self.parent_combo.setCurrentIndex(max(0, self.parent_combo.findData(parent_id)))
        self.name_edit.setFocus()

    def values(self) -> dict[str, Any]:
        """What the form holds, as group fields."""
        return {"name": self.name_edit.text(), "kind": self.kind_combo.currentData(),
                "parent_id": self.parent_combo.currentData() or "",
                "description": self.description_edit.toPlainText(), "themes": self.themes_edit.text()}

    def accept(self) -> None:
        try:
            self.submit(self.values())
        except UserError as exc:
            self.error_label.setText("⚠ " + exc.message)
            self.error_label.show()
            target = {"name": self.name_edit, "parent_id": self.parent_combo, "themes": self.themes_edit}.get(
                exc.field if isinstance(exc, ValidationError) else "", self.name_edit)
            target.setFocus()
            return
        super().accept()
