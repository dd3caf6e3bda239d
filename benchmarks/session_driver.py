"""`SessionDriver`: drives the real window as an organiser would, one labelled step at a time (search, open a
contact, edit and undo, scroll, switch workspace, open a group or an action). `benchmarks/bench_session.py` times
an hour of it; tests/ui/test_ui_watchdog.py drives the window with it under the event-loop watchdog.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSlider, QApplication, QWidget

from oursociety_desktop.ui.actions.workspace import ActionsWorkspace
from oursociety_desktop.ui.contacts.filter_bar import SEARCH_DELAY_MS
from oursociety_desktop.ui.contacts.workspace import ContactsWorkspace
from oursociety_desktop.ui.groups.workspace import GroupsWorkspace
from oursociety_desktop.ui.main_window import MainWindow
from oursociety_desktop.ui.watchdog import EventLoopWatchdog

TOWNS = ["Łódź", "Leeds", "Zürich", "Ørsted", "Bristol", "Kraków"]

def wait(ms: int) -> None:
    """Let the event loop run for `ms` (timers fire, paints happen), as the user's pause between actions."""
    QTest.qWait(ms)


class SessionDriver:
    """Drives a MainWindow as an organiser would, one labelled step at a time (for the watchdog).

    Every step goes through the real handlers: the navigation list, key events into the search box (one
    character at a time, so non-ASCII text works), selecting rows, Return in an editor field, Edit ▸ Undo.
    """

    def __init__(self, window: MainWindow, dog: EventLoopWatchdog | None = None, seed: int = 1) -> None:
        self.window, self.dog, self.rng = window, dog, random.Random(seed)
        self.keys = [spec.key for spec in window.specs]

    def step(self, label: str) -> None:
        """Tell the watchdog what is happening (and whether a background task, e.g. a duplicate scan, runs)."""
        if self.dog is not None:
            busy = self.window.ctx.runner.busy()
            self.dog.label = f"{label} [background task running]" if busy else label

    def settle(self, limit_s: float = 600) -> None:
        """Wait (event loop running) until no background task is left."""
        self.step("waiting for background tasks to finish")
        deadline = time.perf_counter() + limit_s
        while self.window.ctx.runner.busy() and time.perf_counter() < deadline:
            wait(50)

    @property
    def contacts(self) -> ContactsWorkspace:
        widget = self.window.workspace("contacts")
        assert isinstance(widget, ContactsWorkspace)
        return widget

    def switch_to(self, key: str) -> QWidget:
        """Choose a workspace in the navigation list (built the first time), then let it paint."""
        self.step(f"switching to {key}")
        self.window.nav.setCurrentRow(self.keys.index(key))
        widget = self.window.current_workspace()
        assert widget is not None
        widget.repaint()
        wait(20)
        return widget

    def type_search(self, text: str, pause_ms: int = SEARCH_DELAY_MS + 60) -> int:
        """Type into the Contacts search box key by key, wait for the list; returns the rows shown."""
        contacts = self.switch_to("contacts") if self.window.current_key() != "contacts" else self.contacts
        assert isinstance(contacts, ContactsWorkspace)
        search = contacts.filters.search
        search.setFocus()
        for ch in text:
            self.step(f"typing {ch!r} in Contacts search")
            QTest.sendKeyEvent(QTest.KeyAction.Click, search, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)
            wait(15)
        self.step(f"searching for {text!r} (after the typing pause)")
        wait(pause_ms)
        contacts.table.viewport().repaint()
        return contacts.model.rowCount()

    def clear_search(self) -> None:
        """Empty the search box (select all, Backspace) and wait for the whole list."""
        contacts = self.contacts
        self.step("clearing the Contacts search")
        contacts.filters.search.selectAll()
        QTest.keyClick(contacts.filters.search, Qt.Key.Key_Backspace)
        wait(SEARCH_DELAY_MS + 60)

    def open_contact(self, row: int | None = None) -> str:
        """Select a row of the contacts list: its contact opens in the editor. Returns the contact id."""
        contacts = self.contacts
        count = contacts.model.rowCount()
        assert count > 0, "the contacts list is empty"
        row = self.rng.randrange(count) if row is None else min(row, count - 1)
        self.step(f"opening the contact on row {row} in the editor")
        contacts.table.selectRow(row)
        contacts.table.scrollTo(contacts.model.index(row, 0))
        contacts.editor.viewport().repaint()
        wait(15)
        assert contacts.editor.contact_id is not None
        return contacts.editor.contact_id

    def edit_and_undo(self, field: str = "locality") -> tuple[str, str, str]:
        """Type a new value into an editor field, Return (saved: one undoable step), then Edit ▸ Undo.

        Returns (value before, value saved, value after undo) as the field shows them.
        """
        editor = self.contacts.editor
        line = editor.lines[field]
        before = line.text()
        new = self.rng.choice([t for t in TOWNS if t != before])
        self.step(f"editing {field} to {new!r}")
        line.setFocus()
        line.selectAll()
        for ch in new:
            QTest.sendKeyEvent(QTest.KeyAction.Click, line, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)
        QTest.keyClick(line, Qt.Key.Key_Return)
        wait(15)
        saved = line.text()
        self.step(f"undoing the edit of {field}")
        self.window.undo_action.trigger()
        wait(15)
        return before, saved, line.text()

    def scroll_contacts(self, pages: int | None = None, on_frame: Callable[[float], None] | None = None) -> int:
        """Page down the contacts list (to the bottom when `pages` is None), painting each frame; returns frames."""
        table = self.contacts.table
        bar = table.verticalScrollBar()
        frames = 0
        while bar.value() < bar.maximum() and (pages is None or frames < pages):
            self.step(f"scrolling the contacts list (row {bar.value()})")
            start = time.perf_counter()
            bar.triggerAction(QAbstractSlider.SliderAction.SliderPageStepAdd)
            table.viewport().repaint()
            QApplication.processEvents()
            if on_frame is not None:
                on_frame(time.perf_counter() - start)
            frames += 1
        return frames

    def open_groups(self, count: int = 3) -> list[str]:
        """Select groups in the Groups tree (each shows its members); returns their ids."""
        groups = self.switch_to("groups")
        assert isinstance(groups, GroupsWorkspace)
        ids = groups.tree_model.all_ids()
        chosen = self.rng.sample(ids, min(count, len(ids)))
        for group_id in chosen:
            self.step(f"opening group {group_id[:8]}")
            groups.tree.setCurrentIndex(groups.tree_model.index_of(group_id))
            groups.members_view.viewport().repaint()
            wait(15)
        return chosen

    def open_actions(self, count: int = 3) -> list[str]:
        """Select rows of the Actions list (each opens in the action editor); returns their ids."""
        actions = self.switch_to("actions")
        assert isinstance(actions, ActionsWorkspace)
        rows = actions.model.rowCount()
        opened = []
        for _ in range(min(count, rows)):
            row = self.rng.randrange(rows)
            self.step(f"opening the action on row {row}")
            actions.view.setCurrentIndex(actions.model.index(row, 0))
            actions.editor.repaint()
            wait(15)
            opened.append(actions.selected_id())
        return opened

    def search_words(self, hub_db: Path, count: int = 30) -> list[str]:
        """Search texts people would type: family names from the hub, their first 2-6 letters."""
        conn = sqlite3.connect(f"file:{hub_db}?mode=ro", uri=True)
        names = [str(r[0]) for r in conn.execute(
            "SELECT family_name FROM contact WHERE deleted = 0 AND family_name != '' ORDER BY random() LIMIT ?",
            (count,))]
        conn.close()
        return [n[: self.rng.randint(2, 6)] for n in names] or ["an"]
