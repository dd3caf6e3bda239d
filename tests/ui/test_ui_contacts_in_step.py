"""The list and the editor stay in step (issue 17, problems 6 and 8): a new person is selected and scrolled into
view even when a search hid them; the editor starts at the top for another person; no row stays highlighted for
someone the editor does not show; "has been deleted" goes when the delete is undone."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.ui.contacts.contact_model import COL_NAME
from oursociety_desktop.ui.contacts.dialogs import NewContactDialog
from oursociety_desktop.ui.contacts.workspace import ContactsWorkspace
from oursociety_desktop.ui.context import AppContext, DataEvents
from oursociety_desktop.ui.tasks import SyncTaskRunner


@pytest.fixture
def ws(db: Database, qtbot: QtBot) -> ContactsWorkspace:
    with db.write() as tx:
        for i in range(300):
            create_contact(tx, {"given_name": f"Person{i:03d}", "family_name": "Adams",
                                "notes": "line\n" * 20})
    ctx = AppContext(db, SyncTaskRunner(), QUndoStack(), DataEvents())
    widget = ContactsWorkspace(ctx)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def add_through_dialog(ws: ContactsWorkspace, given: str, family: str) -> None:
    def fill() -> None:
        modal = QApplication.activeModalWidget()
        if not isinstance(modal, NewContactDialog):
            QTimer.singleShot(10, fill)
            return
        modal.given.setText(given)
        modal.family.setText(family)
        modal.accept()

    QTimer.singleShot(0, fill)
    ws.new_contact()


def row_visible(ws: ContactsWorkspace, row: int) -> bool:
    rect = ws.table.visualRect(ws.model.index(row, COL_NAME))
    return rect.isValid() and ws.table.viewport().rect().intersects(rect)


def test_a_new_person_is_selected_and_in_view_even_past_a_search(ws: ContactsWorkspace, qtbot: QtBot) -> None:
    ws.filters.search.setText("Person001")
    ws.filters.emit_now()
    assert ws.model.rowCount() == 1
    add_through_dialog(ws, "Zygmunt", "Zyx")  # sorts last of 301; the search would hide him
    cid = ws.editor.contact_id
    assert cid and ws.editor.heading.text() == "Zygmunt Zyx"
    assert ws.filters.search.text() == "" and ws.model.rowCount() == 301
    row = ws.model.row_of(cid)
    assert row == 300
    assert ws.table.currentIndex().row() == row
    assert [i.row() for i in ws.table.selectionModel().selectedRows()] == [row]
    assert row_visible(ws, row)


def test_the_editor_starts_at_the_top_for_another_person(ws: ContactsWorkspace, qtbot: QtBot) -> None:
    ws.resize(1024, 420)
    ws.table.selectRow(0)
    bar = ws.editor.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    ws.table.selectRow(1)
    assert ws.editor.contact_id == ws.model.contact_id(1)
    assert bar.value() == 0


def test_no_row_stays_highlighted_for_someone_else(ws: ContactsWorkspace, db: Database) -> None:
    ws.table.selectRow(0)
    ws.filters.search.setText("Person00")
    ws.filters.emit_now()
    with db.write() as tx:
        hidden = create_contact(tx, {"given_name": "Hidden", "family_name": "One"}).id
    ws.open_contact(hidden)  # not in the filtered list
    assert ws.editor.contact_id == hidden
    assert ws.table.selectionModel().selectedRows() == []


def test_deleted_message_goes_when_the_delete_is_undone(ws: ContactsWorkspace) -> None:
    ws.table.selectRow(5)
    cid = ws.editor.contact_id
    assert cid
    name = ws.editor.heading.text()
    ws.delete_selected()
    assert "has been deleted" in ws.editor.heading.text()
    ws.ctx.undo_stack.undo()
    assert ws.editor.heading.text() == name and ws.editor.contact_id == cid
    assert ws.table.currentIndex().row() == ws.model.row_of(cid)


def test_undo_text_uses_the_fields_label(ws: ContactsWorkspace) -> None:
    ws.table.selectRow(0)
    ws.editor.consent.flags["do_not_mail"].click()
    assert ws.ctx.undo_stack.undoText() == f"Edit do not post of {ws.editor.heading.text()}"
