"""The "who goes" part of Make a bundle: before anything is saved, the people a bundle would carry, the people
held back and why, and per group how many members go with it. One click opens the held-back people in Contacts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from oursociety_desktop.models.outgoing_preview import OutgoingPreview, outgoing_preview
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.wording import plural

SHOWN_HELD_BACK = 500  # the list names the first ones; the count and "Review" cover everyone


def reason_text(key: str) -> str:
    """Why someone is held back, in the user's language."""
    return {"not_asked": QCoreApplication.translate("Outgoing", "not asked yet (no consent recorded)"),
            "declined": QCoreApplication.translate("Outgoing", "chose not to be shared")}.get(key, key)


class OutgoingPanel(QWidget):
    """Shows an `OutgoingPreview`; `review_held_back` asks the window to list the held-back people."""

    review_held_back = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.preview: OutgoingPreview | None = None
        self.summary = QLabel(self.tr("Working out who would go…"), self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("Who the bundle carries"))
        self.held_back = QListWidget(self)
        self.held_back.setAccessibleName(self.tr("People held back"))
        self.held_back.setAccessibleDescription(self.tr("People who stay on this hub, and why"))
        self.groups = QTableWidget(0, 2, self)
        self.groups.setHorizontalHeaderLabels([self.tr("Group"), self.tr("Members who go")])
        self.groups.setAccessibleName(self.tr("Members who go, per group"))
        self.groups.setAccessibleDescription(self.tr("A group travels with only its members who agreed to sharing"))
        self.groups.verticalHeader().hide()
        self.groups.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.groups.setTabKeyNavigation(False)  # Tab went from cell to cell, through every group, before leaving
        self.groups.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.groups.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.review_button = QPushButton(self.tr("&Review held-back people in Contacts"), self)
        self.review_button.setAccessibleName(self.tr("Review held-back people"))
        self.review_button.setAccessibleDescription(self.tr("Opens Contacts showing only people not shared"))
        self.review_button.clicked.connect(self.review_held_back)
        lists = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("Held back:"), self))
        left.addWidget(self.held_back, 1)
        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("Groups:"), self))
        right.addWidget(self.groups, 1)
        lists.addLayout(left, 1)
        lists.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addLayout(lists, 1)
        layout.addWidget(self.review_button)

    def refresh(self) -> None:
        """Work the preview out again on the task runner (reading only)."""
        db = self.ctx.db

        def work(_progress: Any) -> OutgoingPreview:
            with db.read() as session:
                return outgoing_preview(session.connection())

        self.ctx.runner.run(work, title=self.tr("Checking who would go"), on_done=self.show_preview, reads_only=True)

    def show_preview(self, preview: OutgoingPreview) -> None:
        """Fill the summary, the held-back list and the group table."""
        self.preview = preview
        going, held = len(preview.going), len(preview.held_back)
        lines = [plural(going, "A bundle would carry {n} person.",
                        "A bundle would carry {n} people."),
                 plural(held, "{n} person stays on this hub:", "{n} people stay on this hub:")]
        for reason, count in preview.reasons().items():
            lines.append(self.tr("  {0} — {1}").format(count, reason_text(reason)))
        self.summary.setText("\n".join(lines))
        self.held_back.clear()
        for person in preview.held_back[:SHOWN_HELD_BACK]:
            self.held_back.addItem(self.tr("{0} — {1}").format(person.name, reason_text(person.reason)))
        if held > SHOWN_HELD_BACK:
            self.held_back.addItem(self.tr("…and {0} more: press Review to see everyone").format(
                held - SHOWN_HELD_BACK))
        self.groups.setRowCount(len(preview.groups))
        for row, group in enumerate(preview.groups):
            self.groups.setItem(row, 0, QTableWidgetItem(group.name))
            self.groups.setItem(row, 1, QTableWidgetItem(self.tr("{0} of {1}").format(group.going, group.members)))
        self.review_button.setEnabled(held > 0)
