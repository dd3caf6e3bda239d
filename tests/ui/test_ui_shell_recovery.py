"""A damaged database: the app says so and restores a chosen backup; a second window on one hub is refused."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from oursociety_desktop.models.backup import backup_to
from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.errors import DatabaseDamaged
from oursociety_desktop.ui import main as ui_main
from oursociety_desktop.ui.recovery import RestoreDialog, available_backups


def damage(folder: Path) -> None:
    path = folder / "oursociety.sqlite3"
    for side in ("-wal", "-shm"):
        Path(str(path) + side).unlink(missing_ok=True)
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84 + b"torn write" * 400)


@pytest.fixture
def damaged_hub_with_backup(db: Database, data_dir: Path) -> str:
    with db.write() as tx:
        cid = create_contact(tx, {"given_name": "Saved"}).id
    (data_dir / "backups").mkdir()
    backup_to(db.path, data_dir / "backups" / "manual-1.sqlite3")
    db.close()
    damage(data_dir)
    return cid


def test_damaged_database_is_reported_as_such(damaged_hub_with_backup: str, data_dir: Path) -> None:
    with pytest.raises(DatabaseDamaged):
        Database.open(data_dir)


def test_restore_dialog_restores_the_chosen_backup(damaged_hub_with_backup: str, data_dir: Path,
                                                   qtbot: QtBot) -> None:
    dialog = RestoreDialog(data_dir, "The database is damaged.")
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 1 and dialog.list.currentRow() == 0
    assert dialog.list.accessibleName()
    dialog.restore_button.click()
    assert dialog.restored_from == data_dir / "backups" / "manual-1.sqlite3"
    reopened = Database.open(data_dir)
    with reopened.read() as session:
        from oursociety_desktop.models.tables import Contact

        assert session.get(Contact, damaged_hub_with_backup) is not None
    reopened.close()
    assert list((data_dir / "backups").glob("damaged-*.sqlite3")), "the damaged file is kept, not deleted"
    assert all(not p.name.startswith("damaged-") for p in available_backups(data_dir))


def test_a_bad_backup_is_refused_and_the_dialog_stays(damaged_hub_with_backup: str, data_dir: Path,
                                                      qtbot: QtBot, tmp_path: Path) -> None:
    bad = tmp_path / "not-a-backup.sqlite3"
    bad.write_bytes(b"nonsense")
    dialog = RestoreDialog(data_dir, "The database is damaged.")
    qtbot.addWidget(dialog)
    before = (data_dir / "oursociety.sqlite3").read_bytes()
    dialog.restore(bad)
    assert dialog.restored_from is None and "not an Our Society database" in dialog.message.text()
    assert (data_dir / "oursociety.sqlite3").read_bytes() == before


def test_start_up_offers_the_restore_then_opens(damaged_hub_with_backup: str, data_dir: Path, qtbot: QtBot,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    offered: list[str] = []

    def accept_newest(folder: Path, problem: str, parent: object = None) -> bool:
        offered.append(problem)
        dialog = RestoreDialog(folder, problem)
        dialog.restore_selected()
        return dialog.restored_from is not None

    monkeypatch.setattr(ui_main, "offer_restore", accept_newest)  # the modal exec() is the edge a test can't own
    opened = ui_main.open_with_recovery(data_dir)
    assert opened is not None and "damaged" in offered[0]
    opened[0].close()


def test_a_second_window_on_the_same_hub_is_refused(db: Database, data_dir: Path, qtbot: QtBot,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from PySide6.QtCore import QLockFile; "
         f"l = QLockFile({str(data_dir / 'oursociety.lock')!r}); l.setStaleLockTime(0); "
         "print(l.tryLock(1000), flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "True"
        warnings: list[str] = []
        monkeypatch.setattr(ui_main.QMessageBox, "information", lambda _p, _t, text: warnings.append(text))
        assert ui_main.hold_instance_lock(data_dir) is None  # the holder does not answer on the socket
        assert "already open" in warnings[0] and str(holder.pid) not in warnings[0]  # no process ids on screen
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    lock = ui_main.hold_instance_lock(data_dir)  # the crashed holder's lock is stale: taken over
    assert lock is not None
    lock.unlock()


def test_a_data_folder_in_a_synced_folder_is_warned_about(tmp_path: Path, qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    box = ui_main.warn_about_storage(parent, tmp_path / "Dropbox" / "OurSociety")
    assert box is not None and box.isVisible() and not box.isModal()
    assert "synced" in box.text()
    assert ui_main.warn_about_storage(parent, tmp_path / "laptop" / "OurSociety") is None


def test_slow_core_modules_are_imported_off_the_gui_thread() -> None:
    import sys

    thread = ui_main.preload_in_background(("oursociety_desktop.formats.pdf.products", "no.such.module"))
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert "oursociety_desktop.formats.pdf.products" in sys.modules and "reportlab" in sys.modules
    assert ui_main.limit_malloc_arenas() is (sys.platform.startswith("linux"))
