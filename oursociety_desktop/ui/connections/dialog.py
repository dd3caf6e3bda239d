"""Record a connection: who introduced whom, what kind, when and why, with an optional follow-up action.
The same form edits an existing connection (then the follow-up part is hidden)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from oursociety_desktop.models.errors import UserError, ValidationError
from oursociety_desktop.ui.connections.connection_model import kind_labels
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.widgets.contact_picker import ContactButton
from oursociety_desktop.ui.widgets.dates import DateEdit
from oursociety_desktop.ui.widgets.fields import make_bold

# submit(connection values, follow-up values or None) saves, or raises UserError with nothing changed.
Submit = Callable[[dict[str, Any], dict[str, Any] | None], None]


class ConnectionDialog(QDialog):
    """The connection form. `current` holds an existing connection's values when editing."""

    def __init__(self, ctx: AppContext, title: str, submit: Submit, current: dict[str, str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.submit = submit
        choose = self.tr("Choose…")
        self.by_button = ContactButton(ctx, self.tr("Who made the introduction?"), self.tr("(nobody / choose…)"), self)
        self.by_button.setAccessibleName(self.tr("Introduced by"))
        self.a_button = ContactButton(ctx, self.tr("Choose the first person"), choose, self)
        self.a_button.setAccessibleName(self.tr("First person"))
        self.b_button = ContactButton(ctx, self.tr("Choose the second person"), choose, self)
        self.b_button.setAccessibleName(self.tr("Second person"))
        self.kind_combo = QComboBox(self)
        self.kind_combo.setAccessibleName(self.tr("Kind of connection"))
        for value, label in kind_labels().items():
            self.kind_combo.addItem(label, value)
        self.date_edit = DateEdit(False, self)
        self.date_edit.set_iso(date.today().isoformat())
        self.date_edit.setAccessibleName(self.tr("Date of the introduction"))
        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setAccessibleName(self.tr("Why they were connected"))
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(80)

        self.follow_box = QGroupBox(self.tr("Follow-up"), self)
        self.follow_check = QCheckBox(self.tr("&Create a follow-up action"), self.follow_box)
        self.follow_title = QLineEdit(self.follow_box)
        self.follow_title.setAccessibleName(self.tr("Follow-up title"))
        self.follow_due = DateEdit(False, self.follow_box)
        self.follow_due.set_iso((date.today() + timedelta(days=14)).isoformat())
        self.follow_due.setAccessibleName(self.tr("Follow-up due date"))
        follow_form = QFormLayout(self.follow_box)
        follow_form.addRow(self.follow_check)
        follow_form.addRow(self.tr("&Title:"), self.follow_title)
        follow_form.addRow(self.tr("D&ue:"), self.follow_due)
        self.follow_check.toggled.connect(self._sync_follow_up)
        self.a_button.changed.connect(lambda _id: self._suggest_title())
        self.b_button.changed.connect(lambda _id: self._suggest_title())

        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName(self.tr("Problem"))
        make_bold(self.error_label)
        self.error_label.hide()
        form = QFormLayout()
        form.addRow(self.tr("Introduced &by:"), self.by_button)
        form.addRow(self.tr("&Person:"), self.a_button)
        form.addRow(self.tr("&and:"), self.b_button)
        form.addRow(self.tr("&Kind:"), self.kind_combo)
        form.addRow(self.tr("&When:"), self.date_edit)
        form.addRow(self.tr("&Why:"), self.note_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.follow_box)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

        if current is not None:
            self.by_button.set_contact(current["introduced_by"])
            self.a_button.set_contact(current["contact_a"])
            self.b_button.set_contact(current["contact_b"])
            self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(current["kind"])))
            self.date_edit.set_iso(current["date"])
            self.note_edit.setPlainText(current["note"])
            self.follow_box.hide()
        self._sync_follow_up()
        (self.by_button if current is None else self.note_edit).setFocus()

    def _sync_follow_up(self) -> None:
        on = self.follow_check.isChecked()
        self.follow_title.setEnabled(on)
        self.follow_due.setEnabled(on)

    def _suggest_title(self) -> None:
        if self.a_button.contact_id and self.b_button.contact_id and not self.follow_title.isModified():
            self.follow_title.setText(self.tr("Follow up: {0} and {1}").format(self.a_button.text(),
                                                                               self.b_button.text()))

    def values(self) -> dict[str, Any]:
        """The connection's fields as the form holds them."""
        return {"introduced_by": self.by_button.contact_id, "contact_a": self.a_button.contact_id,
                "contact_b": self.b_button.contact_id, "kind": self.kind_combo.currentData(),
                "date": self.date_edit.iso("date"), "note": self.note_edit.toPlainText().strip()}

    def follow_up(self) -> dict[str, Any] | None:
        """The follow-up action's fields, or None when none is wanted."""
        if self.follow_box.isHidden() or not self.follow_check.isChecked():
            return None
        return {"title": self.follow_title.text(), "due": self.follow_due.iso("due"), "kind": "follow-up"}

    def accept(self) -> None:
        try:
            self.submit(self.values(), self.follow_up())
        except UserError as exc:
            self.error_label.setText("⚠ " + exc.message)
            self.error_label.show()
            field = exc.field if isinstance(exc, ValidationError) else ""
            target: QWidget = {"contact_a": self.a_button, "contact_b": self.b_button,
                               "introduced_by": self.by_button, "date": self.date_edit, "title": self.follow_title,
                               "due": self.follow_due}.get(field, self.a_button)
            target.setFocus()
            return
        super().accept()
