"""The Exchange workspace with real widgets offscreen, a real hub and the synchronous task runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QUndoStack

from oursociety_desktop.models.database import Database
from oursociety_desktop.services.exchange import import_bundle
from oursociety_desktop.ui.context import AppContext, DataEvents
from oursociety_desktop.ui.exchange.exchange_models import COL_OURS, COL_THEIRS, ConflictTableModel
from oursociety_desktop.ui.exchange.workspace import ExchangeWorkspace
from oursociety_desktop.ui.tasks import SyncTaskRunner
from tests.exchange.exchange_helpers import add_contact, contact_row, dump_text, edit_contact, export_to, make_hub, send


@pytest.fixture
def hubs(tmp_path: Path):
    a, b = make_hub(tmp_path, "Alpha"), make_hub(tmp_path, "Beta")
    yield a, b
    a.close()
    b.close()


def workspace(qtbot, db: Database, runner: SyncTaskRunner | None = None) -> ExchangeWorkspace:
    ctx = AppContext(db=db, runner=runner or SyncTaskRunner(), undo_stack=QUndoStack(), events=DataEvents())
    widget = ExchangeWorkspace(ctx)
    qtbot.addWidget(widget)
    return widget


def test_make_an_encrypted_bundle_for_a_peer(qtbot, hubs, tmp_path) -> None:
    a, b = hubs
    add_contact(a, given_name="Amara")
    send(b, a, tmp_path)  # A now knows B
    w = workspace(qtbot, a)
    assert w.peer_combo.count() == 1
    w.delta_radio.setChecked(True)
    w.export_passphrase.setText("short")
    w.export_passphrase_again.setText("short")
    out = tmp_path / "for-beta.oursociety"
    w.ask_save_path = lambda: out  # type: ignore[method-assign]
    w.start_export()
    assert "too short" in w.message.text() and not out.exists()
    w.export_passphrase.setText("a good long passphrase")
    w.export_passphrase_again.setText("a good long passphrase")
    w.start_export()
    assert out.read_bytes().startswith(b"OSBENC") and "Saved" in w.status.text()
    assert w.log_model.rowCount() == 2  # B's bundle imported, this one made
    assert w.log_model.index(0, 1).data() == "Export"
    assert import_bundle(b, out, passphrase="a good long passphrase", backup=False).report.counts["contact"].new == 1


def test_import_needs_a_preview_then_applies(qtbot, hubs, tmp_path) -> None:
    a, b = hubs
    add_contact(a, given_name="Kwame")
    bundle = tmp_path / "a.oursociety"
    export_to(a, bundle)
    w = workspace(qtbot, b)
    panel = w.import_panel
    panel.ask_open_path = lambda: bundle  # type: ignore[method-assign]
    assert not panel.apply_button.isEnabled() and not panel.preview_button.isEnabled()
    panel.choose_import_button.click()
    panel.preview_button.click()
    assert "never seen before" in panel.preview_notes.text()
    assert panel.preview_model.index(0, 1).data() == "1"  # one new contact
    assert "Kwame" not in dump_text(b)  # the preview changed nothing
    assert panel.apply_button.isEnabled()
    panel.apply_button.click()
    assert "1 change," in w.status.text()
    assert dump_text(a) == dump_text(b)
    assert w.peer_model.rowCount() == 1 and w.log_model.rowCount() == 1


def test_bad_bundle_shows_one_line(qtbot, hubs, tmp_path) -> None:
    _, b = hubs
    bad = tmp_path / "bad.oursociety"
    bad.write_bytes(b"not a bundle")
    w = workspace(qtbot, b)
    w.import_panel.ask_open_path = lambda: bad  # type: ignore[method-assign]
    w.import_panel.choose_import()
    w.import_panel.start_preview()
    assert "not an Our Society hub bundle" in w.message.text()
    assert not w.import_panel.apply_button.isEnabled()


def test_conflicts_inbox_take_theirs(qtbot, hubs, tmp_path) -> None:
    a, b = hubs
    cid = add_contact(a, given_name="Ife")
    send(a, b, tmp_path)
    edit_contact(a, cid, role="chair")
    edit_contact(b, cid, role="host")
    send(b, a, tmp_path)
    w = workspace(qtbot, a)
    model = w.conflict_model
    assert model.rowCount() == 1
    assert (model.index(0, COL_OURS).data(), model.index(0, COL_THEIRS).data()) == ("host", "chair")
    assert w.tabs.tabText(2) == "Conflicts (1)"
    w.conflict_view.selectRow(0)
    w.take_theirs_button.click()
    assert contact_row(a, cid)["role"] == "chair"
    assert model.rowCount() == 0 and not w.take_theirs_button.isEnabled()


def test_conflict_model_without_a_window(hubs, tmp_path, qapp) -> None:
    a, b = hubs
    cid = add_contact(a, given_name="Ife", tags=["food"])
    send(a, b, tmp_path)
    edit_contact(a, cid, tags=["garden"])
    edit_contact(b, cid, tags=["youth", "food"])
    send(b, a, tmp_path)
    model = ConflictTableModel()
    model.load(a)
    assert model.index(0, COL_THEIRS).data() == "garden"
    assert model.index(0, COL_OURS).data() == "youth, food"


def test_sync_with_folder_and_cancel(qtbot, hubs, tmp_path) -> None:
    a, b = hubs
    add_contact(a, given_name="Folake")
    folder = tmp_path / "usb"
    folder.mkdir()
    wa, wb = workspace(qtbot, a), workspace(qtbot, b)
    wa.folder_edit.setText(str(folder))
    wa.start_sync()
    assert "Wrote" in wa.status.text()
    assert a.setting("exchange_folder") == str(folder)
    cancelling = workspace(qtbot, b, SyncTaskRunner(cancel_at=0))
    cancelling.folder_edit.setText(str(folder))
    cancelling.start_sync()
    assert "Folake" not in dump_text(b) and cancelling.message.text()
    wb.folder_edit.setText(str(folder))
    wb.start_sync()
    assert "Imported 1 bundle(s)" in wb.status.text()
    assert dump_text(a) == dump_text(b)
    assert import_bundle  # the core call the workspace uses
