"""What an organiser types into a lesson or an offer is not lost when they click another row, start a new one, add
a person or leave the workspace without pressing Save: it is saved then, as one undoable edit (as in Actions);
one the core refuses keeps the typing and the row, with the message."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView
from pytestqt.qtbot import QtBot
from sqlmodel import select

from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.lessons import create_lesson
from oursociety_desktop.models.offers import create_need, create_offer
from oursociety_desktop.models.tables import Lesson, LessonPerson, Need, Offer
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.learning.lesson_model import COL_TITLE
from oursociety_desktop.ui.learning.offer_editor import COL_TEXT
from oursociety_desktop.ui.learning.offers_view import OffersNeedsWorkspace
from oursociety_desktop.ui.learning.workspace import LearningWorkspace

LONG_TITLE = "Caawinta casharrada: the homework club story that every new group should read first"


@pytest.fixture
def ids(db: Database) -> dict[str, str]:
    with db.write() as tx:
        ann = create_contact(tx, {"given_name": "Ann", "family_name": "Lee"}).id
        return {
            "ann": ann,
            "tea": create_lesson(tx, {"title": "Tea first, agenda second", "date": "2025-03-01"}).id,
            "club": create_lesson(tx, {"title": LONG_TITLE, "date": "2026-05-02"}).id,
            "offer": create_offer(tx, {"contact_id": ann, "text": "Bike repair in my shed"}).id,
            "need": create_need(tx, {"contact_id": ann, "text": "A van on Saturday"}).id,
        }


@pytest.fixture
def learning(qtbot: QtBot, ctx: AppContext, ids: dict[str, str]) -> Iterator[LearningWorkspace]:
    widget = LearningWorkspace(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget


def click_row(qtbot: QtBot, view: QAbstractItemView, row: int, column: int) -> None:
    rect = view.visualRect(view.model().index(row, column))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def title_of(db: Database, lesson_id: str) -> str:
    with db.read() as session:
        return session.get(Lesson, lesson_id).title  # type: ignore[union-attr]


def test_a_changed_lesson_is_saved_when_another_is_clicked(qtbot: QtBot, learning: LearningWorkspace,
                                                           ctx: AppContext, db: Database,
                                                           ids: dict[str, str]) -> None:
    click_row(qtbot, learning.view, learning.model.row_of(ids["tea"]), COL_TITLE)
    assert learning.editor.title.text() == "Tea first, agenda second"
    learning.editor.title.selectAll()
    qtbot.keyClicks(learning.editor.title, "Tea first, always")
    click_row(qtbot, learning.view, learning.model.row_of(ids["club"]), COL_TITLE)
    assert title_of(db, ids["tea"]) == "Tea first, always"
    assert learning.editor.title.text() == LONG_TITLE  # the clicked lesson is shown
    assert learning.current_id == ids["club"]
    assert [ctx.undo_stack.text(i) for i in range(ctx.undo_stack.count())] == ["Edit lesson"]
    ctx.undo_stack.undo()
    assert title_of(db, ids["tea"]) == "Tea first, agenda second"


def test_a_long_title_shows_its_beginning(learning: LearningWorkspace, ids: dict[str, str]) -> None:
    assert learning.current_id == ids["club"]  # newest first
    assert learning.editor.title.text() == LONG_TITLE
    assert learning.editor.title.cursorPosition() == 0


def test_a_changed_lesson_is_saved_when_the_workspace_is_left_or_a_new_one_started(
        qtbot: QtBot, learning: LearningWorkspace, ctx: AppContext, db: Database, ids: dict[str, str]) -> None:
    learning.editor.place.setText("Hulme")
    learning.hide()  # another workspace, or the window closed
    with db.read() as session:
        assert session.get(Lesson, ids["club"]).place == "Hulme"  # type: ignore[union-attr]
    learning.show()
    learning.new_lesson()
    qtbot.keyClicks(learning.editor.title, "Ask the neighbours first")
    learning.new_lesson()  # a second new one: the first is kept
    with db.read() as session:
        assert [lesson.title for lesson in session.exec(select(Lesson).order_by(Lesson.title)).all()] == [
            "Ask the neighbours first", LONG_TITLE, "Tea first, agenda second"]
    assert learning.editor.title.text() == "" and learning.current_id == ""
    assert ctx.undo_stack.count() == 2


def test_a_refused_lesson_keeps_the_typing_and_says_why(qtbot: QtBot, learning: LearningWorkspace, ctx: AppContext,
                                                        db: Database, ids: dict[str, str]) -> None:
    learning.new_lesson()
    qtbot.keyClicks(learning.editor.long["challenge"], "Nobody came back")
    click_row(qtbot, learning.view, learning.model.row_of(ids["tea"]), COL_TITLE)
    assert "title" in learning.message.text()
    assert learning.current_id == "" and learning.editor.long["challenge"].toPlainText() == "Nobody came back"
    qtbot.waitUntil(lambda: learning.view.selectionModel().selectedRows() == [])  # the clicked row is not shown
    assert learning.editor.long["challenge"].toPlainText() == "Nobody came back"
    assert ctx.undo_stack.count() == 0
    with db.read() as session:
        assert len(session.exec(select(Lesson)).all()) == 2


def test_a_person_added_to_a_new_lesson_saves_it_first(qtbot: QtBot, learning: LearningWorkspace, db: Database,
                                                       ids: dict[str, str]) -> None:
    learning.new_lesson()
    learning.person_button.set_contact(ids["ann"])  # nothing typed: nothing to add them to
    assert learning.message.text() == "Give the lesson a title and save it before adding people to it."
    qtbot.keyClicks(learning.editor.title, "Walk the estate together")
    learning.person_button.set_contact(ids["ann"])
    with db.read() as session:
        [made] = session.exec(select(Lesson).where(Lesson.title == "Walk the estate together")).all()
        [link] = session.exec(select(LessonPerson)).all()
    assert link.lesson_id == made.id and link.contact_id == ids["ann"]
    assert learning.current_id == made.id and learning.editor.shown_people() == [("Ann Lee", False)]


@pytest.fixture
def offers(qtbot: QtBot, ctx: AppContext, ids: dict[str, str]) -> Iterator[OffersNeedsWorkspace]:
    widget = OffersNeedsWorkspace(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    widget.tabs.setCurrentWidget(widget.entries)
    qtbot.waitExposed(widget.entries)
    yield widget


def test_a_changed_offer_is_saved_when_another_row_or_tab_is_chosen(qtbot: QtBot, offers: OffersNeedsWorkspace,
                                                                    ctx: AppContext, db: Database,
                                                                    ids: dict[str, str]) -> None:
    panel = offers.entries
    click_row(qtbot, panel.view, panel.model.row_of(ids["offer"]), COL_TEXT)
    panel.editor.text.setPlainText("Bike repair in my shed, Sundays too")
    click_row(qtbot, panel.view, panel.model.row_of(ids["need"]), COL_TEXT)
    with db.read() as session:
        assert session.get(Offer, ids["offer"]).text == "Bike repair in my shed, Sundays too"  # type: ignore[union-attr]
    assert panel.editor.text.toPlainText() == "A van on Saturday" and panel.current == ("need", ids["need"])
    panel.editor.availability.setText("weekends")
    offers.tabs.setCurrentIndex(0)  # the suggestions tab
    with db.read() as session:
        assert session.get(Need, ids["need"]).availability == "weekends"  # type: ignore[union-attr]
    assert [ctx.undo_stack.text(i) for i in range(ctx.undo_stack.count())] == ["Edit offer", "Edit need"]


def test_the_title_can_be_read_in_the_list(learning: LearningWorkspace) -> None:
    # As the stretching column, the title got what the five others left beside the editor: "Caawinta casharr…".
    char = learning.view.fontMetrics().horizontalAdvance("0")
    assert learning.view.horizontalHeader().sectionSize(COL_TITLE) >= 30 * char


def test_ctrl_s_saves_a_lesson_as_in_the_action_editor(qtbot: QtBot, learning: LearningWorkspace, db: Database,
                                                       ids: dict[str, str]) -> None:
    learning.activateWindow()
    qtbot.waitActive(learning)
    learning.editor.place.setFocus()
    qtbot.keyClicks(learning.editor.place, "Hulme")
    qtbot.keyClick(learning.editor.place, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    with db.read() as session:
        assert session.get(Lesson, ids["club"]).place == "Hulme"  # type: ignore[union-attr]
    assert learning.save_button.toolTip() == "Save the changes (Ctrl+S)"


def test_ctrl_s_saves_an_offer_or_need(qtbot: QtBot, offers: OffersNeedsWorkspace, db: Database,
                                       ids: dict[str, str]) -> None:
    panel = offers.entries
    offers.activateWindow()
    qtbot.waitActive(offers)
    click_row(qtbot, panel.view, panel.model.row_of(ids["need"]), COL_TEXT)
    panel.editor.availability.setFocus()
    qtbot.keyClicks(panel.editor.availability, "Saturdays")
    qtbot.keyClick(panel.editor.availability, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    with db.read() as session:
        assert session.get(Need, ids["need"]).availability == "Saturdays"  # type: ignore[union-attr]
