"""An import is undone as a whole (issue 17): right after a bundle or contact import the window offers "Restore
the backup made before this import", and the command line names that backup and the command that restores it.

Real hubs in temporary folders, real bundles and vCard files, real widgets offscreen, the synchronous runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlmodel import select

from oursociety_desktop.cli import main
from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.database import Database, set_setting
from oursociety_desktop.models.dump import iter_dump_lines
from oursociety_desktop.models.tables import Contact
from oursociety_desktop.services.exchange import export_bundle
from oursociety_desktop.services.people_import import DUPLICATE_CHOICES
from oursociety_desktop.ui.context import AppContext, DataEvents
from oursociety_desktop.ui.exchange.workspace import ExchangeWorkspace
from oursociety_desktop.ui.interop.import_wizard import ImportWizard
from oursociety_desktop.ui.tasks import SyncTaskRunner

VCARD = """BEGIN:VCARD
VERSION:3.0
FN:Grażyna Wiśniewska
N:Wiśniewska;Grażyna;;;
EMAIL:grazyna@example.org
ORG:Allotment Society
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Tomás Ó Briain
N:Ó Briain;Tomás;;;
END:VCARD
"""


def state(db: Database) -> str:
    """Every synchronised record this hub holds, unshared ones and private notes included."""
    with db.engine.connect() as conn:
        return "\n".join(iter_dump_lines(conn, include_unshared=True))


def hub(root: Path, name: str) -> Database:
    db = Database.create(root / name, name)
    with db.write() as tx:
        set_setting(tx.session, "default_share_with_hubs", True)
    return db


def add(db: Database, given: str, **values: object) -> str:
    with db.write() as tx:
        return create_contact(tx, {"given_name": given, "family_name": "Okafor", **values}).id


@pytest.fixture
def answer_yes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The confirmation is answered Yes; its text is kept."""
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *_a: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def context(db: Database) -> AppContext:
    return AppContext(db=db, runner=SyncTaskRunner(), undo_stack=QUndoStack(), events=DataEvents())


def test_a_bundle_import_is_undone_by_restoring_the_backup_made_before_it(
        qtbot: QtBot, tmp_path: Path, answer_yes: list[str]) -> None:
    alpha, beta = hub(tmp_path, "Alpha"), hub(tmp_path, "Beta")
    chidi = add(alpha, "Chidi")
    add(beta, "Ngozi")
    bundle = tmp_path / "alpha.oursociety"
    export_bundle(alpha, bundle)
    before = state(beta)
    ctx = context(beta)
    workspace = ExchangeWorkspace(ctx)
    qtbot.addWidget(workspace)
    panel = workspace.import_panel
    panel.ask_open_path = lambda: bundle  # type: ignore[method-assign]
    panel.choose_import_button.click()
    assert panel.restore_button.isHidden()  # nothing to restore before an import
    panel.preview_button.click()
    panel.apply_button.click()
    assert state(beta) != before and "Chidi" in state(beta)
    assert not panel.restore_button.isHidden()
    assert "backed up just before" in workspace.status.text()
    seen: list[frozenset[str]] = []
    ctx.events.changed.connect(seen.append)
    ctx.undo_stack.push(QUndoCommand("Edit name"))  # an older undo step: it belongs to the replaced file

    panel.restore_button.click()

    assert "alpha.oursociety" in answer_yes[-1]  # the restore's question (the hub's trust was asked first)
    assert state(beta) == before  # the same Database object now reads the restored file
    with beta.read() as session:
        assert session.get(Contact, chidi) is None
    assert "Restored the backup made before importing alpha.oursociety" in workspace.status.text()
    assert panel.restore_button.isHidden() and ctx.undo_stack.count() == 0
    assert len(seen) == 1 and {"contact", "group", "exchange"} <= seen[0]  # every view reloads, once
    kept = sorted((beta.path.parent / "backups").glob("*.sqlite3"))
    assert len(kept) == 2  # the backup made before the import, and the hub as it was after it
    add(beta, "Amaka")  # the restored hub takes edits as before
    alpha.close()
    beta.close()


def test_a_refused_restore_changes_nothing(qtbot: QtBot, tmp_path: Path, answer_yes: list[str]) -> None:
    alpha, beta = hub(tmp_path, "Alpha"), hub(tmp_path, "Beta")
    add(alpha, "Chidi")
    bundle = tmp_path / "alpha.oursociety"
    export_bundle(alpha, bundle)
    ctx = context(beta)
    workspace = ExchangeWorkspace(ctx)
    qtbot.addWidget(workspace)
    panel = workspace.import_panel
    panel.ask_open_path = lambda: bundle  # type: ignore[method-assign]
    panel.choose_import_button.click()
    panel.preview_button.click()
    panel.apply_button.click()
    after = state(beta)
    assert panel.last_import is not None
    Path(panel.last_import.backup).unlink()  # the backup was deleted meanwhile
    panel.restore_button.click()
    assert "No backup file" in workspace.message.text()
    assert state(beta) == after
    alpha.close()
    beta.close()


def test_a_vcard_import_that_changed_someone_here_is_undone_by_the_backup(
        qtbot: QtBot, tmp_path: Path, answer_yes: list[str]) -> None:
    db = hub(tmp_path, "Riverside")
    grazyna = add(db, "Grażyna", family_name="Wiśniewska", emails=[{"label": "", "value": "grazyna@example.org"}])
    before = state(db)
    vcf = tmp_path / "phone.vcf"
    vcf.write_text(VCARD, encoding="utf-8")
    ctx = context(db)
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(vcf))
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.preview_page and wizard.preview_page.isComplete())
    wizard.next()
    choices = wizard.choices_page  # Grażyna is already here: her organisation is filled in from the card
    assert choices is wizard.currentPage()
    choices.duplicates.button(DUPLICATE_CHOICES.index("fill")).setChecked(True)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.result_page.isComplete())
    summary = wizard.summary
    assert summary is not None and summary.added == 1 and summary.backup
    with db.read() as session:
        assert session.get(Contact, grazyna).organisation == "Allotment Society"  # type: ignore[union-attr]
    page = wizard.result_page
    assert not page.restore_button.isHidden()
    assert "Edit → Undo" in page.result_label.text() and "Restore the backup" in page.result_label.text()

    page.restore_button.click()

    assert state(db) == before  # the added person gone, and Grażyna's organisation as it was
    assert "Restored the backup made before importing phone.vcf" in page.result_label.text()
    assert page.restore_button.isHidden() and ctx.undo_stack.count() == 0
    with db.read() as session:
        assert len(session.exec(select(Contact)).all()) == 1
    db.close()


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_command_line_names_the_backup_and_the_command_that_restores_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    alpha, beta = tmp_path / "alpha", tmp_path / "beta"
    run(capsys, "--data-dir", alpha, "init", "--hub-name", "Alpha")
    run(capsys, "--data-dir", beta, "init", "--hub-name", "Beta")
    assert run(capsys, "--data-dir", alpha, "contact", "add", "--given", "Chidi", "--share")[0] == 0
    bundle = tmp_path / "alpha.oursociety"
    assert run(capsys, "--data-dir", alpha, "export", bundle)[0] == 0
    vcf = tmp_path / "phone.vcf"
    vcf.write_text(VCARD, encoding="utf-8")
    for command in (("import", bundle, "--trust-new-hub"), ("vcard", "import", vcf)):
        code, out, err = run(capsys, "--data-dir", beta, *command)
        assert code == 0, err
        last = out.strip().splitlines()[-1]
        assert last.startswith("Backed up before the import to "), out
        restore = last.split("to undo the whole import: ")[1].split()
        assert restore[:3] == ["oursociety", "--data-dir", str(beta)] and restore[3] == "restore"
        assert Path(restore[4]).is_file() and Path(restore[4]).parent == beta / "backups"
        code, out, err = run(capsys, *restore[1:])
        assert code == 0 and "Restored from" in out, err
        code, out, _ = run(capsys, "--data-dir", beta, "dump")
        assert "Chidi" not in out and "Grażyna" not in out  # back as it was before the import
    code, out, _ = run(capsys, "--data-dir", beta, "import", bundle, "--dry-run")
    assert code == 0 and "Backed up" not in out  # a dry run changes nothing and makes no backup


def test_no_restore_while_a_task_changes_the_hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from oursociety_desktop.models.backup import automatic_backup
    from oursociety_desktop.models.errors import UserError
    from oursociety_desktop.ui.restore_import import restore_before_import

    db = hub(tmp_path, "Riverside")
    backup = automatic_backup(db.path, "before-import")
    add(db, "Chidi")
    after = state(db)
    ctx = context(db)
    monkeypatch.setattr(ctx.runner, "changing", lambda: True)  # an import or a merge still running
    with pytest.raises(UserError, match="Wait for the running task"):
        restore_before_import(ctx, backup)
    assert state(db) == after
    monkeypatch.setattr(ctx.runner, "changing", lambda: False)
    restore_before_import(ctx, backup)
    assert "Chidi" not in state(db)
    db.close()
