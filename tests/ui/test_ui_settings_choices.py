"""Settings as an organiser meets them: the count of backups kept in its right form, Tab going down the page as it
is drawn, a word that a new language waits for the next start, and the choice to send the detail of hours."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from oursociety_desktop.models.hours import hours_detail_shared
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.settings import SettingsDialog


@pytest.fixture
def dialog(ctx: AppContext, data_dir: Path, qtbot: QtBot) -> Iterator[SettingsDialog]:
    page = SettingsDialog(ctx, data_dir)
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    qtbot.waitActive(page)
    yield page


def buttons(dialog: SettingsDialog) -> QDialogButtonBox:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    return box


def test_the_backups_kept_are_counted_in_the_right_form(dialog: SettingsDialog, ctx: AppContext,
                                                        qtbot: QtBot) -> None:
    box = dialog.backup_keep
    assert box.text() == "10 automatic backups kept"
    box.setValue(1)
    assert box.text() == "1 automatic backup kept"
    box.lineEdit().selectAll()
    qtbot.keyClicks(box, "3")  # typed over the whole phrase
    box.interpretText()
    assert box.value() == 3 and box.text() == "3 automatic backups kept"
    qtbot.mouseClick(buttons(dialog).button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert ctx.db.setting("backup_keep") == 3


def test_tab_goes_down_the_page_as_it_is_drawn(dialog: SettingsDialog, qtbot: QtBot) -> None:
    dialog.hub_name.setFocus()
    seen: list[QWidget] = []
    for _ in range(12):
        widget = QApplication.focusWidget()
        assert widget is not None
        seen.append(widget.parentWidget() if widget is dialog.backup_keep.lineEdit() else widget)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    save = buttons(dialog).button(QDialogButtonBox.StandardButton.Save)
    cancel = buttons(dialog).button(QDialogButtonBox.StandardButton.Cancel)
    expected = [dialog.hub_name, dialog.region, dialog.share, dialog.directory, dialog.hours_detail,
                dialog.text_size, dialog.language]
    assert seen[:len(expected)] == expected
    rest = [w for w in seen[len(expected):] if w in (dialog.backup_button, dialog.backup_keep, save, cancel)]
    assert rest[:4] == [dialog.backup_button, dialog.backup_keep, save, cancel]
    assert [w.mapTo(dialog, w.rect().topLeft()).y() for w in rest[:3]] == sorted(
        w.mapTo(dialog, w.rect().topLeft()).y() for w in rest[:3])


def test_a_new_language_says_it_waits_for_the_next_start(dialog: SettingsDialog, ctx: AppContext) -> None:
    assert not dialog.language_note.isVisible()
    dialog.language.setCurrentIndex(dialog.language.findData("cy"))
    assert dialog.language_note.isVisible()
    assert dialog.language_note.text() == "The window changes language the next time Our Society starts."
    dialog.language.setCurrentIndex(dialog.language.findData(""))  # back to what is saved
    assert not dialog.language_note.isVisible()


def test_sending_the_detail_of_hours_is_chosen_here(dialog: SettingsDialog, ctx: AppContext, data_dir: Path,
                                                    qtbot: QtBot) -> None:
    assert not dialog.hours_detail.isChecked()  # by default only monthly totals travel
    qtbot.mouseClick(dialog.hours_detail, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(buttons(dialog).button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    with ctx.db.read() as session:
        assert hours_detail_shared(session)
    again = SettingsDialog(ctx, data_dir)
    qtbot.addWidget(again)
    assert again.hours_detail.isChecked()
    again.hours_detail.setChecked(False)
    again.accept()
    with ctx.db.read() as session:
        assert not hours_detail_shared(session)
