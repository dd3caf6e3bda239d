"""The main window's menus and toolbar: every window-wide command, its shortcut (working wherever the focus is in
the window) and its place in a menu."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

if TYPE_CHECKING:
    from oursociety_desktop.ui.main_window import MainWindow


def command(window: MainWindow, menu: QMenu, text: str, slot: Callable[[], object],
            keys: str | QKeySequence.StandardKey = "", tip: str = "") -> QAction:
    """A window-wide command: its shortcut works wherever the focus is in the window, and it is in a menu."""
    action = QAction(text, window)
    if keys:
        action.setShortcut(QKeySequence(keys))
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.triggered.connect(slot)
    menu.addAction(action)
    return action


def build_menus(window: MainWindow) -> None:
    """File, Edit, View and Help, each command with its shortcut (also kept as the window's attributes)."""
    tr, w = window.tr, window
    bar = w.menuBar()
    file_menu = bar.addMenu(tr("&File"))
    w.new_person_action = command(w, file_menu, tr("&New person…"), w.new_person, "Ctrl+N",
                                  tr("Add a person, with the consents they gave"))
    w.new_group_action = command(w, file_menu, tr("New &group…"), w.new_group, "Ctrl+Shift+N")
    w.new_action_action = command(w, file_menu, tr("New &action…"), w.new_action, "Ctrl+Shift+A")
    file_menu.addSeparator()
    w.import_action = command(w, file_menu, tr("&Import…"), w.import_people, "Ctrl+I",
                              tr("Import people from a vCard or CSV file"))
    w.export_action = command(w, file_menu, tr("&Export…"), w.export_people, "Ctrl+Shift+E",
                              tr("Export people to a vCard or CSV file"))
    w.print_action = command(w, file_menu, tr("&Print…"), w.print_something, QKeySequence.StandardKey.Print,
                             tr("Print a directory, sign-in sheet, labels…"))
    file_menu.addSeparator()
    w.backup_action = command(w, file_menu, tr("&Back up now"), w.backup_now, "Ctrl+Shift+B")
    command(w, file_menu, tr("&Open data folder"),
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(w.folder))))
    preferences = QKeySequence(QKeySequence.StandardKey.Preferences)
    w.settings_action = command(w, file_menu, tr("&Settings…"), w.open_settings, preferences.toString() or "Ctrl+,")
    file_menu.addSeparator()
    w.quit_action = command(w, file_menu, tr("&Quit"), w.quit_app, QKeySequence.StandardKey.Quit)

    edit_menu = bar.addMenu(tr("&Edit"))
    w.undo_action = w.ctx.undo_stack.createUndoAction(w, tr("&Undo"))
    w.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
    w.redo_action = w.ctx.undo_stack.createRedoAction(w, tr("&Redo"))
    w.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    edit_menu.addAction(w.undo_action)
    edit_menu.addAction(w.redo_action)
    edit_menu.addSeparator()
    w.find_action = command(w, edit_menu, tr("&Find…"), w.find_in_list, QKeySequence.StandardKey.Find,
                            tr("Search the list on show (Contacts when it has none)"))

    view_menu = bar.addMenu(tr("&View"))
    w.workspace_actions = {}
    for spec in w.specs:
        # "&" would make the next letter a mnemonic ("Import _export"): double it to show it.
        w.workspace_actions[spec.key] = command(w, view_menu, spec.translated_title().replace("&", "&&"),
                                                partial(w.show_workspace, spec.key), spec.shortcut)
    view_menu.addSeparator()
    w.toolbar_action = w.toolbar.toggleViewAction()
    w.toolbar_action.setText(tr("&Toolbar"))
    w.toolbar_action.toggled.connect(w.remember_toolbar)
    view_menu.addAction(w.toolbar_action)
    w.larger_text = view_menu.addAction(tr("&Larger text"))
    w.larger_text.setCheckable(True)
    w.larger_text.setChecked(int(w.ctx.db.setting("text_size") or 0) > 0)
    w.larger_text.toggled.connect(w.set_larger_text)

    help_menu = bar.addMenu(tr("&Help"))
    w.shortcuts_action = command(w, help_menu, tr("&Keyboard shortcuts"), w.show_shortcuts, "Ctrl+/")
    w.getting_started_action = command(w, help_menu, tr("&Getting started"), w.show_getting_started,
                                       QKeySequence.StandardKey.HelpContents)
    help_menu.addSeparator()
    command(w, help_menu, tr("&About Our Society"), w.show_about)


def build_toolbar(window: MainWindow) -> QToolBar:
    """The toolbar of common commands (hideable; filled by `fill_toolbar` once the menus exist)."""
    toolbar = QToolBar(window.tr("Toolbar"), window)
    toolbar.setObjectName("main-toolbar")
    toolbar.setAccessibleName(window.tr("Toolbar"))
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
    return toolbar


def fill_toolbar(window: MainWindow) -> None:
    """Put the common commands on the toolbar and show it unless the organiser hid it."""
    for action in (window.new_person_action, window.find_action, window.import_action, window.print_action,
                   window.backup_action):
        window.toolbar.addAction(action)
    window.toolbar.addSeparator()
    window.toolbar.addAction(window.undo_action)
    window.toolbar.addAction(window.redo_action)
    window.toolbar.setVisible(not bool(window.ctx.db.setting("toolbar_hidden")))
