"""The contact editor: every field of a contact, each saved (one undoable step) as soon as it is edited.

A refused value shows its message under the field it concerns (`ValidationError.field`) and nothing is saved.
Under the fields: the contact's groups, actions and connections; activating one asks to open that record.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from oursociety_desktop.models.actions import parse_when
from oursociety_desktop.models.consent import CONSENTS
from oursociety_desktop.models.errors import NotFound, UserError, ValidationError
from oursociety_desktop.models.phones import normalise_phone
from oursociety_desktop.models.records import get_record
from oursociety_desktop.models.tables import CONTACT_STAGES, Contact
from oursociety_desktop.models.withdrawal import hub_name_of, withdrawn_by, withheld_here
from oursociety_desktop.ui.contacts import commands
from oursociety_desktop.ui.contacts.consent import ConsentHowDialog, ConsentSection
from oursociety_desktop.ui.contacts.related import related_items
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.text_undo import mark_saved
from oursociety_desktop.ui.widgets.fields import CommitTextEdit, FieldMessage, HeadingLabel, LabelledValuesEditor
from oursociety_desktop.ui.widgets.scrolling import VerticalScrollArea

TEXT_FIELDS = ("given_name", "family_name", "display_name", "organisation", "role", "street", "locality", "region",
               "postcode", "country")
LIST_TEXT_FIELDS = ("languages", "tags")


class ContactEditor(VerticalScrollArea):
    """Edits one contact. Signals: `open_record(record_type, id)`, `delete_requested(id)`, `forget_requested(id)`."""

    open_record = Signal(str, str)
    delete_requested = Signal(str)
    forget_requested = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        # Scrolls up and down only, as wide as the form needs in the current font (Larger text widens it).
        body = QWidget()
        super().__init__(body, parent)
        self.ctx = ctx
        self.contact_id: str | None = None
        self.deleted_id: str | None = None
        self.setAccessibleName(self.tr("Contact editor"))
        self.heading = HeadingLabel("", 1.4, body)
        self.messages: dict[str, FieldMessage] = {}
        self.lines: dict[str, QLineEdit] = {}
        labels = {"given_name": self.tr("Given name:"), "family_name": self.tr("Family name:"),
                  "display_name": self.tr("Display name:"), "organisation": self.tr("Organisation:"),
                  "role": self.tr("Role:"), "street": self.tr("Street:"), "locality": self.tr("Town or city:"),
                  "region": self.tr("County or region:"), "postcode": self.tr("Postcode:"),
                  "country": self.tr("Country:"), "languages": self.tr("Languages:"), "tags": self.tr("Tags:")}
        for name in (*TEXT_FIELDS, *LIST_TEXT_FIELDS):
            edit = QLineEdit(body)
            edit.setAccessibleName(labels[name].rstrip(":"))
            edit.setAccessibleDescription(self.tr("Saved when you leave the field; Ctrl+Z undoes"))
            edit.editingFinished.connect(lambda n=name: self._commit_line(n))
            self.lines[name] = edit
        self.lines["display_name"].setPlaceholderText(self.tr("(from given and family name)"))
        self.lines["languages"].setPlaceholderText(self.tr("separate with commas"))
        self.lines["tags"].setPlaceholderText(self.tr("skills, interests… separate with commas"))
        self.stage = QComboBox(body)
        for stage in CONTACT_STAGES:
            self.stage.addItem(stage, stage)
        self.stage.setAccessibleName(self.tr("Engagement stage"))
        self.stage.setAccessibleDescription(self.tr("How involved they are, from contact to organiser"))
        self.stage.activated.connect(lambda _i: self._save({"engagement_stage": self.stage.currentData()}))
        self.phones = LabelledValuesEditor(self.tr("Phone"), ["mobile", "home", "work"], body)
        self.phones.changed.connect(lambda items: self._save({"phones": items}))
        self.emails = LabelledValuesEditor(self.tr("Email"), ["home", "work"], body)
        self.emails.changed.connect(lambda items: self._save({"emails": items}))
        self.notes = CommitTextEdit(body)
        self.notes.setAccessibleName(self.tr("Notes"))
        self.notes.setAccessibleDescription(self.tr("Shared with other hubs when the person is shared with them"))
        self.notes.editingFinished.connect(lambda: self._commit_box("notes", self.notes))
        self.private_notes = CommitTextEdit(body)
        self.private_notes.setAccessibleName(self.tr("Private notes (never leave this hub)"))
        self.private_notes.setAccessibleDescription(self.tr("Never leave this hub, whatever the consent"))
        self.private_notes.editingFinished.connect(lambda: self._commit_box("private_notes", self.private_notes))
        for box in (self.notes, self.private_notes):
            box.setMaximumHeight(90)
        self.consent = ConsentSection(body)
        self.consent.field_changed.connect(self._commit_consent)
        for name in (*TEXT_FIELDS, *LIST_TEXT_FIELDS, "engagement_stage", "phones", "emails", "notes",
                     "private_notes"):
            self.messages[name] = FieldMessage(body)
        self.messages.update(self.consent.messages)
        self.messages["general"] = FieldMessage(body)  # for refusals that concern no single field

        def section(title: str, rows: list[tuple[str, QWidget, str]]) -> QGroupBox:
            box = QGroupBox(title, body)
            form = QFormLayout(box)
            for label, widget, field in rows:
                caption = QLabel(label, box)
                caption.setBuddy(widget)
                form.addRow(caption, widget)
                form.addRow("", self.messages[field])
            return box

        name_box = section(self.tr("Name and role"), [
            (labels[n], self.lines[n], n) for n in ("given_name", "family_name", "display_name", "organisation",
                                                     "role")] + [(self.tr("Engagement:"), self.stage,
                                                                  "engagement_stage")])
        reach_box = section(self.tr("How to reach them"), [
            (self.tr("Phones:"), self.phones, "phones"), (self.tr("Emails:"), self.emails, "emails")] + [
            (labels[n], self.lines[n], n) for n in ("street", "locality", "region", "postcode", "country")])
        about_box = section(self.tr("About them"), [
            (labels["languages"], self.lines["languages"], "languages"), (labels["tags"], self.lines["tags"], "tags"),
            (self.tr("Notes:"), self.notes, "notes"),
            (self.tr("Private notes\n(never leave this hub):"), self.private_notes, "private_notes")])
        self.related: dict[str, QListWidget] = {}
        related_box = QGroupBox(self.tr("Groups, actions and connections"), body)
        related_form = QFormLayout(related_box)
        for key, title in (("group", self.tr("Groups:")), ("action", self.tr("Actions:")),
                           ("connection", self.tr("Connections:"))):
            listing = QListWidget(related_box)
            listing.setAccessibleName(title.rstrip(":"))
            listing.setAccessibleDescription(self.tr("Enter opens the selected one"))
            listing.setMaximumHeight(96)
            listing.setTextElideMode(Qt.TextElideMode.ElideRight)
            listing.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            listing.itemActivated.connect(self._open_related)
            self.related[key] = listing
            related_form.addRow(title, listing)
        self.delete_button = QPushButton(self.tr("Delete"), body)
        self.delete_button.setAccessibleName(self.tr("Delete this contact (can be undone)"))
        self.delete_button.setAccessibleDescription(self.tr("Ctrl+Z brings them back"))
        self.delete_button.clicked.connect(lambda: self.contact_id and self.delete_requested.emit(self.contact_id))
        self.forget_button = QPushButton(self.tr("Forget (erase)…"), body)
        self.forget_button.setAccessibleName(self.tr("Forget this person: erase their personal data"))
        self.forget_button.setAccessibleDescription(self.tr("Asks first; cannot be undone"))
        self.forget_button.clicked.connect(lambda: self.contact_id and self.forget_requested.emit(self.contact_id))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.forget_button)
        layout = QVBoxLayout(body)
        self.sections: list[QWidget] = [name_box, reach_box, about_box, self.consent, related_box,
                                         self.delete_button, self.forget_button]
        for widget in (self.heading, self.messages["general"], name_box, reach_box, about_box, self.consent,
                       related_box):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.body = body
        self._set_tab_order()
        self.load(None)

    def focus_order(self) -> list[QWidget]:
        """The editor's inputs in the order Tab visits them: top to bottom, as laid out."""
        lines = self.lines
        return [
            *(lines[n] for n in ("given_name", "family_name", "display_name", "organisation", "role")), self.stage,
            self.phones.table, self.phones.add_button, self.phones.remove_button,
            self.emails.table, self.emails.add_button, self.emails.remove_button,
            *(lines[n] for n in ("street", "locality", "region", "postcode", "country", "languages", "tags")),
            self.notes, self.private_notes, *self.consent.focus_order(),
            *self.related.values(), self.delete_button, self.forget_button,
        ]

    def _set_tab_order(self) -> None:
        order = self.focus_order()
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)

    # ---- loading ----

    def load(self, contact_id: str | None) -> None:
        """Show a contact (or nothing). Unsaved text in a field is replaced by what is stored.

        Another person starts at the top of the editor, their name in view."""
        if contact_id != self.contact_id:
            self.verticalScrollBar().setValue(0)
        self.contact_id = contact_id
        contact: Contact | None = None
        if contact_id:
            with self.ctx.db.read() as session:
                try:
                    contact = get_record(session, Contact, contact_id)
                except NotFound:
                    contact = None
                conn = session.connection()
                related = related_items(conn, contact_id) if contact else {}
        # A deleted person shown as "deleted" comes back here when the delete is undone (see the workspace).
        self.deleted_id = contact_id if contact is not None and contact.deleted else None
        if contact is None or contact.deleted:
            self.contact_id = None
            self.heading.setText(self.tr("Choose a contact in the list, or add one with File → New person (Ctrl+N).")
                                 if contact is None else
                                 self.tr("{0} has been deleted. Undo (Ctrl+Z) brings them back.")
                                 .format(contact.shown_name))
            self._show_sections(False)
            return
        values: dict[str, Any] = contact.model_dump()
        if withheld_here(values, self.ctx.db.hub_id):  # their consent holder withdrew them: only the id is kept
            with self.ctx.db.read() as session:
                hub = hub_name_of(session.connection(), withdrawn_by(values))
                holder = hub_name_of(session.connection(), contact.origin_hub)
            self.heading.setText(self.tr("Withdrawn by {0}. {1} holds this person's consent; this hub keeps only "
                                         "that they were withdrawn.").format(hub, holder))
            self._show_sections(False)
            return
        self._show_sections(True)
        self.heading.setText(contact.shown_name)
        for name, edit in self.lines.items():
            value = values[name]
            shown = ", ".join(value) if isinstance(value, list) else str(value)
            if edit.text() != shown:
                edit.setText(shown)
                edit.setCursorPosition(0)
        self.stage.setCurrentIndex(max(0, self.stage.findData(contact.engagement_stage)))
        self.phones.set_values(contact.phones)
        self.emails.set_values(contact.emails)
        for box, value in ((self.notes, contact.notes), (self.private_notes, contact.private_notes)):
            if box.toPlainText() != value:
                box.setPlainText(value)
        self.consent.load(values)
        for message in self.messages.values():
            message.clear_message()
        self._show_phone_warnings(contact.phones)
        for key, listing in self.related.items():
            listing.clear()
            for item in related[key]:
                entry = QListWidgetItem(item.text, listing)
                entry.setToolTip(item.text)
                entry.setData(Qt.ItemDataRole.UserRole, (item.record_type, item.record_id))
            if not related[key]:
                QListWidgetItem(self.tr("(none)"), listing).setFlags(Qt.ItemFlag.NoItemFlags)

    def _show_sections(self, shown: bool) -> None:
        for widget in self.sections:
            widget.setVisible(shown)

    # ---- saving ----

    def _commit_line(self, name: str) -> None:
        text = self.lines[name].text()
        if self._save({name: [p.strip() for p in text.split(",") if p.strip()] if name in LIST_TEXT_FIELDS else text}):
            mark_saved(self.lines[name])  # saved: Ctrl+Z in the field now undoes the saved edit

    def _commit_box(self, name: str, box: CommitTextEdit) -> None:
        if self._save({name: box.toPlainText()}):
            mark_saved(box)

    def _commit_consent(self, name: str, value: object) -> None:
        if name in CONSENTS and value is True:  # a consent switched on: ask how, and save the receipt with it
            dialog = ConsentHowDialog(self.consent.flags[name].text(), self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                self.consent.flags[name].blockSignals(True)
                self.consent.flags[name].setChecked(False)
                self.consent.flags[name].blockSignals(False)
                return
            self._save({name: True, **dialog.receipt()})
            return
        if name == "share_with_hubs" and value is False and not self._withdraw_confirmed():
            return
        if name == "consent_recorded_at":
            try:
                value = parse_when(name, str(value))
            except ValidationError as exc:
                self.messages[name].show_error(exc.message)
                return
        self._save({name: value})

    def _withdraw_confirmed(self) -> bool:
        """Switching off the sharing of a person whose consent another hub holds withdraws them everywhere, this hub
        included, and only that hub can share them again: the organiser confirms it (no, the box goes back)."""
        with self.ctx.db.read() as session:
            contact = session.get(Contact, self.contact_id or "")
            if contact is None or contact.origin_hub == self.ctx.db.hub_id:
                return True
            holder = hub_name_of(session.connection(), contact.origin_hub)
        answer = QMessageBox.question(
            self, self.tr("Withdraw this person?"),
            self.tr("Their consent is held by {0}. Switching sharing off withdraws them from every hub but {0}, "
                    "this one included: it will keep only that they were withdrawn, and only {0} can share them "
                    "again.").format(holder))
        if answer == QMessageBox.StandardButton.Yes:
            return True
        box = self.consent.flags["share_with_hubs"]
        box.blockSignals(True)
        box.setChecked(True)
        box.blockSignals(False)
        return False

    def _save(self, changes: dict[str, Any]) -> bool:
        """Save some fields now as one undoable step; show a refusal beside its field. True when saved."""
        if not self.contact_id:
            return False
        for name in (*changes, "general"):
            if name in self.messages:
                self.messages[name].clear_message()
        first = next(iter(changes))
        try:
            commands.edit_fields(self.ctx, self.contact_id, changes)
        except ValidationError as exc:
            target = exc.field if exc.field in self.messages else first
            self.messages.get(target, self.messages["general"]).show_error(exc.message)
            return False
        except UserError as exc:
            self.messages.get(first, self.messages["general"]).show_error(exc.message)
            return False
        if "phones" in changes:
            self._show_phone_warnings(changes["phones"])
        return True

    def _show_phone_warnings(self, phones: list[dict[str, str]]) -> None:
        region = str(self.ctx.db.setting("default_region"))
        warnings = [w for p in phones if (w := normalise_phone(p.get("value", ""), region).warning)]
        if warnings:
            self.messages["phones"].show_warning(" ".join(warnings))

    def _open_related(self, item: QListWidgetItem) -> None:
        data = item.data(Qt.ItemDataRole.UserRole)
        if data:
            self.open_record.emit(data[0], data[1])

    def message_for(self, field: str) -> str:
        """The message shown beside a field ('' when none): for tests and screen readers."""
        message = self.messages[field]
        return message.text() if message.isVisibleTo(self) else ""
