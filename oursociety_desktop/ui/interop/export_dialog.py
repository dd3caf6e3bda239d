"""The export dialog: vCard 3.0 or 4.0 (one file, or one file per contact) or CSV of chosen fields."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from oursociety_desktop.formats import csv_write, vcard
from oursociety_desktop.i18n import N_, _
from oursociety_desktop.models.atomic import atomic_write, private_folder
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.errors import Cancelled, UserError
from oursociety_desktop.models.progress import Progress
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.wording import plural

FORMATS = (("vcard-3.0", N_("vCard 3.0 (.vcf)")), ("vcard-4.0", N_("vCard 4.0 (.vcf)")),
           ("csv", N_("CSV spreadsheet (.csv)")))


def export_task(progress: Progress, db: Database, fmt: str, out: Path, one_per_contact: bool,
                fields: list[str]) -> int:
    """Write the export in a worker; returns how many contacts were written."""
    with db.read() as session:
        conn = session.connection()
        if fmt == "csv":
            return csv_write.export_csv(conn, out, fields, progress=progress)
        contacts = csv_write.live_contacts(conn)
    version = fmt.split("-", 1)[1]
    if one_per_contact:
        try:
            private_folder(out)
        except OSError as exc:
            raise UserError(_("Cannot create the folder {folder}: {reason}.").format(
                folder=out, reason=exc.strerror or exc)) from None
        for i, values in enumerate(contacts):
            if i % 500 == 0 and progress(i * 100 // max(1, len(contacts)), _("Writing cards")) is False:
                raise Cancelled(_("The export was cancelled; the cards written so far are complete files."))
            with atomic_write(out / f"{vcard.safe_file_stem(values)}.vcf") as fh:
                fh.write(vcard.contact_to_vcard(values, version).encode("utf-8"))
        return len(contacts)
    with atomic_write(out) as fh:
        for i, chunk in enumerate(vcard.write_vcards(contacts, version)):
            if i % 2000 == 0 and progress(i * 100 // max(1, len(contacts)), _("Writing cards")) is False:
                raise Cancelled(_("The export was cancelled; nothing was written."))
            fh.write(chunk)
    return len(contacts)


class ExportDialog(QDialog):
    """Choose the format, the fields (CSV) and where to save; the export runs on the task runner."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result_message = ""
        self.setWindowTitle(self.tr("Export contacts"))
        self.format = QComboBox(self)
        self.format.setAccessibleName(self.tr("Export format"))
        for key, text in FORMATS:
            self.format.addItem(_(text), key)
        self.format.currentIndexChanged.connect(self._format_changed)
        self.one_per_contact = QCheckBox(self.tr("One file per &contact (saved in a folder)"), self)
        self.path = QLineEdit(self)
        self.path.setAccessibleName(self.tr("Save to"))
        browse = QPushButton(self.tr("&Browse…"), self)
        browse.clicked.connect(self.browse)
        self.fields_box = QGroupBox(self.tr("Fields"), self)
        grid = QGridLayout(self.fields_box)
        self.field_checks: dict[str, QCheckBox] = {}
        for i, name in enumerate(csv_write.EXPORTABLE_FIELDS):
            label = _(csv_write.EXPORT_HEADERS[name]) if name in csv_write.EXPORT_HEADERS else (
                self.tr("Phones") if name == "phones" else self.tr("Emails"))
            check = QCheckBox(label, self.fields_box)
            check.setChecked(name in csv_write.DEFAULT_EXPORT_FIELDS)
            self.field_checks[name] = check
            grid.addWidget(check, i // 3, i % 3)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Export result"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.export_button = buttons.addButton(self.tr("&Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.clicked.connect(self.start)
        buttons.rejected.connect(self.reject)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        form = QFormLayout()
        form.addRow(self.tr("&Format:"), self.format)
        form.addRow(self.one_per_contact)
        form.addRow(self.tr("&Save to:"), where)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.fields_box)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self._format_changed()

    def _format_changed(self) -> None:
        is_csv = self.format.currentData() == "csv"
        self.fields_box.setVisible(is_csv)
        self.one_per_contact.setVisible(not is_csv)

    def browse(self) -> None:
        """Choose where to save with the system dialog."""
        if self.format.currentData() != "csv" and self.one_per_contact.isChecked():
            path = QFileDialog.getExistingDirectory(self, self.tr("Folder for the vCard files"))
        else:
            suffix = "csv" if self.format.currentData() == "csv" else "vcf"
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export contacts"), f"contacts.{suffix}")
        if path:
            self.path.setText(path)

    def fields(self) -> list[str]:
        """The CSV fields ticked, in their usual order."""
        return [name for name, check in self.field_checks.items() if check.isChecked()]

    def start(self) -> None:
        """Run the export on the task runner."""
        text = self.path.text().strip()
        if not text:
            self.message.setText(self.tr("Choose where to save the export."))
            return
        fmt = str(self.format.currentData())
        if fmt == "csv" and not self.fields():
            self.message.setText(self.tr("Tick at least one field."))
            return
        self.export_button.setEnabled(False)
        self.ctx.runner.run(export_task, self.ctx.db, fmt, Path(text),
                            self.one_per_contact.isChecked() and fmt != "csv", self.fields(),
                            title=self.tr("Exporting contacts"), on_done=self._done, on_error=self._failed)

    def _done(self, count: Any) -> None:
        self.export_button.setEnabled(True)
        self.result_message = plural(int(count), "Exported {n} contact to {path}.", "Exported {n} contacts to {path}.",
                                     path=self.path.text().strip())
        self.message.setText(self.result_message)

    def _failed(self, message: str) -> None:
        self.export_button.setEnabled(True)
        self.result_message = message
        self.message.setText(message)
