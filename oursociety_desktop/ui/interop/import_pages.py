"""The import wizard's first pages: the file, the column mapping (CSV) and the preview of what would be imported.
The wizard itself, its choices and its result are in import_wizard.py."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from oursociety_desktop.formats import csv_mapping, csv_saved_mappings
from oursociety_desktop.formats.csv_presets import PRESET_CHOICES, TARGETS
from oursociety_desktop.i18n import _
from oursociety_desktop.ui.interop.import_preview_model import COL_DETAIL, ImportPreviewModel
from oursociety_desktop.ui.interop.import_tasks import LoadedFile, plan_task, read_task

if TYPE_CHECKING:
    from oursociety_desktop.ui.interop.import_wizard import ImportWizard

PAGE_FILE, PAGE_MAPPING, PAGE_PREVIEW, PAGE_CHOICES, PAGE_RESULT = range(5)


class FilePage(QWizardPage):
    """Choose the file (vCard or CSV) and, for CSV, the preset."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.setTitle(self.tr("Choose a file"))
        self.setSubTitle(self.tr("A vCard file (.vcf) from a phone or address book, or a CSV from a spreadsheet, "
                                 "Google Contacts, Outlook or CiviCRM."))
        self.path_edit = QLineEdit(self)
        self.path_edit.setAccessibleName(self.tr("File to import"))
        self.path_edit.textChanged.connect(self.completeChanged)
        browse = QPushButton(self.tr("&Browse…"), self)
        browse.clicked.connect(self.browse)
        self.preset = QComboBox(self)
        self.preset.setAccessibleName(self.tr("CSV preset"))
        for key, text in zip(PRESET_CHOICES, (self.tr("Detect from the headers"), "Google Contacts", "Outlook",
                                              "CiviCRM", "Thunderbird"), strict=True):
            self.preset.addItem(text, key)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setAccessibleName(self.tr("Problem with the file"))
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow(self.tr("File:"), row)  # no buddy for a row: "&" showed as is
        form.addRow(self.tr("CSV &preset:"), self.preset)
        form.addRow(self.error)

    def browse(self) -> None:
        """Pick the file with the system dialog."""
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import contacts"), "",
                                              self.tr("Contacts (*.vcf *.vcard *.csv *.txt);;All files (*)"))
        if path:
            self.path_edit.setText(path)

    def isComplete(self) -> bool:  # noqa: N802
        return bool(self.path_edit.text().strip())

    def validatePage(self) -> bool:  # noqa: N802
        path = Path(self.path_edit.text().strip())
        loaded = self.wiz.loaded
        if loaded is not None and loaded.path == path:
            return True
        self.error.clear()
        self.wiz.ctx.runner.run(read_task, path, title=self.tr("Reading {0}").format(path.name),
                                on_done=self._read, on_error=self.error.setText, reads_only=True)
        return False

    def _read(self, loaded: Any) -> None:
        assert isinstance(loaded, LoadedFile)
        self.wiz.loaded = loaded
        QTimer.singleShot(0, self.wiz.next)

    def nextId(self) -> int:  # noqa: N802
        loaded = self.wiz.loaded
        return PAGE_MAPPING if loaded is None or loaded.kind == "csv" else PAGE_PREVIEW


class MappingPage(QWizardPage):
    """Say which contact field each CSV column goes to (suggested from the headers, or a saved mapping)."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.setTitle(self.tr("Match the columns"))
        self.setSubTitle(self.tr("Each column of the file goes to one field; '(not imported)' leaves it out."))
        self.suggested: csv_mapping.Mapping_ = {}
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels([self.tr("Column"), self.tr("First value"), self.tr("Goes to")])
        self.table.setAccessibleName(self.tr("Column mapping"))
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.remember = QCheckBox(self.tr("&Remember this matching for files with the same columns"), self)
        self.remember.setChecked(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.remember)

    def initializePage(self) -> None:  # noqa: N802
        table = self.wiz.table()
        preset = str(self.wiz.file_page.preset.currentData())
        with self.wiz.ctx.db.read() as session:
            saved = csv_saved_mappings.saved_mapping(session, table.headers) if preset == "auto" else None
        self.suggested = saved or csv_mapping.suggest_mapping(table.headers, preset)
        self.table.setRowCount(len(table.headers))
        for i, header in enumerate(table.headers):
            example = next((cells[i] for _, cells in table.rows if i < len(cells) and cells[i].strip()), "")
            self.table.setItem(i, 0, QTableWidgetItem(header))
            self.table.setItem(i, 1, QTableWidgetItem(example[:80]))
            combo = QComboBox(self.table)
            combo.setAccessibleName(self.tr("Field for column {0}").format(header))
            for key, text in TARGETS.items():
                combo.addItem(_(text), key)
            combo.setCurrentIndex(max(0, combo.findData(self.suggested.get(i, csv_mapping.ColumnMap()).field)))
            self.table.setCellWidget(i, 2, combo)

    def set_target(self, column: int, field: str) -> None:
        """Send one column to a field (what choosing in its drop-down does)."""
        combo = self.table.cellWidget(column, 2)
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(combo.findData(field))

    def mapping(self) -> csv_mapping.Mapping_:
        """The mapping as chosen on this page (labels and label columns kept from the suggestion)."""
        out: csv_mapping.Mapping_ = {}
        for i in range(self.table.rowCount()):
            combo = self.table.cellWidget(i, 2)
            assert isinstance(combo, QComboBox)
            field = str(combo.currentData())
            old = self.suggested.get(i, csv_mapping.ColumnMap())
            out[i] = csv_mapping.ColumnMap(field, old.label, old.label_column) if field == old.field else \
                csv_mapping.ColumnMap(field)
        return out

    def validatePage(self) -> bool:  # noqa: N802
        mapping = self.mapping()
        if not any(m.field not in ("ignore", "note") for m in mapping.values()):
            self.setSubTitle(self.tr("Choose a field for at least one column."))
            return False
        table = self.wiz.table()
        self.wiz.mapping = mapping
        self.wiz.rows = []  # made from the table by the preview's task, with progress
        if self.remember.isChecked():
            with self.wiz.ctx.db.write() as tx:
                csv_saved_mappings.save_mapping(tx.session, table.headers, mapping)
        return True


class PreviewPage(QWizardPage):
    """Every row checked: new, duplicate of someone, or what is wrong with it."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.setTitle(self.tr("Preview"))
        self.model = ImportPreviewModel(self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName(self.tr("Rows to import"))
        self.view.verticalHeader().hide()
        self.view.setTabKeyNavigation(False)
        self.view.horizontalHeader().setSectionResizeMode(COL_DETAIL, QHeaderView.ResizeMode.Stretch)
        self.columns = QLabel(self)
        self.columns.setWordWrap(True)
        self.columns.setAccessibleName(self.tr("Columns no field takes"))
        self.file_notes = QLabel(self)
        self.file_notes.setWordWrap(True)
        self.file_notes.setAccessibleName(self.tr("Warnings about the whole file"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.columns)
        layout.addWidget(self.file_notes)
        layout.addWidget(self.view, 1)
        self.ready = False

    def initializePage(self) -> None:  # noqa: N802
        self.ready = False
        self.summary.setText(self.tr("Checking…"))
        loaded = self.wiz.loaded
        table = loaded.table if loaded is not None and loaded.kind == "csv" else None
        rows = self.wiz.rows if loaded is None or loaded.kind == "csv" else loaded.rows
        self.wiz.rows = rows
        self.columns.setText(self.column_text())
        self.columns.setVisible(bool(self.columns.text()))
        warnings = self.wiz.file_warnings()
        self.file_notes.setText("\n".join(w.text() for w in warnings))
        self.file_notes.setVisible(bool(warnings))
        self.wiz.ctx.runner.run(plan_task, self.wiz.ctx.db, rows, table, self.wiz.mapping,
                                title=self.tr("Checking the rows"), on_done=self._planned,
                                on_error=self.summary.setText, reads_only=True)

    def column_text(self) -> str:
        """The CSV columns no contact field takes, each with what happens to it."""
        loaded = self.wiz.loaded
        if loaded is None or loaded.table is None:
            return ""
        fates = csv_mapping.column_fates(loaded.table, self.wiz.mapping)
        if not fates:
            return ""
        words = {"kept in notes": self.tr("kept in notes"), "not imported": self.tr("not imported")}
        return self.tr("Columns no field takes: {0}").format(
            "; ".join(self.tr("{0} — {1}").format(header, words.get(fate, fate)) for header, fate in fates))

    def _planned(self, rows: Any) -> None:
        self.wiz.rows = list(rows)
        self.model.set_rows(self.wiz.rows)
        new, dups, bad = self.model.counts()
        warned = sum(1 for r in self.model.rows if r.warnings)
        self.summary.setText(self.tr("{0} read: {1} new, {2} already in the hub, {3} with problems, {4} with "
                                     "warnings (see the last column).")
                             .format(len(self.model.rows), new, dups, bad, warned))
        self.ready = True
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return self.ready
