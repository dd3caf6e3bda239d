"""The Import page of the Exchange workspace: choose a bundle, preview what it would change, then import it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from oursociety_desktop.models.errors import UserError
from oursociety_desktop.services.exchange import ImportResult, import_bundle
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.exchange.exchange_models import PreviewModel
from oursociety_desktop.ui.exchange.widgets import passphrase_edit, plain_table
from oursociety_desktop.ui.restore_import import confirm_restore, restore_before_import, restore_button
from oursociety_desktop.ui.wording import local_time, plural


class ImportPanel(QWidget):
    """Nothing is imported before a preview; the import itself runs on the task runner after a backup."""

    failed = Signal(str)
    finished = Signal(str)  # an import finished: records changed (the status line's text)
    restored = Signal(str)  # the backup made before it is back: every view was already told (the status line's text)
    previewed = Signal()  # a preview succeeded: older error messages no longer apply

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.import_path: Path | None = None
        self.preview: ImportResult | None = None
        self.preview_model = PreviewModel(self)
        self._build()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.choose_import_button = QPushButton(self.tr("Choose bundle…"))
        self.choose_import_button.setAccessibleName(self.tr("Choose a bundle to import"))
        self.choose_import_button.setAccessibleDescription(self.tr("Opens a file chooser for .oursociety files"))
        self.choose_import_button.clicked.connect(self.choose_import)
        self.import_file_label = QLabel(self.tr("No bundle chosen"))
        self.import_file_label.setAccessibleName(self.tr("Bundle to import"))
        row.addWidget(self.choose_import_button)
        row.addWidget(self.import_file_label, 1)
        layout.addLayout(row)
        form = QFormLayout()
        self.import_passphrase = passphrase_edit(self, self.tr("Passphrase of the bundle"))
        self.import_passphrase.setPlaceholderText(self.tr("Only for encrypted bundles"))
        form.addRow(self.tr("Passphrase:"), self.import_passphrase)
        layout.addLayout(form)
        self.preview_button = QPushButton(self.tr("Preview"))
        self.preview_button.setAccessibleName(self.tr("Preview the import"))
        self.preview_button.setAccessibleDescription(self.tr("Shows what would change; changes nothing"))
        self.preview_button.clicked.connect(self.start_preview)
        self.preview_button.setEnabled(False)
        self.preview_notes = QLabel()
        self.preview_notes.setWordWrap(True)
        self.preview_notes.setAccessibleName(self.tr("About this bundle"))
        self.preview_view = plain_table(self.preview_model, self.tr("What the import will change"))
        self.apply_button = QPushButton(self.tr("Import these changes"))
        self.apply_button.setAccessibleName(self.tr("Import these changes"))
        self.apply_button.setAccessibleDescription(self.tr("Backs up first, then imports in one step"))
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.start_apply)
        layout.addWidget(self.preview_button)
        layout.addWidget(self.preview_notes)
        layout.addWidget(self.preview_view, 1)
        layout.addWidget(self.apply_button)
        self.restore_button = restore_button(self)  # shown right after an import
        self.restore_button.clicked.connect(self.restore_backup)
        self.last_import: ImportResult | None = None
        layout.addWidget(self.restore_button)

    def ask_open_path(self) -> Path | None:
        """Which bundle to import."""
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Import bundle"), "",
                                              self.tr("Hub bundles (*.oursociety);;All files (*)"))
        return Path(name) if name else None

    def ask_trust_hub(self, name: str, hub_id: str, fingerprint: str) -> bool:
        """Whether the organiser accepts a hub not trusted yet, after comparing its key's fingerprint."""
        return ask_trust_hub(self, name, hub_id, fingerprint)

    def choose_import(self) -> None:
        """Pick a bundle; the preview is needed before anything is imported."""
        path = self.ask_open_path()
        if path is None:
            return
        self.import_path = path
        self.import_file_label.setText(str(path))
        self.restore_button.hide()
        self.preview = None
        self.preview_model.set_report(None)
        self.preview_notes.setText("")
        self.apply_button.setEnabled(False)
        self.preview_button.setEnabled(True)

    def start_preview(self) -> None:
        """Read the bundle and show what importing it would change (nothing is changed)."""
        if self.import_path is None:
            return
        db, secret = self.ctx.db, self.import_passphrase.text() or None

        def work(progress: Any, path: Path, passphrase: str | None) -> ImportResult:
            return import_bundle(db, path, passphrase=passphrase, dry_run=True, progress=progress)

        self.apply_button.setEnabled(False)
        self.ctx.runner.run(work, self.import_path, secret, title=self.tr("Checking the bundle"),
                            on_done=self._preview_done, on_error=self._fail, reads_only=True)

    def _preview_done(self, result: ImportResult) -> None:
        self.preview = result
        self.previewed.emit()
        self.preview_model.set_report(result.report)
        m = result.manifest
        source = {"this hub": self.tr("made by this hub itself"), "new hub": self.tr("from a hub not trusted yet"),
                  "known hub": self.tr("from a trusted hub")}[result.source]
        said = {"full": self.tr("A full bundle from “{0}” ({1}), made {2}."),
                "delta": self.tr("A changes-only bundle from “{0}” ({1}), made {2}.")}.get(
            m.kind, self.tr("A bundle from “{0}” ({1}), made {2}."))
        lines = [said.format(m.source_hub_name, source, local_time(m.created_at))]
        lines.extend(result.warnings)
        lines.append(plural(result.changes, "{n} change", "{n} changes") + ", " + plural(
            result.report.new_conflicts, "{n} new conflict.", "{n} new conflicts."))
        self.preview_notes.setText("\n".join(lines))
        something = result.changes > 0 or result.report.far_future > 0  # quarantined records are kept too
        self.apply_button.setEnabled(result.source != "this hub" and something)

    def start_apply(self) -> None:
        """Import the previewed bundle: backup, one transaction, logged."""
        if self.import_path is None or self.preview is None:
            return
        db, secret = self.ctx.db, self.import_passphrase.text() or None
        m = self.preview.manifest
        trust = self.preview.source == "new hub"
        if trust and not self.ask_trust_hub(m.source_hub_name, m.source_hub_id, self.preview.fingerprint):
            self.failed.emit(self.tr("Nothing was imported: the hub “{0}” is not trusted.").format(m.source_hub_name))
            return

        def work(progress: Any, path: Path, passphrase: str | None) -> ImportResult:
            return import_bundle(db, path, passphrase=passphrase, progress=progress, trust_new_hub=trust)

        self.apply_button.setEnabled(False)
        self.ctx.runner.run(work, self.import_path, secret, title=self.tr("Importing the bundle"),
                            on_done=self._apply_done, on_error=self._fail)

    def _apply_done(self, result: ImportResult) -> None:
        self.preview = None
        self.import_passphrase.clear()
        changes = plural(result.changes, "{n} change", "{n} changes")
        conflicts = plural(result.report.new_conflicts, "{n} new conflict", "{n} new conflicts")
        status = self.tr("Imported {0}: {1}, {2}.").format(result.file_name, changes, conflicts)
        if result.backup:
            self.last_import = result
            self.restore_button.show()
            status += " " + self.tr("The hub was backed up just before, to {0}; “Restore the backup made before "
                                    "this import” puts it back as it was.").format(Path(result.backup).name)
        self.finished.emit(status)

    def restore_backup(self) -> None:
        """Undo the last import as a whole, after asking: the backup made just before it goes back in place."""
        result = self.last_import
        if result is None or not confirm_restore(self, result.file_name):
            return
        try:
            aside = restore_before_import(self.ctx, Path(result.backup))
        except UserError as exc:
            self.failed.emit(exc.message)
            return
        self.last_import = None
        self.restore_button.hide()
        kept = self.tr(" The hub as it was after the import is kept as {0}.").format(aside.name) if aside else ""
        self.restored.emit(self.tr("Restored the backup made before importing {0}: the hub is as it was before the "
                                   "import.").format(result.file_name) + kept)

    def _fail(self, message: str) -> None:
        self.failed.emit(message)


def ask_trust_hub(parent: QWidget, name: str, hub_id: str, fingerprint: str) -> bool:
    """Ask the organiser to compare a hub's key fingerprint before trusting it."""
    text = parent.tr("The hub “{0}” ({1}) is not trusted yet. Its key's fingerprint is\n\n{2}\n\nCompare it with "
                     "that hub's organiser, by phone or on paper. Trust this hub?").format(
        name, hub_id[:8], fingerprint or parent.tr("none (an unsigned bundle)"))
    answer = QMessageBox.question(parent, parent.tr("A hub not trusted yet"), text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes
