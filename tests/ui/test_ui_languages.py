"""The window through the program's gettext catalogues (a QTranslator bridge), Qt's own strings from qtbase, and
a mirrored window for a right-to-left language."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit
from pytestqt.qtbot import QtBot

from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.main_window import MainWindow
from oursociety_desktop.ui.translator import install_translators
from oursociety_desktop.ui.wording import plural


@pytest.fixture
def app() -> Iterator[QApplication]:
    instance = QApplication.instance()
    assert isinstance(instance, QApplication)
    yield instance
    install_translators(instance, "en")


def test_the_window_speaks_the_catalogue_and_mirrors_for_arabic(app: QApplication, ctx: AppContext, data_dir: Path,
                                                                qtbot: QtBot) -> None:
    install_translators(app, "cy")
    window = MainWindow(ctx, data_dir)
    qtbot.addWidget(window)
    assert [a.text() for a in window.menuBar().actions()] == ["&Ffeil", "&Golygu", "&Gweld", "&Cymorth"]
    assert app.layoutDirection() == Qt.LayoutDirection.LeftToRight
    install_translators(app, "ar")
    assert app.layoutDirection() == Qt.LayoutDirection.RightToLeft
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    cancel = box.button(QDialogButtonBox.StandardButton.Cancel).text()
    assert cancel and cancel != "Cancel" and cancel != "&Cancel"  # Qt's own strings, from qtbase_ar.qm
    install_translators(app, "en")
    assert app.layoutDirection() == Qt.LayoutDirection.LeftToRight


@pytest.mark.parametrize("language", ["cy", "pl", "ur", "bn", "ar"])
def test_every_workspace_opens_in_every_language_without_a_warning(app: QApplication, ctx: AppContext,
                                                                   data_dir: Path, qtbot: QtBot,
                                                                   qtlog: pytest.LogCaptureFixture,
                                                                   language: str) -> None:
    from oursociety_desktop.ui.workspaces import WORKSPACES

    install_translators(app, language)
    window = MainWindow(ctx, data_dir)
    qtbot.addWidget(window)
    window.show()
    for spec in WORKSPACES:
        window.show_workspace(spec.key)
        qtbot.wait(1)
    assert window.menuBar().actions()[0].text() != "&File"  # the window speaks the language
    # The offscreen platform says it cannot pass size hints to a window manager; that is the test display's.
    warnings = [r.message for r in qtlog.records  # type: ignore[attr-defined]
                if "propagateSizeHints" not in r.message]
    assert warnings == []


def test_a_count_on_screen_takes_the_form_its_language_wants(app: QApplication, ctx: AppContext, data_dir: Path,
                                                             qtbot: QtBot) -> None:
    """Polish has three forms ("1 osoba", "2 osoby", "5 osób"): two English forms picked by `count == 1` gave
    "5 osoby"."""
    install_translators(app, "pl")
    QLocale.setDefault(QLocale("pl"))
    try:
        shown = [plural(n, "{n} person", "{n} people") for n in (1, 2, 5, 22, 25)]
        assert shown == ["1 osoba", "2 osoby", "5 osób", "22 osoby", "25 osób"]
        window = MainWindow(ctx, data_dir)
        qtbot.addWidget(window)
        contacts = window.show_workspace("contacts")
        assert contacts.count_label.text() == "0 osób"  # type: ignore[attr-defined]
    finally:
        QLocale.setDefault(QLocale("en_US"))
    install_translators(app, "en")
    assert plural(5, "{n} person", "{n} people") == "5 people"


def test_the_words_on_qt_standard_buttons_and_menus_reach_the_catalogues(qtbot: QtBot) -> None:
    # Qt ships no translation for Welsh, Urdu or Bengali: a Welsh or Urdu Settings page said "Save". Every word
    # Qt puts on a standard button or a text field's menu is marked, so the catalogues translate it.
    from tests.core.test_core_catalogues import marked_messages

    marked = marked_messages()
    standard = QDialogButtonBox.StandardButton
    words = []
    for which in (standard.Ok, standard.Save, standard.SaveAll, standard.Open, standard.Yes, standard.YesToAll,
                  standard.No, standard.NoToAll, standard.Abort, standard.Retry, standard.Ignore, standard.Close,
                  standard.Cancel, standard.Discard, standard.Help, standard.Apply, standard.Reset,
                  standard.RestoreDefaults):
        box = QDialogButtonBox(which)
        qtbot.addWidget(box)
        words.append(box.button(which).text())
    field = QLineEdit()
    qtbot.addWidget(field)
    menu = field.createStandardContextMenu()
    words += [action.text().split("\t")[0] for action in menu.actions() if action.text()]
    assert "Save" in words and "&Paste" in words
    assert [word for word in words if word not in marked] == []
