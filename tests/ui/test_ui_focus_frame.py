"""The focus frame (ui/widgets/focus_frame.py): the list, table or tree with the keyboard focus, and only it, has a
2-pixel line in the palette's highlight colour along its edge, read back from the pixels Qt draws; the frame
follows size, palette and right-to-left layouts, takes no click, and no view is drawn under a style sheet."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QWidget
from pytestqt.qtbot import QtBot

from oursociety_desktop.models.database import Database
from oursociety_desktop.models.demo import generate_demo
from oursociety_desktop.ui.contacts.workspace import ContactsWorkspace
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.main_window import MainWindow
from oursociety_desktop.ui.widgets.focus_frame import WIDTH, frame_strips, framed_view
from tests.ui.windows import active_window


@pytest.fixture
def window(db: Database, ctx: AppContext, data_dir: Path, qtbot: QtBot) -> MainWindow:
    generate_demo(db, 40, seed=3)
    return active_window(ctx, data_dir, qtbot)


@pytest.fixture
def contacts(window: MainWindow) -> ContactsWorkspace:
    widget = window.show_workspace("contacts")
    assert isinstance(widget, ContactsWorkspace)
    return widget


def highlight(view: QWidget) -> str:
    return view.palette().color(QPalette.ColorRole.Highlight).name()


def edge_colours(view: QWidget) -> list[str]:
    """The colours of the pixels Qt draws along the view's four edges, 2 pixels deep, every 7 pixels."""
    image = view.grab().toImage()
    width, height = image.width(), image.height()
    points = [(x, y) for y in range(3, height - 3, 7) for x in (0, 1, width - 2, width - 1)]
    points += [(x, y) for x in range(3, width - 3, 7) for y in (0, 1, height - 2, height - 1)]
    return [image.pixelColor(x, y).name() for x, y in points]


def framed(view: QWidget) -> bool:
    """Every pixel of the view's 2-pixel edge is in its palette's highlight colour."""
    return set(edge_colours(view)) == {highlight(view)}


def focus(qtbot: QtBot, widget: QWidget) -> None:
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def test_the_table_with_the_focus_is_framed_and_the_frame_goes_when_the_focus_leaves(
        window: MainWindow, contacts: ContactsWorkspace, qtbot: QtBot) -> None:
    table = contacts.table
    focus(qtbot, contacts.filters.search)
    assert not framed(table)
    focus(qtbot, table)
    assert framed(table)
    assert all(strip.isVisible() for strip in frame_strips(table))
    focus(qtbot, contacts.filters.search)
    assert not any(strip.isVisible() for strip in frame_strips(table))
    colours = edge_colours(table)
    assert colours.count(highlight(table)) < len(colours) / 4
    focus(qtbot, window.nav)  # the sidebar too, and only the view with the focus
    assert framed(window.nav) and not framed(table)


def test_the_frame_stays_while_a_cell_is_edited(contacts: ContactsWorkspace, qtbot: QtBot) -> None:
    contacts.table.selectRow(0)
    phones = contacts.editor.phones.table  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: phones.rowCount() > 0)
    focus(qtbot, phones)
    assert framed(phones)
    phones.editItem(phones.item(0, 1))
    qtbot.waitUntil(lambda: QApplication.focusWidget() not in (phones, None))  # the cell's editor
    assert framed_view(QApplication.focusWidget()) is phones
    assert framed(phones)


def test_a_table_made_after_the_window_is_framed_too(window: MainWindow, qtbot: QtBot) -> None:
    dialog = window.show_shortcuts()
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    focus(qtbot, dialog.table)
    assert framed(dialog.table)
    dialog.close()


def test_a_framed_table_deleted_while_it_has_the_focus_takes_its_frame_along(window: MainWindow,
                                                                            qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QTableWidget, QVBoxLayout

    holder = QWidget(window.stack.currentWidget())
    table = QTableWidget(3, 2, holder)
    QVBoxLayout(holder).addWidget(table)
    holder.show()
    focus(qtbot, table)
    assert framed(table)
    with qtbot.waitSignal(table.destroyed):
        table.deleteLater()
    focus(qtbot, window.nav)  # the next view is framed as before
    assert framed(window.nav)


def test_no_list_table_or_tree_is_drawn_under_a_style_sheet(window: MainWindow, qtbot: QtBot) -> None:
    """Qt's style-sheet style draws every cell more slowly; the frame used to need one on each workspace."""
    app = QApplication.instance()
    assert isinstance(app, QApplication) and app.styleSheet() == ""
    views = [window.nav]
    for spec in window.specs:
        views += window.show_workspace(spec.key).findChildren(QAbstractItemView)
    assert len(views) > 30
    for view in views:
        sheets = []
        widget: QWidget | None = view
        while widget is not None:
            sheets.append(widget.styleSheet())
            widget = widget.parentWidget()
        assert sheets == [""] * len(sheets), f"{view.accessibleName()!r} is under a style sheet"
        assert view.style().metaObject().className() != "QStyleSheetStyle"


def test_the_frame_lies_on_the_edge_and_follows_resizing_and_right_to_left(
        window: MainWindow, contacts: ContactsWorkspace, qtbot: QtBot) -> None:
    table = contacts.table
    focus(qtbot, table)
    for direction in (Qt.LayoutDirection.LeftToRight, Qt.LayoutDirection.RightToLeft):
        window.setLayoutDirection(direction)
        window.resize(window.width() + 90, window.height() - 40)
        qtbot.waitUntil(lambda: framed(table))
        strips = frame_strips(table)
        assert len(strips) == 4
        for strip in strips:  # a line WIDTH pixels thick on an edge of the view, hiding nothing further in
            geometry = strip.geometry()
            assert table.rect().contains(geometry)
            assert min(geometry.width(), geometry.height()) == WIDTH
            assert geometry.left() in (0, table.width() - WIDTH) or geometry.top() in (0, table.height() - WIDTH)
    window.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


def test_the_frame_and_the_workspace_follow_a_change_of_palette(contacts: ContactsWorkspace, qtbot: QtBot) -> None:
    """A dark palette or high contrast comes as a new application palette, after the frame was made. (Under the
    old style sheet the workspaces kept the light palette while the sidebar and toolbar turned dark.)"""
    focus(qtbot, contacts.table)
    assert framed(contacts.table)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    palette = QPalette(before)
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#ff8000"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#1b1c1e"))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#26282b"))
    app.setPalette(palette)
    try:
        qtbot.waitUntil(lambda: set(edge_colours(contacts.table)) == {"#ff8000"})
        viewport = contacts.table.viewport()
        corner = viewport.grab().toImage().pixelColor(viewport.width() - 3, viewport.height() - 3)
        assert corner.name() in ("#1b1c1e", "#26282b")  # a row's background (or the empty area below the rows)
    finally:
        app.setPalette(before)


def test_a_click_on_the_frame_reaches_the_list(window: MainWindow, qtbot: QtBot) -> None:
    nav = window.nav
    focus(qtbot, nav)
    assert framed(nav)
    row = nav.visualItemRect(nav.item(3)).center().y()
    where = nav.viewport().mapTo(window, QPoint(0, row))  # under the frame's left strip
    assert nav.mapFrom(window, where).x() < WIDTH
    window_handle = window.windowHandle()
    assert window_handle is not None
    QTest.mouseClick(window_handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where)
    qtbot.waitUntil(lambda: nav.currentRow() == 3)


def test_popup_lists_get_no_frame(qtbot: QtBot) -> None:
    combo = QComboBox()
    qtbot.addWidget(combo)
    combo.addItems(["one", "two"])
    assert framed_view(combo.view()) is None  # it closes as soon as it loses the focus
    assert framed_view(combo) is None
