"""Undoing an import as a whole: put back the automatic backup the import made just before it changed anything.

A contact import is also one step of Edit → Undo, which takes the people it added out again; but the values it
changed in people already here, the groups it added, and everything a bundle import merged have no simple
reverse (a reversing edit would travel to other hubs as a new change). Right after an import the window offers
this instead: the hub goes back exactly as it was, and the hub as it is now is kept in the backups folder.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from oursociety_desktop.i18n import _
from oursociety_desktop.models.backup import ensure_not_busy, restore_from
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.registry import REGISTRY
from oursociety_desktop.ui.context import AppContext


def restore_button(parent: QWidget) -> QPushButton:
    """The button shown right after an import (hidden until then)."""
    button = QPushButton(parent.tr("Restore the backup made before this import…"), parent)
    button.setAccessibleName(parent.tr("Restore the backup made before this import"))
    button.setAccessibleDescription(parent.tr("Puts the whole hub back as it was just before the import; asks "
                                              "first"))
    button.hide()
    return button


def confirm_restore(parent: QWidget, file_name: str) -> bool:
    """Ask before restoring: what goes back, and what is kept."""
    answer = QMessageBox.question(
        parent, parent.tr("Restore the backup made before this import"),
        parent.tr("Put the hub back as it was just before importing {0}?\n\nEverything changed since then is undone: "
                  "the import, and any edit made after it. The hub as it is now is kept in the backups folder, "
                  "and other hubs will see this hub as restored from a backup.").format(file_name),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def restore_before_import(ctx: AppContext, backup: Path) -> Path | None:
    """Replace the open hub's database with `backup`, in place: the same `Database` object reads the restored
    file afterwards, the undo stack is cleared (its steps belong to the replaced file) and every view reloads.
    Returns where the replaced database was kept. Raises UserError (nothing changed) while a task that changes
    the hub is running, while another program writes to it, or when the backup is missing or damaged."""
    if ctx.runner.changing():
        raise UserError(_("Wait for the running task to finish, then restore the backup."))
    # Tasks that only read (a preview, a count) finish first, and their answers, read from the file about to be
    # replaced, are shown before the views reload from the restored one.
    ctx.runner.wait_for_readers()
    QCoreApplication.processEvents()
    db = ctx.db
    ensure_not_busy(db.path)
    db.close()  # every pooled connection: the file is about to be replaced
    aside = restore_from(backup, db.path)
    Database.open(db.path.parent).close()  # as at start-up: migrations, and where this copy of the hub lives
    db.reload_hub()
    ctx.undo_stack.clear()
    ctx.events.announce(*REGISTRY.names(), "exchange", "settings")
    return aside
