"""An event-loop stall detector for benchmarks and tests: finds any handler that keeps the GUI thread busy.

A QTimer on the GUI thread ticks every 10 ms and notes when it ran. The gap between two ticks is how long the
event loop could not react (a slot, a paint, a scripted step between two `processEvents` calls); every gap over
the threshold is recorded as a `Stall` with the label the script set for what was happening. A plain Python
thread looks at the GUI thread while a gap is still open and keeps its stack, so a stall also says *where* the
time went (the innermost frames of our own code).

The sampler reads the stack as text, through `faulthandler`, and never holds a frame object of the GUI thread:
a frame it held outlived its function and was freed on the sampler thread, and with it the function's locals, Qt
objects included, destroyed on the wrong thread. That crashed the walkthrough's print preview 3 times in 11.

    with EventLoopWatchdog(threshold_ms=200) as dog:
        dog.label = "typing 'ł' in Contacts search"
        ...
    dog.assert_no_stalls()  # AssertionError listing every stall, its label and its stack
"""

from __future__ import annotations

import faulthandler
import re
import tempfile
import threading
import time
from types import TracebackType
from typing import IO, NamedTuple

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer

TICK_MS = 10
OUR_CODE = ("oursociety_desktop", "benchmarks", "tests")


class Stall(NamedTuple):
    """One gap between ticks longer than the threshold."""

    label: str  # what the script said was happening (the labels that held for most of the gap, joined by " → ")
    ms: float  # the gap, in milliseconds
    where: str = ""  # the GUI thread's stack while the gap was open ("" if the sampler did not catch it)


_THREAD = re.compile(r"^(?:Current thread|Thread) 0x([0-9a-f]+)", re.MULTILINE)
_FRAME = re.compile(r'^  File "(.*)", line (\d+) in (.*)$', re.MULTILINE)


def thread_stack(dump: str, thread_id: int) -> list[tuple[str, int, str]]:
    """One thread's frames from a `faulthandler` dump of all threads, as (file, line, function), outermost first."""
    starts = list(_THREAD.finditer(dump))
    for i, start in enumerate(starts):
        if int(start.group(1), 16) == thread_id:
            end = starts[i + 1].start() if i + 1 < len(starts) else len(dump)
            frames = [(m.group(1), int(m.group(2)), m.group(3)) for m in _FRAME.finditer(dump, start.end(), end)]
            return frames[::-1]  # faulthandler lists the most recent call first
    return []


def _our_frames(frames: list[tuple[str, int, str]], keep: int = 8) -> str:
    """The innermost frames of the stack that are in our own code (or the innermost frames if none are)."""
    ours = [f for f in frames if any(part in f[0] for part in OUR_CODE) and not f[0].endswith("watchdog.py")]
    chosen = (ours or frames)[-keep:]
    return " <- ".join(f"{file.rsplit('/', 1)[-1]}:{line} {name}" for file, line, name in reversed(chosen))


class EventLoopWatchdog(QObject):
    """Records every event-loop gap longer than `threshold_ms` while active (a context manager).

    Create it on the GUI thread with a QCoreApplication running. `stalls` lists them, `max_gap_ms` is the longest
    gap seen (stalled or not), `ticks` how many times the timer ran.
    """

    def __init__(self, threshold_ms: float = 200, tick_ms: int = TICK_MS, sample_stacks: bool = True,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.threshold_ms = threshold_ms
        self.stalls: list[Stall] = []
        self.max_gap_ms = 0.0
        self.ticks = 0
        self._label = ""
        self._labels_in_gap: list[tuple[str, float]] = [("", 0.0)]  # (label, when set) since the last tick
        self._last_tick = 0.0
        self._running = False
        self._stack_for_tick: tuple[float, str] | None = None  # (tick the open gap started at, GUI stack)
        self._gui_thread_id = threading.get_ident()
        self._sample_stacks = sample_stacks
        self._sampler: threading.Thread | None = None
        self._dump: IO[bytes] | None = None  # where faulthandler writes the stacks the sampler reads
        self._stop = threading.Event()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self._tick)

    # ---- what the script is doing ----

    @property
    def label(self) -> str:
        """What is happening now; a stall is reported with every label set while it lasted."""
        return self._label

    @label.setter
    def label(self, text: str) -> None:
        if text != self._label:
            self._label = text
            self._labels_in_gap.append((text, time.perf_counter()))

    # ---- running ----

    def start(self) -> None:
        """Start watching (the context manager calls this)."""
        if QCoreApplication.instance() is None:
            raise RuntimeError("EventLoopWatchdog needs a QApplication")
        self._gui_thread_id = threading.get_ident()
        self._last_tick = time.perf_counter()
        self._labels_in_gap = [(self._label, self._last_tick)]
        self._running = True
        self._timer.start()
        if self._sample_stacks:
            self._stop.clear()
            self._dump = tempfile.TemporaryFile()  # closed by stop()
            self._sampler = threading.Thread(target=self._sample, name="event-loop-watchdog", daemon=True)
            self._sampler.start()

    def stop(self) -> None:
        """Stop watching; a gap still open (a last step that blocked) is measured and counted too."""
        if not self._running:
            return
        self._close_gap(time.perf_counter())
        self._running = False
        self._timer.stop()
        self._stop.set()
        if self._sampler is not None:
            self._sampler.join()
            self._sampler = None
        if self._dump is not None:
            self._dump.close()
            self._dump = None

    def __enter__(self) -> EventLoopWatchdog:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def _tick(self) -> None:
        self._close_gap(time.perf_counter())

    def _close_gap(self, now: float) -> None:
        gap_ms = (now - self._last_tick) * 1000
        self.ticks += 1
        self.max_gap_ms = max(self.max_gap_ms, gap_ms)
        if gap_ms > self.threshold_ms:
            sampled = self._stack_for_tick
            where = sampled[1] if sampled is not None and sampled[0] == self._last_tick else ""
            self.stalls.append(Stall(self._blamed_labels(now) or "(no label)", gap_ms, where))
        self._last_tick = now
        self._labels_in_gap = [(self._label, now)]

    def _blamed_labels(self, now: float) -> str:
        """The labels that held for at least a quarter of the gap (a label set just before or after the slow
        step is not blamed for it), in the order they were set."""
        gap = now - self._last_tick
        held: dict[str, float] = {}
        marks = self._labels_in_gap
        for i, (text, since) in enumerate(marks):
            until = marks[i + 1][1] if i + 1 < len(marks) else now
            held[text] = held.get(text, 0.0) + until - max(since, self._last_tick)
        return " → ".join(text for text, seconds in held.items() if text and seconds >= gap / 4)

    def _sample(self) -> None:
        """Thread: once a gap passes the threshold, keep the GUI thread's stack (first sample of each gap)."""
        period = max(0.005, self.threshold_ms / 4000)
        while not self._stop.wait(period):
            started = self._last_tick
            if (time.perf_counter() - started) * 1000 <= self.threshold_ms:
                continue
            if self._stack_for_tick is not None and self._stack_for_tick[0] == started:
                continue
            frames = thread_stack(self._read_stacks(), self._gui_thread_id)
            if frames:
                self._stack_for_tick = (started, _our_frames(frames))

    def _read_stacks(self) -> str:
        """Every thread's stack as text. faulthandler reads the frames in C, holding the GIL, and makes no frame
        object: `sys._current_frames()` would give this thread the last reference to a GUI frame."""
        dump = self._dump
        if dump is None:
            return ""
        dump.seek(0)
        dump.truncate()
        faulthandler.dump_traceback(dump, all_threads=True)
        dump.seek(0)
        return dump.read().decode("utf-8", "replace")

    # ---- reading ----

    def report(self) -> str:
        """Every stall on its own line: how long, during what, and where."""
        return "\n".join(f"{s.ms:.0f} ms during {s.label}" + (f" at {s.where}" if s.where else "")
                         for s in self.stalls)

    def assert_no_stalls(self) -> None:
        """Raise AssertionError naming each handler that blocked the event loop longer than the threshold."""
        if self.stalls:
            raise AssertionError(f"the event loop was blocked longer than {self.threshold_ms:.0f} ms "
                                 f"{len(self.stalls)} time(s):\n{self.report()}")
