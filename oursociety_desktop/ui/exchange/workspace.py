"""The Exchange workspace: make a bundle, import one after a preview, the conflicts inbox, the
exchange log and known hubs, and "sync with folder". Slow work runs on the task runner, with progress and Cancel.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from oursociety_desktop.formats.crypto import MIN_PASSPHRASE
from oursociety_desktop.models.database import set_setting
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.exchange_log import EXCHANGE_FOLDER
from oursociety_desktop.models.registry import REGISTRY
from oursociety_desktop.models.trust import accept_hub, own_fingerprint
from oursociety_desktop.services.exchange import ExportResult, export_bundle
from oursociety_desktop.services.exchange_folder import SyncPreview, SyncResult, preview_sync, sync_folder
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.exchange.conflicts_panel import ConflictsPanel
from oursociety_desktop.ui.exchange.exchange_models import (
    ExchangeLogModel,
    PeerHubModel,
)
from oursociety_desktop.ui.exchange.import_panel import ImportPanel, ask_trust_hub
from oursociety_desktop.ui.exchange.outgoing_panel import OutgoingPanel
from oursociety_desktop.ui.exchange.widgets import passphrase_edit, plain_table, window_message
from oursociety_desktop.ui.widgets.edits import MessageLine
from oursociety_desktop.ui.wording import plural


class ExchangeWorkspace(QWidget):
    """Sharing work with other hubs by file."""

    TITLE: ClassVar[str] = QCoreApplication.translate("ExchangeWorkspace", "Exchange")

    review_held_back = Signal()  # the window shows the people not shared, in Contacts

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._outgoing_stale = True
        self.log_model = ExchangeLogModel(self)
        self.peer_model = PeerHubModel(self)
        self._build()
        ctx.events.changed.connect(self._on_changed)
        self.refresh()

    # ---- layout ----

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Exchange sections"))
        self.tabs.addTab(self._build_export(), self.tr("Make a bundle"))
        self.import_panel = ImportPanel(self.ctx)
        self.import_panel.failed.connect(self._fail)
        self.import_panel.finished.connect(self._import_finished)
        self.import_panel.restored.connect(self._show_status)
        self.import_panel.previewed.connect(self._clear_message)  # no old "could not decrypt" beside it
        self.tabs.addTab(self.import_panel, self.tr("Import"))
        self.conflicts = ConflictsPanel(self.ctx)
        self.conflicts.failed.connect(self._fail)
        self.conflicts.resolved.connect(self._resolved)
        self.conflict_view, self.conflict_model = self.conflicts.view, self.conflicts.model
        self.tabs.addTab(self.conflicts, self.tr("Conflicts"))
        self.tabs.addTab(self._build_folder(), self.tr("Exchange folder"))
        self.tabs.addTab(self._build_log(), self.tr("Log and hubs"))
        layout.addWidget(self.tabs)
        self.message = MessageLine(self)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Exchange status"))
        layout.addWidget(self.message)
        layout.addWidget(self.status)

    def _build_export(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.full_radio = QRadioButton(self.tr("Everything this hub may share (full bundle)"))
        self.delta_radio = QRadioButton(self.tr("Only what changed since the last bundle for:"))
        for radio in (self.full_radio, self.delta_radio):
            radio.setAccessibleName(radio.text())
            radio.setAccessibleDescription(self.tr("What the bundle holds"))
        self.full_radio.setChecked(True)
        group = QButtonGroup(page)
        group.addButton(self.full_radio)
        group.addButton(self.delta_radio)
        self.peer_combo = QComboBox()
        self.peer_combo.setEditable(True)
        self.peer_combo.setAccessibleName(self.tr("Hub the bundle is for"))
        self.peer_combo.setToolTip(self.tr("Choose a known hub, or paste the id of a new one"))
        self.export_passphrase = passphrase_edit(self, self.tr("Passphrase for the bundle"))
        self.export_passphrase_again = passphrase_edit(self, self.tr("Passphrase again"))
        for edit in (self.export_passphrase, self.export_passphrase_again):
            edit.textChanged.connect(self._passphrases_edited)
        self.export_button = QPushButton(self.tr("Save bundle…"))
        self.export_button.setAccessibleName(self.tr("Save bundle"))
        self.export_button.setAccessibleDescription(self.tr("Asks where to save it; the list below shows who goes"))
        self.export_button.clicked.connect(self.start_export)
        form.addRow(self.full_radio)
        form.addRow(self.delta_radio, self.peer_combo)
        form.addRow(self.tr("Passphrase (optional):"), self.export_passphrase)
        form.addRow(self.tr("Passphrase again:"), self.export_passphrase_again)
        form.addRow(self.export_button)
        # Before anything is saved: who goes, who stays and why, and members per group.
        self.outgoing = OutgoingPanel(self.ctx, page)
        self.outgoing.review_held_back.connect(self.review_held_back)
        form.addRow(self.outgoing)
        return page

    def _build_folder(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        intro = QLabel(self.tr("Any folder every hub can reach (a USB stick, a Syncthing or Nextcloud folder). "
                               "Sync imports the other hubs' new bundles and writes this hub's changes there."))
        intro.setWordWrap(True)
        form = QFormLayout()
        row = QHBoxLayout()
        self.folder_edit = QLineEdit()
        self.folder_edit.setAccessibleName(self.tr("Exchange folder"))
        self.folder_edit.setAccessibleDescription(self.tr("A USB stick or a synced folder shared with other hubs"))
        choose = QPushButton(self.tr("Choose…"))
        choose.setAccessibleName(self.tr("Choose the exchange folder"))
        choose.setAccessibleDescription(self.tr("Opens a folder chooser"))
        choose.clicked.connect(self.choose_folder)
        row.addWidget(self.folder_edit, 1)
        row.addWidget(choose)
        form.addRow(self.tr("Folder:"), row)
        self.folder_passphrase = passphrase_edit(self, self.tr("Passphrase for the exchange folder"))
        form.addRow(self.tr("Passphrase (optional):"), self.folder_passphrase)
        self.sync_button = QPushButton(self.tr("Sync with folder"))
        self.sync_button.setAccessibleName(self.tr("Sync with folder"))
        self.sync_button.setAccessibleDescription(self.tr("Imports what other hubs left there, then leaves ours"))
        self.sync_button.clicked.connect(self.start_sync)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.sync_button)
        layout.addStretch(1)
        return page

    def _build_log(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(self.tr("Exchange log")))
        self.log_view = plain_table(self.log_model, self.tr("Exchange log"))
        layout.addWidget(self.log_view, 2)
        layout.addWidget(QLabel(self.tr("Known hubs (this hub is {0}, id {1})").format(self.ctx.db.hub_name,
                                                                                   self.ctx.db.hub_id)))
        self.own_key_label = QLabel(self.tr("This hub's key fingerprint, for other organisers to compare: {0}").format(
            own_fingerprint(self.ctx.db.signing_key)))
        self.own_key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.own_key_label.setAccessibleName(self.tr("This hub's key fingerprint"))
        layout.addWidget(self.own_key_label)
        self.peer_view = plain_table(self.peer_model, self.tr("Known hubs"))
        layout.addWidget(self.peer_view, 1)
        return page

    # ---- data ----

    def refresh(self) -> None:
        """Reload the conflicts, log, known hubs, the remembered exchange folder and who a bundle would carry."""
        if self.isVisible():
            self.outgoing.refresh()
        else:
            self._outgoing_stale = True
        count = self.conflicts.load()
        self.log_model.load(self.ctx.db)
        self.peer_model.load(self.ctx.db)
        current = self.peer_combo.currentText()
        self.peer_combo.clear()
        for name, hub_id, *_ in self.peer_model.rows:
            # The hub's name; its id only where asked for (the tooltip, the Log and hubs tab).
            self.peer_combo.addItem(name or hub_id[:8], hub_id)
            self.peer_combo.setItemData(self.peer_combo.count() - 1, hub_id, Qt.ItemDataRole.ToolTipRole)
        if current:
            self.peer_combo.setCurrentText(current)
        if not self.folder_edit.text():
            self.folder_edit.setText(str(self.ctx.db.setting(EXCHANGE_FOLDER) or ""))
        self.tabs.setTabText(2, self.tr("Conflicts ({0})").format(count) if count else self.tr("Conflicts"))

    def showEvent(self, event: QShowEvent) -> None:
        if self._outgoing_stale:
            self._outgoing_stale = False
            self.outgoing.refresh()
        super().showEvent(event)

    def _on_changed(self, record_types: frozenset[str]) -> None:
        if record_types & {*REGISTRY.names(), "exchange"}:
            self.refresh()

    def _announce(self) -> None:
        self.ctx.events.announce(*REGISTRY.names(), "exchange")

    def _clear_message(self) -> None:
        self.message.clear_message()

    def _import_finished(self, status: str) -> None:
        self._show_status(status)
        self._announce()

    def _resolved(self, status: str) -> None:
        self._show_status(status)
        self._announce()

    def _show_status(self, status: str) -> None:
        self.message.clear_message()
        self.status.setText(status)

    def _fail(self, message: str) -> None:
        self.message.show_error(window_message(message))
        self.status.setText("")

    # ---- asking the user (overridden in tests) ----

    def ask_save_path(self) -> Path | None:
        """Where to save a bundle."""
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Save bundle"), f"{self.ctx.db.hub_name}.oursociety",
                                              self.tr("Hub bundles (*.oursociety)"))
        return Path(name) if name else None

    def ask_trust_hub(self, name: str, hub_id: str, fingerprint: str) -> bool:
        """Whether the organiser accepts a hub found in the exchange folder, after comparing its fingerprint."""
        return ask_trust_hub(self, name, hub_id, fingerprint)

    def ask_erase(self, people: int) -> bool:
        """Whether to go on with a sync that erases people held here."""
        text = plural(people, "This sync erases {n} person held here (a right-to-erasure request from a "
                                      "trusted hub): every personal field is wiped, for good. Go on?",
                      "This sync erases {n} people held here (right-to-erasure requests from trusted "
                              "hubs): every personal field is wiped, for good. Go on?")
        answer = QMessageBox.question(self, self.tr("Erase people?"), text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def ask_folder(self) -> Path | None:
        """The exchange folder."""
        name = QFileDialog.getExistingDirectory(self, self.tr("Exchange folder"))
        return Path(name) if name else None

    # ---- make a bundle ----

    def _export_passphrase(self) -> str | None:
        first, again = self.export_passphrase.text(), self.export_passphrase_again.text()
        if not first and not again:
            return None
        if first != again:
            raise UserError(self.tr("The two passphrases differ; type the same passphrase twice."))
        if len(first) < MIN_PASSPHRASE:
            raise UserError(plural(MIN_PASSPHRASE, "The passphrase is too short; use at least {n} character.",
                                   "The passphrase is too short; use at least {n} characters."))
        return first

    def _passphrases_edited(self) -> None:
        """An old complaint about the passphrases goes as soon as they are fixed (or being fixed)."""
        first, again = self.export_passphrase.text(), self.export_passphrase_again.text()
        if self.message.isVisibleTo(self) and (first == again or not again):
            self.message.clear_message()

    def start_export(self) -> None:
        """Check the choices, ask where to save, and write the bundle on the task runner."""
        try:
            passphrase = self._export_passphrase()
            for_hub: str | None = None
            if self.delta_radio.isChecked():
                index = self.peer_combo.currentIndex()
                known = index >= 0 and self.peer_combo.itemText(index) == self.peer_combo.currentText()
                for_hub = str(self.peer_combo.currentData() if known else self.peer_combo.currentText()).strip()
                if "(" in for_hub and for_hub.endswith(")"):
                    for_hub = for_hub.rsplit("(", 1)[1][:-1]
                if not for_hub:
                    raise UserError(self.tr("Choose the hub the bundle is for, or make a full bundle."))
        except UserError as exc:
            self._fail(exc.message)
            return
        path = self.ask_save_path()
        if path is None:
            return
        db = self.ctx.db

        def work(progress: Any, out: Path, hub: str | None, secret: str | None) -> ExportResult:
            return export_bundle(db, out, for_hub=hub, passphrase=secret, progress=progress)

        self.message.clear_message()
        self.ctx.runner.run(work, path, for_hub, passphrase, title=self.tr("Making a bundle"),
                            on_done=self._export_done, on_error=self._fail)

    def _export_done(self, result: ExportResult) -> None:
        total = result.manifest.total_records
        saved = plural(total, "Saved {file} ({n} record).", "Saved {file} ({n} records).",
                       file=result.path.name)
        preview = self.outgoing.preview
        if preview is not None:
            saved += " " + plural(len(preview.held_back), "{n} person was held back (see the list).",
                                  "{n} people were held back (see the list).")
        self.message.clear_message()
        self.status.setText(saved)
        self.export_passphrase.clear()
        self.export_passphrase_again.clear()
        self.ctx.events.announce("exchange")  # a bundle made changes no record: only the exchange log

    # ---- exchange folder ----

    def choose_folder(self) -> None:
        """Pick the exchange folder."""
        path = self.ask_folder()
        if path is not None:
            self.folder_edit.setText(str(path))

    def start_sync(self) -> None:
        """Preview what the folder holds (on the task runner); a sync that would erase people or meets a hub not
        trusted yet stops for the organiser's word, then imports new bundles and writes this hub's delta."""
        text = self.folder_edit.text().strip()
        if not text:
            self._fail(self.tr("Choose the exchange folder first."))
            return
        folder = Path(text)
        db, secret = self.ctx.db, self.folder_passphrase.text() or None
        with db.write() as tx:
            set_setting(tx.session, EXCHANGE_FOLDER, str(folder))

        def work(progress: Any, where: Path, passphrase: str | None) -> SyncPreview:
            return preview_sync(db, where, passphrase=passphrase, progress=progress)

        self.message.clear_message()
        self.ctx.runner.run(work, folder, secret, title=self.tr("Checking the exchange folder"),
                            on_done=lambda preview: self._sync_previewed(folder, secret, preview),
                            on_error=self._fail, reads_only=True)

    def _sync_previewed(self, folder: Path, secret: str | None, preview: SyncPreview) -> None:
        for hub in preview.untrusted:
            if self.ask_trust_hub(hub["name"], hub["id"], hub["fingerprint"]):
                try:
                    with self.ctx.db.write() as tx:
                        accept_hub(tx, hub["id"], hub["name"], hub["key"])
                except UserError as exc:
                    self._fail(exc.message)
                    return
        if preview.people_erased and not self.ask_erase(preview.people_erased):
            self.status.setText(self.tr("Sync stopped: nothing was imported or written."))
            return
        db = self.ctx.db

        def work(progress: Any, where: Path, passphrase: str | None) -> SyncResult:
            return sync_folder(db, where, passphrase=passphrase, progress=progress)

        self.message.clear_message()
        self.ctx.runner.run(work, folder, secret, title=self.tr("Syncing with the exchange folder"),
                            on_done=self._sync_done, on_error=self._fail)

    def _sync_done(self, result: SyncResult) -> None:
        changes = sum(r.changes for r in result.imported)
        parts = [self.tr("Imported {0} with {1}.").format(
                     plural(len(result.imported), "{n} bundle", "{n} bundles"),
                     plural(changes, "{n} change", "{n} changes")),
                 self.tr("Wrote {0}.").format(result.written.name) if result.written
                 else self.tr("Nothing new to write.")]
        parts.extend(w for r in result.imported for w in r.warnings)
        if result.untrusted:
            parts.append(self.tr("Not imported, from hubs not trusted: {0}").format(
                ", ".join(f"{hub['name']} ({hub['fingerprint']})" for hub in result.untrusted)))
        if result.skipped:
            parts.append(self.tr("Skipped: {0}").format("; ".join(result.skipped)))
        parts.extend(result.clock_lines())
        self.status.setText(" ".join(parts))
        self._announce()
