"""The row of filters above the action list: status, owner, group, overdue, this week."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from oursociety_desktop.models.actions import TO_DO, ActionFilter
from oursociety_desktop.models.groups import group_choices
from oursociety_desktop.models.records import get_record
from oursociety_desktop.models.tables import Contact
from oursociety_desktop.ui.actions.labels import status_labels
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.widgets.contact_picker import open_contact_picker
from oursociety_desktop.ui.widgets.narrowing import may_narrow


class ActionFilterBar(QWidget):
    """Emits `changed` whenever a filter changes; `current()` is the filter to apply."""

    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.owner_id, self.owner_name = "", ""
        self.status_combo = QComboBox(self)
        self.status_combo.setAccessibleName(self.tr("Show actions with status"))
        self.status_combo.setAccessibleDescription(self.tr("Narrows the list to one status"))
        self.status_combo.addItem(self.tr("To do (open or doing)"), TO_DO)
        self.status_combo.addItem(self.tr("Any status"), "")
        for value, label in status_labels().items():
            self.status_combo.addItem(label, value)
        self.owner_button = QPushButton(self)
        self.owner_button.setAccessibleName(self.tr("Filter by owner"))
        self.owner_button.setToolTip(self.tr("Show only actions this person owns"))
        self.owner_button.clicked.connect(self.choose_owner)
        self.clear_owner_button = QToolButton(self)
        self.clear_owner_button.setText("✕")
        self.clear_owner_button.setAccessibleName(self.tr("Show every owner's actions"))
        self.clear_owner_button.setToolTip(self.tr("Show every owner's actions"))
        self.clear_owner_button.clicked.connect(lambda: self.set_owner("", ""))
        self.group_combo = QComboBox(self)
        self.group_combo.setAccessibleName(self.tr("Show actions of group"))
        self.group_combo.setAccessibleDescription(self.tr("Narrows the list to one group's actions"))
        self.group_combo.setMinimumContentsLength(18)
        self.group_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.group_combo.setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * 32)
        for combo in (self.status_combo, self.group_combo):
            may_narrow(combo, 10)  # the row fits 1024 pixels with Larger text
        self.overdue_check = QCheckBox(self.tr("O&verdue"), self)
        self.overdue_check.setAccessibleName(self.tr("Only overdue actions"))
        self.overdue_check.setAccessibleDescription(self.tr("Only actions whose date has passed"))
        self.week_check = QCheckBox(self.tr("This &week"), self)
        self.week_check.setAccessibleName(self.tr("Only actions dated this week"))
        self.week_check.setAccessibleDescription(self.tr("Only actions due or starting this week"))

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for text, widget in ((self.tr("S&tatus:"), self.status_combo), (self.tr("O&wner:"), self.owner_button)):
            buddy = QLabel(text, self)
            buddy.setBuddy(widget)
            layout.addWidget(buddy)
            layout.addWidget(widget)
            if widget is self.owner_button:
                layout.addWidget(self.clear_owner_button)
        group_label = QLabel(self.tr("&Group:"), self)
        group_label.setBuddy(self.group_combo)
        layout.addWidget(group_label)
        layout.addWidget(self.group_combo)
        layout.addSpacing(8)
        layout.addWidget(self.overdue_check)
        layout.addWidget(self.week_check)
        layout.addStretch(1)

        self.reload_groups()
        self.set_owner("", "", notify=False)
        self.status_combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.group_combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.overdue_check.toggled.connect(lambda _on: self.changed.emit())
        self.week_check.toggled.connect(lambda _on: self.changed.emit())

    def reload_groups(self) -> None:
        """Refill the group list, keeping the chosen group if it still exists."""
        chosen = self.group_combo.currentData() or ""
        with self.ctx.db.read() as session:
            choices = group_choices(session)
        self.group_combo.blockSignals(True)
        self.group_combo.clear()
        self.group_combo.addItem(self.tr("Any group"), "")
        for group_id, name in choices:
            self.group_combo.addItem(name, group_id)
        index = self.group_combo.findData(chosen)
        self.group_combo.setCurrentIndex(max(0, index))
        self.group_combo.blockSignals(False)
        if chosen and index < 0:
            self.changed.emit()

    def choose_owner(self) -> None:
        """Pick the owner to filter by."""
        open_contact_picker(self.ctx, self, self.tr("Show actions owned by"),
                            lambda contact_id, _role: self.set_owner(contact_id, self._name_of(contact_id)))

    def _name_of(self, contact_id: str) -> str:
        with self.ctx.db.read() as session:
            return get_record(session, Contact, contact_id).shown_name

    def set_owner(self, contact_id: str, name: str, notify: bool = True) -> None:
        """Filter by this owner ('' for anyone)."""
        self.owner_id, self.owner_name = contact_id, name
        self.owner_button.setText(name or self.tr("Anyone…"))
        self.clear_owner_button.setVisible(bool(contact_id))
        if notify:
            self.changed.emit()

    def current(self) -> ActionFilter:
        """The filter the widgets describe, anchored on today."""
        return ActionFilter(status=str(self.status_combo.currentData() or ""), owner_id=self.owner_id,
                            group_id=str(self.group_combo.currentData() or ""),
                            overdue=self.overdue_check.isChecked(), this_week=self.week_check.isChecked(),
                            today=date.today())
