"""Small widgets shared by the Exchange workspace's pages."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QTableView, QWidget


def plain_table(model: Any, name: str) -> QTableView:
    """A read-only, row-selecting table view with an accessible name."""
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setAccessibleDescription(QCoreApplication.translate("Exchange", "A read-only list"))
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    view.verticalHeader().hide()
    view.setTabKeyNavigation(False)  # Tab leaves the table (arrows move in it), as in every other list
    return view


def passphrase_edit(owner: QWidget, name: str) -> QLineEdit:
    """A masked passphrase field."""
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(name)
    edit.setAccessibleDescription(owner.tr("Hidden as you type; leave empty for no encryption"))
    edit.setPlaceholderText(owner.tr("Leave empty for no encryption"))
    return edit


# Core messages written for the command line name its options; in the window they name the field instead.
CLI_HINTS = {" (--passphrase-file F)": " in the Passphrase box"}


def window_message(message: str) -> str:
    """A core message as the window shows it: command-line options replaced by what to do in the window."""
    for hint, instead in CLI_HINTS.items():
        message = message.replace(hint, instead)
    return message
