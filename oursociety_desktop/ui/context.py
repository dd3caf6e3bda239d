"""What every workspace is given: the database, the task runner, the undo stack and data-change events."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from oursociety_desktop.models.database import Database
from oursociety_desktop.ui.tasks import TaskRunner


class DataEvents(QObject):
    """Broadcasts which record types one change touched (e.g. {"contact", "membership"}), so every open view
    refreshes once per change, however many types it touched (an exchange touches them all: announced one type at
    a time, the contacts list was read again eleven times on the GUI thread)."""

    changed = Signal(object)  # frozenset[str]: the record types, "exchange" or "settings"
    # A one-line message for the user, e.g. an undo that the database refused (QUndoStack swallows exceptions).
    failed = Signal(str)

    def announce(self, *record_types: str) -> None:
        """Tell every view that records of these types changed: one `changed` signal for all of them."""
        if record_types:
            self.changed.emit(frozenset(record_types))


@dataclass
class AppContext:
    """Shared services for the UI: one per open hub."""

    db: Database
    runner: TaskRunner
    undo_stack: QUndoStack
    events: DataEvents
