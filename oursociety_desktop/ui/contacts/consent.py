"""The consent section of the contact editor: what the person agreed to, and when and how they said so."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from oursociety_desktop.models.consent import CONSENT_METHODS, default_recorder, describe_receipt, receipt_values
from oursociety_desktop.models.errors import ValidationError
from oursociety_desktop.ui.widgets.dates import DateEdit
from oursociety_desktop.ui.widgets.fields import FieldMessage

CONSENT_FLAGS = ("share_with_hubs", "include_in_directory", "do_not_phone", "do_not_email", "do_not_mail",
                 "do_not_sms")


class ConsentSection(QGroupBox):
    """Checkboxes for sharing and contact preferences, plus the consent record. Emits `field_changed(name, value)`."""

    field_changed = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Consent and privacy"), parent)
        self.flags: dict[str, QCheckBox] = {}
        texts = {
            "share_with_hubs": (self.tr("Share with other hubs"),
                                self.tr("This person's record may travel to other hubs in exchange bundles.")),
            "include_in_directory": (self.tr("Include in printed directory"),
                                     self.tr("This person may appear in directories, sign-in and group sheets.")),
            "do_not_phone": (self.tr("Do not phone"), self.tr("Leave their phone numbers off printed lists.")),
            "do_not_email": (self.tr("Do not email"), self.tr("Leave their email addresses off printed lists.")),
            "do_not_mail": (self.tr("Do not post"), self.tr("Leave them off address labels.")),
            "do_not_sms": (self.tr("Do not text (SMS)"), self.tr("Do not send them text messages.")),
        }
        intro = QLabel(self.tr("What this person has agreed to. Nothing leaves the hub without their consent."))
        intro.setWordWrap(True)
        grid = QGridLayout()
        for i, name in enumerate(CONSENT_FLAGS):
            label, tip = texts[name]
            box = QCheckBox(label, self)
            box.setToolTip(tip)
            box.setAccessibleName(label)
            box.setAccessibleDescription(tip)
            box.toggled.connect(lambda checked, n=name: self.field_changed.emit(n, bool(checked)))
            self.flags[name] = box
            grid.addWidget(box, i // 2, i % 2)
        self.recorded_at = DateEdit(False, self)
        self.recorded_at.setAccessibleName(self.tr("Consent recorded on"))
        self.recorded_at.setAccessibleDescription(self.tr("The day they agreed; type it or pick it on the calendar"))
        self.recorded_at.editingFinished.connect(self._recorded_at_changed)
        self.method = QComboBox(self)
        self.method.setEditable(True)
        self.method.addItems(["", self.tr("in person, verbally"), self.tr("signed form"), self.tr("email"),
                              self.tr("phone call"), self.tr("online form")])
        self.method.setAccessibleName(self.tr("How consent was recorded"))
        self.method.setAccessibleDescription(self.tr("In person, on paper, by phone or online"))
        line = self.method.lineEdit()
        assert line is not None
        line.editingFinished.connect(lambda: self.field_changed.emit("consent_method", self.method.currentText()))
        self.method.activated.connect(lambda _i: self.field_changed.emit("consent_method", self.method.currentText()))
        self.messages = {"consent_recorded_at": FieldMessage(self), "consent_method": FieldMessage(self)}
        form = QFormLayout()
        form.addRow(self.tr("Consent recorded on:"), self.recorded_at)
        form.addRow("", self.messages["consent_recorded_at"])
        form.addRow(self.tr("How it was recorded:"), self.method)
        form.addRow("", self.messages["consent_method"])
        self.receipt = QLabel(self)  # when, how and by whom the consent was recorded: the receipt that travels
        self.receipt.setWordWrap(True)
        self.receipt.setAccessibleName(self.tr("Consent receipt"))
        form.addRow(self.receipt)
        outer = QFormLayout(self)
        outer.addRow(intro)
        outer.addRow(grid)
        outer.addRow(form)

    def _recorded_at_changed(self) -> None:
        try:
            value = self.recorded_at.iso("consent_recorded_at")
        except ValidationError as exc:
            self.messages["consent_recorded_at"].show_error(exc.message)
            return
        self.field_changed.emit("consent_recorded_at", value)

    def load(self, values: dict[str, object]) -> None:
        """Show a contact's consent (emits nothing)."""
        for name, box in self.flags.items():
            box.blockSignals(True)
            box.setChecked(bool(values.get(name)))
            box.blockSignals(False)
        self.recorded_at.set_iso(str(values.get("consent_recorded_at") or ""))
        self.method.blockSignals(True)
        self.method.setEditText(str(values.get("consent_method") or ""))
        self.method.blockSignals(False)
        self.receipt.setText(describe_receipt(values))
        for message in self.messages.values():
            message.clear_message()

    def focus_order(self) -> list[QWidget]:
        """The inputs in tab order."""
        return [*self.flags.values(), self.recorded_at, self.method]


class ConsentHowDialog(QDialog):
    """Asked when the organiser switches sharing or the directory on: how the person gave consent (in person by
    default) and who records it. `receipt()` is what is saved with the switch, as one edit."""

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from oursociety_desktop.ui.contacts.dialogs import consent_method_labels

        self.setWindowTitle(self.tr("How did they give consent?"))
        question = QLabel(self.tr("{0}: how did this person give their consent?").format(what), self)
        question.setWordWrap(True)
        self.how = QComboBox(self)
        for key, label in consent_method_labels().items():
            self.how.addItem(label, key)
        self.how.setAccessibleName(self.tr("How they gave consent"))
        self.who = QLineEdit(default_recorder(), self)
        self.who.setAccessibleName(self.tr("Recorded by"))
        self.who.setAccessibleDescription(self.tr("Who records the consent (travels with the record)"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(question)
        form.addRow(self.tr("&How:"), self.how)
        form.addRow(self.tr("&Recorded by:"), self.who)
        form.addRow(buttons)
        self.how.setFocus()

    def receipt(self) -> dict[str, str]:
        """The consent receipt: today, the chosen way, who records it."""
        key = str(self.how.currentData() or "in-person")
        return receipt_values(CONSENT_METHODS.get(key, key), self.who.text())
