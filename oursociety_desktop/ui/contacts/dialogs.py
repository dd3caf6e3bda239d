"""Small dialogs of the contacts workspace: a new contact, choosing a group, confirming erasure."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from oursociety_desktop.i18n import _
from oursociety_desktop.models.consent import CONSENT_METHODS, HubConsentDefaults, consent_values
from oursociety_desktop.models.contacts import ERASURE_REASONS
from oursociety_desktop.models.errors import ValidationError
from oursociety_desktop.ui.widgets.fields import FieldMessage
from oursociety_desktop.ui.wording import plural


class NewContactDialog(QDialog):
    """Asks for a name and the consents the person gave (and how); the editor takes the rest.

    The consent boxes start at the hub's defaults and say so: nobody is left out of a printout, or shared, without
    the organiser seeing it. `create(values)` is called on OK."""

    def __init__(self, create: Any, defaults: HubConsentDefaults | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New person"))
        self._create = create
        self.defaults = defaults or HubConsentDefaults(False, False)
        self.created_id: str | None = None
        self.given = QLineEdit(self)
        self.given.setAccessibleName(self.tr("Given name"))
        self.family = QLineEdit(self)
        self.family.setAccessibleName(self.tr("Family name"))
        self.organisation = QLineEdit(self)
        self.organisation.setAccessibleName(self.tr("Organisation"))
        self.message = FieldMessage(self)
        for edit in (self.given, self.family, self.organisation):
            edit.textChanged.connect(self.message.clear_message)  # an old "needs a name" goes once one is typed
        self.directory = QCheckBox(self.tr("Include in printed directory, sign-in and group sheets"), self)
        self.directory.setChecked(self.defaults.include_in_directory)
        self.directory.setAccessibleName(self.tr("Include in printed directory"))
        self.directory.setAccessibleDescription(self.tr("Unticked: left out of every printout, by their choice."))
        self.share = QCheckBox(self.tr("Share with other hubs"), self)
        self.share.setChecked(self.defaults.share_with_hubs)
        self.share.setAccessibleName(self.tr("Share with other hubs"))
        self.share.setAccessibleDescription(self.tr("Ticked: their record travels to other hubs in bundles."))
        self.method = QComboBox(self)
        self.method.addItem(self.tr("Not asked yet (hub defaults)"), "")
        for key, label in consent_method_labels().items():
            self.method.addItem(label, key)
        self.method.setAccessibleName(self.tr("How they gave consent"))
        self.method.setAccessibleDescription(self.tr("In person, on paper, by phone or online; recorded with "
                                                     "today's date."))
        self.consent_note = QLabel(self)
        self.consent_note.setWordWrap(True)
        self.consent_note.setAccessibleName(self.tr("About these consents"))
        self.method.currentIndexChanged.connect(lambda _i: self._update_note())
        self._update_note()
        form = QFormLayout()
        form.addRow(self.tr("&Given name:"), self.given)
        form.addRow(self.tr("&Family name:"), self.family)
        form.addRow(self.tr("&Organisation:"), self.organisation)
        form.addRow("", self.message)
        consent = QGroupBox(self.tr("What they agreed to"), self)
        consent_form = QFormLayout(consent)
        consent_form.addRow(self.directory)
        consent_form.addRow(self.share)
        method_label = QLabel(self.tr("&How:"), consent)
        method_label.setBuddy(self.method)
        consent_form.addRow(method_label, self.method)
        consent_form.addRow(self.consent_note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok is not None
        ok.setText(self.tr("Add person"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(consent)
        layout.addWidget(buttons)

    def _update_note(self) -> None:
        if self.method.currentData():
            key = str(self.method.currentData())
            words = _(CONSENT_METHODS[key]) if key in CONSENT_METHODS else self.method.currentText()
            self.consent_note.setText(self.tr("Recorded as given {0}, today.").format(words))
        else:
            self.consent_note.setText(self.tr("Not asked yet: the boxes show this hub's defaults (Settings). Ask "
                                              "them, then choose how they answered."))

    def values(self) -> dict[str, Any]:
        """What the dialog would create: names and consents."""
        values: dict[str, Any] = {"given_name": self.given.text(), "family_name": self.family.text(),
                                  "organisation": self.organisation.text()}
        values.update(consent_values(self.defaults, self.share.isChecked(), self.directory.isChecked(),
                                     str(self.method.currentData() or "")))
        return values

    def accept(self) -> None:
        try:
            self.created_id = self._create(self.values())
        except ValidationError as exc:
            self.message.show_error(exc.message)
            self.given.setFocus()
            return
        super().accept()


def consent_note(defaults: HubConsentDefaults) -> str:
    """What people added without being asked get (for the import wizard), in a sentence."""
    listed = (QCoreApplication.translate("Consent", "listed in printed directories and sheets")
              if defaults.include_in_directory else
              QCoreApplication.translate("Consent", "left out of printed directories and sheets"))
    shared = (QCoreApplication.translate("Consent", "shared with other hubs") if defaults.share_with_hubs else
              QCoreApplication.translate("Consent", "not shared with other hubs"))
    return QCoreApplication.translate("Consent", "New people from the file are {0} and {1}: this hub's defaults "
                                      "(Settings). Ask them, then record their answer in each person's consent "
                                      "section.").format(listed, shared)


def consent_method_labels() -> dict[str, str]:
    """The ways consent is given, as shown (translatable)."""
    return {"in-person": QCoreApplication.translate("Consent", "In person"),
            "paper": QCoreApplication.translate("Consent", "On paper"),
            "phone": QCoreApplication.translate("Consent", "By phone"),
            "online": QCoreApplication.translate("Consent", "Online")}


class ChooseGroupDialog(QDialog):
    """Pick one group by name (type to narrow the list)."""

    def __init__(self, groups: list[tuple[str, str]], count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add to group"))
        self.combo = QComboBox(self)
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for gid, name in groups:
            self.combo.addItem(name, gid)
        self.combo.setAccessibleName(self.tr("Group"))
        label = QLabel(plural(count, "Add the selected person to:",
                              "Add the {n} selected people to:"), self)
        label.setBuddy(self.combo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.combo)
        layout.addWidget(buttons)

    def group_id(self) -> str | None:
        """The chosen group's id (None if the typed text names no group)."""
        index = self.combo.findText(self.combo.currentText())
        return str(self.combo.itemData(index)) if index >= 0 else None


def erasure_reason_labels() -> dict[str, str]:
    """The erasure reasons as the organiser reads them (the stored value is the key)."""
    # Called as QCoreApplication.translate(context, text), so the catalogue extraction sees each text.
    labels = {
        "erasure requested": QCoreApplication.translate("ForgetDialog", "The person asked to be erased"),
        "consent withdrawn": QCoreApplication.translate("ForgetDialog", "The person withdrew consent"),
        "no longer involved": QCoreApplication.translate("ForgetDialog", "No longer involved with the hub"),
        "entered in error": QCoreApplication.translate("ForgetDialog", "Entered in error"),
        "other": QCoreApplication.translate("ForgetDialog", "Another reason"),
    }
    return {key: labels[key] for key in ERASURE_REASONS}


class ForgetDialog(QDialog):
    """Explains erasure and asks why, from a short list (the reason travels to every hub, so it is never free
    text); the safe answer (Cancel) is the default."""

    def __init__(self, parent: QWidget, names: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Forget this person?"))
        layout = QVBoxLayout(self)
        question = QLabel(self.tr("Forget {0}?").format(names))
        question.setWordWrap(True)
        explanation = QLabel(self.tr(
            "Forgetting erases every personal detail — names, phones, emails, address, notes and consent — and "
            "takes them out of every group, action and connection. Only an anonymous placeholder remains, so the "
            "erasure also reaches other hubs when you next exchange bundles.\n\nThis cannot be undone. Use Delete "
            "instead if you may want the record back."))
        explanation.setWordWrap(True)
        self.reason_combo = QComboBox()
        self.reason_combo.setAccessibleName(self.tr("Reason for the erasure"))
        self.reason_combo.setAccessibleDescription(self.tr("Sent with the erasure to other hubs; no free text"))
        for key, label in erasure_reason_labels().items():
            self.reason_combo.addItem(label, key)
        form = QFormLayout()
        form.addRow(self.tr("Reason:"), self.reason_combo)
        buttons = QDialogButtonBox()
        self.forget_button = buttons.addButton(self.tr("Forget for good"), QDialogButtonBox.ButtonRole.DestructiveRole)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setDefault(True)
        cancel.setFocus()
        self.forget_button.clicked.connect(self.accept)
        cancel.clicked.connect(self.reject)
        layout.addWidget(question)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def reason(self) -> str:
        """The chosen reason's stored value."""
        return str(self.reason_combo.currentData())


def confirm_forget(parent: QWidget, names: str) -> str | None:
    """Explain erasure and ask why; returns the chosen reason, or None when the organiser cancels."""
    dialog = ForgetDialog(parent, names)
    return dialog.reason() if dialog.exec() == QDialog.DialogCode.Accepted else None
