"""The action editor: every field of an action, its linked contacts, save and mark done.

Contract: `load(action_id)` fills the form ('' starts a new action), `save()` writes the
changed fields as one undoable edit and returns the action's id, or '' after showing what is wrong beside the field.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from oursociety_desktop.models.errors import UserError, ValidationError
from oursociety_desktop.models.groups import group_choices
from oursociety_desktop.models.records import get_record
from oursociety_desktop.models.tables import Action
from oursociety_desktop.models.themes import clean_themes
from oursociety_desktop.ui.actions.labels import kind_labels, status_labels
from oursociety_desktop.ui.actions.links_panel import LinksPanel
from oursociety_desktop.ui.actions.outcome_dialog import ask_outcome
from oursociety_desktop.ui.actions.saving import mark_action_done, save_action
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.widgets.dates import DateEdit
from oursociety_desktop.ui.widgets.fields import make_bold

FIELDS = ("title", "kind", "status", "due", "starts_at", "ends_at", "location", "group_id", "themes", "notes",
          "outcome")


def _as_text(value: object) -> str:
    """A field's value as the form holds it (themes as "a, b")."""
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


class ActionEditor(QWidget):
    """Edits one action. Emits `saved(action_id)` after a successful save, and `created_with_themes(themes)` after
    a new action with themes is saved."""

    saved = Signal(str)
    created_with_themes = Signal(list)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.action_id = ""
        self.loaded: dict[str, str] = {}
        self._build()
        self.reload_groups()
        self.load("")

    def _build(self) -> None:
        self.heading = QLabel(self)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.heading.setFont(font)
        self.title_edit = QLineEdit(self)
        self.kind_combo = QComboBox(self)
        for value, label in kind_labels().items():
            self.kind_combo.addItem(label, value)
        self.status_combo = QComboBox(self)
        for value, label in status_labels().items():
            self.status_combo.addItem(label, value)
        # Dates typed as people say them, or picked on a calendar (Alt+Down).
        self.due_edit = DateEdit(False, self)
        self.starts_edit, self.ends_edit = DateEdit(True, self), DateEdit(True, self)
        self.location_edit = QLineEdit(self)
        self.themes_edit = QLineEdit(self)
        self.themes_edit.setPlaceholderText(self.tr("comma-separated, e.g. bike repair, youth"))
        self.group_combo = QComboBox(self)
        self.notes_edit, self.outcome_edit = QPlainTextEdit(self), QPlainTextEdit(self)
        for text_box in (self.notes_edit, self.outcome_edit):
            text_box.setTabChangesFocus(True)
        line = self.fontMetrics().lineSpacing()
        self.notes_edit.setMinimumHeight(line * 3 + 12)
        self.notes_edit.setMaximumHeight(line * 7 + 12)
        self.outcome_edit.setMinimumHeight(line * 2 + 12)
        self.outcome_edit.setMaximumHeight(line * 4 + 12)
        self.widgets: dict[str, QWidget] = {
            "title": self.title_edit, "kind": self.kind_combo, "status": self.status_combo, "due": self.due_edit,
            "starts_at": self.starts_edit, "ends_at": self.ends_edit, "location": self.location_edit,
            "group_id": self.group_combo, "themes": self.themes_edit, "notes": self.notes_edit,
            "outcome": self.outcome_edit,
        }
        names = {"title": self.tr("Title"), "kind": self.tr("Kind"), "status": self.tr("Status"),
                 "due": self.tr("Due date"), "starts_at": self.tr("Starts"), "ends_at": self.tr("Ends"),
                 "location": self.tr("Location"), "group_id": self.tr("Group"), "themes": self.tr("Themes"),
                 "notes": self.tr("Notes"),
                 "outcome": self.tr("Outcome")}
        self.errors: dict[str, QLabel] = {}
        for name, widget in self.widgets.items():
            widget.setAccessibleName(names[name])
            widget.setAccessibleDescription(self.tr("{0} of the action; saved with Save (Ctrl+S)").format(names[name]))
            error = QLabel(self)
            error.setWordWrap(True)
            make_bold(error)
            error.setAccessibleName(self.tr("Problem with {0}").format(names[name]))
            error.hide()
            self.errors[name] = error

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        def add(label: str, name: str, field: QWidget | None = None) -> None:
            form.addRow(label, field or self.widgets[name])
            buddy = form.labelForField(field or self.widgets[name])
            if isinstance(buddy, QLabel) and field is not None:
                buddy.setBuddy(self.widgets[name])
            form.addRow("", self.errors[name])

        add(self.tr("&Title:"), "title")
        add(self.tr("&Kind:"), "kind", self._pair(self.kind_combo, self.tr("&Status:"), self.status_combo))
        form.addRow("", self.errors["status"])
        add(self.tr("&Due:"), "due")
        add(self.tr("Sta&rts:"), "starts_at", self._pair(self.starts_edit, self.tr("&Ends:"), self.ends_edit))
        form.addRow("", self.errors["ends_at"])
        add(self.tr("&Location:"), "location")
        add(self.tr("&Group:"), "group_id")
        add(self.tr("T&hemes:"), "themes")
        add(self.tr("&Notes:"), "notes")
        add(self.tr("&Outcome:"), "outcome")

        self.save_button = QPushButton(self.tr("&Save"), self)
        self.save_button.setToolTip(self.tr("Save the changes (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        self.done_button = QPushButton(self.tr("&Mark done…"), self)
        self.done_button.setToolTip(self.tr("Close the action and note its outcome"))
        self.done_button.clicked.connect(self.mark_done)
        self.links = LinksPanel(self.ctx, self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.done_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.links, 1)
        shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.save)

    def _pair(self, first: QWidget, second_label: str, second: QWidget) -> QWidget:
        box = QWidget(self)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(first, 1)
        label = QLabel(second_label, box)
        label.setBuddy(second)
        row.addWidget(label)
        row.addWidget(second, 1)
        return box

    # ---- load ----

    def reload_groups(self) -> None:
        """Refill the group chooser, keeping the current choice."""
        chosen = str(self.group_combo.currentData() or "")
        with self.ctx.db.read() as session:
            choices = group_choices(session)
        self.group_combo.clear()
        self.group_combo.addItem(self.tr("(no group)"), "")
        for group_id, name in choices:
            self.group_combo.addItem(name, group_id)
        self.group_combo.setCurrentIndex(max(0, self.group_combo.findData(chosen)))

    def load(self, action_id: str) -> None:
        """Show an action ('' for a new one). Raises NotFound for a deleted or unknown id."""
        values = dict.fromkeys(FIELDS, "")
        values.update(kind="task", status="open")
        if action_id:
            with self.ctx.db.read() as session:
                record = get_record(session, Action, action_id, live=True)
                values = {name: _as_text(getattr(record, name)) for name in FIELDS}
        self.action_id = action_id
        self.loaded = values
        self._fill(values)
        self.heading.setText(values["title"] if action_id else self.tr("New action"))
        self.done_button.setEnabled(bool(action_id) and values["status"] != "done")
        self.links.show_action(action_id)
        self.clear_errors()

    def _fill(self, values: dict[str, str]) -> None:
        for name, widget in self.widgets.items():
            value = values[name]
            if isinstance(widget, QComboBox):
                index = widget.findData(value)
                if index < 0:  # a deleted group, or a value from a newer app at another hub: keep it
                    widget.addItem(self.tr("(group not available here)") if name == "group_id" else value, value)
                    index = widget.count() - 1
                widget.setCurrentIndex(index)
            elif isinstance(widget, DateEdit):
                widget.set_iso(value)
            elif isinstance(widget, QLineEdit):
                widget.setText(value)
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value)

    # ---- save ----

    def values(self) -> dict[str, str]:
        """The form's values; dates in canonical form. Raises ValidationError for a date that does not parse."""
        out: dict[str, str] = {}
        for name, widget in self.widgets.items():
            if isinstance(widget, QComboBox):
                out[name] = str(widget.currentData() or "")
            elif isinstance(widget, DateEdit):
                out[name] = widget.iso(name)
            elif isinstance(widget, QLineEdit):
                out[name] = widget.text().strip()
            elif isinstance(widget, QPlainTextEdit):
                out[name] = widget.toPlainText()
        return out

    def changes(self) -> dict[str, str]:
        """Fields that differ from what was loaded (raises ValidationError like `values`)."""
        return {k: v for k, v in self.values().items() if v != self.loaded.get(k)}

    def is_dirty(self) -> bool:
        """True when the form holds something not saved (including an unparseable date)."""
        try:
            return bool(self.changes()) if self.action_id else self.title_edit.text().strip() != ""
        except ValidationError:
            return True

    def clear_errors(self) -> None:
        """Hide every field message."""
        for label in self.errors.values():
            label.hide()

    def show_error(self, exc: UserError) -> None:
        """Show a refusal beside its field (or under the title when it names none) and focus that field."""
        self.clear_errors()
        name = exc.field if isinstance(exc, ValidationError) and exc.field in self.errors else "title"
        self.errors[name].setText("⚠ " + exc.message)
        self.errors[name].show()
        self.widgets[name].setFocus()

    def save(self) -> str:
        """Write the form (one undoable edit); returns the action id, or '' when refused (shown beside the field)."""
        created = not self.action_id
        try:
            action_id = save_action(self.ctx, self.action_id, self.values() if created else self.changes(),
                                    self.loaded)
        except UserError as exc:
            self.show_error(exc)
            return ""
        self.load(action_id)
        self.saved.emit(action_id)
        themes = clean_themes(self.loaded["themes"])
        if created and themes:
            self.created_with_themes.emit(themes)
        return action_id

    def mark_done(self) -> None:
        """Save pending changes, then ask for the outcome and close the action."""
        if not self.action_id or (self.is_dirty() and not self.save()):
            return
        action_id, loaded = self.action_id, dict(self.loaded)

        def done(outcome: str) -> None:
            try:
                mark_action_done(self.ctx, action_id, outcome, loaded)
            except UserError as exc:
                self.show_error(exc)
                return
            if self.action_id == action_id:
                self.load(action_id)

        ask_outcome(self, loaded["title"], loaded["outcome"], done)

    def focus_first(self) -> None:
        """Put the cursor in the title."""
        self.title_edit.setFocus()
        self.title_edit.selectAll()

