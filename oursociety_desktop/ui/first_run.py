"""First run: name the hub, choose the default phone region, start empty or with demo data, and see where the
data will live. The hub is created by `create_hub`; demo data is generated on the task runner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from oursociety_desktop.i18n import _
from oursociety_desktop.models.database import Database, set_setting
from oursociety_desktop.models.demo import generate_demo
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.phones import DEFAULT_REGION, is_known_region
from oursociety_desktop.ui.settings import region_choices
from oursociety_desktop.ui.tasks import TaskRunner
from oursociety_desktop.ui.widgets.fields import FieldMessage

DEMO_CONTACTS = 500


@dataclass(frozen=True)
class FirstRunChoices:
    """What the organiser chose."""

    hub_name: str
    region: str
    demo: bool
    share_default: bool = False
    directory_default: bool = True


def system_region() -> str:
    """The region of the system locale if phonenumbers knows it, else GB."""
    name = QLocale.system().name()  # e.g. "pl_PL"
    code = name.split("_")[-1].upper() if "_" in name else ""
    return code if is_known_region(code) else DEFAULT_REGION


class FirstRunDialog(QDialog):
    """Asks for the hub's name, default phone region and whether to start with demo data."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Welcome to Our Society"))
        intro = QLabel(self.tr("This laptop does not have a hub yet. Give it a name and choose how phone numbers "
                               "are read; you can change both later in Settings."), self)
        intro.setWordWrap(True)
        self.hub_name = QLineEdit(self)
        self.hub_name.setPlaceholderText(self.tr("e.g. Riverside Community Hub"))
        self.hub_name.setAccessibleName(self.tr("Hub name"))
        self.region = QComboBox(self)
        self.region.setAccessibleName(self.tr("Default phone region"))
        for code, text in region_choices():
            self.region.addItem(text, code)
        self.region.setCurrentIndex(max(0, self.region.findData(system_region())))
        # Consent at the door: what a new person gets when nobody asked them (every add dialog and import says so).
        self.directory_default = QCheckBox(self.tr("List new people in printed directories, sign-in and group "
                                                   "sheets"), self)
        self.directory_default.setChecked(True)
        self.directory_default.setAccessibleName(self.tr("New people are listed in printouts"))
        self.directory_default.setAccessibleDescription(self.tr(
            "When unticked, a new person is missing from printed lists until they agree to be listed."))
        self.share_default = QCheckBox(self.tr("Share new people with other hubs"), self)
        self.share_default.setAccessibleName(self.tr("New people are shared with other hubs"))
        self.share_default.setAccessibleDescription(self.tr(
            "When ticked, a new person's record travels to other hubs in exchange bundles."))
        consent_note = QLabel(self.tr("These are defaults for people added without asking them; the add dialog "
                                      "records what each person actually agreed to."), self)
        consent_note.setWordWrap(True)
        self.empty = QRadioButton(self.tr("Start with an empty hub"), self)
        self.demo = QRadioButton(self.tr("Start with demo data ({0} made-up contacts) to try things out")
                                 .format(DEMO_CONTACTS), self)
        self.empty.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.empty)
        group.addButton(self.demo)
        self.folder_label = QLabel(str(folder), self)
        self.folder_label.setWordWrap(True)
        self.folder_label.setAccessibleName(self.tr("Data folder"))
        note = QLabel(self.tr("Everything stays on this computer, in the data folder above. Keep it on this laptop's "
                              "own disk, not on a USB stick or a cloud-synced folder."), self)
        note.setWordWrap(True)
        self.message = FieldMessage(self)
        # The "give the hub a name" error goes as soon as a name is typed, not at the next OK.
        self.hub_name.textChanged.connect(self._name_typed)
        form = QFormLayout()
        name_label = QLabel(self.tr("&Hub name:"), self)
        name_label.setBuddy(self.hub_name)
        region_label = QLabel(self.tr("Default phone &region:"), self)
        region_label.setBuddy(self.region)
        form.addRow(name_label, self.hub_name)
        form.addRow("", self.message)
        form.addRow(region_label, self.region)
        form.addRow(self.tr("New people:"), self.directory_default)
        form.addRow("", self.share_default)
        form.addRow("", consent_note)
        form.addRow(self.tr("Start with:"), self.empty)
        form.addRow("", self.demo)
        form.addRow(self.tr("Data folder:"), self.folder_label)
        form.addRow("", note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok is not None
        ok.setText(self.tr("Create hub"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def _name_typed(self, text: str) -> None:
        if text.strip():
            self.message.clear_message()

    def choices(self) -> FirstRunChoices:
        """What is filled in now."""
        return FirstRunChoices(self.hub_name.text().strip(), str(self.region.currentData()), self.demo.isChecked(),
                               self.share_default.isChecked(), self.directory_default.isChecked())

    def accept(self) -> None:
        if not self.choices().hub_name:
            self.message.show_error(self.tr("Give the hub a name, e.g. the name of your group or town."))
            self.hub_name.setFocus()
            return
        super().accept()


def create_hub(folder: Path, choices: FirstRunChoices) -> Database:
    """Create the hub database with the chosen name and region (no demo data yet)."""
    if not is_known_region(choices.region):
        raise UserError(_("Unknown phone region '{region}'.").format(region=choices.region))
    db = Database.create(folder, choices.hub_name)
    with db.write() as tx:
        set_setting(tx.session, "default_region", choices.region)
        set_setting(tx.session, "default_share_with_hubs", choices.share_default)
        set_setting(tx.session, "default_include_in_directory", choices.directory_default)
    return db


def add_demo_data(runner: TaskRunner, db: Database, on_done: Callable[[Any], None],
                  on_error: Callable[[str], None], contacts: int = DEMO_CONTACTS) -> None:
    """Generate demo data on the task runner (with progress and Cancel)."""
    runner.run(lambda progress: generate_demo(db, contacts, 1, progress),
               title=QCoreApplication.translate("FirstRun", "Adding demo data"),
               on_done=on_done, on_error=on_error)
