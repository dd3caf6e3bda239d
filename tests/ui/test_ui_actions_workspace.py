"""The Actions workspace driven as a user would: filters, editor, links, mark done, delete, undo."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlmodel import select

from oursociety_desktop.models.actions import create_action, link_contact
from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.groups import create_group
from oursociety_desktop.models.tables import Action, ActionLink
from oursociety_desktop.ui.actions.action_model import COL_OWNERS, COL_TITLE
from oursociety_desktop.ui.actions.outcome_dialog import OutcomeDialog
from oursociety_desktop.ui.actions.workspace import ActionsWorkspace
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.widgets.contact_picker import ContactPickerDialog

TODAY = date.today()


@pytest.fixture
def seeded(db: Database) -> dict[str, str]:
    with db.write() as tx:
        anna = create_contact(tx, {"given_name": "Anna", "family_name": "Kowalska"}).id
        omar = create_contact(tx, {"given_name": "Omar", "family_name": "Haddad"}).id
        garden = create_group(tx, {"name": "Garden"}).id
        late = create_action(tx, {"title": "Call the council", "kind": "call",
                                  "due": (TODAY - timedelta(days=10)).isoformat()}).id
        soon = create_action(tx, {"title": "Plant bulbs", "due": (TODAY + timedelta(days=30)).isoformat(),
                                  "group_id": garden}).id
        link_contact(tx, late, anna, "owner")
    return {"anna": anna, "omar": omar, "garden": garden, "late": late, "soon": soon}


@pytest.fixture
def ws(qtbot: QtBot, ctx: AppContext, seeded: dict[str, str]) -> Iterator[ActionsWorkspace]:
    widget = ActionsWorkspace(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    yield widget


def action(db: Database, action_id: str) -> Action:
    with db.read() as session:
        found = session.get(Action, action_id)
        assert found is not None
        return found


def shown_titles(ws: ActionsWorkspace) -> list[str]:
    return [ws.model.index(r, COL_TITLE).data() for r in range(ws.model.rowCount())]


def select_title(ws: ActionsWorkspace, title: str) -> None:
    row = shown_titles(ws).index(title)
    ws.view.setFocus()
    ws.view.setCurrentIndex(ws.model.index(row, COL_TITLE))


def type_text(widget: object, text: str) -> None:
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch,  # type: ignore[call-overload]
                           Qt.KeyboardModifier.NoModifier)


def test_create_action_with_keyboard_then_undo(qtbot: QtBot, ws: ActionsWorkspace, ctx: AppContext) -> None:
    qtbot.keyClick(ws.new_button, Qt.Key.Key_Space)  # Ctrl+N is the window's File → New person now
    assert ws.editor.action_id == "" and ws.editor.title_edit.hasFocus()
    type_text(ws.editor.title_edit, "Spotkanie w Łodzi")
    qtbot.keyClicks(ws.editor.due_edit, "2031-05-04")
    qtbot.keyClicks(ws.editor.location_edit, "Hall")
    ws.editor.kind_combo.setCurrentIndex(ws.editor.kind_combo.findData("meeting"))
    ws.editor.group_combo.setCurrentIndex(ws.editor.group_combo.findText("Garden"))
    qtbot.keyClick(ws.editor.title_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    with ctx.db.read() as session:
        made = session.exec(select(Action).where(Action.title == "Spotkanie w Łodzi")).one()
    assert (made.due, made.kind, made.location, made.status) == ("2031-05-04", "meeting", "Hall", "open")
    assert ws.editor.action_id == made.id
    assert "Spotkanie w Łodzi" in shown_titles(ws)
    assert ws.selected_id() == made.id
    ctx.undo_stack.undo()
    assert action(ctx.db, made.id).deleted
    assert "Spotkanie w Łodzi" not in shown_titles(ws)
    ctx.undo_stack.redo()
    assert not action(ctx.db, made.id).deleted


def test_edit_fields_and_undo(qtbot: QtBot, ws: ActionsWorkspace, ctx: AppContext, seeded: dict[str, str]) -> None:
    select_title(ws, "Plant bulbs")
    assert ws.editor.action_id == seeded["soon"]
    ws.editor.status_combo.setCurrentIndex(ws.editor.status_combo.findData("doing"))
    ws.editor.starts_edit.setText("2031-01-02 10:30")
    type_text(ws.editor.notes_edit, "Ask Zoë")
    qtbot.mouseClick(ws.editor.save_button, Qt.MouseButton.LeftButton)
    saved = action(ctx.db, seeded["soon"])
    assert (saved.status, saved.starts_at, saved.notes) == ("doing", "2031-01-02T10:30", "Ask Zoë")
    assert ws.editor.starts_edit.text() == "2031-01-02 10:30"
    ctx.undo_stack.undo()
    saved = action(ctx.db, seeded["soon"])
    assert (saved.status, saved.starts_at, saved.notes) == ("open", "", "")
    assert ws.editor.status_combo.currentData() == "open"  # the editor follows the undo


def test_bad_date_is_shown_beside_the_field_and_nothing_changes(qtbot: QtBot, ws: ActionsWorkspace,
                                                                 ctx: AppContext, seeded: dict[str, str]) -> None:
    select_title(ws, "Plant bulbs")
    before = action(ctx.db, seeded["soon"])
    ws.editor.due_edit.setText("45 Smarch")  # "31/12/2031" is a date now: typed dates are read in the locale
    ws.editor.title_edit.setText("Plant tulips")
    qtbot.mouseClick(ws.editor.save_button, Qt.MouseButton.LeftButton)
    assert ws.editor.errors["due"].isVisible()
    assert "not a date" in ws.editor.errors["due"].text()
    assert ws.editor.due_edit.hasFocus()
    after = action(ctx.db, seeded["soon"])
    assert (after.title, after.due, after.stamp) == (before.title, before.due, before.stamp)
    assert ctx.undo_stack.count() == 0
    # Choosing another action does not lose the typing: it stays, with the message.
    select_title(ws, "Call the council")
    assert ws.editor.action_id == seeded["soon"]
    assert ws.message.isVisible()


def test_an_end_before_the_start_is_shown_beside_ends_and_nothing_changes(qtbot: QtBot, ws: ActionsWorkspace,
                                                                           ctx: AppContext,
                                                                           seeded: dict[str, str]) -> None:
    """A meeting from 18:00 to 17:00 was saved as typed, and its calendar event got an hour's default length."""
    select_title(ws, "Plant bulbs")
    before = action(ctx.db, seeded["soon"])
    ws.editor.starts_edit.setText("2031-01-02 18:00")
    ws.editor.ends_edit.setText("2031-01-02 17:00")
    qtbot.mouseClick(ws.editor.save_button, Qt.MouseButton.LeftButton)
    assert ws.editor.errors["ends_at"].isVisible()
    assert ws.editor.errors["ends_at"].text() == "⚠ An action cannot end before it starts (2031-01-02 18:00)."
    after = action(ctx.db, seeded["soon"])
    assert (after.starts_at, after.ends_at, after.stamp) == (before.starts_at, before.ends_at, before.stamp)
    assert ctx.undo_stack.count() == 0
    ws.editor.ends_edit.setText("2031-01-02 19:30")
    qtbot.mouseClick(ws.editor.save_button, Qt.MouseButton.LeftButton)
    assert (action(ctx.db, seeded["soon"]).starts_at, action(ctx.db, seeded["soon"]).ends_at) == (
        "2031-01-02T18:00", "2031-01-02T19:30")


def test_empty_title_is_refused(qtbot: QtBot, ws: ActionsWorkspace, ctx: AppContext) -> None:
    ws.new_action()
    qtbot.keyClicks(ws.editor.location_edit, "Somewhere")
    ws.editor.save()
    assert "needs a title" in ws.editor.errors["title"].text()
    with ctx.db.read() as session:
        assert len(session.exec(select(Action)).all()) == 2


def test_switching_action_saves_pending_edit(ws: ActionsWorkspace, ctx: AppContext, seeded: dict[str, str]) -> None:
    select_title(ws, "Plant bulbs")
    ws.editor.location_edit.setText("Allotment 4")
    select_title(ws, "Call the council")
    assert action(ctx.db, seeded["soon"]).location == "Allotment 4"
    assert ws.editor.action_id == seeded["late"]
    assert ws.selected_id() == seeded["late"]  # the list shows the same action as the editor


def test_mark_done_asks_for_outcome_then_undo(qtbot: QtBot, ws: ActionsWorkspace, ctx: AppContext,
                                              seeded: dict[str, str]) -> None:
    select_title(ws, "Call the council")
    qtbot.mouseClick(ws.editor.done_button, Qt.MouseButton.LeftButton)
    dialog = ws.findChild(OutcomeDialog)
    assert dialog is not None
    type_text(dialog.outcome_edit, "Grant agreed — €500")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    done = action(ctx.db, seeded["late"])
    assert (done.status, done.outcome) == ("done", "Grant agreed — €500")
    assert "Call the council" not in shown_titles(ws)  # the default filter shows what is still to do
    ctx.undo_stack.undo()
    back = action(ctx.db, seeded["late"])
    assert (back.status, back.outcome) == ("open", "")
    assert "Call the council" in shown_titles(ws)


def test_link_and_unlink_contacts_with_roles(qtbot: QtBot, ws: ActionsWorkspace, ctx: AppContext,
                                             seeded: dict[str, str]) -> None:
    select_title(ws, "Plant bulbs")
    qtbot.mouseClick(ws.editor.links.link_button, Qt.MouseButton.LeftButton)
    picker = ws.findChild(ContactPickerDialog)
    assert picker is not None
    qtbot.keyClicks(picker.search_edit, "hadd")
    picker.search_now()
    picker.role_combo.setCurrentIndex(picker.role_combo.findData("attendee"))
    qtbot.keyClick(picker.search_edit, Qt.Key.Key_Return)
    links = ws.editor.links.model.rows
    assert [(r.name, r.role) for r in links] == [("Omar Haddad", "attendee")]
    with ctx.db.read() as session:
        link = session.exec(select(ActionLink).where(ActionLink.action_id == seeded["soon"])).one()
    assert (link.contact_id, link.role, link.deleted) == (seeded["omar"], "attendee", False)
    ws.editor.links.view.setFocus()
    ws.editor.links.view.setCurrentIndex(ws.editor.links.model.index(0, 0))
    qtbot.keyClick(ws.editor.links.view, Qt.Key.Key_Delete)
    with ctx.db.read() as session:
        assert session.get(ActionLink, link.id).deleted  # type: ignore[union-attr]
    assert ws.editor.links.model.rowCount() == 0
    ctx.undo_stack.undo()
    with ctx.db.read() as session:
        assert not session.get(ActionLink, link.id).deleted  # type: ignore[union-attr]
    assert ws.editor.links.model.rowCount() == 1


def test_delete_with_key_and_undo(qtbot: QtBot, ws: ActionsWorkspace, ctx: AppContext,
                                  seeded: dict[str, str]) -> None:
    select_title(ws, "Plant bulbs")
    qtbot.keyClick(ws.view, Qt.Key.Key_Delete)
    assert action(ctx.db, seeded["soon"]).deleted
    assert shown_titles(ws) == ["Call the council"]
    assert ws.editor.action_id == ""
    assert ws.message.text() == "Deleted “Plant bulbs”. Undo with Ctrl+Z." and not ws.message.isHidden()
    ctx.undo_stack.undo()
    assert not action(ctx.db, seeded["soon"]).deleted
    assert ws.message.isHidden()  # an undone delete no longer says "Deleted"
    ctx.undo_stack.redo()
    assert ws.message.isHidden()  # nor does the redo bring back a note about another moment
    assert action(ctx.db, seeded["soon"]).deleted
    ctx.undo_stack.undo()
    assert shown_titles(ws) == ["Call the council", "Plant bulbs"]


def test_filter_bar(qtbot: QtBot, ws: ActionsWorkspace, seeded: dict[str, str]) -> None:
    assert shown_titles(ws) == ["Call the council", "Plant bulbs"]
    assert ws.count_label.text() == "2 actions"
    ws.filter_bar.overdue_check.click()
    assert shown_titles(ws) == ["Call the council"]
    ws.filter_bar.overdue_check.click()
    ws.filter_bar.group_combo.setCurrentIndex(ws.filter_bar.group_combo.findData(seeded["garden"]))
    assert shown_titles(ws) == ["Plant bulbs"]
    ws.filter_bar.group_combo.setCurrentIndex(0)
    ws.filter_bar.week_check.click()
    assert shown_titles(ws) == []
    ws.filter_bar.week_check.click()
    qtbot.mouseClick(ws.filter_bar.owner_button, Qt.MouseButton.LeftButton)
    picker = ws.findChild(ContactPickerDialog)
    assert picker is not None
    qtbot.keyClicks(picker.search_edit, "anna")
    picker.search_now()
    qtbot.keyClick(picker.search_edit, Qt.Key.Key_Return)
    assert ws.filter_bar.owner_button.text() == "Anna Kowalska"
    assert shown_titles(ws) == ["Call the council"]
    qtbot.mouseClick(ws.filter_bar.clear_owner_button, Qt.MouseButton.LeftButton)
    ws.filter_bar.status_combo.setCurrentIndex(ws.filter_bar.status_combo.findData("done"))
    assert shown_titles(ws) == []


def test_open_record_from_elsewhere(ws: ActionsWorkspace, seeded: dict[str, str]) -> None:
    ws.open_record(seeded["late"])
    assert ws.editor.title_edit.text() == "Call the council"
    assert ws.selected_id() == seeded["late"]
    assert [r.name for r in ws.editor.links.model.rows] == ["Anna Kowalska"]



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


def test_action_of_a_deleted_group_keeps_its_group(ws: ActionsWorkspace, ctx: AppContext,
                                                   seeded: dict[str, str]) -> None:
    from oursociety_desktop.models.groups import delete_group

    with ctx.db.write() as tx:
        delete_group(tx, seeded["garden"])
    ctx.events.announce("group")
    ws.open_record(seeded["soon"])
    assert ws.editor.group_combo.currentText() == "(group not available here)"
    ws.editor.location_edit.setText("Shed")
    assert ws.editor.save() == seeded["soon"]
    saved = action(ctx.db, seeded["soon"])
    assert (saved.group_id, saved.location) == (seeded["garden"], "Shed")  # saving did not drop the group


def test_pending_edit_is_saved_when_the_workspace_is_hidden(ws: ActionsWorkspace, ctx: AppContext,
                                                            seeded: dict[str, str]) -> None:
    select_title(ws, "Plant bulbs")
    ws.editor.location_edit.setText("Community garden")
    ws.hide()  # switching workspace or closing the window
    assert action(ctx.db, seeded["soon"]).location == "Community garden"
    with ctx.db.write() as tx:
        create_action(tx, {"title": "Made elsewhere"})
    ctx.events.announce("action")
    assert "Made elsewhere" not in shown_titles(ws)  # hidden: nothing read yet
    ws.show()
    assert "Made elsewhere" in shown_titles(ws)


def test_a_click_on_a_heading_sorts_the_list_and_a_third_click_restores_its_own_order(ws: ActionsWorkspace) -> None:
    assert shown_titles(ws) == ["Call the council", "Plant bulbs"]  # its own order, by date
    assert ws.view.horizontalHeader().sortIndicatorSection() == -1  # no heading claims to sort it
    ws.view.sortByColumn(COL_TITLE, Qt.SortOrder.DescendingOrder)
    assert shown_titles(ws) == ["Plant bulbs", "Call the council"]
    ws.view.sortByColumn(COL_TITLE, Qt.SortOrder.AscendingOrder)
    assert shown_titles(ws) == ["Call the council", "Plant bulbs"]
    ws.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # what a third click does
    assert ws.model.order is None and shown_titles(ws) == ["Call the council", "Plant bulbs"]
    ws.view.sortByColumn(COL_OWNERS, Qt.SortOrder.AscendingOrder)  # not sortable: the list keeps its own order
    assert ws.model.order is None
