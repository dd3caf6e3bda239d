"""A working session on the real window (issue 8): scrolling all 100,000 contacts, switching workspaces, memory
over an hour of simulated use, and the longest time any handler kept the event loop busy.

    python -m benchmarks.bench_session [--contacts 100000] [--hub DIR] [--minutes 3] [--actions 720]

"An hour" is 720 actions: one every 5 s for 60 minutes (search, open a contact, edit and undo, scroll, switch
workspace, open a group, open an action, in turn), compressed into `--minutes` of wall time. Memory is flat when
the resident size at the end is within 5% of the size after the warm-up (the first 72 actions, the first six
simulated minutes). The hub is edited and every edit undone, so the data are unchanged afterwards; still, pass a
copy of a hub you care about. Runs offscreen unless a display is set.

The window is driven by `benchmarks/session_driver.py`'s `SessionDriver`, which tests/ui/test_ui_watchdog.py
also drives the window with.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen" if not os.environ.get("DISPLAY") else "xcb")

from PySide6.QtCore import (  # noqa: E402
    QAbstractTableModel,
    QMessageLogContext,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractSlider,
    QApplication,
    QStackedWidget,
    QTableView,
    QWidget,
)

from benchmarks.common import Row, build_hub, percentile, print_table  # noqa: E402
from benchmarks.session_driver import SessionDriver, wait  # noqa: E402
from oursociety_desktop.models.database import Database  # noqa: E402
from oursociety_desktop.ui.main import application, make_context  # noqa: E402
from oursociety_desktop.ui.main_window import MainWindow  # noqa: E402
from oursociety_desktop.ui.watchdog import EventLoopWatchdog  # noqa: E402

FRAME_TARGET_S = 0.050
STALL_TARGET_MS = 200
HOUR_ACTIONS = 720  # one action every 5 s for 60 minutes
FLAT_GROWTH = 0.05


def rss_mb() -> float:
    """Resident memory of this process, from /proc/self/statm."""
    resident_pages = int(Path("/proc/self/statm").read_text().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


class FixedModel(QAbstractTableModel):
    """Baseline for scrolling: as many rows as the contacts list, constant text, no database."""

    def __init__(self, rows: int) -> None:
        super().__init__()
        self.rows = rows

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.rows

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 7

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return f"Row {index.row()} column {index.column()}"
        return None


def scroll_baseline(rows: int, like: QTableView, frames: int) -> list[float]:
    """Page down a plain QTableView over an in-memory model of the same size and geometry."""
    view = QTableView()
    model = FixedModel(rows)
    view.setModel(model)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(like.verticalHeader().defaultSectionSize())
    view.resize(like.size())
    view.show()
    QApplication.processEvents()
    bar = view.verticalScrollBar()
    times = []
    for _ in range(frames):
        start = time.perf_counter()
        bar.triggerAction(QAbstractSlider.SliderAction.SliderPageStepAdd)
        view.viewport().repaint()
        QApplication.processEvents()
        times.append(time.perf_counter() - start)
    view.close()
    view.deleteLater()
    return times


def stack_baseline(rounds: int) -> list[float]:
    """Switching between two empty QWidgets in a QStackedWidget of the window's size."""
    stack = QStackedWidget()
    stack.addWidget(QWidget())
    stack.addWidget(QWidget())
    stack.resize(1000, 700)
    stack.show()
    QApplication.processEvents()
    times = []
    for i in range(rounds * 9):
        start = time.perf_counter()
        stack.setCurrentIndex((i + 1) % 2)
        stack.currentWidget().repaint()  # type: ignore[union-attr]
        QApplication.processEvents()
        times.append(time.perf_counter() - start)
    stack.close()
    stack.deleteLater()
    return times


def measure_switching(driver: SessionDriver, rounds: int) -> tuple[dict[str, float], dict[str, list[float]]]:
    """Time each workspace switch: the first visit (builds it) and `rounds` more rounds over all nine."""
    first: dict[str, float] = {}
    later: dict[str, list[float]] = {key: [] for key in driver.keys}
    for round_number in range(rounds + 1):
        for key in driver.keys:
            driver.settle()  # a duplicate scan started by the last visit would slow the GUI thread (the GIL)
            driver.step(f"switching to {key}")
            start = time.perf_counter()
            driver.window.nav.setCurrentRow(driver.keys.index(key))
            driver.window.current_workspace().repaint()  # type: ignore[union-attr]
            QApplication.processEvents()
            elapsed = time.perf_counter() - start
            if round_number == 0 and key not in first and key != "contacts":
                first[key] = elapsed
            else:
                later[key].append(elapsed)
            wait(10)
    return first, later


def simulated_hour(driver: SessionDriver, words: list[str], actions: int, minutes: float,
                   sample_every: int = 20) -> tuple[list[tuple[int, float]], float]:
    """`actions` realistic actions paced over `minutes` of wall time; returns ([(action number, RSS MB)], seconds)."""
    budget = minutes * 60 / actions
    samples = [(0, rss_mb())]
    start = time.perf_counter()
    kinds = ["search", "open", "edit", "scroll", "switch", "group", "action"]
    for number in range(1, actions + 1):
        kind = kinds[(number - 1) % len(kinds)]
        if kind == "search":
            driver.type_search(driver.rng.choice(words))
        elif kind == "open":
            if driver.window.current_key() != "contacts":
                driver.switch_to("contacts")
            if driver.contacts.model.rowCount() == 0:
                driver.clear_search()
            driver.open_contact()
        elif kind == "edit":
            driver.edit_and_undo()
            driver.clear_search()
        elif kind == "scroll":
            driver.scroll_contacts(pages=driver.rng.randint(5, 40))
        elif kind == "switch":
            driver.switch_to(driver.rng.choice(driver.keys))
        elif kind == "group":
            driver.open_groups(1)
        else:
            driver.open_actions(1)
        ahead = start + number * budget - time.perf_counter()
        if ahead > 0:
            wait(int(ahead * 1000))
        if number % sample_every == 0:
            samples.append((number, rss_mb()))
            print(f"action {number}: {samples[-1][1]:.0f} MB, {time.perf_counter() - start:.0f} s",
                  file=sys.stderr, flush=True)
    return samples, time.perf_counter() - start


def note(rows: list[Row]) -> None:
    """Progress on stderr, so a long run shows its figures as they come."""
    for row in rows:
        print(f"{row.operation}: {row.median * (1000 if row.unit == 's' else 1):.1f} "
              f"{'ms' if row.unit == 's' else row.unit} (max {row.high * (1000 if row.unit == 's' else 1):.1f})",
              file=sys.stderr, flush=True)


def run(hub: Path, minutes: float = 3.0, actions: int = HOUR_ACTIONS, rounds: int = 5) -> list[Row]:
    """Measure the session on an existing hub; returns the table rows."""
    app = application([])
    db = Database.open(hub)
    ctx = make_context(db)
    window = MainWindow(ctx, hub, start="contacts")
    window.show()
    window.activateWindow()
    wait(100)
    rows: list[Row] = []
    driver = SessionDriver(window, seed=8)
    words = driver.search_words(db.path)  # the benchmark's own query (ORDER BY random()), kept out of the watch
    with EventLoopWatchdog(threshold_ms=STALL_TARGET_MS) as dog:
        driver.dog = dog
        contacts = driver.contacts
        total = contacts.model.rowCount()

        # (a) scrolling from the top to the bottom of every contact
        frames: list[float] = []
        contacts.table.scrollToTop()
        driver.scroll_contacts(on_frame=frames.append)
        assert contacts.table.verticalScrollBar().value() == contacts.table.verticalScrollBar().maximum()
        dog.label = "scrolling baseline"
        base_frames = scroll_baseline(total, contacts.table, len(frames))
        over = sum(1 for f in frames if f > FRAME_TARGET_S)
        rows.append(Row(f"scroll {total:,} contacts top to bottom, frame time p95 ({len(frames)} page-downs)",
                        percentile(frames, 95), min(frames), max(frames), percentile(base_frames, 95),
                        "≤ 50 ms (baseline: QTableView on an in-memory model)", runs=len(frames)))
        rows.append(Row(f"scroll, worst frame ({over} over 50 ms)", max(frames), min(frames), max(frames),
                        max(base_frames), "≤ 50 ms", runs=len(frames)))
        rows.append(Row("scroll, median frame", percentile(frames, 50), min(frames), max(frames),
                        percentile(base_frames, 50), "", runs=len(frames)))
        contacts.table.scrollToTop()
        note(rows[:3])

        # (b) switching workspaces
        first, later = measure_switching(driver, rounds)
        dog.label = "switching baseline"
        base_switch = stack_baseline(rounds)
        base_median = percentile(base_switch, 50)
        every = [t for times in later.values() for t in times]
        rows.append(Row(f"switch workspace, all nine, {rounds} rounds", percentile(every, 50), min(every), max(every),
                        base_median, "(baseline: two empty QWidgets in a QStackedWidget)", runs=len(every)))
        for key, times in later.items():
            rows.append(Row(f"  switch to {key}", percentile(times, 50), min(times), max(times), base_median, "",
                            runs=len(times)))
        slowest = max(first, key=lambda k: first[k])
        build = list(first.values())
        rows.append(Row(f"first visit of a workspace (builds it; slowest: {slowest})", percentile(build, 50),
                        min(build), max(build), None, "", runs=len(build)))
        note(rows[3:])

        # (c) memory over an hour of simulated use
        samples, wall = simulated_hour(driver, words, actions, minutes)
        warm_index = next(i for i, (n, _) in enumerate(samples) if n >= actions // 10)
        warm, end = samples[warm_index][1], samples[-1][1]
        after_warm = [mb for _, mb in samples[warm_index:]]
        growth = (end - warm) / warm
        rows.append(Row(f"resident memory after warm-up ({samples[warm_index][0]} actions)", warm, min(after_warm),
                        max(after_warm), samples[0][1], "(baseline: before the simulated hour)", unit="MB"))
        rows.append(Row(f"resident memory after the simulated hour ({actions} actions in {wall / 60:.1f} min)",
                        end, min(after_warm), max(after_warm), warm,
                        f"growth {growth * 100:+.1f}%: flat is < {FLAT_GROWTH * 100:.0f}%", unit="MB",
                        runs=len(after_warm)))
        driver.settle()
    # (d) the watchdog over everything above
    longest = dog.max_gap_ms / 1000
    rows.append(Row(f"longest event-loop stall, whole session ({len(dog.stalls)} over {STALL_TARGET_MS} ms, "
                    f"{dog.ticks:,} ticks)", longest, longest, longest, None, f"≤ {STALL_TARGET_MS} ms"))
    quiet = [st.ms / 1000 for st in dog.stalls if "[background task running]" not in st.label]
    worst_quiet = max(quiet, default=0.0)
    rows.append(Row(f"longest of the stalls over {STALL_TARGET_MS} ms with no background task running "
                    f"({len(quiet)}; 0 ms when none)",
                    worst_quiet, worst_quiet, worst_quiet, None, f"≤ {STALL_TARGET_MS} ms"))
    window.close()
    db.close()
    app.processEvents()
    if dog.stalls:
        print("\nStalls over the threshold:\n" + dog.report())
    return rows


def quiet_offscreen_warnings(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Drop the offscreen platform's one-line warning printed for every window; keep everything else."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--hub", type=Path, help="use an existing demo hub (a copy: it is edited, then undone)")
    parser.add_argument("--minutes", type=float, default=3.0, help="wall time for the simulated hour")
    parser.add_argument("--actions", type=int, default=HOUR_ACTIONS, help="actions in the simulated hour")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of switching through all nine workspaces")
    args = parser.parse_args()
    qInstallMessageHandler(quiet_offscreen_warnings)
    hub = args.hub if args.hub else build_hub(args.contacts)[0]
    rows = run(hub, args.minutes, args.actions, args.rounds)
    print_table(f"Working session, {args.contacts:,} contacts ({os.environ['QT_QPA_PLATFORM']})", rows)


if __name__ == "__main__":
    main()
