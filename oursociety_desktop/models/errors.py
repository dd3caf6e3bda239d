"""Errors the user can act on. Their message is one line that says what is wrong and what to do."""

from __future__ import annotations

from oursociety_desktop.i18n import _

MAX_MESSAGE = 600


def one_line(message: str) -> str:
    """The message on one line: line breaks (which hostile input can smuggle into a quoted value) become ' ⏎ ',
    other control characters are dropped, and an overlong message is cut with an ellipsis."""
    text = " ⏎ ".join(part.strip() for part in message.splitlines() if part.strip())
    text = "".join(ch for ch in text if ch >= " " or ch == "\t").replace("\t", " ")
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


class UserError(Exception):
    """A problem with input or environment, reported to the user as one line (exit code 1)."""

    def __init__(self, message: str) -> None:
        message = one_line(message)
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotFound(UserError):
    """An id that names no record."""


class ValidationError(UserError):
    """A value that breaks a field's rules. `field` names the field, for showing the message beside it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class DatabaseBusy(UserError):
    """Another window or command is writing to the same database."""


class RecordErased(UserError):
    """An edit to a record that was erased ("forgotten"); erasure cannot be undone."""


class Cancelled(UserError):
    """The user pressed Cancel on long work; the core raises it so the transaction rolls back."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message or _("Cancelled; nothing was changed."))


class DatabaseDamaged(UserError):
    """The database file is corrupt or not an Our Society database: the app offers to restore a backup."""
