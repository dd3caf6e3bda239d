"""The Exchange workspace with real widgets offscreen, a real hub and the synchronous task runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QUndoStack

from oursociety_desktop.models.database import Database
from oursociety_desktop.models.trust import own_fingerprint
from oursociety_desktop.services.exchange import import_bundle
from oursociety_desktop.ui.context import AppContext, DataEvents
from oursociety_desktop.ui.exchange.exchange_models import COL_KEY, COL_OURS, COL_THEIRS, COL_TRUST, ConflictTableModel
from oursociety_desktop.ui.exchange.workspace import ExchangeWorkspace
from oursociety_desktop.ui.tasks import SyncTaskRunner
from tests.exchange.exchange_helpers import (
    add_contact,
    contact_row,
    dump_text,
    edit_contact,
    export_to,
    introduce,
    make_hub,
    send,
)


@pytest.fixture
def hubs(tmp_path: Path):
    a, b = make_hub(tmp_path, "Alpha"), make_hub(tmp_path, "Beta")
    yield a, b
    a.close()
    b.close()


def workspace(qtbot, db: Database, runner: SyncTaskRunner | None = None, *, trust: bool = True,
              erase: bool = True) -> ExchangeWorkspace:
    """The workspace, with the organiser's answers to its questions (trust a hub? erase people?) given in
    advance and the questions asked kept in `widget.questions`."""
    ctx = AppContext(db=db, runner=runner or SyncTaskRunner(), undo_stack=QUndoStack(), events=DataEvents())
    widget = ExchangeWorkspace(ctx)
    qtbot.addWidget(widget)
    questions: list[tuple[str, ...]] = []

    def answer_trust(name: str, hub_id: str, fingerprint: str) -> bool:
        questions.append(("trust", name, fingerprint))
        return trust

    def answer_erase(people: int) -> bool:
        questions.append(("erase", str(people)))
        return erase

    widget.questions = questions  # type: ignore[attr-defined]
    widget.ask_trust_hub = answer_trust  # type: ignore[method-assign]
    widget.import_panel.ask_trust_hub = answer_trust  # type: ignore[method-assign]
    widget.ask_erase = answer_erase  # type: ignore[method-assign]
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
    imported = import_bundle(b, out, passphrase="a good long passphrase", backup=False, trust_new_hub=True)
    assert imported.report.counts["contact"].new == 1


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
    assert "not trusted yet" in panel.preview_notes.text() and own_fingerprint(a.signing_key) in \
        panel.preview_notes.text()
    assert panel.preview_model.index(0, 1).data() == "1"  # one new contact
    assert "Kwame" not in dump_text(b)  # the preview changed nothing
    assert panel.apply_button.isEnabled()
    panel.apply_button.click()
    assert w.questions == [("trust", "Alpha", own_fingerprint(a.signing_key))]  # type: ignore[attr-defined]
    assert "1 change," in w.status.text()
    assert dump_text(a) == dump_text(b)
    assert w.peer_model.rowCount() == 1 and w.log_model.rowCount() == 1
    assert w.peer_model.index(0, COL_TRUST).data() == "trusted"
    assert w.peer_model.index(0, COL_KEY).data() == own_fingerprint(a.signing_key)


def test_an_import_from_a_hub_the_organiser_does_not_trust_changes_nothing(qtbot, hubs, tmp_path) -> None:
    a, b = hubs
    add_contact(a, given_name="Kwame")
    bundle = tmp_path / "a.oursociety"
    export_to(a, bundle)
    before = dump_text(b)
    w = workspace(qtbot, b, trust=False)
    w.import_panel.ask_open_path = lambda: bundle  # type: ignore[method-assign]
    w.import_panel.choose_import_button.click()
    w.import_panel.preview_button.click()
    w.import_panel.apply_button.click()
    assert "not trusted" in w.message.text() and dump_text(b) == before
    assert w.peer_model.rowCount() == 0


def test_a_sync_that_erases_people_stops_for_confirmation(qtbot, hubs, tmp_path) -> None:
    from oursociety_desktop.models.contacts import forget_contact

    a, b = hubs
    introduce(a, b)
    ngozi = add_contact(a, given_name="Ngozi", phones=[{"label": "mobile", "value": "07700 900123"}])
    send(a, b, tmp_path)
    with a.write() as tx:
        forget_contact(tx, ngozi, "consent withdrawn")
    folder = tmp_path / "usb"
    folder.mkdir()
    wa = workspace(qtbot, a)
    wa.folder_edit.setText(str(folder))
    wa.start_sync()
    refusing = workspace(qtbot, b, erase=False)
    refusing.folder_edit.setText(str(folder))
    refusing.start_sync()
    assert refusing.questions == [("erase", "1")]  # type: ignore[attr-defined]
    assert "Sync stopped" in refusing.status.text() and "Ngozi" in dump_text(b)
    agreeing = workspace(qtbot, b)
    agreeing.folder_edit.setText(str(folder))
    agreeing.start_sync()
    assert "erasure" in agreeing.status.text() and "Ngozi" not in dump_text(b)


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
    w.conflicts.take_theirs_button.click()
    assert contact_row(a, cid)["role"] == "chair"
    assert model.rowCount() == 0 and not w.conflicts.take_theirs_button.isEnabled()


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
    assert wb.questions == [("trust", "Alpha", own_fingerprint(a.signing_key))]  # type: ignore[attr-defined]
    # Alpha's introduction is imported; its bundle was encrypted to the hubs Alpha trusted then: not to Beta.
    assert "not for this one" in wb.status.text()
    assert "Folake" not in dump_text(b)
    wa.start_sync()  # Alpha's organiser trusts Beta in turn; Alpha's next bundle is encrypted to Beta too
    assert wa.questions == [("trust", "Beta", own_fingerprint(b.signing_key))]  # type: ignore[attr-defined]
    wb.start_sync()
    assert dump_text(a) == dump_text(b)
    assert import_bundle  # the core call the workspace uses
