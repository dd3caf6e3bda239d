"""The one way to run slow work: a core function runs in a worker thread, reports progress
through one callback, can be cancelled, and its result is delivered on the GUI thread.

A task function has the signature `fn(progress, *args)`, where `progress(percent, message) -> bool` returns
False once the user pressed Cancel; the function should then raise `Cancelled` so its transaction rolls back.
Workers open their own database transactions and are given ids, never ORM objects.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from oursociety_desktop.models.errors import Cancelled, UserError
from oursociety_desktop.models.progress import Progress

log = logging.getLogger(__name__)

TaskFn = Callable[..., Any]
DoneFn = Callable[[Any], None]
ErrorFn = Callable[[str], None]


class _Signals(QObject):
    progress = Signal(int, str)
    finished = Signal(object)
    failed = Signal(str)


class TaskHandle:
    """A running task: ask it to stop with `cancel()`; `done` is set once its result has been delivered."""

    def __init__(self) -> None:
        self.cancel_requested = threading.Event()
        self.done = threading.Event()
        self.result: Any = None
        self.error: str | None = None

    def cancel(self) -> None:
        """Ask the task to stop at its next progress report."""
        self.cancel_requested.set()


def _call(fn: TaskFn, args: tuple[Any, ...], progress: Progress) -> tuple[Any, str | None]:
    try:
        return fn(progress, *args), None
    except Cancelled as exc:
        return None, exc.message
    except UserError as exc:
        return None, exc.message
    except Exception as exc:  # noqa: BLE001 - reported to the user, logged with its traceback
        log.error("Task failed:\n%s", traceback.format_exc())
        return None, f"Unexpected error: {type(exc).__name__}: {exc}"


class _Job(QRunnable):
    def __init__(self, fn: TaskFn, args: tuple[Any, ...], signals: _Signals, handle: TaskHandle) -> None:
        super().__init__()
        self.fn, self.args, self.signals, self.handle = fn, args, signals, handle
        self.setAutoDelete(True)

    def run(self) -> None:
        def progress(percent: int, message: str) -> bool:
            self.signals.progress.emit(int(percent), message)
            return not self.handle.cancel_requested.is_set()

        result, error = _call(self.fn, self.args, progress)
        if error is None:
            self.signals.finished.emit(result)
        else:
            self.signals.failed.emit(error)


class TaskRunner(QObject):
    """Runs task functions on a thread pool with a progress dialog that has a Cancel button."""

    task_started = Signal(str)
    task_finished = Signal(str)

    def __init__(self, parent_widget: QWidget | None = None, show_dialog: bool = True) -> None:
        super().__init__()
        self.parent_widget = parent_widget
        self.show_dialog = show_dialog
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self._live: dict[int, tuple[_Signals, QProgressDialog | None]] = {}
        self._reading: set[int] = set()

    def run(self, fn: TaskFn, *args: Any, title: str = "", on_done: DoneFn | None = None,
            on_error: ErrorFn | None = None, reads_only: bool = False) -> TaskHandle:
        """Start `fn(progress, *args)` in a worker; `on_done(result)` or `on_error(message)` run on the GUI thread.

        `reads_only`: the task changes nothing (a preview, a count), so quitting need not wait for it or ask."""
        handle = TaskHandle()
        signals = _Signals()
        dialog: QProgressDialog | None = None
        if self.show_dialog:
            dialog = QProgressDialog(title or self.tr("Working…"), self.tr("Cancel"), 0, 100, self.parent_widget)
            dialog.setWindowTitle(title or self.tr("Working"))
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(300)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            dialog.setAccessibleName(self.tr("Progress of: {0}").format(title))
            dialog.canceled.connect(handle.cancel)
            dialog.setValue(0)
        key = id(handle)

        def on_progress(percent: int, message: str) -> None:
            if dialog is not None:
                dialog.setValue(max(0, min(100, percent)))
                if message:
                    dialog.setLabelText(message)

        def finish(result: Any, error: str | None) -> None:
            self._live.pop(key, None)
            self._reading.discard(key)
            if dialog is not None:
                dialog.reset()
                dialog.close()
                dialog.deleteLater()
            self._deliver(handle, title, result, error, on_done, on_error)

        signals.progress.connect(on_progress)
        signals.finished.connect(lambda result: finish(result, None))
        signals.failed.connect(lambda message: finish(None, message))
        self._live[key] = (signals, dialog)
        if reads_only:
            self._reading.add(key)
        self.task_started.emit(title)
        self.pool.start(_Job(fn, args, signals, handle))
        return handle

    def _deliver(self, handle: TaskHandle, title: str, result: Any, error: str | None, on_done: DoneFn | None,
                 on_error: ErrorFn | None) -> None:
        """On the GUI thread: record the outcome on the handle, announce the end, call on_done or on_error."""
        handle.result, handle.error = result, error
        handle.done.set()
        self.task_finished.emit(title)
        if error is None:
            if on_done is not None:
                on_done(result)
        elif on_error is not None:
            on_error(error)

    def busy(self) -> bool:
        """True while any task is running."""
        return bool(self._live)

    def changing(self) -> bool:
        """True while a task that changes something (not one that only reads) is running."""
        return bool(set(self._live) - self._reading)

    def wait_for_readers(self, msecs: int = 3000) -> None:
        """Let tasks that only read finish (at quit), so none outlives the database it reads."""
        if self._reading:
            self.pool.waitForDone(msecs)


class SyncTaskRunner(TaskRunner):
    """Same API, runs the task inline on the calling thread: for tests. `cancel_at` cancels at that percent."""

    def __init__(self, cancel_at: int | None = None) -> None:
        super().__init__(None, show_dialog=False)
        self.cancel_at = cancel_at
        self.progress_seen: list[tuple[int, str]] = []

    def run(self, fn: TaskFn, *args: Any, title: str = "", on_done: DoneFn | None = None,
            on_error: ErrorFn | None = None, reads_only: bool = False) -> TaskHandle:
        del reads_only  # inline: nothing is left running
        handle = TaskHandle()

        def progress(percent: int, message: str) -> bool:
            self.progress_seen.append((percent, message))
            if self.cancel_at is not None and percent >= self.cancel_at:
                handle.cancel()
            return not handle.cancel_requested.is_set()

        self.task_started.emit(title)
        result, error = _call(fn, args, progress)
        self._deliver(handle, title, result, error, on_done, on_error)
        return handle
