"""Undoable edits: each step is one database transaction; undo is a new edit that restores the old values."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from oursociety_desktop.models.database import Tx
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.ui.context import AppContext

Step = Callable[[Tx], None]


class DbCommand(QUndoCommand):
    """An undo-stack entry whose redo and undo each run in one `db.write()` transaction.

    The first `do` runs in `push_edit` before the command is pushed, so a refused edit raises to the caller and
    never reaches the stack. Later undo/redo run from Qt, which swallows Python exceptions: a refusal there is
    reported through `ctx.events.failed` and the command is marked obsolete.
    """

    def __init__(self, ctx: AppContext, text: str, do: Step, undo: Step, record_type: str) -> None:
        super().__init__(text)
        self.ctx, self._do, self._undo, self.record_type = ctx, do, undo, record_type
        self._first_redo_done = False

    def _run(self, step: Step) -> None:
        try:
            with self.ctx.db.write() as tx:
                step(tx)
        except UserError as exc:
            self.setObsolete(True)
            self.ctx.events.failed.emit(exc.message)
            return
        self.ctx.events.changed.emit(self.record_type)

    def redo(self) -> None:
        if not self._first_redo_done:
            self._first_redo_done = True  # already applied by push_edit
            return
        self._run(self._do)

    def undo(self) -> None:
        self._run(self._undo)


def push_edit(ctx: AppContext, text: str, do: Step, undo: Step, record_type: str) -> None:
    """Run an edit now (one transaction) and make it undoable. Raises the core's UserError if it is refused."""
    with ctx.db.write() as tx:
        do(tx)
    ctx.undo_stack.push(DbCommand(ctx, text, do, undo, record_type))
    ctx.events.changed.emit(record_type)
