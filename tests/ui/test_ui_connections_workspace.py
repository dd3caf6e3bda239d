"""The Connections workspace driven as a user would, and its table model without a window."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlmodel import select

from oursociety_desktop.models.connections import create_connection, record_introduction
from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.errors import ValidationError
from oursociety_desktop.models.tables import Action, ActionLink, Connection
from oursociety_desktop.ui.connections.connection_model import (
    COL_A,
    COL_B,
    COL_BY,
    COL_DATE,
    COL_FOLLOW_UP,
    COL_NOTE,
    ConnectionTableModel,
)
from oursociety_desktop.ui.connections.dialog import ConnectionDialog
from oursociety_desktop.ui.connections.workspace import ConnectionsWorkspace
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.widgets.contact_picker import ContactButton, ContactPickerDialog


@pytest.fixture
def people(db: Database) -> dict[str, str]:
    with db.write() as tx:
        ids = {name: create_contact(tx, {"given_name": given, "family_name": family}).id
               for name, given, family in (("anna", "Anna", "Kowalska"), ("omar", "Omar", "Haddad"),
                                           ("mei", "Mei", "Chen"), ("eleni", "Ελένη", "Παπαδοπούλου"))}
        ids["old"] = create_connection(tx, {"contact_a": ids["anna"], "contact_b": ids["mei"], "kind": "knows",
                                            "date": "2025-03-01", "note": "Neighbours\nsame street"}).id
    return ids


@pytest.fixture
def ws(qtbot: QtBot, ctx: AppContext, people: dict[str, str]) -> Iterator[ConnectionsWorkspace]:
    widget = ConnectionsWorkspace(ctx)
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    yield widget


def pick(qtbot: QtBot, button: ContactButton, typed: str) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    picker = button.findChild(ContactPickerDialog)
    assert picker is not None
    for ch in typed:  # per character: qtbot.keyClicks aborts on non-ASCII
        QTest.sendKeyEvent(QTest.KeyAction.Click, picker.search_edit, Qt.Key.Key_unknown, ch,
                           Qt.KeyboardModifier.NoModifier)
    picker.search_now()
    qtbot.keyClick(picker.search_edit, Qt.Key.Key_Down)  # arrow keys move in the list from the search field
    qtbot.keyClick(picker.search_edit, Qt.Key.Key_Up)
    qtbot.keyClick(picker.search_edit, Qt.Key.Key_Return)


def live_connections(db: Database) -> list[Connection]:
    with db.read() as session:
        return list(session.exec(select(Connection).where(Connection.deleted == False)).all())  # noqa: E712


def test_model_resolves_names_in_one_query_and_filters_by_person(qtbot: QtBot, ctx: AppContext,
                                                                  people: dict[str, str]) -> None:
    with ctx.db.write() as tx:
        record_introduction(tx, {"contact_a": people["omar"], "contact_b": people["eleni"],
                                 "introduced_by": people["anna"], "date": "2026-01-05", "note": "Both cook"},
                            {"title": "Ask how it went", "due": "2026-01-20"})
    model = ConnectionTableModel(ctx)
    model.set_person("")
    assert model.total == 2
    assert [model.index(0, c).data() for c in (COL_DATE, COL_A, COL_B, COL_BY, COL_NOTE, COL_FOLLOW_UP)] == [
        "2026-01-05", "Omar Haddad", "Ελένη Παπαδοπούλου", "Anna Kowalska", "Both cook", "Ask how it went"]
    assert model.index(1, COL_NOTE).data() == "Neighbours"  # first line; the whole note is the tooltip
    model.set_person(people["mei"])
    assert model.total == 1 and model.index(0, COL_A).data() == "Anna Kowalska"
    model.set_person(people["anna"])  # the introducer counts too
    assert model.total == 2


def test_record_introduction_with_follow_up_then_undo_and_redo(qtbot: QtBot, ws: ConnectionsWorkspace,
                                                              ctx: AppContext, people: dict[str, str]) -> None:
    qtbot.keyClick(ws.new_button, Qt.Key.Key_Space)  # Ctrl+N is the window's File → New person now
    dialog = ws.findChild(ConnectionDialog)
    assert dialog is not None
    pick(qtbot, dialog.by_button, "anna")
    pick(qtbot, dialog.a_button, "omar")
    pick(qtbot, dialog.b_button, "παπα")
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("introduced"))
    dialog.date_edit.setText("2026-02-03")
    qtbot.keyClicks(dialog.note_edit, "Both run community kitchens")
    dialog.follow_check.setChecked(True)
    assert dialog.follow_title.text() == "Follow up: Omar Haddad and Ελένη Παπαδοπούλου"
    dialog.follow_due.setText("2026-02-17")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    made = [c for c in live_connections(ctx.db) if c.id != people["old"]]
    assert len(made) == 1
    conn = made[0]
    assert (conn.introduced_by, conn.contact_a, conn.contact_b, conn.kind, conn.date, conn.note) == (
        people["anna"], people["omar"], people["eleni"], "introduced", "2026-02-03", "Both run community kitchens")
    with ctx.db.read() as session:
        action = session.get(Action, conn.follow_up_action_id)
        assert action is not None
        assert (action.kind, action.due, action.deleted) == ("follow-up", "2026-02-17", False)
        links = {(link.contact_id, link.role) for link in
                 session.exec(select(ActionLink).where(ActionLink.action_id == action.id)).all()}
    assert links == {(people["omar"], "about"), (people["eleni"], "about"), (people["anna"], "owner")}
    assert ws.selected_id() == conn.id
    assert ctx.undo_stack.count() == 1

    ctx.undo_stack.undo()
    assert [c.id for c in live_connections(ctx.db)] == [people["old"]]
    with ctx.db.read() as session:
        assert session.get(Action, action.id).deleted  # type: ignore[union-attr]
    assert ws.model.total == 1
    ctx.undo_stack.redo()
    assert len(live_connections(ctx.db)) == 2
    with ctx.db.read() as session:
        assert not session.get(Action, action.id).deleted  # type: ignore[union-attr]


def test_same_person_twice_is_refused_and_nothing_changes(qtbot: QtBot, ws: ConnectionsWorkspace,
                                                           ctx: AppContext, people: dict[str, str]) -> None:
    ws.new_connection()
    dialog = ws.findChild(ConnectionDialog)
    assert dialog is not None
    dialog.a_button.set_contact(people["omar"])
    dialog.b_button.set_contact(people["omar"])
    dialog.follow_check.setChecked(True)
    dialog.accept()
    assert dialog.isVisible() and "two different people" in dialog.error_label.text()
    dialog.b_button.set_contact(people["mei"])
    dialog.date_edit.setText("45 Smarch")  # "yesterday" is a date now
    dialog.accept()
    assert "not a date" in dialog.error_label.text() and dialog.focusWidget() is dialog.date_edit
    assert [c.id for c in live_connections(ctx.db)] == [people["old"]]
    with ctx.db.read() as session:
        assert session.exec(select(Action)).all() == []  # the follow-up was rolled back with it
    assert ctx.undo_stack.count() == 0


def test_record_introduction_core_refuses_missing_person(db: Database, people: dict[str, str]) -> None:
    with pytest.raises(ValidationError, match="two people"), db.write() as tx:
        record_introduction(tx, {"contact_a": people["omar"]}, {"title": "Call"})
    with db.read() as session:
        assert session.exec(select(Action)).all() == []


def test_edit_with_enter_and_undo(qtbot: QtBot, ws: ConnectionsWorkspace, ctx: AppContext,
                                  people: dict[str, str]) -> None:
    ws.select(people["old"])
    ws.view.setFocus()
    qtbot.keyClick(ws.view, Qt.Key.Key_Return)
    dialog = ws.findChild(ConnectionDialog)
    assert dialog is not None and dialog.follow_box.isHidden()
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("mentors"))
    dialog.by_button.set_contact(people["omar"])
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    conn = live_connections(ctx.db)[0]
    assert (conn.kind, conn.introduced_by, conn.note) == ("mentors", people["omar"], "Neighbours\nsame street")
    assert ws.model.index(0, COL_BY).data() == "Omar Haddad"
    ctx.undo_stack.undo()
    conn = live_connections(ctx.db)[0]
    assert (conn.kind, conn.introduced_by) == ("knows", "")


def test_filter_by_person_and_delete_with_undo(qtbot: QtBot, ws: ConnectionsWorkspace, ctx: AppContext,
                                               people: dict[str, str]) -> None:
    with ctx.db.write() as tx:
        create_connection(tx, {"contact_a": people["omar"], "contact_b": people["eleni"], "date": "2026-04-01"})
    ctx.events.announce("connection")
    assert ws.model.total == 2 and ws.count_label.text() == "2 connections"
    pick(qtbot, ws.person_button, "mei")
    assert ws.model.total == 1 and ws.model.index(0, COL_B).data() == "Mei Chen"
    ws.view.setFocus()
    ws.view.setCurrentIndex(ws.model.index(0, COL_A))
    qtbot.keyClick(ws.view, Qt.Key.Key_Delete)
    assert [c.id for c in live_connections(ctx.db)] != [] and people["old"] not in [
        c.id for c in live_connections(ctx.db)]
    assert ws.model.total == 0
    assert ws.message.text() == "Deleted the connection between Anna Kowalska and Mei Chen. Undo with Ctrl+Z."
    ctx.undo_stack.undo()
    assert ws.message.isHidden()
    assert people["old"] in [c.id for c in live_connections(ctx.db)]
    qtbot.mouseClick(ws.everyone_button, Qt.MouseButton.LeftButton)
    assert ws.model.total == 2


def test_refresh_waits_until_shown(qtbot: QtBot, ws: ConnectionsWorkspace, ctx: AppContext,
                                   people: dict[str, str]) -> None:
    ws.hide()
    with ctx.db.write() as tx:
        create_connection(tx, {"contact_a": people["omar"], "contact_b": people["eleni"]})
    ctx.events.announce("connection")
    assert ws.model.total == 1  # hidden: no work done yet
    ws.show()
    assert ws.model.total == 2



def test_every_input_has_an_accessible_name(ws: QWidget) -> None:
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QComboBox,
        QHeaderView,
        QLineEdit,
        QPlainTextEdit,
    )

    def inside_combo(w: QWidget) -> bool:  # Qt builds a popup list inside each combo box
        parent = w.parentWidget()
        while parent is not None and parent is not ws:
            if isinstance(parent, QComboBox):
                return True
            parent = parent.parentWidget()
        return False

    inputs = [w for kind in (QLineEdit, QComboBox, QPlainTextEdit, QAbstractItemView)
              for w in ws.findChildren(kind)  # type: ignore[type-var]
              if not inside_combo(w) and not isinstance(w, QHeaderView)]
    assert len(inputs) >= 1
    assert [w for w in inputs if not w.accessibleName()] == []
    buttons = [b for b in ws.findChildren(QAbstractButton) if not inside_combo(b) and b.isVisibleTo(ws)
               and b.parentWidget().metaObject().className() not in ('QTableView', 'QTableCornerButton')]
    assert [b for b in buttons if not (b.accessibleName() or b.text())] == []
