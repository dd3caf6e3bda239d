"""Ctrl+Z in a text field: first the typing in that field, then the saved edits of the whole window.

Qt gives a focused text field every Undo key press, so Ctrl+Z in a field whose text was already saved reverted the
field on its own, and leaving the field saved the old value as a new edit (the next Ctrl+Z then brought back the
value the user wanted gone). The router lets the field keep Ctrl+Z only while it holds typing that is not saved
yet; otherwise the key goes to the window's Undo (or Redo), which undoes the saved edit everywhere at once.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QTextEdit, QWidget


def has_unsaved_typing(widget: QObject, redo: bool = False) -> bool:
    """True when a text field holds typing of its own that its undo (or redo) should take back."""
    if isinstance(widget, QLineEdit):
        if widget.isReadOnly():
            return False
        return widget.isModified() and (widget.isRedoAvailable() if redo else widget.isUndoAvailable())
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        document = widget.document()
        if widget.isReadOnly():
            return False
        return document.isModified() and (document.isRedoAvailable() if redo else document.isUndoAvailable())
    return False


def mark_saved(widget: QWidget) -> None:
    """The field's text is saved: its own undo no longer takes Ctrl+Z."""
    if isinstance(widget, QLineEdit):
        position = widget.cursorPosition()
        widget.blockSignals(True)
        widget.setText(widget.text())  # the only way to empty a QLineEdit's own undo history
        widget.blockSignals(False)
        widget.setCursorPosition(position)
        widget.setModified(False)
    elif isinstance(widget, QPlainTextEdit | QTextEdit):
        widget.document().clearUndoRedoStacks()
        widget.document().setModified(False)


class TextUndoRouter(QObject):
    """Routes Undo/Redo keys of one window as the module docstring says.

    It watches only the text field that has the focus (an event filter on the whole application ran Python for
    every event of every widget: measured in the event-loop watchdog as part of a 600 ms workspace build)."""

    def __init__(self, window: QWidget, undo: QAction, redo: QAction) -> None:
        super().__init__(window)
        self.window, self.undo, self.redo = window, undo, redo
        self.watched: QWidget | None = None
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if self.watched is not None:
            try:
                self.watched.removeEventFilter(self)
            except RuntimeError:  # already deleted
                pass
            self.watched = None
        if isinstance(new, QLineEdit | QPlainTextEdit | QTextEdit) and new.window() is self.window:
            new.installEventFilter(self)
            self.watched = new

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # Editors that save a field as it is left call `mark_saved` once it is saved (QLineEdit's editingFinished
        # needs the modified flag, so it cannot be cleared here on focus-out).
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
            return False
        if event.matches(QKeySequence.StandardKey.Undo):
            redo = False
        elif event.matches(QKeySequence.StandardKey.Redo) or \
                QKeySequence(event.keyCombination()) in self.redo.shortcuts():
            redo = True
        else:
            return False
        if has_unsaved_typing(watched, redo):
            return False  # the field undoes its own typing
        event.ignore()
        return True  # not overridden: the window's Undo/Redo shortcut runs
