"""The contact picker: FTS search as you type, arrow keys from the search field, Enter picks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from oursociety_desktop.models.contacts import create_contact, delete_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.widgets.contact_picker import (
    ID_ROLE,
    ContactPickerDialog,
    ContactSearchModel,
    open_contact_picker,
)


@pytest.fixture
def people(db: Database) -> dict[str, str]:
    with db.write() as tx:
        ids = {
            "anna": create_contact(tx, {"given_name": "Anna", "family_name": "Kowalska", "locality": "Leeds"}).id,
            "annie": create_contact(tx, {"given_name": "Annie", "family_name": "Brown",
                                         "organisation": "Food Bank"}).id,
            "zofia": create_contact(tx, {"given_name": "Zofia", "family_name": "Łukasiewicz"}).id,
            "wei": create_contact(tx, {"display_name": "王伟", "phones": [{"label": "", "value": "07700 900123"}]}).id,
            "gone": create_contact(tx, {"given_name": "Anneliese", "family_name": "Gone"}).id,
        }
        delete_contact(tx, ids["gone"])
    return ids


def type_chars(widget: QWidget, text: str) -> None:
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


def test_model_search(qtbot: QtBot, ctx: AppContext, people: dict[str, str]) -> None:
    model = ContactSearchModel(ctx)
    model.search("")
    assert [model.index(r, 0).data(ID_ROLE) for r in range(model.rowCount())] == [
        people["annie"], people["anna"], people["zofia"], people["wei"]]  # A–Z by family name; deleted left out
    model.search("ann")
    assert {model.index(r, 0).data(ID_ROLE) for r in range(model.rowCount())} == {people["anna"], people["annie"]}
    assert "Food Bank" in [model.index(r, 0).data() for r in range(model.rowCount())][
        [model.index(r, 0).data(ID_ROLE) for r in range(2)].index(people["annie"])]
    model.search("lukas")  # ł folded
    assert [model.index(r, 0).data(ID_ROLE) for r in range(model.rowCount())] == [people["zofia"]]
    model.search("900 123")
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["王伟"]
    excluded = ContactSearchModel(ctx, exclude=[people["anna"]])
    excluded.search("ann")
    assert [excluded.index(r, 0).data(ID_ROLE) for r in range(excluded.rowCount())] == [people["annie"]]


def test_keyboard_type_arrows_enter(qtbot: QtBot, ctx: AppContext, people: dict[str, str]) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    chosen: list[tuple[str, str]] = []
    dialog = open_contact_picker(ctx, host, "Pick", lambda cid, role: chosen.append((cid, role)),
                                 roles=[("member", "member"), ("coordinator", "coordinator")])
    assert dialog.model.rowCount() == 4  # everyone A–Z before typing
    qtbot.keyClicks(dialog.search_edit, "ann")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=2000)  # debounced search ran by itself
    first = dialog.chosen_id()
    qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Down)
    second = dialog.chosen_id()
    assert {first, second} == {people["anna"], people["annie"]}
    assert dialog.search_edit.text() == "ann"  # the cursor stayed in the search field
    dialog.role_combo.setCurrentIndex(1)
    qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Return)
    assert chosen == [(second, "coordinator")]
    assert not dialog.isVisible()


def test_enter_right_after_typing_uses_the_fresh_results(qtbot: QtBot, ctx: AppContext,
                                                         people: dict[str, str]) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    chosen: list[str] = []
    dialog = open_contact_picker(ctx, host, "Pick", lambda cid, _role: chosen.append(cid))
    assert dialog.role_combo.isHidden()
    type_chars(dialog.search_edit, "Łuk")
    qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Return)  # before the debounce timer fired
    assert chosen == [people["zofia"]]


def test_no_match_cannot_be_accepted(qtbot: QtBot, ctx: AppContext, people: dict[str, str]) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    chosen: list[str] = []
    dialog = ContactPickerDialog(ctx, "Pick", parent=host)
    dialog.accepted.connect(lambda: chosen.append(dialog.chosen_id()))
    dialog.open()
    qtbot.keyClicks(dialog.search_edit, "zzzz")
    dialog.search_now()
    assert dialog.model.rowCount() == 0 and not dialog.ok_button.isEnabled()
    assert dialog.status.text() == "No contact matches."
    qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Return)
    assert chosen == [] and dialog.isVisible()
    qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Escape)
    assert chosen == [] and not dialog.isVisible()


def test_every_input_has_an_accessible_name(qtbot: QtBot, ctx: AppContext, people: dict[str, str]) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    dialog = ContactPickerDialog(ctx, "Pick", roles=[("owner", "owner")], parent=host)
    for widget in (dialog.search_edit, dialog.list_view, dialog.role_combo):
        assert widget.accessibleName()


def test_a_full_list_says_it_is_the_first_matches_only(qtbot: QtBot, ctx: AppContext, db: Database) -> None:
    with db.write() as tx:
        for number in range(60):
            create_contact(tx, {"given_name": f"Person{number:02d}", "family_name": "Test"})
    dialog = ContactPickerDialog(ctx, "Pick")
    qtbot.addWidget(dialog)
    assert dialog.status.text() == "The first 50 matches are shown; type more of a name to narrow them."
    type_chars(dialog.search_edit, "Person05")
    dialog.search_now()
    assert dialog.status.text() == "1 match shown."
