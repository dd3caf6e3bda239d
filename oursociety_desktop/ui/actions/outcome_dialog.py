"""Asks how an action turned out when it is marked done."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget


class OutcomeDialog(QDialog):
    """A text box for the outcome; OK marks the action done with it."""

    def __init__(self, title: str, outcome: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Mark done"))
        label = QLabel(self.tr("How did “{0}” turn out? (optional)").format(title), self)
        label.setWordWrap(True)
        self.outcome_edit = QPlainTextEdit(self)
        self.outcome_edit.setAccessibleName(self.tr("Outcome"))
        self.outcome_edit.setTabChangesFocus(True)
        self.outcome_edit.setPlainText(outcome)
        label.setBuddy(self.outcome_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Mark &done"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.outcome_edit)
        layout.addWidget(buttons)
        self.resize(420, 220)
        self.outcome_edit.setFocus()


def ask_outcome(parent: QWidget, title: str, outcome: str, on_done: Callable[[str], None]) -> OutcomeDialog:
    """Show the dialog window-modal; `on_done(outcome)` runs when the user confirms."""
    dialog = OutcomeDialog(title, outcome, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accepted.connect(lambda: on_done(dialog.outcome_edit.toPlainText().strip()))
    dialog.open()
    return dialog
