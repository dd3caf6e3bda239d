"""The import wizard: file, column mapping (CSV), preview (those three pages are in import_pages.py), duplicates
and other choices, result.

Reading, checking and importing run on the task runner (progress and Cancel); the import itself is one
transaction after an automatic backup, so Cancel or an error leaves the hub as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from oursociety_desktop.formats import csv_io, csv_mapping
from oursociety_desktop.formats.import_rows import ImportRow, RowWarning
from oursociety_desktop.models.consent import hub_consent_defaults
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.services.people_import import DUPLICATE_CHOICES, ImportOptions, ImportSummary
from oursociety_desktop.ui.contacts.commands import push_import_undo
from oursociety_desktop.ui.contacts.dialogs import consent_note
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.interop.import_pages import (
    PAGE_CHOICES,
    PAGE_FILE,
    PAGE_MAPPING,
    PAGE_PREVIEW,
    PAGE_RESULT,
    FilePage,
    MappingPage,
    PreviewPage,
)
from oursociety_desktop.ui.interop.import_tasks import LoadedFile, apply_task
from oursociety_desktop.ui.restore_import import confirm_restore, restore_before_import, restore_button
from oursociety_desktop.ui.wording import plural


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
        self.bad_note.setText(plural(bad, "{n} row has problems: nothing is imported unless you skip it.",
                                     "{n} rows have problems: nothing is imported unless you skip them.")
                              if bad else "")

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
