"""The Import & Export workspace: start the import wizard or the export dialog, and find duplicates below."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.duplicates.workspace import DuplicatesWorkspace
from oursociety_desktop.ui.interop.export_dialog import ExportDialog
from oursociety_desktop.ui.interop.import_wizard import ImportWizard


class InteropWorkspace(QWidget):
    """Import from vCard or CSV, export to vCard or CSV, and the Duplicates view."""

    TITLE: ClassVar[str] = QCoreApplication.translate("Workspaces", "Import & export")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.import_button = QPushButton(self.tr("&Import contacts…"), self)
        self.import_button.setToolTip(self.tr("From a vCard file or a CSV (Google, Outlook, CiviCRM, spreadsheet)"))
        self.import_button.clicked.connect(self.open_import)
        self.export_button = QPushButton(self.tr("E&xport contacts…"), self)
        self.export_button.setToolTip(self.tr("To vCard 3.0 or 4.0, or a CSV of the fields you choose"))
        self.export_button.clicked.connect(self.open_export)
        self.duplicates = DuplicatesWorkspace(ctx, self)
        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addWidget(self.export_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(QLabel(self.tr("<b>Duplicates</b>"), self))
        layout.addWidget(self.duplicates, 1)

    def open_import(self) -> ImportWizard:
        """Show the import wizard."""
        wizard = ImportWizard(self.ctx, self)
        wizard.show()
        return wizard

    def open_export(self) -> ExportDialog:
        """Show the export dialog."""
        dialog = ExportDialog(self.ctx, self)
        dialog.show()
        return dialog

    def refresh(self) -> None:
        """Nothing is shown until asked for: the duplicate scan runs when the user presses Find."""
