"""The lesson editor: every field of a lesson, `load(lesson)` / `values()`, and the people involved in it, each
ticked when they agreed to be named (a tick changed is `named_changed`; the workspace makes it an undoable edit)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from oursociety_desktop.models.lessons import PersonShown
from oursociety_desktop.models.tables import LESSON_KINDS, Lesson
from oursociety_desktop.ui.learning.lesson_model import lesson_kind_labels

LONG_FIELDS = ("challenge", "tried", "worked", "not_worked", "advice")


class LessonEditor(QWidget):
    """Edits one lesson's fields; the workspace saves what `values()` returns as one undoable edit."""

    named_changed = Signal(str, bool)  # contact id, agreed to be named

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.title = QLineEdit(self)
        self.kind = QComboBox(self)
        for kind, label in lesson_kind_labels().items():
            self.kind.addItem(label, kind)
        self.themes = QLineEdit(self)
        self.themes.setPlaceholderText(self.tr("comma-separated, e.g. bike repair, youth"))
        self.place = QLineEdit(self)
        self.date = QLineEdit(self)
        self.date.setPlaceholderText(self.tr("YYYY-MM-DD"))
        labels = {"challenge": self.tr("The &challenge"), "tried": self.tr("What was t&ried"),
                  "worked": self.tr("What &worked"), "not_worked": self.tr("What did &not work"),
                  "advice": self.tr("&Advice for others starting out")}
        self.long: dict[str, QPlainTextEdit] = {}
        form.addRow(self.tr("&Title"), self.title)
        form.addRow(self.tr("&Kind"), self.kind)
        form.addRow(self.tr("T&hemes"), self.themes)
        for name in LONG_FIELDS:
            edit = QPlainTextEdit(self)
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(self.fontMetrics().height() * 3 + 12)
            edit.setAccessibleName(labels[name].replace("&", ""))
            self.long[name] = edit
            form.addRow(labels[name], edit)
        form.addRow(self.tr("&Place"), self.place)
        form.addRow(self.tr("&Date"), self.date)
        self.share = QCheckBox(self.tr("&Share with other hubs"), self)
        form.addRow("", self.share)
        # The people are placed by the workspace under the scrolling fields, so they are always in sight.
        self.people_box = people_box = QWidget(parent)
        people_column = QVBoxLayout(people_box)
        people_column.setContentsMargins(0, 0, 0, 0)
        people_column.addWidget(QLabel(self.tr("People involved (ticked: agreed to be named at other hubs):"),
                                       people_box))
        self.people = QListWidget(people_box)
        self.people.setAccessibleName(self.tr("People involved in this lesson"))
        self.people.setAccessibleDescription(self.tr("Ticked: agreed to be named at other hubs"))
        self.people.setFixedHeight(self.fontMetrics().height() * 3 + 12)
        self.people.itemChanged.connect(self._on_tick)
        people_column.addWidget(self.people)
        for widget, name in ((self.title, self.tr("Title")), (self.kind, self.tr("Kind")),
                             (self.themes, self.tr("Themes")), (self.place, self.tr("Place")),
                             (self.date, self.tr("Date"))):
            widget.setAccessibleName(name)
        self.loaded: dict[str, Any] = self.values()  # what the form held when loaded or saved

    def load(self, lesson: Lesson | None, people: Sequence[PersonShown] = ()) -> None:
        """Show a lesson (None: an empty form for a new one)."""
        blank = lesson or Lesson(date=QDate.currentDate().toString("yyyy-MM-dd"))
        self.title.setText(blank.title)
        self.kind.setCurrentIndex(max(0, LESSON_KINDS.index(blank.kind) if blank.kind in LESSON_KINDS else 0))
        self.themes.setText(", ".join(blank.themes))
        self.place.setText(blank.place)
        self.date.setText(blank.date)
        for name, edit in self.long.items():
            edit.setPlainText(str(getattr(blank, name)))
        self.share.setChecked(bool(blank.share_with_hubs))
        self.people.blockSignals(True)
        self.people.clear()
        for person in people:
            item = QListWidgetItem(person.shown, self.people)
            item.setData(Qt.ItemDataRole.UserRole, person.contact_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if person.named else Qt.CheckState.Unchecked)
        if not people:
            QListWidgetItem(self.tr("(nobody named)"), self.people).setFlags(Qt.ItemFlag.NoItemFlags)
        self.people.blockSignals(False)
        for line in (self.title, self.themes, self.place, self.date):
            line.setCursorPosition(0)  # a long title shows its beginning, not its end
        self.loaded = self.values()

    def shown_people(self) -> list[tuple[str, bool]]:
        """The people as listed, each with whether they are ticked (agreed to be named)."""
        items = [self.people.item(row) for row in range(self.people.count())]
        return [(item.text(), item.checkState() == Qt.CheckState.Checked)
                for item in items if item.data(Qt.ItemDataRole.UserRole)]

    def chosen_person(self) -> str:
        """The contact id of the person selected in the list ('' when none)."""
        item = self.people.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole) or "") if item is not None else ""

    def _on_tick(self, item: QListWidgetItem) -> None:
        contact_id = item.data(Qt.ItemDataRole.UserRole)
        if contact_id:
            self.named_changed.emit(str(contact_id), item.checkState() == Qt.CheckState.Checked)

    def is_dirty(self) -> bool:
        """True when the form holds something typed since it was loaded or saved."""
        return self.values() != self.loaded

    def values(self) -> dict[str, Any]:
        """The fields as the form holds them (validated by the core when saved)."""
        out: dict[str, Any] = {"title": self.title.text(), "kind": self.kind.currentData(),
                               "themes": self.themes.text(), "place": self.place.text(), "date": self.date.text(),
                               "share_with_hubs": self.share.isChecked()}
        out.update({name: edit.toPlainText() for name, edit in self.long.items()})
        return out
