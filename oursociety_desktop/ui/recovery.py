"""When the hub's database cannot be opened because it is damaged: say so and offer to restore a backup
, instead of crashing or leaving the organiser with nothing."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from oursociety_desktop.models.backup import restore_from
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.paths import backup_dir, database_path

PATH_ROLE = Qt.ItemDataRole.UserRole


def available_backups(folder: Path) -> list[Path]:
    """Backups in the data folder's backups/ (automatic and manual), newest first; damaged files set aside are
    left out."""
    found = [p for p in backup_dir(folder).glob("*.sqlite3") if p.is_file() and not p.name.startswith("damaged-")]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


class RestoreDialog(QDialog):
    """Explains what is wrong and lists backups to restore; the damaged file is kept aside, never deleted."""

    def __init__(self, folder: Path, problem: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.restored_from: Path | None = None
        self.setWindowTitle(self.tr("The hub's database cannot be opened"))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("{0}\n\nChoose a backup to restore. The damaged file is kept in the backups folder, "
                               "so nothing is thrown away.").format(problem))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Backups, newest first"))
        for path in available_backups(folder):
            when = datetime.fromtimestamp(path.stat().st_mtime).strftime("%d %b %Y, %H:%M")
            item = QListWidgetItem(self.tr("{0} — {1} ({2:,} KB)").format(when, path.name,
                                                                         path.stat().st_size // 1024))
            item.setData(PATH_ROLE, str(path))
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        else:
            self.list.addItem(self.tr("No backups in {0}").format(backup_dir(folder)))
            self.list.setEnabled(False)
        layout.addWidget(self.list)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox()
        self.restore_button = QPushButton(self.tr("&Restore selected backup"))
        self.restore_button.setEnabled(self.list.isEnabled())
        self.file_button = QPushButton(self.tr("Restore from a &file…"))
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.file_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.restore_button.clicked.connect(self.restore_selected)
        self.file_button.clicked.connect(self.restore_from_file)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.list.itemActivated.connect(lambda _item: self.restore_selected())
        self.resize(620, 380)

    def restore_selected(self) -> None:
        item = self.list.currentItem()
        if item is not None and item.data(PATH_ROLE):
            self.restore(Path(str(item.data(PATH_ROLE))))

    def restore_from_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Restore a backup"), str(backup_dir(self.folder)),
                                              self.tr("Our Society backups (*.sqlite3);;All files (*)"))
        if name:
            self.restore(Path(name))

    def restore(self, backup: Path) -> None:
        """Check the backup and swap it in; on a bad backup say why and stay open."""
        try:
            restore_from(backup, database_path(self.folder))
        except UserError as exc:
            self.message.setText(exc.message)
            return
        self.restored_from = backup
        self.accept()


def offer_restore(folder: Path, problem: str, parent: QWidget | None = None) -> bool:
    """Show the restore dialog; True once a backup was restored (the caller then opens the hub again)."""
    dialog = RestoreDialog(folder, problem, parent)
    return bool(dialog.exec()) and dialog.restored_from is not None
