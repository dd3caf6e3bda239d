"""The Learning workspace and the Offers & needs view, driven as a user would (real widgets, offscreen)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlmodel import select

from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.lessons import create_lesson
from oursociety_desktop.models.offers import create_need, create_offer
from oursociety_desktop.models.tables import Connection, Lesson, LessonPerson, MatchDecision
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.learning.lesson_model import COL_TITLE, LESSON_ROW_ROLE
from oursociety_desktop.ui.learning.offers_view import COL_WHY, OffersNeedsWorkspace
from oursociety_desktop.ui.learning.workspace import LearningWorkspace


@pytest.fixture
def lessons(db: Database) -> dict[str, str]:
    with db.write() as tx:
        nina = create_contact(tx, {"given_name": "Nina", "family_name": "Okafor"}).id
        return {
            "tea": create_lesson(tx, {"title": "Tea first, agenda second", "themes": ["meetings"],
                                      "date": "2025-03-01", "challenge": "Few came back"}, {nina: True}).id,
            "garden": create_lesson(tx, {"title": "Ο κήπος χρειάζεται πρόγραμμα", "themes": ["growing"],
                                         "kind": "story", "date": "2026-05-02",
                                         "advice": "Write the watering rota down"}).id,
        }


@pytest.fixture
def learning(qtbot: QtBot, ctx: AppContext, lessons: dict[str, str]) -> Iterator[LearningWorkspace]:
    widget = LearningWorkspace(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    yield widget


def titles(ws: LearningWorkspace) -> list[str]:
    return [ws.model.data(ws.model.index(r, COL_TITLE)) for r in range(ws.model.rowCount())]


def type_text(widget: object, text: str) -> None:
    for ch in text:  # non-ASCII through sendKeyEvent (qtbot.keyClicks aborts on it)
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch,  # type: ignore[arg-type]
                           Qt.KeyboardModifier.NoModifier)


def test_the_list_searches_every_field_in_any_script_and_filters(qtbot: QtBot, learning: LearningWorkspace) -> None:
    assert titles(learning) == ["Ο κήπος χρειάζεται πρόγραμμα", "Tea first, agenda second"]
    type_text(learning.search, "ροταν")  # no lesson has that word
    qtbot.waitUntil(lambda: titles(learning) == [])
    learning.search.clear()
    type_text(learning.search, "κηπος")  # folded: no accent typed
    qtbot.waitUntil(lambda: titles(learning) == ["Ο κήπος χρειάζεται πρόγραμμα"])
    learning.search.clear()
    qtbot.keyClicks(learning.search, "watering")  # a word of the advice field
    qtbot.waitUntil(lambda: titles(learning) == ["Ο κήπος χρειάζεται πρόγραμμα"])
    learning.search.clear()
    qtbot.waitUntil(lambda: len(titles(learning)) == 2)
    learning.theme.setCurrentIndex(learning.theme.findData("meetings"))
    assert titles(learning) == ["Tea first, agenda second"]
    assert learning.editor.shown_people() == [("Nina Okafor", True)]
    learning.theme.setCurrentIndex(0)
    learning.year.setCurrentIndex(learning.year.findData("2026"))
    assert titles(learning) == ["Ο κήπος χρειάζεται πρόγραμμα"]
    learning.year.setCurrentIndex(0)
    learning.kind.setCurrentIndex(learning.kind.findData("story"))
    assert titles(learning) == ["Ο κήπος χρειάζεται πρόγραμμα"]
    learning.kind.setCurrentIndex(0)
    learning.show_theme("Growing")
    assert titles(learning) == ["Ο κήπος χρειάζεται πρόγραμμα"]


def test_a_new_lesson_is_saved_edited_and_undone(qtbot: QtBot, learning: LearningWorkspace, ctx: AppContext,
                                                 db: Database) -> None:
    learning.new_lesson()
    qtbot.keyClicks(learning.editor.title, "Ask the neighbours first")
    qtbot.keyClicks(learning.editor.themes, "listening, Meetings")
    qtbot.keyClicks(learning.editor.long["advice"], "Knock on doors")
    learning.save()
    assert "Ask the neighbours first" in titles(learning)
    with db.read() as session:
        [made] = session.exec(select(Lesson).where(Lesson.title == "Ask the neighbours first")).all()
        assert made.themes == ["listening", "meetings"] and made.advice == "Knock on doors"
    learning.editor.place.setText("Hulme")
    learning.save()
    with db.read() as session:
        assert session.get(Lesson, made.id).place == "Hulme"  # type: ignore[union-attr]
    ctx.undo_stack.undo()
    ctx.undo_stack.undo()
    with db.read() as session:
        assert session.get(Lesson, made.id).deleted  # type: ignore[union-attr]
    learning.refresh()
    assert "Ask the neighbours first" not in titles(learning)


def test_a_lesson_without_a_title_is_refused_with_a_message(learning: LearningWorkspace, db: Database) -> None:
    learning.new_lesson()
    learning.save()
    assert "title" in learning.message.text()
    with db.read() as session:
        assert len(session.exec(select(Lesson)).all()) == 2


def test_offers_and_needs_view_accepts_and_declines(qtbot: QtBot, ctx: AppContext, db: Database) -> None:
    with db.write() as tx:
        ann = create_contact(tx, {"given_name": "Ann", "locality": "Hulme"}).id
        ray = create_contact(tx, {"given_name": "Ray", "locality": "Hulme"}).id
        kit = create_contact(tx, {"given_name": "Kit", "locality": "Gorton"}).id
        bea = create_contact(tx, {"given_name": "Bea"}).id
        need = create_need(tx, {"contact_id": ann, "text": "My bike needs a repair"}).id
        create_offer(tx, {"contact_id": ray, "text": "Bike repair in my shed"})
        create_offer(tx, {"contact_id": kit, "text": "Bike repair, Gorton"})
    view = OffersNeedsWorkspace(ctx)
    qtbot.addWidget(view)
    view.resize(1100, 500)
    view.show()
    assert view.model.rowCount() == 0  # matching runs only when asked
    view.find_matches()
    assert view.model.rowCount() == 2
    first = view.selected()
    assert first is not None and first.need_id == need and first.offer_person == "Ray"
    assert "both in Hulme" in view.model.data(view.model.index(0, COL_WHY))
    view.broker.set_contact(bea)
    view.accept_selected()
    with db.read() as session:
        [made] = session.exec(select(Connection)).all()
        assert made.introduced_by == bea and made.kind == "introduced"
    assert view.model.rowCount() == 1 and view.selected().offer_person == "Kit"  # type: ignore[union-attr]
    view.decline_selected()
    assert view.model.rowCount() == 0
    ctx.undo_stack.undo()  # the decline is forgotten
    view.find_matches()
    assert view.model.rowCount() == 1
    ctx.undo_stack.undo()  # the introduction is taken back
    with db.read() as session:
        assert session.exec(select(Connection)).all()[0].deleted
        assert session.exec(select(MatchDecision)).all() == []


def test_lesson_rows_carry_their_record(learning: LearningWorkspace, lessons: dict[str, str]) -> None:
    row = learning.model.data(learning.model.index(1, 0), LESSON_ROW_ROLE)
    assert row.id == lessons["tea"]


def test_people_are_added_to_a_lesson_with_their_consent_and_undone(learning: LearningWorkspace, ctx: AppContext,
                                                                    db: Database) -> None:
    with db.write() as tx:
        ola = create_contact(tx, {"given_name": "Ola", "family_name": "Nowak"}).id
    learning.theme.setCurrentIndex(learning.theme.findData("meetings"))
    learning.named_box.setChecked(False)
    learning.person_button.set_contact(ola)
    # At this hub everyone is shown by name; the tick says who agreed to be named at other hubs.
    assert learning.editor.shown_people() == [("Nina Okafor", True), ("Ola Nowak", False)]
    with db.read() as session:
        [link] = session.exec(select(LessonPerson).where(LessonPerson.contact_id == ola)).all()
        assert not link.named and link.hub_name == "Test Hub"
    ctx.undo_stack.undo()
    learning.refresh()
    assert learning.editor.shown_people() == [("Nina Okafor", True)]


def test_an_introduction_says_what_it_made_and_the_buttons_need_a_suggestion(qtbot: QtBot, ctx: AppContext,
                                                                             db: Database) -> None:
    with db.write() as tx:
        ann = create_contact(tx, {"given_name": "Ann", "locality": "Hulme"}).id
        ray = create_contact(tx, {"given_name": "Ray", "locality": "Hulme"}).id
        create_need(tx, {"contact_id": ann, "text": "My bike needs a repair"})
        create_offer(tx, {"contact_id": ray, "text": "Bike repair in my shed"})
    view = OffersNeedsWorkspace(ctx)
    qtbot.addWidget(view)
    view.show()
    assert not view.accept_button.isEnabled() and not view.decline_button.isEnabled()  # nothing to act on yet
    view.find_matches()
    assert view.accept_button.isEnabled() and view.decline_button.isEnabled()
    qtbot.mouseClick(view.accept_button, Qt.MouseButton.LeftButton)
    assert view.message.isVisible()
    assert view.message.text() == "Introduced Ann to Ray; a follow-up action is in Actions, due in a week."
    assert ctx.undo_stack.undoText() == "Introduce Ann to Ray"
    assert view.model.rowCount() == 0 and not view.accept_button.isEnabled()
    view.refresh()  # the tab shown again, or a sync's data arriving: the note still holds
    assert view.message.isVisible()
    ctx.undo_stack.undo()
    assert not view.message.isVisible()  # the introduction it spoke of is undone
    view.message.show_error("Matching failed.")
    view.refresh()
    assert not view.message.isVisible()  # an error goes with new data


def test_a_person_withdraws_consent_to_be_named_or_is_taken_out_and_both_undo(
        qtbot: QtBot, learning: LearningWorkspace, ctx: AppContext, db: Database) -> None:
    # People could only be added: a wrong person, or one who no longer wanted their name going to other hubs,
    # stayed in the lesson for good once the edit had left the undo stack.
    learning.theme.setCurrentIndex(learning.theme.findData("meetings"))  # Tea first, with Nina (named)
    assert not learning.remove_person_button.isEnabled()  # nobody chosen in the list yet

    def links() -> list[tuple[bool, bool]]:
        with db.read() as session:
            return [(link.named, link.deleted) for link in session.exec(select(LessonPerson)).all()]

    item = learning.editor.people.item(0)
    item.setCheckState(Qt.CheckState.Unchecked)  # she withdrew her consent to be named
    assert links() == [(False, False)]
    assert learning.editor.shown_people() == [("Nina Okafor", False)]
    assert ctx.undo_stack.undoText() == "Not to be named"
    learning.editor.people.setCurrentRow(0)
    assert learning.remove_person_button.isEnabled()
    qtbot.mouseClick(learning.remove_person_button, Qt.MouseButton.LeftButton)
    assert links() == [(False, True)] and learning.editor.shown_people() == []
    ctx.undo_stack.undo()  # back in the lesson, as she was: not named
    assert links() == [(False, False)]
    ctx.undo_stack.undo()  # and her consent as it was before
    assert links() == [(True, False)]
    assert learning.editor.shown_people() == [("Nina Okafor", True)]  # the list follows the undo
