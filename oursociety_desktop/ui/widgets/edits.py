"""Running an undoable edit from a workspace and showing a refusal beside the work, not in a modal box."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QWidget

from oursociety_desktop.models.database import Tx
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.undo import Step, push_edit

# A step may return the record it touched; the undo stack ignores it.
AnyStep = Callable[[Tx], object]


class MessageLine(QLabel):
    """A one-line message under a workspace: the last refusal, cleared by the next successful edit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAccessibleName(self.tr("Message"))
        self.setStyleSheet("font-weight: bold;")
        self.hide()

    def show_error(self, message: str) -> None:
        """Show a one-line message."""
        self.setText(message)
        self.setVisible(bool(message))

    def clear_message(self) -> None:
        """Hide the message."""
        self.show_error("")


def as_step(fn: AnyStep) -> Step:
    """A step for the undo stack from a core call that returns something."""

    def run(tx: Tx) -> None:
        fn(tx)

    return run


def push(ctx: AppContext, text: str, do: AnyStep, undo: AnyStep, record_type: str) -> None:
    """`push_edit` for steps that return the record they touched. Raises the core's UserError on refusal."""
    push_edit(ctx, text, as_step(do), as_step(undo), record_type)


def try_edit(ctx: AppContext, text: str, do: AnyStep, undo: AnyStep, record_type: str, line: MessageLine) -> bool:
    """Run an undoable edit; on a refusal show its one-line message and return False (nothing was changed)."""
    try:
        push(ctx, text, do, undo, record_type)
    except UserError as exc:
        line.show_error(exc.message)
        return False
    line.clear_message()
    return True
