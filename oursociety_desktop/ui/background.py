"""Small reads off the GUI thread for objects that may be gone when the read ends (a list's count or sort).

`TaskRunner` is for work the user started and waits for (a progress dialog, Cancel). This is for quiet reads a
view starts by itself: the worker holds only a weak reference to the object that asked, and its answer reaches
that object on the GUI thread through one long-lived mailbox, never through a signal of the object itself.
Two faults made this necessary: a worker that held the last reference to a model deleted the model on the wrong
thread while an answer to it was still queued (a "Bus error" in the test run), and the Qt binding's handling of
Python objects passed through queued signals is where its reference-count faults live (see `none_guard`).
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal

log = logging.getLogger(__name__)
T = TypeVar("T")
Owner = TypeVar("Owner")


class _Mailbox(QObject):
    """Lives on the GUI thread; workers queue callables and emit `posted` (no arguments cross threads)."""

    posted = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._queue: deque[Callable[[], None]] = deque()
        self.posted.connect(self._drain)

    def post(self, call: Callable[[], None]) -> None:
        if not shiboken6.isValid(self):
            return  # the application is gone (quitting): nobody is left to answer
        self._queue.append(call)
        self.posted.emit()

    def _drain(self) -> None:
        while self._queue:
            call = self._queue.popleft()
            try:
                call()
            except Exception:  # noqa: BLE001 - one failed delivery must not hold back the answers queued after it
                log.exception("A background read's answer could not be delivered")


_mailbox: _Mailbox | None = None


def _the_mailbox() -> _Mailbox:
    global _mailbox
    if _mailbox is None or not shiboken6.isValid(_mailbox):  # a new one after the application was replaced
        app = QCoreApplication.instance()
        if app is None or threading.current_thread() is not threading.main_thread():
            raise RuntimeError("read_in_background is called from the GUI thread of a running application")
        _mailbox = _Mailbox()
        _mailbox.setParent(app)  # lives as long as the application
    return _mailbox


def read_in_background(owner: Owner, read: Callable[[], T], deliver: Callable[[Owner, T], Any], name: str,
                       failed: Callable[[Owner], Any] | None = None) -> None:
    """Run `read()` on a daemon thread, then `deliver(owner, result)` on the GUI thread if `owner` still exists
    (and, for a QObject, its Qt side was not deleted).

    `read` must not capture `owner` (only what it reads with, such as the database). An exception in `read`
    drops the answer (the caller's view stays as it was) and calls `failed(owner)` on the GUI thread, if given.
    Must be called on the GUI thread of a running application (RuntimeError otherwise)."""
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("read_in_background is called from the GUI thread")
    mailbox = _the_mailbox()
    owner_ref = weakref.ref(owner)

    def to_owner(call: Callable[[Owner], Any]) -> Callable[[], None]:
        def on_gui_thread() -> None:
            target = owner_ref()
            if target is not None and (not isinstance(target, QObject) or shiboken6.isValid(target)):
                call(target)
        return on_gui_thread

    def work() -> None:
        try:
            result = read()
        except Exception:  # noqa: BLE001 - a quiet read: the view keeps what it shows
            if failed is not None:
                mailbox.post(to_owner(failed))
            return
        mailbox.post(to_owner(lambda target: deliver(target, result)))

    threading.Thread(target=work, name=name, daemon=True).start()
