"""Side-by-side merge of two contacts: for each field where they differ, keep A's value, B's, or both."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QLabel, QRadioButton, QScrollArea, QVBoxLayout, QWidget

from oursociety_desktop.models.database import Database
from oursociety_desktop.models.duplicates import suggested_merge
from oursociety_desktop.models.records import get_record
from oursociety_desktop.models.tables import Contact


def _t(text: str) -> str:
    return QCoreApplication.translate("MergePanel", text)


FIELDS: tuple[tuple[str, str], ...] = (
    ("given_name", "Given name"), ("family_name", "Family name"), ("display_name", "Display name"),
    ("organisation", "Organisation"), ("role", "Role"), ("phones", "Phones"), ("emails", "Emails"),
    ("street", "Street"), ("locality", "Town"), ("region", "Region"), ("postcode", "Postcode"),
    ("country", "Country"), ("languages", "Languages"), ("tags", "Tags"), ("notes", "Notes"),
    ("private_notes", "Private notes"), ("engagement_stage", "Engagement stage"),
)
BOTH_ALLOWED = ("phones", "emails", "languages", "tags", "notes", "private_notes")
CHOICE_A, CHOICE_B, CHOICE_BOTH = 0, 1, 2


def show_value(value: Any) -> str:
    """A field value as one line of text."""
    if isinstance(value, list):
        parts = [f"{v['label']}: {v['value']}" if isinstance(v, dict) and v.get("label") else
                 str(v["value"]) if isinstance(v, dict) else str(v) for v in value]
        return ", ".join(parts) or "—"
    text = str(value).replace("\n", " ⏎ ")
    return (text[:80] + "…" if len(text) > 80 else text) or "—"


class MergePanel(QWidget):
    """Shows contacts A and B field by field; `chosen()` gives the values to keep on B."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.a: dict[str, Any] = {}
        self.b: dict[str, Any] = {}
        self.suggested: dict[str, Any] = {}
        self.groups: dict[str, QButtonGroup] = {}
        self.buttons: dict[str, list[QRadioButton]] = {}
        self.note = QLabel(self.tr("Choose a pair above to compare the two records."), self)
        self.note.setWordWrap(True)
        self.inner = QWidget(self)
        self.grid = QGridLayout(self.inner)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note)
        layout.addWidget(scroll, 1)

    def clear(self) -> None:
        """Show nothing."""
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.groups.clear()
        self.buttons.clear()
        self.a, self.b, self.suggested = {}, {}, {}

    def load(self, db: Database, a_id: str, b_id: str) -> None:
        """Compare contact A (merged away) with contact B (kept)."""
        self.clear()
        with db.read() as session:
            a = get_record(session, Contact, a_id)
            b = get_record(session, Contact, b_id)
            self.suggested = suggested_merge(a, b)
            self.a = a.model_dump()
            self.b = b.model_dump()
        self.note.setText(self.tr("Merging {0} (A) into {1} (B). Fields that differ are listed; sharing and "
                                  "'do not contact' flags are combined safely.")
                          .format(self.a.get("given_name") or a_id[:8], self.b.get("given_name") or b_id[:8]))
        self.grid.addWidget(QLabel(self.tr("<b>Field</b>"), self.inner), 0, 0)
        self.grid.addWidget(QLabel(self.tr("<b>A</b>"), self.inner), 0, 1)
        self.grid.addWidget(QLabel(self.tr("<b>B (kept)</b>"), self.inner), 0, 2)
        row = 1
        for name, label in FIELDS:
            if self.a[name] == self.b[name] or self.a[name] in ("", []):
                continue
            title = QLabel(_t(label), self.inner)
            group = QButtonGroup(self)
            buttons = []
            for column, value in ((CHOICE_A, self.a[name]), (CHOICE_B, self.b[name])):
                button = QRadioButton(show_value(value), self.inner)
                button.setAccessibleName(self.tr("{0}: keep {1}'s value {2}").format(
                    _t(label), "A" if column == CHOICE_A else "B", show_value(value)))
                group.addButton(button, column)
                self.grid.addWidget(button, row, column + 1)
                buttons.append(button)
            if name in BOTH_ALLOWED and self.b[name] not in ("", []):
                both = QRadioButton(self.tr("Both"), self.inner)
                both.setAccessibleName(self.tr("{0}: keep both").format(_t(label)))
                group.addButton(both, CHOICE_BOTH)
                self.grid.addWidget(both, row, 3)
                buttons.append(both)
            suggested = self.suggested[name]
            default = CHOICE_B if suggested == self.b[name] else CHOICE_A if suggested == self.a[name] \
                else CHOICE_BOTH
            (group.button(default) or buttons[0]).setChecked(True)
            title.setBuddy(buttons[0])
            self.grid.addWidget(title, row, 0)
            self.groups[name] = group
            self.buttons[name] = buttons
            row += 1
        if row == 1:
            self.grid.addWidget(QLabel(self.tr("B already holds everything A has."), self.inner), 1, 0, 1, 3)
        self.grid.setRowStretch(row, 1)

    def choose(self, name: str, choice: int) -> None:
        """Pick A, B or both for one field (what clicking the radio button does)."""
        button = self.groups[name].button(choice)
        if button is not None:
            button.setChecked(True)

    def chosen(self) -> dict[str, Any]:
        """The value to keep for every listed field."""
        out: dict[str, Any] = {}
        for name, group in self.groups.items():
            choice = group.checkedId()
            out[name] = self.a[name] if choice == CHOICE_A else self.b[name] if choice == CHOICE_B \
                else self.suggested[name]
        return out
