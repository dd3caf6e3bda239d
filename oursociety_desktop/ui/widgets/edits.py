"""Every undoable change the window makes goes through this module: one family of undo-stack commands.

An edit is a pair of steps, `do` and `undo`, each a call of the core's own functions inside one `db.write()`
transaction (so the values are checked once, by the core). `push` runs `do` at once and puts the pair on the
undo stack; a refusal raises the core's UserError and nothing is pushed. `try_edit` does the same and shows the
refusal on a workspace's `MessageLine` instead of raising. The three shapes every record type needs are written
once here:

- creating a record: `push_create` (undo deletes it, redo brings the same record back, never a second one);
- changing fields: `push_update` (undo writes back the values read before the change);
- deleting: `push(..., lambda tx: delete(tx, id, True), lambda tx: delete(tx, id, False), ...)`.

A new record type's editor follows `docs/architecture.md` ("An editor") and uses these.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from oursociety_desktop.models.database import Tx
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.widgets.fields import make_bold

# A step may return the record it touched; the undo stack ignores it.
Step = Callable[[Tx], object]


class DbCommand(QUndoCommand):
    """An undo-stack entry whose redo and undo each run in one `db.write()` transaction.

    The first `do` runs in `push` before the command is pushed, so a refused edit raises to the caller and
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
        self.ctx.events.announce(self.record_type)

    def redo(self) -> None:
        if not self._first_redo_done:
            self._first_redo_done = True  # already applied by push
            return
        self._run(self._do)

    def undo(self) -> None:
        self._run(self._undo)


def push(ctx: AppContext, text: str, do: Step, undo: Step, record_type: str) -> None:
    """Run an edit now (one transaction) and make it undoable. Raises the core's UserError if it is refused."""
    with ctx.db.write() as tx:
        do(tx)
    ctx.undo_stack.push(DbCommand(ctx, text, do, undo, record_type))
    ctx.events.announce(record_type)


def push_create(ctx: AppContext, text: str, create: Callable[[Tx], Any],
                set_deleted: Callable[[Tx, str, bool], object], record_type: str) -> str:
    """Create a record with `create(tx)` (returning the record or its id) as one undoable step; undo deletes it
    and redo undeletes the same record. Returns its id; raises the core's UserError if it is refused."""
    created: list[str] = []

    def do(tx: Tx) -> None:
        if created:
            set_deleted(tx, created[0], False)
        else:
            made = create(tx)
            created.append(made if isinstance(made, str) else str(made.id))

    push(ctx, text, do, lambda tx: set_deleted(tx, created[0], True), record_type)
    return created[0]


def push_update(ctx: AppContext, text: str, update: Callable[[Tx, str, Mapping[str, Any]], object],
                record_id: str, changes: Mapping[str, Any], before: Mapping[str, Any], record_type: str) -> None:
    """Change fields of one record as one undoable step; undo writes `before` (the values read before) back."""
    new, old = dict(changes), {name: before[name] for name in changes}
    push(ctx, text, lambda tx: update(tx, record_id, new), lambda tx: update(tx, record_id, old), record_type)


class MessageLine(QLabel):
    """A one-line message under a workspace: the last refusal, cleared by the next successful edit, or a note on
    the edit just made, cleared as soon as the undo stack moves."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAccessibleName(self.tr("Message"))
        make_bold(self)
        self.hide()
        self._note = ""
        self._watched: QUndoStack | None = None

    def show_error(self, message: str) -> None:
        """Show a one-line message."""
        self._note = ""
        self.setText(message)
        self.setVisible(bool(message))

    def show_note(self, message: str, undo_stack: QUndoStack) -> None:
        """Show a note on the edit just pushed onto `undo_stack` ("Deleted “Repair café”. Undo with Ctrl+Z.").

        The note goes at the stack's next move (an undo, a redo or another edit), after which it may no longer be
        true: an undone delete that still said "Deleted" told the organiser the action was gone."""
        self.show_error(message)
        self._note = message
        if self._watched is not undo_stack:
            if self._watched is not None:
                self._watched.indexChanged.disconnect(self._undo_stack_moved)
            undo_stack.indexChanged.connect(self._undo_stack_moved)
            self._watched = undo_stack

    def clear_error(self) -> None:
        """Hide a refusal or a failure, but not a note on the edit just made (that goes with the undo stack)."""
        if not self._note:
            self.clear_message()

    def _undo_stack_moved(self, _index: int) -> None:
        if self._note:
            self.clear_message()

    def clear_message(self) -> None:
        """Hide the message."""
        self.show_error("")


def try_edit(ctx: AppContext, text: str, do: Step, undo: Step, record_type: str, line: MessageLine) -> bool:
    """Run an undoable edit; on a refusal show its one-line message and return False (nothing was changed)."""
    try:
        push(ctx, text, do, undo, record_type)
    except UserError as exc:
        line.show_error(exc.message)
        return False
    line.clear_message()
    return True


def save_keys(pane: QWidget, button: QAbstractButton, save: Callable[[], object]) -> None:
    """Ctrl+S (the platform's Save keys) anywhere in `pane` does what its Save `button` does, as in the action
    editor, and the button's tooltip says so."""
    shortcut = QShortcut(QKeySequence.StandardKey.Save, pane)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.activated.connect(save)
    button.setToolTip(QCoreApplication.translate("ActionEditor", "Save the changes (Ctrl+S)"))
