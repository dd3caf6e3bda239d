"""The organiser sets how many automatic backups are kept; imports then rotate to that number."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot

from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.services.exchange import export_bundle, import_bundle
from oursociety_desktop.ui.context import AppContext, DataEvents
from oursociety_desktop.ui.settings import SettingsDialog
from oursociety_desktop.ui.tasks import SyncTaskRunner


def test_backup_rotation_is_set_in_settings_and_used_by_imports(db: Database, data_dir: Path, tmp_path: Path,
                                                                qtbot: QtBot) -> None:
    ctx = AppContext(db, SyncTaskRunner(), QUndoStack(), DataEvents())
    dialog = SettingsDialog(ctx, data_dir)
    qtbot.addWidget(dialog)
    assert dialog.backup_keep.value() == 10 and dialog.backup_keep.accessibleName()
    dialog.backup_keep.setValue(2)
    dialog.accept()
    assert db.setting("backup_keep") == 2

    other = Database.create(tmp_path / "other", "Other Hub")
    for i in range(4):
        with other.write() as tx:
            create_contact(tx, {"given_name": f"Person {i}", "share_with_hubs": True})
        export_bundle(other, tmp_path / f"b{i}.oursociety")
        import_bundle(db, tmp_path / f"b{i}.oursociety", trust_new_hub=True)
    other.close()
    kept = sorted((data_dir / "backups").glob("auto-*before-import.sqlite3"))
    assert len(kept) == 2
