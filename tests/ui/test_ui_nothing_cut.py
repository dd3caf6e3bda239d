"""Larger text and a small window keep everything readable (issue 17): on every workspace of the real window,
at the default size, at 1024x600 (a netbook) and at 1024x700 with View → Larger text, the window really has the
size asked for (no workspace holds it bigger than the screen), each workspace fits without its page scrolling
(at 1024x700 with Larger text Groups, and Contacts with a contact open, scroll sideways), nothing inside is squeezed
below the room its layout needs or cut at the side of a scroll area, no label, button or check box is narrower
than its text and no scroll area inside a workspace scrolls sideways. Over a demo hub, so the lists and editors
hold real names."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QScrollArea, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from oursociety_desktop.models.database import Database
from oursociety_desktop.models.demo import generate_demo
from oursociety_desktop.models.groups import create_group
from oursociety_desktop.ui.main import make_context
from oursociety_desktop.ui.main_window import MainWindow
from oursociety_desktop.ui.tasks import SyncTaskRunner
from oursociety_desktop.ui.widgets.scrolling import PageScrollArea

# Groups at 1024x700 with Larger text: the tree beside the members is wider than the screen if group names are
# to stay whole (they are checked below), so its page scrolls sideways; every other workspace fits.
SIDEWAYS_AT_1024_LARGER = {"groups"}


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("nothing-cut") / "hub"
    db = Database.create(folder, "Riverside Community Hub")
    generate_demo(db, 300, seed=1)
    with db.write() as tx:
        create_group(tx, {"name": "Tuesday Lunch Club"})  # was shown as "Tuesd..."
    db.close()
    return folder


@pytest.fixture
def window(demo_folder: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    db = Database.open(demo_folder)
    ctx = make_context(db, SyncTaskRunner())
    win = MainWindow(ctx, demo_folder)
    qtbot.addWidget(win)
    yield win
    win.close()
    db.close()


def cut_widgets(workspace: QWidget) -> list[str]:
    """What is shown narrower than its text, or scrolls sideways."""
    found = []
    for widget in [workspace, *workspace.findChildren(QWidget)]:
        # Less room than its layout needs: what is inside overlaps or is cut at the edge (a scroll area that
        # only scrolls up and down cut its form on the right).
        layout = widget.layout()
        if widget.isVisible() and layout is not None and widget.width() < layout.minimumSize().width():
            found.append(f"{type(widget).__name__} squeezed to {widget.width()} < {layout.minimumSize().width()}")
    for label in workspace.findChildren(QLabel):
        if label.isVisible() and label.text() and not label.wordWrap() and label.width() < label.sizeHint().width():
            found.append(f"label {label.text()[:40]!r}: {label.width()} < {label.sizeHint().width()}")
    for button in workspace.findChildren(QAbstractButton):
        if isinstance(button, QToolButton) and isinstance(button.parent(), QLineEdit):
            continue  # an icon inside a field (the calendar button): Qt sizes it, it shows no text
        if button.isVisible() and button.text() and button.width() < button.sizeHint().width():
            found.append(f"{type(button).__name__} {button.text()[:40]!r}: {button.width()} < "
                         f"{button.sizeHint().width()}")
    for area in workspace.findChildren(QScrollArea):
        if area.isVisible() and area.horizontalScrollBar().isVisible():
            found.append(f"sideways scrolling in {type(area.widget()).__name__}")
        elif area.isVisible() and area.widget() is not None and area.widget().width() > area.viewport().width():
            found.append(f"{type(area.widget()).__name__} cut on the side: {area.widget().width()} > "
                         f"{area.viewport().width()}")
    return found


def page_scrolls(workspace: QWidget) -> bool:
    """Whether the page the workspace is shown in scrolls (the window is smaller than the workspace needs)."""
    page = workspace.parentWidget()
    while page is not None and not isinstance(page, PageScrollArea):
        page = page.parentWidget()
    assert page is not None
    return page.horizontalScrollBar().isVisible() or page.verticalScrollBar().isVisible()


def settled_cuts(workspace: QWidget) -> list[str]:
    """What `cut_widgets` finds once the layout has settled: a read finished on a worker thread sets a label's
    text and the layout catches up on a later turn of the event loop (up to a second is allowed)."""
    cut: list[str] = []
    for _ in range(50):
        for _ in range(3):
            QApplication.processEvents()
        cut = cut_widgets(workspace)
        if not cut:
            return cut
        QTest.qWait(20)
    return cut


@pytest.mark.parametrize("size, larger", [((1200, 760), False), ((1024, 600), False), ((1024, 700), True)],
                         ids=["default", "1024x600", "1024-larger"])
def test_no_workspace_cuts_a_label_or_scrolls_sideways(window: MainWindow, size: tuple[int, int],
                                                       larger: bool) -> None:
    window.show()
    for spec in window.specs:  # built at the usual text size: Larger text is switched on with them open
        window.show_workspace(spec.key)
    if larger:
        window.larger_text.trigger()
    window.resize(*size)
    try:
        problems, scrolling = {}, set()
        for spec in window.specs:
            workspace = window.show_workspace(spec.key)
            cut = settled_cuts(workspace)
            if cut:
                problems[spec.key] = cut
            if page_scrolls(workspace):
                scrolling.add(spec.key)
        assert scrolling <= (SIDEWAYS_AT_1024_LARGER if larger else set())  # each other one fits
        assert window.nav.sizeHintForColumn(0) <= window.nav.viewport().width()  # the sidebar's titles
        groups = window.show_workspace("groups")
        QApplication.processEvents()
        tree = groups.tree  # type: ignore[attr-defined]
        model = tree.model()
        names = [model.index(row, 0) for row in range(model.rowCount())]
        club = next(index for index in names if index.data() == "Tuesday Lunch Club")
        assert tree.visualRect(club).width() >= tree.sizeHintForIndex(club).width()  # group names whole
        assert not problems, problems
        assert window.size() == QSize(*size)  # every workspace built: none holds the window bigger
        contacts = window.show_workspace("contacts")
        with window.ctx.db.read() as session:
            someone = session.connection().exec_driver_sql(  # phones and emails: the editor at its widest
                "SELECT id FROM contact ORDER BY length(phones) + length(emails) DESC LIMIT 1").scalar()
        contacts.select_contact(someone)  # type: ignore[attr-defined]
        assert settled_cuts(contacts) == []
        assert window.size() == QSize(*size)  # nor does a contact's editor
        # The list and the editor side by side are wider than 1024 pixels with Larger text: that page scrolls
        # sideways (the test above found the editor whole); at the usual text size they fit.
        assert larger or not page_scrolls(contacts)
    finally:
        if larger:
            window.larger_text.trigger()
