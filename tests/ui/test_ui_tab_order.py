"""Tab goes through the learning network's workspaces in the order they are drawn: the tab bar first, then top to
bottom and left to right. It went to a list before the filter row above it, to Place and Date before the five long
fields above them, to the buttons before the row above them, and to a workspace's tab bar last."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.lessons import create_lesson
from oursociety_desktop.models.offers import create_offer
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.learning.offers_view import OffersNeedsWorkspace
from oursociety_desktop.ui.learning.workspace import LearningWorkspace
from oursociety_desktop.ui.main_window import MainWindow
from oursociety_desktop.ui.network.workspace import NetworkWorkspace
from tests.ui.windows import active_window


@pytest.fixture
def window(ctx: AppContext, data_dir: Path, qtbot: QtBot) -> MainWindow:
    with ctx.db.write() as tx:
        ann = create_contact(tx, {"given_name": "Ann"}).id
        create_lesson(tx, {"title": "Tea first", "date": "2025-03-01"})
        create_offer(tx, {"contact_id": ann, "text": "Bike repair"})
    win = active_window(ctx, data_dir, qtbot)
    win.resize(1200, 760)
    return win


def tabbing_from(qtbot: QtBot, start: QWidget, steps: int) -> list[QWidget]:
    start.setFocus()
    seen = []
    for _ in range(steps):
        widget = QApplication.focusWidget()
        assert widget is not None
        seen.append(widget)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    return seen


def test_the_learning_workspace_tabs_down_the_form(window: MainWindow, qtbot: QtBot) -> None:
    ws = window.show_workspace("learning")
    assert isinstance(ws, LearningWorkspace)
    editor = ws.editor
    expected = [ws.search, ws.theme, ws.hub, ws.kind, ws.year, ws.view, editor.title, editor.kind, editor.themes,
                *editor.long.values(), editor.place, editor.date, editor.share, editor.people, ws.person_button,
                ws.named_box, ws.new_button, ws.save_button, ws.delete_button]  # Remove person: greyed, nobody chosen
    assert tabbing_from(qtbot, ws.search, len(expected)) == expected


def test_offers_and_needs_tab_from_the_tab_bar_down(window: MainWindow, qtbot: QtBot) -> None:
    ws = window.show_workspace("offers")
    assert isinstance(ws, OffersNeedsWorkspace)
    ws.find_matches()  # nothing to match: Introduce and Decline stay greyed and out of the way
    assert tabbing_from(qtbot, ws.tabs.tabBar(), 4) == [ws.tabs.tabBar(), ws.find_button, ws.view, ws.broker]
    ws.tabs.setCurrentWidget(ws.entries)
    panel, editor = ws.entries, ws.entries.editor
    expected = [panel.only_person, panel.everyone_button, panel.view, editor.person, editor.kind, editor.text,
                editor.themes, editor.locality, editor.availability, editor.until, panel.new_offer_button,
                panel.new_need_button, panel.save_button, panel.delete_button]
    assert tabbing_from(qtbot, panel.only_person, len(expected)) == expected  # a saved one's side is fixed: greyed


def test_the_network_tabs_from_its_tab_bar(window: MainWindow, qtbot: QtBot) -> None:
    ws = window.show_workspace("network")
    assert isinstance(ws, NetworkWorkspace)
    expected = [ws.tabs.tabBar(), ws.search, ws.colour_by, ws.zoom_in, ws.zoom_out, ws.fit_button, ws.png_button,
                ws.pdf_button, ws.view]
    assert tabbing_from(qtbot, ws.tabs.tabBar(), len(expected)) == expected


def test_tab_leaves_every_list_and_table(window: MainWindow, qtbot: QtBot) -> None:
    # A table whose Tab moves from cell to cell holds a keyboard user in it: the Exchange page's "Members who go,
    # per group" took one Tab per cell of every group, the exchange log and the known hubs the same.
    from PySide6.QtWidgets import QAbstractItemView

    from oursociety_desktop.ui.help import ShortcutsDialog
    from oursociety_desktop.ui.workspaces import WORKSPACES

    for spec in WORKSPACES:
        window.show_workspace(spec.key)
    shortcuts = ShortcutsDialog(window.menuBar(), window)
    qtbot.addWidget(shortcuts)
    views = window.findChildren(QAbstractItemView) + shortcuts.findChildren(QAbstractItemView)
    held = [f"{type(view).__name__} {view.accessibleName()}" for view in views
            if view.tabKeyNavigation() and view.focusPolicy() & Qt.FocusPolicy.TabFocus]
    assert len(views) > 20 and held == []
