"""The Learning workspace (lessons and stories) and the Offers & needs view (matches)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)


def describe_inputs(root: QWidget, what: str) -> None:
    """Give every named input, button and list under `root` that lacks one an accessible description saying
    what it belongs to (screen readers read it after the name)."""
    kinds = (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox, QLineEdit, QPlainTextEdit)
    for child in root.findChildren(QWidget):
        if not isinstance(child, kinds):
            continue
        name = child.accessibleName() or (child.text() if isinstance(child, QAbstractButton) else "")
        if name and not child.accessibleDescription():
            child.setAccessibleDescription(QCoreApplication.translate("Learning", "{0}, in {1}").format(
                name.replace("&", ""), what))
