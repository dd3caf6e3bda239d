"""In an Urdu or Arabic window, numbers and addresses keep their order: a phone number "0161 496 0057" has no letter
to give it a direction, and the window's right-to-left direction showed its groups as "0057 496 0161"."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QModelIndex, QPointF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QTextLayout, QTextOption
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem

from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.ui.contacts.contact_model import COL_PHONE
from oursociety_desktop.ui.contacts.workspace import ContactsWorkspace
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.widgets.fields import LabelledValuesEditor
from oursociety_desktop.ui.wording import isolated

NUMBER = "020 7946 0000"  # a short first group, so its place on screen shows the order


def group_widths(text: str) -> list[int]:
    """The widths in pixels of the groups of ink `text` makes, left to right on screen, drawn in a right-to-left
    paragraph."""
    layout = QTextLayout(text, QApplication.font())
    option = QTextOption()
    option.setTextDirection(Qt.LayoutDirection.RightToLeft)
    layout.setTextOption(option)
    layout.beginLayout()
    layout.createLine().setLineWidth(400)
    layout.endLayout()
    image = QImage(420, 40, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setPen(QColor("black"))
    layout.draw(painter, QPointF(10, 5))
    painter.end()
    inked = [any(image.pixelColor(x, y).lightness() < 128 for y in range(40)) for x in range(420)]
    groups: list[list[int]] = []
    for x, ink in enumerate(inked):
        if ink and groups and x - groups[-1][1] < 4:  # a gap narrower than a space is inside a group
            groups[-1][1] = x
        elif ink:
            groups.append([x, x])
    return [right - left + 1 for left, right in groups]


@pytest.fixture
def right_to_left(qapp: QApplication) -> Iterator[None]:
    QGuiApplication.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    yield
    QGuiApplication.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


def test_a_number_reads_left_to_right_in_a_right_to_left_window(right_to_left: None) -> None:
    before = group_widths(NUMBER)
    assert len(before) == 3 and before[0] > before[-1]  # the fault: "0000 7946 020"
    after = group_widths(isolated(NUMBER))
    assert len(after) == 3 and after[0] < after[-1]  # "020 7946 0000"
    assert group_widths(isolated("1 22222")) == group_widths("\u200e1 22222")


def test_isolating_changes_nothing_in_a_left_to_right_window() -> None:
    assert isolated(NUMBER) == NUMBER


def test_the_contact_list_and_the_phone_editor_show_numbers_in_order(ctx: AppContext, qtbot: object,
                                                                   right_to_left: None) -> None:
    with ctx.db.write() as tx:
        create_contact(tx, {"given_name": "Nasreen", "family_name": "Akhtar",
                            "phones": [{"label": "mobile", "value": NUMBER}]})
    workspace = ContactsWorkspace(ctx)
    qtbot.addWidget(workspace)  # type: ignore[attr-defined]
    cell = workspace.model.index(0, COL_PHONE).data()
    assert cell == isolated(NUMBER) and cell != NUMBER
    phones = LabelledValuesEditor("Phone", ["mobile"])
    qtbot.addWidget(phones)  # type: ignore[attr-defined]
    phones.set_values([{"label": "mobile", "value": NUMBER}])
    delegate = phones.table.itemDelegateForColumn(1)
    option = QStyleOptionViewItem()
    option.direction = Qt.LayoutDirection.RightToLeft
    delegate.initStyleOption(option, phones.table.model().index(0, 1, QModelIndex()))  # type: ignore[attr-defined]
    assert option.direction == Qt.LayoutDirection.LeftToRight
    assert phones.values() == [{"label": "mobile", "value": NUMBER}]  # nothing invisible is stored
