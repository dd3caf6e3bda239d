"""A workspace title with an ampersand ("Offers & needs", "Import & export") is a literal "&": the list shows it
as written, and the View menu doubles it so Qt does not take it for a keyboard mnemonic. Translations that say
"and" in words stay correct in both places."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.main_window import MainWindow
from oursociety_desktop.ui.translator import install_translators


@pytest.fixture
def app() -> Iterator[QApplication]:
    instance = QApplication.instance()
    assert isinstance(instance, QApplication)
    yield instance
    install_translators(instance, "en")


def titles(window: MainWindow) -> dict[str, tuple[str, str]]:
    """Per workspace key: (the navigation list's text, the View menu action's text)."""
    items = [window.nav.item(i) for i in range(window.nav.count())]
    shown = {item.data(0x0100): item.text() for item in items}  # Qt.UserRole holds the key
    return {key: (shown[key], action.text()) for key, action in window.workspace_actions.items()}


def test_an_ampersand_in_a_title_is_shown_as_written(app: QApplication, ctx: AppContext, data_dir: Path,
                                                      qtbot: QtBot) -> None:
    window = MainWindow(ctx, data_dir)
    qtbot.addWidget(window)
    found = titles(window)
    assert found["offers"] == ("Offers & needs", "Offers && needs")
    assert found["interop"] == ("Import & export", "Import && export")


def test_translated_titles_keep_their_words(app: QApplication, ctx: AppContext, data_dir: Path,
                                            qtbot: QtBot) -> None:
    install_translators(app, "pl")
    window = MainWindow(ctx, data_dir)
    qtbot.addWidget(window)
    assert titles(window)["offers"] == ("Oferty i potrzeby", "Oferty i potrzeby")
