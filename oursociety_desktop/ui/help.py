"""The Help menu's windows: the keyboard shortcuts (read from the window's own menus, so they cannot drift from
what the keys do) and a short getting-started guide."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMenuBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


def plain_text(action_text: str) -> str:
    """A menu item's text without its mnemonic marker and trailing ellipsis ("&New person…" → "New person")."""
    return action_text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").rstrip(".")


def shortcut_rows(menu_bar: QMenuBar) -> list[tuple[str, str, str]]:
    """(menu, command, keys) for every menu item that has a shortcut, in menu order."""
    rows: list[tuple[str, str, str]] = []
    for top in menu_bar.actions():
        menu = top.menu()
        if menu is None:
            continue
        for action in menu.actions():  # type: ignore[attr-defined]
            assert isinstance(action, QAction)
            keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty()]
            if keys:
                rows.append((plain_text(top.text()), plain_text(action.text()), ", ".join(keys)))
    return rows


class ShortcutsDialog(QDialog):
    """Every keyboard shortcut of the window, as a table a screen reader can walk."""

    def __init__(self, menu_bar: QMenuBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        rows = shortcut_rows(menu_bar)
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setHorizontalHeaderLabels([self.tr("Menu"), self.tr("Command"), self.tr("Keys")])
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.setAccessibleDescription(self.tr("Every shortcut works wherever the focus is in the window."))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab reaches Close instead of walking every cell
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        note = QLabel(self.tr("In a text field, Ctrl+Z first undoes your typing there; once the field is saved it "
                              "undoes the saved change."), self)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(560, 520)


class GettingStartedDialog(QDialog):
    """A short guide for an organiser's first day."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Getting started"))
        steps = [
            self.tr("<b>Add people</b>: File → New person (Ctrl+N), or File → Import… for a vCard or CSV file. "
                    "Say which consents each person gave: new people follow the hub's defaults from Settings."),
            self.tr("<b>Find someone</b>: Edit → Find (Ctrl+F) and type any part of a name, phone, email or tag."),
            self.tr("<b>Groups</b>: File → New group, then add members; select several people in Contacts and "
                    "use “With selected… → Add to group”."),
            self.tr("<b>Meetings</b>: File → New action, choose a date with the calendar button; print a sign-in "
                    "sheet from Print, or put meetings in a phone's calendar with Export to calendar."),
            self.tr("<b>Other hubs</b>: Exchange shows who would go and who is held back before you save a bundle."),
            self.tr("<b>Mistakes</b>: Edit → Undo (Ctrl+Z) takes back any change, one step at a time. "
                    "File → Back up now keeps a copy of everything."),
        ]
        text = QLabel("<ol>" + "".join(f"<li>{s}</li>" for s in steps) + "</ol>", self)
        text.setWordWrap(True)
        text.setAccessibleName(self.tr("Getting started"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text, 1)
        layout.addWidget(buttons)
        self.resize(560, 420)
