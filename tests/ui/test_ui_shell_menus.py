"""Application-wide commands (issue 17, problems 4, 5 and 10): every shortcut works wherever the focus is and
sits in a menu; the toolbar can be hidden (and stays hidden); Ctrl+Z in a text field undoes typing there first,
then the saved edit; the title names the hub once."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit
from pytestqt.qtbot import QtBot

from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.tables import Contact
from oursociety_desktop.ui.contacts.workspace import ContactsWorkspace
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.help import ShortcutsDialog, plain_text, shortcut_rows
from oursociety_desktop.ui.main_window import MainWindow
from tests.ui.windows import active_window


@pytest.fixture
def window(ctx: AppContext, data_dir: Path, qtbot: QtBot) -> MainWindow:
    return active_window(ctx, data_dir, qtbot)


def menu_items(window: MainWindow) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for top in window.menuBar().actions():
        menu = top.menu()
        assert menu is not None
        out[plain_text(top.text())] = [plain_text(a.text()) for a in menu.actions() if not a.isSeparator()]
    return out


def test_menus_hold_the_commands_organisers_expect(window: MainWindow) -> None:
    items = menu_items(window)
    assert list(items) == ["File", "Edit", "View", "Help"]
    for wanted in ("New person", "New group", "New action", "Import", "Export", "Print", "Back up now", "Settings",
                   "Quit"):
        assert wanted in items["File"]
    assert items["Edit"][0].startswith("Undo") and items["Edit"][1].startswith("Redo") and "Find" in items["Edit"]
    assert "Import & export" in items["View"]  # shown as written, not "Import _export"
    assert "Toolbar" in items["View"] and "Larger text" in items["View"]
    assert items["Help"] == ["Keyboard shortcuts", "Getting started", "About Our Society"]


def test_every_shortcut_is_listed_once_in_the_help(window: MainWindow, qtbot: QtBot) -> None:
    rows = shortcut_rows(window.menuBar())
    keys = [k for _m, _c, ks in rows for k in ks.split(", ")]
    assert len(keys) == len(set(keys)), "a key used twice is ambiguous and does nothing"
    assert ("File", "New person", "Ctrl+N") in rows and ("Edit", "Find", "Ctrl+F") in rows
    dialog = window.show_shortcuts()
    qtbot.addWidget(dialog)
    assert isinstance(dialog, ShortcutsDialog) and dialog.table.rowCount() == len(rows)


def close_modal_later(seen: list[str]) -> None:
    def close() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            QTimer.singleShot(10, close)
            return
        seen.append(modal.windowTitle())
        assert isinstance(modal, QDialog)
        modal.reject()

    QTimer.singleShot(0, close)


def test_ctrl_n_and_ctrl_f_work_after_clicking_the_sidebar(window: MainWindow, qtbot: QtBot) -> None:
    window.show_workspace("groups")
    window.nav.setFocus()
    assert QApplication.focusWidget() is window.nav
    seen: list[str] = []
    close_modal_later(seen)
    qtbot.keyClick(window.nav, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert seen == ["New person"]
    assert window.current_key() == "contacts"
    window.show_workspace("today")
    qtbot.wait(20)  # the closed dialog is deleted
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    contacts = window.workspace("contacts")
    assert isinstance(contacts, ContactsWorkspace)
    assert window.current_key() == "contacts"
    assert QApplication.focusWidget() is contacts.filters.search
    # From inside a text field too (Qt gives some Ctrl keys to fields): Ctrl+F still finds.
    contacts.editor.lines["given_name"].setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is contacts.filters.search


def test_toolbar_can_be_hidden_and_stays_hidden(ctx: AppContext, data_dir: Path, window: MainWindow,
                                                 qtbot: QtBot) -> None:
    assert window.toolbar.isVisible()
    texts = [plain_text(a.text()) for a in window.toolbar.actions() if not a.isSeparator()]
    assert texts[:4] == ["New person", "Find", "Import", "Print"]
    window.toolbar_action.trigger()
    assert not window.toolbar.isVisible()
    again = MainWindow(ctx, data_dir)
    qtbot.addWidget(again)
    again.show()
    assert not again.toolbar.isVisible() and not again.toolbar_action.isChecked()


def test_title_names_the_hub_once(window: MainWindow, ctx: AppContext) -> None:
    assert window.windowTitle() == "Test Hub"
    assert "Our Society" not in window.windowTitle()  # the platform adds the application's name itself


def organisation(ctx: AppContext, cid: str) -> str:
    with ctx.db.read() as session:
        found = session.get(Contact, cid)
        assert found is not None
        return found.organisation


def test_ctrl_z_in_a_field_undoes_typing_then_the_saved_edit(window: MainWindow, ctx: AppContext,
                                                              qtbot: QtBot) -> None:
    with ctx.db.write() as tx:
        cid = create_contact(tx, {"given_name": "Ana", "family_name": "Silva", "organisation": "Food Bank"}).id
    contacts = window.show_workspace("contacts")
    assert isinstance(contacts, ContactsWorkspace)
    contacts.open_contact(cid)
    line: QLineEdit = contacts.editor.lines["organisation"]
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, "Library")
    qtbot.keyClick(line, Qt.Key.Key_Tab)  # leaves the field: saved
    assert organisation(ctx, cid) == "Library"
    assert ctx.undo_stack.count() == 1
    line.setFocus()
    line.end(False)
    qtbot.keyClicks(line, " X")  # typing not saved yet
    qtbot.keyClick(line, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert line.text() != "Library X" and organisation(ctx, cid) == "Library"  # the typing only
    while line.isUndoAvailable():
        qtbot.keyClick(line, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert line.text() == "Library"
    # No typing left in the field: Ctrl+Z there undoes the saved edit, not the field on its own.
    qtbot.keyClick(line, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert organisation(ctx, cid) == "Food Bank"
    assert line.text() == "Food Bank"
    qtbot.keyClick(contacts.editor.lines["role"], Qt.Key.Key_Tab)
    line.setFocus()
    qtbot.keyClick(line, Qt.Key.Key_Tab)  # leaving the field must not save the old value as a new edit
    assert organisation(ctx, cid) == "Food Bank"
    assert ctx.undo_stack.index() == 0 and ctx.undo_stack.count() == 1
    focus = QApplication.focusWidget()  # the next field, with nothing typed in it: redo is the window's
    assert isinstance(focus, QLineEdit) and focus is not line
    qtbot.keyClick(focus, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert organisation(ctx, cid) == "Library"
