"""Sharing is visible before sending (issue 17, problem 3): who goes, who stays and why, members per group who
go; the same numbers from `export --dry-run`; the held-back people one click away; stale messages cleared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot

from oursociety_desktop.cli import main
from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.groups import add_member, create_group
from oursociety_desktop.models.outgoing_preview import outgoing_preview
from oursociety_desktop.ui.contacts.workspace import ContactsWorkspace
from oursociety_desktop.ui.context import AppContext, DataEvents
from oursociety_desktop.ui.exchange.workspace import ExchangeWorkspace
from oursociety_desktop.ui.main_window import MainWindow
from oursociety_desktop.ui.tasks import SyncTaskRunner


@pytest.fixture
def lunch_club(db: Database) -> dict[str, str]:
    with db.write() as tx:
        ana = create_contact(tx, {"given_name": "Ana", "share_with_hubs": True}).id
        bo = create_contact(tx, {"given_name": "Bo", "share_with_hubs": False, "consent_method": "in person"}).id
        cy = create_contact(tx, {"given_name": "Cy", "share_with_hubs": False}).id
        club = create_group(tx, {"name": "Tuesday Lunch Club"}).id
        quiet = create_group(tx, {"name": "Quiet Readers"}).id
        for cid in (ana, bo, cy):
            add_member(tx, club, cid)
        add_member(tx, quiet, bo)
    return {"ana": ana, "bo": bo, "cy": cy, "club": club, "quiet": quiet}


def test_preview_lists_who_goes_who_stays_and_why(db: Database, lunch_club: dict[str, str]) -> None:
    with db.read() as session:
        preview = outgoing_preview(session.connection())
    assert [p.name for p in preview.going] == ["Ana"]
    assert {(p.name, p.reason) for p in preview.held_back} == {("Bo", "declined"), ("Cy", "not_asked")}
    groups = {g.name: (g.going, g.members) for g in preview.groups}
    assert groups == {"Tuesday Lunch Club": (1, 3), "Quiet Readers": (0, 1)}


def test_export_dry_run_gives_the_same_numbers_and_writes_nothing(
        db: Database, data_dir: Path, lunch_club: dict[str, str], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.oursociety"
    assert main(["--data-dir", str(data_dir), "export", str(out), "--dry-run", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["going"], data["held_back"]) == (1, 2)
    assert data["held_back_reasons"] == {"declined": 1, "not_asked": 1}
    assert {g["name"]: g["going"] for g in data["groups"]} == {"Quiet Readers": 0, "Tuesday Lunch Club": 1}
    assert not out.exists()
    assert main(["--data-dir", str(data_dir), "export", str(out), "--dry-run"]) == 0
    text = capsys.readouterr().out
    assert "People who go: 1." in text and "Group Tuesday Lunch Club: 1 of 3 members go." in text


def test_exchange_page_shows_the_preview_and_opens_the_held_back(
        db: Database, data_dir: Path, lunch_club: dict[str, str], qtbot: QtBot) -> None:
    ctx = AppContext(db, SyncTaskRunner(), QUndoStack(), DataEvents())
    window = MainWindow(ctx, data_dir)
    qtbot.addWidget(window)
    window.show()
    exchange = window.show_workspace("exchange")
    assert isinstance(exchange, ExchangeWorkspace)
    panel = exchange.outgoing
    assert "carry 1 person" in panel.summary.text() and "2 people stay" in panel.summary.text()
    assert panel.held_back.count() == 2
    rows = {panel.groups.item(r, 0).text(): panel.groups.item(r, 1).text() for r in range(panel.groups.rowCount())}
    assert rows["Tuesday Lunch Club"] == "1 of 3"
    panel.review_button.click()
    contacts = window.workspace("contacts")
    assert isinstance(contacts, ContactsWorkspace) and window.current_key() == "contacts"
    assert contacts.model.rowCount() == 2  # only the people not shared


def test_passphrase_complaint_goes_once_fixed(db: Database, qtbot: QtBot, tmp_path: Path) -> None:
    ctx = AppContext(db, SyncTaskRunner(), QUndoStack(), DataEvents())
    w = ExchangeWorkspace(ctx)
    qtbot.addWidget(w)
    w.show()
    w.export_passphrase.setText("one long passphrase")
    w.export_passphrase_again.setText("another long one")
    w.ask_save_path = lambda: tmp_path / "b.oursociety"  # type: ignore[method-assign]
    w.start_export()
    assert "differ" in w.message.text() and w.message.isVisible()
    w.export_passphrase_again.setText("one long passphrase")
    assert not w.message.isVisible()


def test_a_successful_preview_clears_an_old_error(db: Database, qtbot: QtBot, tmp_path: Path) -> None:
    other = Database.create(tmp_path / "other", "Other")
    from oursociety_desktop.services.exchange import export_bundle
    good = tmp_path / "good.oursociety"
    export_bundle(other, good)
    other.close()
    bad = tmp_path / "bad.oursociety"
    bad.write_bytes(b"not a bundle")
    ctx = AppContext(db, SyncTaskRunner(), QUndoStack(), DataEvents())
    w = ExchangeWorkspace(ctx)
    qtbot.addWidget(w)
    w.show()
    w.import_panel.import_path = bad
    w.import_panel.start_preview()
    assert w.message.isVisible()
    w.import_panel.import_path = good
    w.import_panel.start_preview()
    assert not w.message.isVisible() and w.import_panel.preview is not None
