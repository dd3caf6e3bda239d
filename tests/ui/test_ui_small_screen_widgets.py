"""The pieces that let the window fit a small screen: a row of buttons that goes on to a second line when its
pane is narrow (and looks like a plain row where there is room, mirrored right to left), and a list that may
narrow below the width it asks for, at any text size."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from oursociety_desktop.ui.widgets.flow import FlowRow
from oursociety_desktop.ui.widgets.narrowing import may_narrow


def buttons_in_a_flow_row(qtbot: QtBot, width: int, direction: Qt.LayoutDirection) -> tuple[QWidget,
                                                                                            list[QPushButton]]:
    pane = QWidget()
    pane.setLayoutDirection(direction)
    qtbot.addWidget(pane)
    column = QVBoxLayout(pane)
    column.setContentsMargins(0, 0, 0, 0)
    row = FlowRow()
    buttons = [QPushButton(text, pane) for text in ("Tick all", "Untick all", "Add someone who came…")]
    for button in buttons:
        row.addWidget(button)
    column.addLayout(row)
    column.addStretch(1)
    pane.resize(width, 200)
    pane.show()
    qtbot.waitExposed(pane)
    return pane, buttons


def test_a_flow_row_is_one_row_where_it_fits_and_wraps_where_it_does_not(qtbot: QtBot) -> None:
    _pane, wide = buttons_in_a_flow_row(qtbot, 800, Qt.LayoutDirection.LeftToRight)
    assert len({button.y() for button in wide}) == 1
    assert [button.x() for button in wide] == sorted(button.x() for button in wide)
    assert wide[0].x() == 0
    widest = max(button.sizeHint().width() for button in wide)
    _pane2, narrow = buttons_in_a_flow_row(qtbot, widest + 10, Qt.LayoutDirection.LeftToRight)
    assert len({button.y() for button in narrow}) > 1  # on further lines, not squeezed or cut
    for button in narrow:
        assert button.width() >= button.sizeHint().width()
        assert button.geometry().right() < widest + 10
    rects = [button.geometry() for button in narrow]
    assert not any(a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1:])
    _pane3, mirrored = buttons_in_a_flow_row(qtbot, 800, Qt.LayoutDirection.RightToLeft)
    assert mirrored[0].geometry().right() == 799  # the first at the right edge
    assert mirrored[1].x() < mirrored[0].x()


def test_a_narrowing_list_keeps_its_width_where_there_is_room_and_follows_the_font(qtbot: QtBot) -> None:
    pane = QWidget()
    qtbot.addWidget(pane)
    combo = QComboBox(pane)
    combo.addItems(["To do (open or doing)", "Any status"])
    asked = combo.sizeHint().width()
    may_narrow(combo, 6)
    assert combo.sizeHint().width() == asked  # the same look where there is room
    assert combo.minimumWidth() < asked
    row = QHBoxLayout(pane)
    row.addWidget(combo)
    pane.resize(asked + 100, 40)
    pane.show()
    assert combo.width() >= asked
    small = combo.minimumWidth()
    font = QFont(combo.font())
    font.setPointSizeF(font.pointSizeF() * 1.5)
    combo.setFont(font)  # Larger text
    assert combo.minimumWidth() > small
