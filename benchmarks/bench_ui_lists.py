"""Groups, Actions and Connections workspaces on the reference hub: open, filter, select, pick a contact.

    QT_QPA_PLATFORM=offscreen python -m benchmarks.bench_ui_lists [--contacts 100000] [--hub DIR]

Each figure is beside the SQL query behind it, timed in the same run. The performance target is 30 ms for a keystroke
and 50 ms for opening an editor; for lists opening or refiltering we hold ourselves to 100 ms ("instant").
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from functools import partial
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QUndoStack  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from benchmarks.common import Row, build_hub, measure, percentile, print_table  # noqa: E402
from oursociety_desktop.models.actions import TO_DO, ActionFilter, count_actions, list_actions  # noqa: E402
from oursociety_desktop.models.connections import count_connections, list_connections  # noqa: E402
from oursociety_desktop.models.database import Database  # noqa: E402
from oursociety_desktop.models.groups import group_rows, members_of  # noqa: E402
from oursociety_desktop.models.search import search_contact_ids  # noqa: E402
from oursociety_desktop.ui.actions.workspace import ActionsWorkspace  # noqa: E402
from oursociety_desktop.ui.connections.workspace import ConnectionsWorkspace  # noqa: E402
from oursociety_desktop.ui.contacts.contact_model import (  # noqa: E402
    COL_EMAIL,
    COL_NAME,
    COL_ORGANISATION,
    COL_SHARING,
    ContactTableModel,
)
from oursociety_desktop.ui.context import AppContext, DataEvents  # noqa: E402
from oursociety_desktop.ui.groups.workspace import GroupsWorkspace  # noqa: E402
from oursociety_desktop.ui.tasks import SyncTaskRunner  # noqa: E402
from oursociety_desktop.ui.widgets.contact_picker import ContactPickerDialog  # noqa: E402


def _raw_search(db: Database, text: str) -> list[str]:
    with db.read() as session:
        return search_contact_ids(session.connection(), text, limit=50)


def run(hub: Path, runs: int = 5, keystrokes: int = 60) -> list[Row]:
    app = QApplication.instance() or QApplication([])
    db = Database.open(hub)
    ctx = AppContext(db, SyncTaskRunner(), QUndoStack(), DataEvents())
    rows: list[Row] = []

    def shown(widget_factory: object) -> None:
        widget = widget_factory()  # type: ignore[operator]
        widget.resize(1280, 800)
        widget.show()
        app.processEvents()
        widget.close()
        widget.deleteLater()

    def sql(fn: object) -> float:
        def once() -> None:
            with db.read() as session:
                fn(session)  # type: ignore[operator]
        return measure(once, runs)[0]

    med, low, high, _ = measure(lambda: shown(lambda: GroupsWorkspace(ctx)), runs)
    rows.append(Row("Groups: open, tree with member counts painted", med, low, high,
                    sql(group_rows), "≤ 100 ms", runs=runs))
    groups = GroupsWorkspace(ctx)
    groups.show()
    with db.read() as session:
        biggest = max(group_rows(session), key=lambda g: g.members)
    def select_biggest() -> None:
        groups.open_record(biggest.id)
        groups.open_record("")
        app.processEvents()

    med, low, high, _ = measure(select_biggest, runs)
    rows.append(Row(f"Groups: select a group of {biggest.members} members", med, low, high,
                    sql(lambda s: members_of(s, biggest.id)), "≤ 100 ms", runs=runs))

    flt = ActionFilter(status=TO_DO)
    med, low, high, _ = measure(lambda: shown(lambda: ActionsWorkspace(ctx)), runs)
    rows.append(Row("Actions: open (to do, 50k actions)", med, low, high,
                    sql(lambda s: (count_actions(s, flt), list_actions(s, flt))), "≤ 100 ms", runs=runs))
    actions = ActionsWorkspace(ctx)
    actions.show()
    app.processEvents()
    overdue = ActionFilter(status=TO_DO, overdue=True)
    def toggle_overdue() -> None:
        actions.filter_bar.overdue_check.click()
        app.processEvents()

    med, low, high, _ = measure(toggle_overdue, runs)
    rows.append(Row("Actions: toggle Overdue, list updated", med, low, high,
                    sql(lambda s: (count_actions(s, overdue), list_actions(s, overdue))), "≤ 100 ms", runs=runs))
    ids = [r.id for r in actions.model.rows[:50]]
    rng = random.Random(3)
    def open_one() -> None:
        actions.open_record(rng.choice(ids))
        app.processEvents()

    med, low, high, _ = measure(open_one, runs * 4)
    rows.append(Row("Actions: open an action in the editor", med, low, high, None, "≤ 50 ms", runs=runs * 4))

    med, low, high, _ = measure(lambda: shown(lambda: ConnectionsWorkspace(ctx)), runs)
    rows.append(Row("Connections: open (10k connections)", med, low, high,
                    sql(lambda s: (count_connections(s), list_connections(s))), "≤ 100 ms", runs=runs))

    rows.extend(contact_sorting(db, runs))

    picker = ContactPickerDialog(ctx, "Pick")
    picker.show()
    with db.read() as session:
        names = [r[0] for r in session.connection().exec_driver_sql(
            "SELECT given_name FROM contact WHERE given_name != '' ORDER BY id LIMIT 2000")]
    typed = [rng.choice(names)[: rng.randrange(2, 6)] for _ in range(keystrokes)]
    ui_times: list[float] = []
    base_times: list[float] = []

    def search_now() -> None:
        picker.search_now()
        app.processEvents()

    for text in typed:
        picker.search_edit.setText(text)
        ui_times.append(measure(search_now, 1)[0])
        base_times.append(measure(partial(_raw_search, db, text), 1)[0])
    ui_times.sort()
    rows.append(Row("Contact picker: keystroke to updated list (median)", percentile(ui_times, 50), ui_times[0],
                    ui_times[-1], percentile(base_times, 50), "≤ 30 ms", runs=keystrokes))
    rows.append(Row("Contact picker: keystroke to updated list (p95)", percentile(ui_times, 95), ui_times[0],
                    ui_times[-1], percentile(base_times, 95), "", runs=keystrokes))
    db.close()
    return rows


def contact_sorting(db: Database, runs: int) -> list[Row]:
    """Contacts list: a header click (SQLite sorts the rowids on a worker thread: the GUI thread's share, and the
    time until the sorted list is on show), then the last page and finding one contact's row in that order."""
    app = QApplication.instance()
    rows: list[Row] = []
    model = ContactTableModel(db)
    for column, label in ((COL_ORGANISATION, "Organisation"), (COL_EMAIL, "Email"), (COL_SHARING, "Consent")):
        gui: list[float] = []
        shown: list[float] = []
        for _ in range(runs):
            model.sort(COL_NAME)  # from the default order each time,
            model.reload()  # and the order sorted last forgotten (as after an edit), so every run really sorts
            start = time.perf_counter()
            model.sort(column, Qt.SortOrder.AscendingOrder)
            gui.append(time.perf_counter() - start)
            while model.query.sort != "name" and model._order_query != model.query:  # noqa: SLF001
                app.processEvents()  # type: ignore[union-attr]
                time.sleep(0.002)
            model.index(0, COL_NAME).data()
            shown.append(time.perf_counter() - start)
        rows.append(Row(f"Contacts: sort by {label}, GUI thread busy (header click)", statistics.median(gui),
                        min(gui), max(gui), None, "≤ 30 ms", runs=runs))
        rows.append(Row(f"Contacts: sort by {label}, sorted list on show (worker thread)", statistics.median(shown),
                        min(shown), max(shown), None, "", runs=runs))
        last = model.rowCount() - 1
        def jump(last: int = last) -> None:
            model._pages.clear()  # noqa: SLF001
            model.contact_id(last)

        med, low, high, _ = measure(jump, runs)
        rows.append(Row(f"Contacts: sorted by {label}, jump to the last row", med, low, high, None, "≤ 100 ms",
                        runs=runs))
        target = model.contact_id(last // 2) or ""
        def find(target: str = target) -> None:
            model._pages.clear()  # noqa: SLF001
            model.row_of(target)

        med, low, high, _ = measure(find, runs)
        rows.append(Row(f"Contacts: sorted by {label}, find a contact's row", med, low, high, None, "≤ 100 ms",
                        runs=runs))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--hub", type=Path, help="use an existing demo hub instead of building one")
    args = parser.parse_args()
    hub = args.hub or build_hub(args.contacts)[0]
    print_table(f"Groups, Actions, Connections workspaces ({hub})", run(hub))


if __name__ == "__main__":
    main()
