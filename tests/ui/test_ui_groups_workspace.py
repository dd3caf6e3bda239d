"""The Groups workspace driven as a user would: tree, group dialog, members, picker, roles, undo."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot
from sqlmodel import select

from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.groups import add_member, create_group
from oursociety_desktop.models.tables import Group, Membership
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.groups.group_dialog import GroupDialog
from oursociety_desktop.ui.groups.group_tree_model import COL_MEMBERS
from oursociety_desktop.ui.groups.workspace import GroupsWorkspace
from oursociety_desktop.ui.widgets.contact_picker import ContactPickerDialog


@pytest.fixture
def seeded(db: Database) -> dict[str, str]:
    with db.write() as tx:
        ids = {
            "anna": create_contact(tx, {"given_name": "Anna", "family_name": "Kowalska"}).id,
            "omar": create_contact(tx, {"given_name": "Omar", "family_name": "Haddad"}).id,
            "zofia": create_contact(tx, {"given_name": "Zofia", "family_name": "Łukasiewicz"}).id,
        }
        garden = create_group(tx, {"name": "Garden"})
        ids["garden"] = garden.id
        ids["beds"] = create_group(tx, {"name": "Raised beds", "parent_id": garden.id}).id
        ids["food"] = create_group(tx, {"name": "Food bank"}).id
        add_member(tx, garden.id, ids["anna"], "coordinator")
        add_member(tx, garden.id, ids["omar"])
    return ids


@pytest.fixture
def ws(qtbot: QtBot, ctx: AppContext, seeded: dict[str, str]) -> Iterator[GroupsWorkspace]:
    widget = GroupsWorkspace(ctx)
    qtbot.addWidget(widget)
    widget.show()
    yield widget


def live_members(db: Database, group_id: str) -> dict[str, str]:
    with db.read() as session:
        rows = session.exec(select(Membership).where(Membership.group_id == group_id,
                                                     Membership.deleted == False)).all()  # noqa: E712
        return {m.contact_id: m.role for m in rows}


def group_by_name(db: Database, name: str) -> Group | None:
    with db.read() as session:
        return session.exec(select(Group).where(Group.name == name)).first()


def test_tree_shows_nesting_and_member_counts(ws: GroupsWorkspace, seeded: dict[str, str]) -> None:
    model = ws.tree_model
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["Food bank", "Garden"]
    garden = model.index_of(seeded["garden"])
    assert garden.siblingAtColumn(COL_MEMBERS).data() == 2
    assert model.index(0, 0, garden).data() == "Raised beds"
    assert ws.current_group_id() == seeded["food"]


def test_create_group_inside_another_then_undo(qtbot: QtBot, ws: GroupsWorkspace, ctx: AppContext,
                                               seeded: dict[str, str]) -> None:
    qtbot.mouseClick(ws.new_button, Qt.MouseButton.LeftButton)
    dialog = ws.findChild(GroupDialog)
    assert dialog is not None
    qtbot.keyClicks(dialog.name_edit, "Seed swap")
    dialog.parent_combo.setCurrentIndex(dialog.parent_combo.findData(seeded["garden"]))
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    group = group_by_name(ctx.db, "Seed swap")
    assert group is not None and group.parent_id == seeded["garden"] and not group.deleted
    assert ws.current_group_id() == group.id
    ctx.undo_stack.undo()
    assert group_by_name(ctx.db, "Seed swap").deleted  # type: ignore[union-attr]
    assert ws.tree_model.group(group.id) is None
    ctx.undo_stack.redo()
    assert not group_by_name(ctx.db, "Seed swap").deleted  # type: ignore[union-attr]


def test_empty_name_is_refused_and_nothing_changes(qtbot: QtBot, ws: GroupsWorkspace, ctx: AppContext) -> None:
    with ctx.db.read() as session:
        before = len(session.exec(select(Group)).all())
    ws.new_group()
    dialog = ws.findChild(GroupDialog)
    assert dialog is not None
    qtbot.keyClicks(dialog.name_edit, "   ")
    dialog.accept()
    assert dialog.isVisible()
    assert "needs a name" in dialog.error_label.text()
    with ctx.db.read() as session:
        assert len(session.exec(select(Group)).all()) == before
    assert ctx.undo_stack.count() == 0


def test_rename_and_move_with_undo(qtbot: QtBot, ws: GroupsWorkspace, ctx: AppContext,
                                   seeded: dict[str, str]) -> None:
    ws.open_record(seeded["food"])
    qtbot.keyClick(ws.tree, Qt.Key.Key_F2)
    dialog = ws.findChild(GroupDialog)
    assert dialog is not None
    # A group cannot be moved inside itself: it is not offered.
    assert dialog.parent_combo.findData(seeded["food"]) == -1
    dialog.name_edit.selectAll()
    qtbot.keyClicks(dialog.name_edit, "Food pantry")
    dialog.parent_combo.setCurrentIndex(dialog.parent_combo.findData(seeded["garden"]))
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    group = group_by_name(ctx.db, "Food pantry")
    assert group is not None and group.parent_id == seeded["garden"]
    assert ws.tree_model.index_of(seeded["food"]).parent().data() == "Garden"
    ctx.undo_stack.undo()
    group = group_by_name(ctx.db, "Food bank")
    assert group is not None and group.parent_id == ""


def test_moving_a_group_into_its_own_subgroup_is_refused(ws: GroupsWorkspace, ctx: AppContext,
                                                         seeded: dict[str, str]) -> None:
    ws.open_record(seeded["garden"])
    ws.edit_group()
    dialog = ws.findChild(GroupDialog)
    assert dialog is not None
    assert dialog.parent_combo.findData(seeded["beds"]) == -1
    assert dialog.parent_combo.findData(seeded["food"]) >= 0


def test_delete_group_with_subgroups_and_undo(qtbot: QtBot, ws: GroupsWorkspace, ctx: AppContext,
                                              seeded: dict[str, str]) -> None:
    ws.open_record(seeded["garden"])
    ws.tree.setFocus()
    qtbot.keyClick(ws.tree, Qt.Key.Key_Delete)
    assert group_by_name(ctx.db, "Garden").deleted  # type: ignore[union-attr]
    assert group_by_name(ctx.db, "Raised beds").deleted  # type: ignore[union-attr]
    assert ws.tree_model.rowCount() == 1
    assert ws.message.text() == "Deleted “Garden” and 1 sub-group. Undo with Ctrl+Z."
    ctx.undo_stack.undo()
    assert ws.message.isHidden()
    assert not group_by_name(ctx.db, "Garden").deleted  # type: ignore[union-attr]
    assert not group_by_name(ctx.db, "Raised beds").deleted  # type: ignore[union-attr]
    assert live_members(ctx.db, seeded["garden"]) == {seeded["anna"]: "coordinator", seeded["omar"]: "member"}


def test_members_listed_coordinators_first(ws: GroupsWorkspace, seeded: dict[str, str]) -> None:
    ws.open_record(seeded["garden"])
    model = ws.members_model
    assert [(model.index(r, 0).data(), model.index(r, 1).data()) for r in range(model.rowCount())] == [
        ("Anna Kowalska", "coordinator"), ("Omar Haddad", "member")]
    assert "2 members" in ws.detail_label.text()


def test_add_member_with_picker_typing_non_ascii(qtbot: QtBot, ws: GroupsWorkspace, ctx: AppContext,
                                                 seeded: dict[str, str]) -> None:
    from PySide6.QtTest import QTest

    ws.open_record(seeded["garden"])
    qtbot.mouseClick(ws.add_member_button, Qt.MouseButton.LeftButton)
    picker = ws.findChild(ContactPickerDialog)
    assert picker is not None
    for ch in "łuk":
        QTest.sendKeyEvent(QTest.KeyAction.Click, picker.search_edit, Qt.Key.Key_unknown, ch,
                           Qt.KeyboardModifier.NoModifier)
    picker.search_now()
    assert picker.model.rowCount() == 1
    picker.role_combo.setCurrentIndex(picker.role_combo.findData("coordinator"))
    qtbot.keyClick(picker.search_edit, Qt.Key.Key_Return)
    assert live_members(ctx.db, seeded["garden"])[seeded["zofia"]] == "coordinator"
    assert ws.tree_model.index_of(seeded["garden"]).siblingAtColumn(COL_MEMBERS).data() == 3
    ctx.undo_stack.undo()
    assert seeded["zofia"] not in live_members(ctx.db, seeded["garden"])
    assert ws.members_model.rowCount() == 2


def test_remove_member_by_keyboard_and_undo(qtbot: QtBot, ws: GroupsWorkspace, ctx: AppContext,
                                            seeded: dict[str, str]) -> None:
    ws.open_record(seeded["garden"])
    ws.members_view.setFocus()
    ws.members_view.selectRow(1)
    qtbot.keyClick(ws.members_view, Qt.Key.Key_Delete)
    assert live_members(ctx.db, seeded["garden"]) == {seeded["anna"]: "coordinator"}
    ctx.undo_stack.undo()
    assert live_members(ctx.db, seeded["garden"]) == {seeded["anna"]: "coordinator", seeded["omar"]: "member"}


def test_change_role_and_undo(ws: GroupsWorkspace, ctx: AppContext, seeded: dict[str, str]) -> None:
    ws.open_record(seeded["garden"])
    ws.members_view.selectRow(1)
    assert ws.current_member_id() == seeded["omar"]
    ws.role_combo.setCurrentIndex(ws.role_combo.findData("coordinator"))
    ws.role_combo.activated.emit(ws.role_combo.currentIndex())
    assert live_members(ctx.db, seeded["garden"])[seeded["omar"]] == "coordinator"
    ctx.undo_stack.undo()
    assert live_members(ctx.db, seeded["garden"])[seeded["omar"]] == "member"


def test_refreshes_when_another_view_changes_memberships(ws: GroupsWorkspace, ctx: AppContext,
                                                         seeded: dict[str, str]) -> None:
    ws.open_record(seeded["food"])
    with ctx.db.write() as tx:
        add_member(tx, seeded["food"], seeded["zofia"])
    ctx.events.announce("membership")
    assert ws.members_model.rowCount() == 1
    assert ws.tree_model.index_of(seeded["food"]).siblingAtColumn(COL_MEMBERS).data() == 1



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


def test_keyboard_only_flow(qtbot: QtBot, ws: GroupsWorkspace, ctx: AppContext, seeded: dict[str, str]) -> None:
    ws.open_record(seeded["garden"])
    ws.tree.setFocus()
    qtbot.keyClick(ws.tree, Qt.Key.Key_Return)  # Enter opens the group: focus goes to its members
    assert ws.members_view.hasFocus()
    qtbot.keyClick(ws.members_view, Qt.Key.Key_Insert)  # Insert adds a member
    picker = ws.findChild(ContactPickerDialog)
    assert picker is not None
    qtbot.keyClicks(picker.search_edit, "zof")
    qtbot.keyClick(picker.search_edit, Qt.Key.Key_Return)
    assert seeded["zofia"] in live_members(ctx.db, seeded["garden"])
    qtbot.keyClick(ws.new_button, Qt.Key.Key_Space)  # New group is the window's Ctrl+Shift+N now
    dialog = ws.findChild(GroupDialog)
    assert dialog is not None
    qtbot.keyClicks(dialog.name_edit, "Youth")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    assert group_by_name(ctx.db, "Youth") is not None
