"""Settings: hub name, default phone region, default sharing for new contacts, whether the detail of hours travels,
text size, language, the data folder and "back up now" (run on the task runner)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import phonenumbers
from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices, QFont, QValidator
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from oursociety_desktop.i18n import LANGUAGES, _
from oursociety_desktop.models.atomic import private_folder
from oursociety_desktop.models.backup import backup_to
from oursociety_desktop.models.contacts import touch_all_search_rows
from oursociety_desktop.models.database import set_setting
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.hours import hours_detail_shared, share_hours_detail
from oursociety_desktop.paths import backup_dir
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.widgets.fields import FieldMessage
from oursociety_desktop.ui.wording import plural

TEXT_SIZES = (0, 2, 4, 7, 10)  # points added to the system font
LARGER_TEXT = 4
_BASE_POINT_SIZE: list[float] = []


def apply_text_size(extra_points: int) -> None:
    """Grow the application font by `extra_points` over the system size (0 = the system's own size)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    if not _BASE_POINT_SIZE:
        _BASE_POINT_SIZE.append(app.font().pointSizeF())
    font = QFont(app.font())
    font.setPointSizeF(_BASE_POINT_SIZE[0] + max(0, int(extra_points)))
    app.setFont(font)


def region_choices() -> list[tuple[str, str]]:
    """(code, "code — country calling code") for every region phonenumbers knows, by code."""
    return [(code, f"{code} (+{phonenumbers.country_code_for_region(code)})")
            for code in sorted(phonenumbers.SUPPORTED_REGIONS)]


def make_backup(progress: Any, db_path: Path, folder: Path) -> Path:
    """Task function: a consistent copy of the database in the data folder's backups/ folder."""
    progress(10, QCoreApplication.translate("Settings", "Backing up…"))
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = backup_dir(folder)
    try:
        private_folder(target)
    except OSError as exc:
        raise UserError(_("Cannot create the backups folder {folder}: {reason}.").format(
            folder=target, reason=exc.strerror or exc)) from None
    return backup_to(db_path, target / f"manual-{stamp}.sqlite3")


class BackupsKeptBox(QSpinBox):
    """How many automatic backups to keep, said as a whole phrase in the form the number wants ("1 automatic
    backup kept", "10 automatic backups kept"): a fixed suffix said "1 automatic backups kept"."""

    def textFromValue(self, value: int) -> str:  # noqa: N802 - Qt's name
        return plural(value, "{n} automatic backup kept", "{n} automatic backups kept")

    def valueFromText(self, text: str) -> int:  # noqa: N802 - Qt's name
        digits = re.search(r"\d+", text)  # any script's digits: the count is written in the user's locale
        return int(digits.group()) if digits else self.value()

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        digits = re.search(r"\d+", text)
        if digits is None:
            return QValidator.State.Intermediate, text, pos
        state = (QValidator.State.Acceptable if self.minimum() <= int(digits.group()) <= self.maximum()
                 else QValidator.State.Intermediate)
        return state, text, pos


class SettingsDialog(QDialog):
    """The settings page. `save()` writes what changed; the backup button works at once."""

    def __init__(self, ctx: AppContext, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.folder = ctx, folder
        self.setWindowTitle(self.tr("Settings"))
        self.hub_name = QLineEdit(ctx.db.hub_name, self)
        self.hub_name.setAccessibleName(self.tr("Hub name"))
        self.region = QComboBox(self)
        self.region.setAccessibleName(self.tr("Default phone region"))
        for code, text in region_choices():
            self.region.addItem(text, code)
        self.region.setCurrentIndex(max(0, self.region.findData(ctx.db.setting("default_region"))))
        self.share = QCheckBox(self.tr("New contacts are shared with other hubs"), self)
        self.share.setAccessibleName(self.tr("New contacts are shared with other hubs"))
        self.share.setChecked(bool(ctx.db.setting("default_share_with_hubs")))
        self.directory = QCheckBox(self.tr("New contacts are listed in printed directories and sheets"), self)
        self.directory.setAccessibleName(self.tr("New contacts are listed in printouts"))
        self.directory.setChecked(bool(ctx.db.setting("default_include_in_directory")))
        self.hours_detail = QCheckBox(self.tr("Send each person's hours to other hubs, not only monthly totals"),
                                      self)
        self.hours_detail.setAccessibleName(self.tr("Send each person's hours to other hubs"))
        with ctx.db.read() as session:
            self.hours_detail.setChecked(hours_detail_shared(session))
        self.text_size = QComboBox(self)
        self.text_size.setAccessibleName(self.tr("Text size"))
        for extra, label in zip(TEXT_SIZES, (self.tr("System size"), self.tr("Large"), self.tr("Larger"),
                                             self.tr("Very large"), self.tr("Largest")), strict=True):
            self.text_size.addItem(label, extra)
        self.text_size.setCurrentIndex(max(0, self.text_size.findData(int(ctx.db.setting("text_size") or 0))))
        self.language = QComboBox(self)
        self.language.setAccessibleName(self.tr("Language"))
        self.language.setToolTip(self.tr("The language of the window and of printed pages, from the next start"))
        self.language.addItem(self.tr("As the system is set"), "")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(str(ctx.db.setting("language") or ""))))
        self.language_note = QLabel(self.tr("The window changes language the next time Our Society starts."), self)
        self.language_note.setWordWrap(True)
        self.language_note.hide()
        saved_language = self.language.currentData()
        self.language.currentIndexChanged.connect(
            lambda _i: self.language_note.setVisible(self.language.currentData() != saved_language))
        self.folder_label = QLabel(str(folder), self)
        self.folder_label.setWordWrap(True)
        self.folder_label.setAccessibleName(self.tr("Data folder"))
        open_folder = QPushButton(self.tr("&Open data folder"), self)
        open_folder.clicked.connect(self.open_data_folder)
        self.backup_button = QPushButton(self.tr("&Back up now"), self)  # before Keep, as on screen (Tab order)
        self.backup_button.clicked.connect(self.backup_now)
        self.backup_keep = BackupsKeptBox(self)
        self.backup_keep.setRange(1, 200)
        self.backup_keep.setAccessibleName(self.tr("How many automatic backups to keep"))
        self.backup_keep.setValue(int(ctx.db.setting("backup_keep") or 10))
        self.backup_status = QLabel(self)
        self.backup_status.setWordWrap(True)
        self.message = FieldMessage(self)
        form = QFormLayout()
        for label, widget in ((self.tr("&Hub name:"), self.hub_name), (self.tr("Default phone &region:"), self.region),
                              (self.tr("New contacts:"), self.share), ("", self.directory),
                              (self.tr("Time given:"), self.hours_detail),
                              (self.tr("&Text size:"), self.text_size), (self.tr("&Language:"), self.language)):
            caption = QLabel(label, self)
            caption.setBuddy(widget)
            form.addRow(caption, widget)
        form.addRow("", self.language_note)
        form.addRow("", self.message)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(open_folder)
        form.addRow(self.tr("Data folder:"), folder_row)
        backup_row = QHBoxLayout()
        backup_row.addWidget(self.backup_button)
        backup_row.addWidget(QLabel(self.tr("into the backups folder inside the data folder"), self), 1)
        form.addRow(self.tr("Backups:"), backup_row)
        form.addRow("", self.backup_status)
        keep_caption = QLabel(self.tr("&Keep:"), self)
        keep_caption.setBuddy(self.backup_keep)
        form.addRow(keep_caption, self.backup_keep)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def open_data_folder(self) -> bool:
        """Show the data folder in the system's file manager."""
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))

    def backup_now(self) -> None:
        """Back up on the task runner; the result is shown under the button."""
        self.backup_button.setEnabled(False)
        self.backup_status.setText(self.tr("Backing up…"))

        def done(path: Path) -> None:
            self.backup_button.setEnabled(True)
            self.backup_status.setText(self.tr("Backed up to {0}").format(path))

        def failed(message: str) -> None:
            self.backup_button.setEnabled(True)
            self.backup_status.setText(self.tr("Backup failed: {0}").format(message))

        self.ctx.runner.run(make_backup, self.ctx.db.path, self.folder, title=self.tr("Backing up"),
                            on_done=done, on_error=failed)

    def accept(self) -> None:
        try:
            self.save()
        except UserError as exc:
            self.message.show_error(exc.message)
            return
        super().accept()

    def save(self) -> None:
        """Write the settings that changed; a new region rebuilds the phone search index on the task runner."""
        db = self.ctx.db
        if self.hub_name.text().strip() != db.hub_name:
            db.rename(self.hub_name.text())
        region = str(self.region.currentData())
        old_region = db.setting("default_region")
        with db.write() as tx:
            set_setting(tx.session, "default_region", region)
            set_setting(tx.session, "default_share_with_hubs", self.share.isChecked())
            set_setting(tx.session, "default_include_in_directory", self.directory.isChecked())
            set_setting(tx.session, "text_size", int(self.text_size.currentData()))
            set_setting(tx.session, "backup_keep", self.backup_keep.value())
            set_setting(tx.session, "language", str(self.language.currentData()))
            if self.hours_detail.isChecked() != hours_detail_shared(tx.session):
                share_hours_detail(tx, self.hours_detail.isChecked())
        apply_text_size(int(self.text_size.currentData()))
        if region != old_region:
            def reindex(progress: Any) -> int:
                progress(5, self.tr("Re-reading phone numbers for the new region…"))
                with db.write() as tx:
                    return touch_all_search_rows(tx)

            self.ctx.runner.run(reindex, title=self.tr("Updating phone search"),
                                on_done=lambda _n: self.ctx.events.announce("contact"))
        self.ctx.events.announce("settings")
