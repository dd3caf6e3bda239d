"""The row above the contacts list: search-as-you-type (debounced) and filters by group, tag and consent."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QWidget

from oursociety_desktop.models.contact_list import ContactQuery

SEARCH_DELAY_MS = 150


class LazyComboBox(QComboBox):
    """A combo box that fills itself (through `loader`) the first time its list is opened."""

    def __init__(self, first: str, loader: Callable[[], list[tuple[str, str]]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first, self.loader, self.loaded = first, loader, False
        self.addItem(first, "")

    def ensure_loaded(self) -> None:
        """Fill the list now, keeping the current choice."""
        if self.loaded:
            return
        self.loaded = True
        current = self.currentData()
        self.blockSignals(True)
        self.clear()
        self.addItem(self.first, "")
        for value, text in self.loader():
            self.addItem(text, value)
        self.setCurrentIndex(max(0, self.findData(current)))
        self.blockSignals(False)

    def reset_items(self) -> None:
        """Forget the list; it is read again when next opened."""
        if self.loaded and self.currentData() == "":
            self.loaded = False

    def showPopup(self) -> None:
        self.ensure_loaded()
        super().showPopup()


class ContactFilterBar(QWidget):
    """Emits `query_changed(ContactQuery)` 150 ms after the last keystroke, or at once when a filter changes."""

    query_changed = Signal(object)

    def __init__(self, groups: Callable[[], list[tuple[str, str]]], tags: Callable[[], list[str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search names, places, phones, emails, tags…"))
        self.search.setAccessibleName(self.tr("Search contacts"))
        self.search.setAccessibleDescription(self.tr("Any part of a name, place, phone, email or tag; "
                                                     "Enter moves to the list"))
        self.search.setClearButtonEnabled(True)
        self.group = LazyComboBox(self.tr("All groups"), groups, self)
        self.group.setAccessibleName(self.tr("Show only members of group"))
        self.group.setAccessibleDescription(self.tr("Narrows the list to one group's members"))
        self.tag = LazyComboBox(self.tr("All tags"), lambda: [(t, t) for t in tags()], self)
        self.tag.setAccessibleName(self.tr("Show only contacts with tag"))
        self.tag.setAccessibleDescription(self.tr("Narrows the list to people with one tag"))
        self.consent = QComboBox(self)
        self.consent.setAccessibleName(self.tr("Show only contacts whose consent is"))
        self.consent.setAccessibleDescription(self.tr("Narrows the list by sharing, directory or contact preferences"))
        for key, text in (("", self.tr("Any consent")), ("share", self.tr("Shared with other hubs")),
                          ("no_share", self.tr("Not shared")), ("directory", self.tr("In the directory")),
                          ("no_directory", self.tr("Not in the directory")), ("do_not_phone", self.tr("Do not phone")),
                          ("do_not_email", self.tr("Do not email")), ("do_not_mail", self.tr("Do not post")),
                          ("do_not_sms", self.tr("Do not text"))):
            self.consent.addItem(text, key)
        search_label = QLabel(self.tr("&Search:"), self)
        search_label.setBuddy(self.search)
        filter_label = QLabel(self.tr("&Filter:"), self)
        filter_label.setBuddy(self.group)
        # Search on a row of its own: beside three filters it was squeezed to "Sea..." at larger text.
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(search_label, 0, 0)
        layout.addWidget(self.search, 0, 1, 1, 3)
        layout.addWidget(filter_label, 1, 0)
        layout.addWidget(self.group, 1, 1)
        layout.addWidget(self.tag, 1, 2)
        layout.addWidget(self.consent, 1, 3)
        for column, stretch in ((1, 2), (2, 1), (3, 1)):
            layout.setColumnStretch(column, stretch)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.emit_now)
        self.search.textChanged.connect(lambda _t: self.timer.start())
        for combo in (self.group, self.tag, self.consent):
            combo.currentIndexChanged.connect(lambda _i: self.emit_now())

    def query(self) -> ContactQuery:
        """The query the bar describes now."""
        flag = str(self.consent.currentData() or "")
        return ContactQuery(search=self.search.text(), group_id=str(self.group.currentData() or ""),
                            tag=str(self.tag.currentData() or ""), flags=(flag,) if flag else ())

    def clear(self) -> None:
        """Show everyone: no search text, no filter (one query_changed)."""
        widgets = (self.search, self.group, self.tag, self.consent)
        for widget in widgets:
            widget.blockSignals(True)
        self.search.clear()
        for combo in (self.group, self.tag, self.consent):
            combo.setCurrentIndex(0)
        for widget in widgets:
            widget.blockSignals(False)
        self.emit_now()

    def emit_now(self) -> None:
        """Apply the search without waiting for the typing pause."""
        self.timer.stop()
        self.query_changed.emit(self.query())
