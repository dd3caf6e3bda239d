"""Keyboard and screen readers (issue 17): a walk over every input, button and list of every workspace (every
tab, with a record open in each editor) fails on one without an accessible name or description; focus is drawn
visibly on lists and tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from oursociety_desktop.models.database import Database
from oursociety_desktop.models.demo import generate_demo
from oursociety_desktop.ui.context import AppContext, DataEvents
from oursociety_desktop.ui.main_window import MainWindow
from oursociety_desktop.ui.tasks import SyncTaskRunner
from tests.ui.test_ui_focus_frame import framed

INPUTS = (QLineEdit, QComboBox, QAbstractButton, QAbstractItemView, QAbstractSpinBox, QPlainTextEdit, QTextEdit)


def spoken_name(widget: QWidget, buddies: dict[int, str]) -> str:
    """What a screen reader announces as the widget's name: set explicitly, a button's text, or its label."""
    if widget.accessibleName():
        return widget.accessibleName()
    if isinstance(widget, QAbstractButton) and widget.text().replace("&", "").strip():
        return widget.text()
    return buddies.get(id(widget), "")


def walk(root: QWidget, window: QWidget) -> list[QWidget]:
    """Every visible input, button and list under `root` (parts of other widgets left out)."""
    found = []
    for child in root.findChildren(QWidget):
        if not isinstance(child, INPUTS) or isinstance(child, QHeaderView) or not child.isVisibleTo(window):
            continue
        if isinstance(child.parent(), QComboBox | QAbstractSpinBox):  # a combo's own line edit
            continue
        if type(child).__name__ in ("QToolButton",) and child.parent() is not None and \
                type(child.parent()).__name__ in ("QTabBar", "QCalendarWidget", "QLineEdit"):
            continue
        found.append(child)
    return found


@pytest.fixture
def window(db: Database, data_dir: Path, qtbot: QtBot) -> MainWindow:
    generate_demo(db, 60, seed=2)
    ctx = AppContext(db, SyncTaskRunner(), QUndoStack(), DataEvents())
    win = MainWindow(ctx, data_dir)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def open_something(window: MainWindow, key: str, widget: QWidget) -> None:
    """Open a record in the workspace's editor, so its fields are shown too."""
    if key == "contacts":
        widget.table.selectRow(0)  # type: ignore[attr-defined]
    elif key == "actions":
        widget.view.selectRow(0)  # type: ignore[attr-defined]
    elif key == "groups":
        widget.tree.setCurrentIndex(widget.tree_model.index(0, 0))  # type: ignore[attr-defined]


def test_every_input_button_and_list_has_a_name_and_description(window: MainWindow, qtbot: QtBot) -> None:
    missing: list[str] = []
    walked = 0
    for spec in window.specs:
        widget = window.show_workspace(spec.key)
        open_something(window, spec.key, widget)
        qtbot.wait(5)
        tabs = widget.findChildren(QTabWidget)
        pages = [(t, i) for t in tabs for i in range(t.count())] or [(None, 0)]
        for tab, index in pages:
            if tab is not None:
                tab.setCurrentIndex(index)
            buddies = {id(label.buddy()): label.text() for label in widget.findChildren(QLabel) if label.buddy()}
            for child in walk(widget, window):
                walked += 1
                where = f"{spec.key}: {type(child).__name__} {spoken_name(child, buddies)!r}"
                if not spoken_name(child, buddies):
                    missing.append(f"{where} has no accessible name")
                if not (child.accessibleDescription() or child.toolTip()):
                    missing.append(f"{where} has no accessible description")
    assert walked > 90
    assert missing == [], "\n".join(sorted(set(missing)))


def test_focus_is_drawn_on_lists_and_tables(window: MainWindow, qtbot: QtBot) -> None:
    """Tab from the sidebar into the contacts list: whichever list has the focus, and only it, is framed in the
    highlight colour (the pixels along its edge; tests/ui/test_ui_focus_frame.py has the rest)."""
    from PySide6.QtCore import Qt

    contacts = window.show_workspace("contacts")
    window.nav.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.nav)
    assert framed(window.nav)
    for _step in range(30):
        if QApplication.focusWidget() is contacts.table:  # type: ignore[attr-defined]
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is contacts.table  # type: ignore[attr-defined]
    assert framed(contacts.table) and not framed(window.nav)  # type: ignore[attr-defined]


def focus_chain(window: QWidget, start: QWidget, limit: int = 300) -> list[QWidget]:
    """The widgets Tab visits from `start`, in order, once round (visible, enabled, Tab-focusable only)."""
    from PySide6.QtCore import Qt

    seen: list[QWidget] = []
    widget = start.nextInFocusChain()
    while widget is not start and len(seen) < limit:
        if widget.isVisibleTo(window) and widget.isEnabled() and \
                widget.focusPolicy() & Qt.FocusPolicy.TabFocus == Qt.FocusPolicy.TabFocus:
            seen.append(widget)
        widget = widget.nextInFocusChain()
    return seen


@pytest.mark.parametrize("key", ["contacts", "groups", "actions", "print"])
def test_tab_follows_the_reading_order(window: MainWindow, qtbot: QtBot, key: str) -> None:
    """Tab goes through the left pane before the right one (lists, then the editor), never back and forth."""
    from PySide6.QtWidgets import QSplitter

    widget = window.show_workspace(key)
    open_something(window, key, widget)
    qtbot.wait(5)
    splitter = widget.findChild(QSplitter)
    assert splitter is not None
    panes = [splitter.widget(i) for i in range(splitter.count())]

    def pane_of(child: QWidget) -> int:
        for index, pane in enumerate(panes):
            if pane is child or pane.isAncestorOf(child):
                return index
        return -1

    chain = [w for w in focus_chain(window, window.nav) if widget.isAncestorOf(w)]
    order = [p for p in (pane_of(w) for w in chain) if p >= 0]
    assert len(order) >= 3
    assert order == sorted(order), "\n".join(f"{pane_of(w)} {type(w).__name__} {w.accessibleName()}" for w in chain)
