"""Settings: each value saved, the region change re-indexing phones, backups on the task runner, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from oursociety_desktop.models.backup import verify_database_file
from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.search import search_contact_ids
from oursociety_desktop.paths import backup_dir
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.settings import SettingsDialog, apply_text_size
from oursociety_desktop.ui.tasks import SyncTaskRunner


@pytest.fixture
def dialog(ctx: AppContext, data_dir: Path, qtbot: QtBot) -> SettingsDialog:
    page = SettingsDialog(ctx, data_dir)
    qtbot.addWidget(page)
    page.show()
    yield page
    apply_text_size(0)


def save_button(dialog: SettingsDialog):  # type: ignore[no-untyped-def]
    return dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)


def test_saves_every_setting(dialog: SettingsDialog, ctx: AppContext, qtbot: QtBot) -> None:
    with ctx.db.write() as tx:
        cid = create_contact(tx, {"given_name": "Jan", "phones": [{"label": "mobile", "value": "512 345 678"}]}).id
    dialog.hub_name.selectAll()
    qtbot.keyClicks(dialog.hub_name, "Hub Gdansk")
    dialog.region.setCurrentIndex(dialog.region.findData("PL"))
    qtbot.mouseClick(dialog.share, Qt.MouseButton.LeftButton)
    dialog.text_size.setCurrentIndex(dialog.text_size.findData(4))
    changed: set[str] = set()
    ctx.events.changed.connect(changed.update)
    before = QApplication.font().pointSizeF()
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert ctx.db.hub_name == "Hub Gdansk"
    assert Database.open(ctx.db.path.parent).hub_name == "Hub Gdansk"
    assert ctx.db.setting("default_region") == "PL"
    assert ctx.db.setting("default_share_with_hubs") is True
    assert ctx.db.setting("text_size") == 4
    assert QApplication.font().pointSizeF() == before + 4
    # The region change re-read phone numbers: the Polish number is now found by its +48 form.
    with ctx.db.read() as session:
        assert search_contact_ids(session.connection(), "+48 512 345 678") == [cid]
    assert "contact" in changed and "settings" in changed
    with ctx.db.write() as tx:  # and new contacts now share by default
        assert create_contact(tx, {"given_name": "Ola"}).share_with_hubs is True


def test_empty_hub_name_is_refused_and_nothing_changes(dialog: SettingsDialog, ctx: AppContext,
                                                       qtbot: QtBot) -> None:
    dialog.hub_name.clear()
    dialog.share.setChecked(True)
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "needs a name" in dialog.message.text()
    assert ctx.db.hub_name == "Test Hub"
    assert ctx.db.setting("default_share_with_hubs") is False


def test_backup_now_runs_on_the_task_runner(dialog: SettingsDialog, ctx: AppContext, data_dir: Path,
                                            qtbot: QtBot) -> None:
    assert dialog.folder_label.text() == str(data_dir)
    qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    made = list(backup_dir(data_dir).glob("manual-*.sqlite3"))
    assert len(made) == 1
    verify_database_file(made[0])
    assert str(made[0]) in dialog.backup_status.text()
    assert dialog.backup_button.isEnabled()
    runner = ctx.runner
    assert isinstance(runner, SyncTaskRunner) and runner.progress_seen


def test_inputs_have_accessible_names(dialog: SettingsDialog) -> None:
    for widget in (dialog.hub_name, dialog.region, dialog.share, dialog.text_size):
        assert widget.accessibleName()


def test_field_messages_follow_the_text_size_and_keep_their_colours(qtbot: QtBot) -> None:
    """A message under a field is coloured through its palette, not a style sheet, so a new text size reaches it."""
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QWidget

    from oursociety_desktop.ui.widgets.fields import FieldMessage

    parent = QWidget()
    qtbot.addWidget(parent)
    message = FieldMessage(parent)
    message.show_error("Not a date.")
    assert message.palette().color(message.foregroundRole()).name() == "#d0342c"
    before = message.font().pointSizeF()
    apply_text_size(4)
    try:
        qtbot.waitUntil(lambda: message.font().pointSizeF() > before)
    finally:
        apply_text_size(0)
    message.show_warning("Kept, but check it.")
    assert message.foregroundRole() == QPalette.ColorRole.PlaceholderText
    hint = parent.palette().color(QPalette.ColorRole.PlaceholderText)
    assert message.palette().color(message.foregroundRole()) == hint
