"""The import wizard: file, column mapping (CSV), preview, duplicates and other choices, result.

Reading, checking and importing run on the task runner (progress and Cancel); the import itself is one
transaction after an automatic backup, so Cancel or an error leaves the hub as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from oursociety_desktop.formats import csv_io, csv_mapping
from oursociety_desktop.formats.csv_presets import PRESET_CHOICES, TARGETS
from oursociety_desktop.formats.import_rows import ImportRow, RowWarning
from oursociety_desktop.i18n import _
from oursociety_desktop.models.consent import hub_consent_defaults
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.services.people_import import DUPLICATE_CHOICES, ImportOptions, ImportSummary
from oursociety_desktop.ui.contacts.commands import push_import_undo
from oursociety_desktop.ui.contacts.dialogs import consent_note
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.interop.import_preview_model import COL_DETAIL, ImportPreviewModel
from oursociety_desktop.ui.interop.import_tasks import LoadedFile, apply_task, plan_task, read_task
from oursociety_desktop.ui.restore_import import confirm_restore, restore_before_import, restore_button

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
            saved = csv_mapping.saved_mapping(session, table.headers) if preset == "auto" else None
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
        self.wiz.rows = csv_mapping.table_to_rows(table, mapping)
        if self.remember.isChecked():
            with self.wiz.ctx.db.write() as tx:
                csv_mapping.save_mapping(tx.session, table.headers, mapping)
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
        rows = self.wiz.rows if self.wiz.loaded is None or self.wiz.loaded.kind == "csv" else self.wiz.loaded.rows
        self.wiz.rows = rows
        self.columns.setText(self.column_text())
        self.columns.setVisible(bool(self.columns.text()))
        warnings = self.wiz.file_warnings()
        self.file_notes.setText("\n".join(w.text() for w in warnings))
        self.file_notes.setVisible(bool(warnings))
        self.wiz.ctx.runner.run(plan_task, self.wiz.ctx.db, rows, title=self.tr("Checking the rows"),
                                on_done=self._planned, on_error=self.summary.setText, reads_only=True)

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
        self.model.set_rows(list(rows))
        new, dups, bad = self.model.counts()
        warned = sum(1 for r in self.model.rows if r.warnings)
        self.summary.setText(self.tr("{0} read: {1} new, {2} already in the hub, {3} with problems, {4} with "
                                     "warnings (see the last column).")
                             .format(len(self.model.rows), new, dups, bad, warned))
        self.ready = True
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return self.ready


class ChoicesPage(QWizardPage):
    """Duplicates (skip, update, fill, add), bad rows, and a group and tag for everyone imported."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.setTitle(self.tr("Choices"))
        texts = {"skip": self.tr("&Skip them (leave the hub's record as it is)"),
                 "update": self.tr("&Update the hub's record with the file's values"),
                 "fill": self.tr("&Fill in only the fields that are empty in the hub"),
                 "add": self.tr("&Add them anyway, as new contacts")}
        self.duplicates = QButtonGroup(self)
        box = QVBoxLayout()
        box.addWidget(QLabel(self.tr("People already in the hub:"), self))
        for i, key in enumerate(DUPLICATE_CHOICES):
            button = QRadioButton(texts[key], self)
            button.setAccessibleName(texts[key].replace("&", ""))
            self.duplicates.addButton(button, i)
            box.addWidget(button)
        self.duplicates.button(0).setChecked(True)
        self.skip_bad = QCheckBox(self.tr("S&kip rows with problems and import the rest"), self)
        self.skip_bad.toggled.connect(self.completeChanged)
        self.errors_to = QLineEdit(self)
        self.errors_to.setAccessibleName(self.tr("Save the skipped rows to this file"))
        self.errors_to.setPlaceholderText(self.tr("optional: a file to save the skipped rows in"))
        self.group = QLineEdit(self)
        self.group.setAccessibleName(self.tr("Put everyone imported in this group"))
        self.tag = QLineEdit(self)
        self.tag.setAccessibleName(self.tr("Give everyone imported this tag"))
        self.bad_note = QLabel(self)
        self.bad_note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.skip_bad)
        form.addRow(self.tr("Skipped rows &to:"), self.errors_to)
        form.addRow(self.tr("Put in &group:"), self.group)
        form.addRow(self.tr("Add &tag:"), self.tag)
        layout = QVBoxLayout(self)
        layout.addLayout(box)
        layout.addLayout(form)
        layout.addWidget(self.bad_note)
        self.consent_note = QLabel(self)
        self.consent_note.setWordWrap(True)
        self.consent_note.setAccessibleName(self.tr("Consents of the people imported"))
        layout.addWidget(self.consent_note)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802
        # Hook: consent at the door. New people get the hub's defaults, and the organiser sees which.
        defaults = hub_consent_defaults(self.wiz.ctx.db.setting)
        self.consent_note.setText(consent_note(defaults))
        bad = sum(1 for r in self.wiz.rows if not r.ok)
        self.bad_note.setText(self.tr("{0} rows have problems: nothing is imported unless you skip them.")
                              .format(bad) if bad else "")

    def isComplete(self) -> bool:  # noqa: N802
        return self.skip_bad.isChecked() or all(r.ok for r in self.wiz.rows)

    def options(self) -> ImportOptions:
        """What the user chose."""
        return ImportOptions(on_duplicate=DUPLICATE_CHOICES[self.duplicates.checkedId()],
                             skip_bad_rows=self.skip_bad.isChecked(), group=self.group.text().strip(),
                             tag=self.tag.text().strip(),
                             kind=self.wiz.loaded.kind if self.wiz.loaded else "import")


class ResultPage(QWizardPage):
    """Runs the import and says what it did."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.setTitle(self.tr("Import"))
        self.result_label = QLabel(self)
        self.result_label.setWordWrap(True)
        self.result_label.setAccessibleName(self.tr("Import result"))
        self.done = False
        self.restore_button = restore_button(self)  # shown once the import is done
        self.restore_button.clicked.connect(self.restore_backup)
        layout = QVBoxLayout(self)
        layout.addWidget(self.result_label)
        layout.addWidget(self.restore_button)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802
        self.done = False
        self.result_label.setText(self.tr("Importing…"))
        options = self.wiz.choices_page.options()
        errors_text = self.wiz.choices_page.errors_to.text().strip()
        errors_to = Path(errors_text) if errors_text and options.skip_bad_rows else None
        header = self.wiz.loaded.table.headers if self.wiz.loaded and self.wiz.loaded.table else None
        self.wiz.ctx.runner.run(apply_task, self.wiz.ctx.db, self.wiz.rows, options, errors_to, header,
                                self.wiz.file_warnings(), title=self.tr("Importing contacts"),
                                on_done=self._finished, on_error=self._failed)

    def _finished(self, summary: Any) -> None:
        assert isinstance(summary, ImportSummary)
        self.wiz.summary = summary
        lines = [summary.line(), *summary.change_lines()]
        warnings = summary.warning_lines()
        if warnings:
            lines.append(self.tr("Warnings:"))
            lines.extend(warnings[:30])
            if len(warnings) > 30:
                lines.append(self.tr("… and {0} more.").format(len(warnings) - 30))
        if summary.added_ids and not summary.dry_run:  # hook: the import is one step of Edit → Undo
            push_import_undo(self.wiz.ctx, self.file_name(), summary.added_ids)
            lines.append(self.tr("Edit → Undo (Ctrl+Z) takes the people it added out again."))
        if summary.backup:
            lines.append(self.tr("The hub was backed up just before, to {0}: “Restore the backup made before this "
                                 "import” also takes back what it changed in people already here."
                                 ).format(Path(summary.backup).name))
            self.restore_button.show()
        self.result_label.setText("\n".join(lines))
        self.done = True
        self.wiz.ctx.events.announce("contact", "group")
        self.completeChanged.emit()

    def file_name(self) -> str:
        """The imported file's name, as the undo step and the messages call the import."""
        return self.wiz.loaded.path.name if self.wiz.loaded else self.tr("the file")

    def restore_backup(self) -> None:
        """Undo the whole import, after asking: the backup made just before it goes back in place."""
        summary = self.wiz.summary
        if summary is None or not summary.backup or not confirm_restore(self, self.file_name()):
            return
        try:
            aside = restore_before_import(self.wiz.ctx, Path(summary.backup))
        except UserError as exc:
            self.result_label.setText(self.tr("Nothing was restored: {0}").format(exc.message))
            return
        self.restore_button.hide()
        text = self.tr("Restored the backup made before importing {0}: the hub is as it was before the import."
                       ).format(self.file_name())
        if aside is not None:
            text += " " + self.tr("The hub as it was after the import is kept as {0}.").format(aside.name)
        self.result_label.setText(text)

    def _failed(self, message: str) -> None:
        self.result_label.setText(self.tr("Nothing was imported: {0}").format(message))
        self.done = True
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return self.done


class ImportWizard(QWizard):
    """File → mapping (CSV) → preview → choices → result."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loaded: LoadedFile | None = None
        self.rows: list[ImportRow] = []
        self.mapping: csv_mapping.Mapping_ = {}
        self.summary: ImportSummary | None = None
        self.setWindowTitle(self.tr("Import contacts"))
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.choices_page = ChoicesPage(self)
        self.result_page = ResultPage(self)
        for page_id, page in ((PAGE_FILE, self.file_page), (PAGE_MAPPING, self.mapping_page),
                              (PAGE_PREVIEW, self.preview_page), (PAGE_CHOICES, self.choices_page),
                              (PAGE_RESULT, self.result_page)):
            self.setPage(page_id, page)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)

    def file_warnings(self) -> list[RowWarning]:
        """Warnings about the whole file (lines before a CSV header, columns not imported)."""
        if self.loaded is None or self.loaded.table is None:
            return []
        return csv_mapping.file_warnings(self.loaded.table, self.mapping)

    def table(self) -> csv_io.CsvTable:
        """The CSV table read on the first page."""
        assert self.loaded is not None and self.loaded.table is not None
        return self.loaded.table
