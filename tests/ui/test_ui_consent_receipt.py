"""Consent receipts and withdrawals in the contact editor, driven as an organiser would: switching sharing on asks
how the person gave consent and saves the receipt with the switch (one undo); a person withdrawn by another hub
is named "withdrawn by <hub>" and nothing of them can be edited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from oursociety_desktop.models.contact_list import ContactQuery
from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.ui.contacts.consent import ConsentHowDialog
from oursociety_desktop.ui.contacts.workspace import ContactsWorkspace
from oursociety_desktop.ui.context import AppContext
from tests.exchange.exchange_helpers import edit_contact, introduce, make_hub, send
from tests.ui.test_ui_contacts_workspace import contact, with_modal


@pytest.fixture
def ws(ctx: AppContext, qtbot: QtBot) -> ContactsWorkspace:
    widget = ContactsWorkspace(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    return widget


def _person(db: Database, **values: object) -> str:
    with db.write() as tx:
        return create_contact(tx, {"given_name": "Ngozi", "share_with_hubs": False, **values}).id


def _shared_by_northside(ctx: AppContext, tmp_path: Path) -> tuple[Database, str, Path]:
    """A person whose consent hub Northside holds, shared with this hub: (Northside, the person, bundle folder)."""
    origin = make_hub(tmp_path, "Northside")
    introduce(origin, ctx.db)
    person = _person(origin, family_name="Okafor", share_with_hubs=True)
    bundles = tmp_path / "bundles"
    bundles.mkdir()
    send(origin, ctx.db, bundles)
    return origin, person, bundles


def test_switching_sharing_on_asks_how_and_saves_the_receipt_as_one_edit(ws: ContactsWorkspace, ctx: AppContext,
                                                                         qtbot: QtBot) -> None:
    person = _person(ctx.db)
    ws.editor.load(person)
    box = ws.editor.consent.flags["share_with_hubs"]

    def on_paper(dialog: QWidget) -> None:
        assert isinstance(dialog, ConsentHowDialog)
        assert dialog.how.currentData() == "in-person"  # the default
        dialog.how.setCurrentIndex(dialog.how.findData("paper"))
        dialog.who.setText("Sam at the desk")
        dialog.accept()

    with_modal(on_paper)
    box.click()
    saved = contact(ctx.db, person)
    assert saved.share_with_hubs is True
    assert (saved.consent_method, saved.consent_recorded_by) == ("on paper", "Sam at the desk")
    assert saved.consent_recorded_at == date.today().isoformat()
    ws.editor.load(person)
    assert "on paper, by Sam at the desk" in ws.editor.consent.receipt.text()

    ctx.undo_stack.undo()  # one edit: the switch and its receipt go back together
    undone = contact(ctx.db, person)
    assert undone.share_with_hubs is False
    assert (undone.consent_method, undone.consent_recorded_by, undone.consent_recorded_at) == ("", "", "")


def test_cancelling_the_question_switches_nothing_on(ws: ContactsWorkspace, ctx: AppContext) -> None:
    person = _person(ctx.db)
    ws.editor.load(person)
    box = ws.editor.consent.flags["include_in_directory"]
    with_modal(lambda dialog: dialog.reject())  # type: ignore[attr-defined]
    box.click()
    assert not box.isChecked()
    assert contact(ctx.db, person).include_in_directory is False
    assert ctx.undo_stack.count() == 0


def test_a_person_withdrawn_by_another_hub_is_named_so_and_cannot_be_edited(ws: ContactsWorkspace, ctx: AppContext,
                                                                           qtbot: QtBot, tmp_path: Path) -> None:
    origin, person, bundles = _shared_by_northside(ctx, tmp_path)
    edit_contact(origin, person, share_with_hubs=False)
    send(origin, ctx.db, bundles)
    ws.editor.load(person)
    assert ws.editor.heading.text().startswith("Withdrawn by Northside")
    assert not ws.editor.consent.isVisible()
    with ctx.db.read() as session:
        names = [row.name for row in ContactQuery().page(session.connection(), 0, 10)]
    assert names == ["(withdrawn by Northside)"]
    origin.close()


def test_switching_off_a_person_whose_consent_another_hub_holds_asks_first(ws: ContactsWorkspace, ctx: AppContext,
                                                                          tmp_path: Path) -> None:
    origin, person, bundles = _shared_by_northside(ctx, tmp_path)
    ws.editor.load(person)
    box = ws.editor.consent.flags["share_with_hubs"]
    seen: list[str] = []

    def answer(button: QMessageBox.StandardButton) -> Callable[[QWidget], None]:
        def act(dialog: QWidget) -> None:
            assert isinstance(dialog, QMessageBox)
            seen.append(dialog.text())
            dialog.button(button).click()
        return act

    with_modal(answer(QMessageBox.StandardButton.No))
    box.click()
    assert "held by Northside" in seen[0] and box.isChecked()
    assert contact(ctx.db, person).given_name == "Ngozi"  # nothing happened
    with_modal(answer(QMessageBox.StandardButton.Yes))
    box.click()
    assert contact(ctx.db, person).given_name == ""  # withdrawn here too: only the id is kept
    ws.editor.load(person)
    assert ws.editor.heading.text().startswith("Withdrawn by")
    origin.close()
