"""What every workspace is given: the database, the task runner, the undo stack and data-change events."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from oursociety_desktop.models.database import Database
from oursociety_desktop.ui.tasks import TaskRunner


class DataEvents(QObject):
    """Broadcasts that records of a type changed (e.g. "contact"), so every open view can refresh."""

    changed = Signal(str)
    # A one-line message for the user, e.g. an undo that the database refused (QUndoStack swallows exceptions).
    failed = Signal(str)


@dataclass
class AppContext:
    """Shared services for the UI: one per open hub."""

    db: Database
    runner: TaskRunner
    undo_stack: QUndoStack
    events: DataEvents
