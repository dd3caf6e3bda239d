"""Offers and needs entered from the window (not only the command line): new, edited, deleted, each undone and
redone like other edits; a refused one says why beside the form and changes nothing; entries feed matching."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlmodel import select

from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.tables import Need, Offer
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.learning.offer_editor import COL_PERSON, COL_SIDE, COL_TEXT
from oursociety_desktop.ui.learning.offers_view import OffersNeedsWorkspace


@pytest.fixture
def people(db: Database) -> dict[str, str]:
    with db.write() as tx:
        return {"ann": create_contact(tx, {"given_name": "Ann", "family_name": "Lee", "locality": "Hulme"}).id,
                "ray": create_contact(tx, {"given_name": "Ray", "family_name": "Park", "locality": "Hulme"}).id}


@pytest.fixture
def ws(qtbot: QtBot, ctx: AppContext, people: dict[str, str]) -> Iterator[OffersNeedsWorkspace]:
    widget = OffersNeedsWorkspace(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    widget.tabs.setCurrentWidget(widget.entries)
    yield widget


def records(db: Database) -> list[tuple[str, str, bool]]:
    with db.read() as session:
        rows = [("offer", o.text, o.deleted) for o in session.exec(select(Offer)).all()]
        return rows + [("need", n.text, n.deleted) for n in session.exec(select(Need)).all()]


def shown(ws: OffersNeedsWorkspace) -> list[tuple[str, str, str]]:
    model = ws.entries.model
    return [(model.data(model.index(r, COL_SIDE)), model.data(model.index(r, COL_PERSON)),
             model.data(model.index(r, COL_TEXT))) for r in range(model.rowCount())]


def test_an_offer_and_a_need_are_entered_then_matched(qtbot: QtBot, ws: OffersNeedsWorkspace, db: Database,
                                                      people: dict[str, str]) -> None:
    panel = ws.entries
    qtbot.mouseClick(panel.new_offer_button, Qt.MouseButton.LeftButton)
    panel.editor.person.set_contact(people["ray"])
    qtbot.keyClicks(panel.editor.text, "Bike repair in my shed")
    qtbot.keyClicks(panel.editor.themes, "Bike Repair, cycling")
    qtbot.keyClicks(panel.editor.availability, "weekends")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.new_need_button, Qt.MouseButton.LeftButton)
    panel.editor.person.set_contact(people["ann"])
    panel.editor.kind.setCurrentIndex(panel.editor.kind.findData("skill"))
    for ch in "Mój rower potrzebuje naprawy, bike repair":  # non-ASCII typed key by key
        QTest.sendKeyEvent(QTest.KeyAction.Click, panel.editor.text, Qt.Key.Key_unknown, ch,
                           Qt.KeyboardModifier.NoModifier)
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert shown(ws) == [("offer", "Ray Park", "Bike repair in my shed"),
                         ("need", "Ann Lee", "Mój rower potrzebuje naprawy, bike repair")]
    with db.read() as session:
        [offer] = session.exec(select(Offer)).all()
        [need] = session.exec(select(Need)).all()
    assert offer.themes == ["bike repair", "cycling"] and offer.locality == "Hulme"  # the person's place
    assert offer.availability == "weekends" and need.kind == "skill"
    ws.tabs.setCurrentIndex(0)
    ws.find_matches()
    match = ws.selected()
    assert match is not None and (match.need_id, match.offer_id) == (need.id, offer.id)
    assert "bike repair" in match.reason and "both in Hulme" in match.reason


def test_edit_delete_and_new_are_each_one_undo_step(qtbot: QtBot, ws: OffersNeedsWorkspace, ctx: AppContext,
                                                    db: Database, people: dict[str, str]) -> None:
    panel = ws.entries
    panel.new_record("need")
    panel.editor.person.set_contact(people["ann"])
    qtbot.keyClicks(panel.editor.text, "A van on Saturday")
    panel.save()
    panel.editor.text.setPlainText("A van on Sunday")
    panel.editor.until.setText("2099-01-31")
    panel.save()
    assert records(db) == [("need", "A van on Sunday", False)]
    panel.delete_current()
    assert records(db) == [("need", "A van on Sunday", True)] and shown(ws) == []
    ctx.undo_stack.undo()  # the delete
    assert shown(ws) == [("need", "Ann Lee", "A van on Sunday")]
    ctx.undo_stack.undo()  # the edit
    assert records(db) == [("need", "A van on Saturday", False)]
    assert shown(ws) == [("need", "Ann Lee", "A van on Saturday")]
    ctx.undo_stack.undo()  # the creation
    assert records(db) == [("need", "A van on Saturday", True)] and shown(ws) == []
    ctx.undo_stack.redo()  # the same record comes back
    assert records(db) == [("need", "A van on Saturday", False)]


def test_a_refused_entry_says_why_and_changes_nothing(qtbot: QtBot, ws: OffersNeedsWorkspace, ctx: AppContext,
                                                      db: Database, people: dict[str, str]) -> None:
    panel = ws.entries
    panel.new_record("offer")
    qtbot.keyClicks(panel.editor.text, "Guitar lessons")
    panel.save()  # nobody chosen
    assert "contact" in panel.message.text().lower() or "whose" in panel.message.text().lower()
    panel.editor.person.set_contact(people["ray"])
    panel.editor.text.setPlainText("   ")
    panel.save()
    assert "empty" in panel.message.text()
    panel.editor.text.setPlainText("Guitar lessons")
    panel.editor.until.setText("next blue moon")
    panel.save()
    assert panel.message.isVisible() and "next blue moon' is not a date" in panel.message.text()
    assert records(db) == [] and ctx.undo_stack.count() == 0


def test_one_persons_list(qtbot: QtBot, ws: OffersNeedsWorkspace, people: dict[str, str]) -> None:
    panel = ws.entries
    for who, text in (("ann", "Sewing"), ("ray", "Cooking")):
        panel.new_record("offer")
        panel.editor.person.set_contact(people[who])
        panel.editor.text.setPlainText(text)
        panel.save()
    panel.only_person.set_contact(people["ann"])
    assert [t for _s, _p, t in shown(ws)] == ["Sewing"]
    panel.new_record("need")
    assert panel.editor.person.contact_id == people["ann"]  # a new one is for the person shown
    qtbot.mouseClick(panel.everyone_button, Qt.MouseButton.LeftButton)
    assert sorted(t for _s, _p, t in shown(ws)) == ["Cooking", "Sewing"]


def test_what_is_offered_or_needed_can_be_read_in_the_list(ws: OffersNeedsWorkspace) -> None:
    # As the stretching column, "What" got the width the seven others left beside the editor: about 35 pixels.
    header = ws.entries.view.horizontalHeader()
    char = ws.entries.view.fontMetrics().horizontalAdvance("0")
    assert header.sectionSize(COL_TEXT) >= 30 * char
