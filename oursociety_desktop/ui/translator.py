"""The window's strings through the program's gettext catalogues, and Qt's own dialogs in the same language.

Every `self.tr("...")` and `QCoreApplication.translate(context, "...")` in `ui/` asks the installed QTranslators;
`GettextTranslator` answers from `oursociety_desktop.i18n`, so the window, the command line, the core's messages
and the printed pages share one catalogue per language. Qt's own strings (the buttons of a message box, the file
dialog) come from Qt's `qtbase_<lang>.qm` where the binding ships one; the words of standard buttons and of a text
field's menu (`QT_OWN_WORDS`) are in the program's catalogues too, for the languages Qt does not ship. A
right-to-left language mirrors the whole window.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtWidgets import QApplication

from oursociety_desktop import i18n
from oursociety_desktop.i18n import N_

# Qt's own words on standard buttons (QDialogButtonBox, QMessageBox) and in a text field's right-click menu. Qt
# ships no translation of them for Welsh, Urdu or Bengali, so a Welsh Settings page said "Save"; marked here, they
# reach the program's catalogues, and GettextTranslator (which does not look at Qt's context) answers them.
QT_OWN_WORDS = (
    N_("OK"), N_("Save"), N_("Save All"), N_("Open"), N_("&Yes"), N_("Yes to &All"), N_("&No"), N_("N&o to All"),
    N_("Abort"), N_("Retry"), N_("Ignore"), N_("Close"), N_("Cancel"), N_("Discard"), N_("Help"), N_("Apply"),
    N_("Reset"), N_("Restore Defaults"),
    N_("&Undo"), N_("&Redo"), N_("Cu&t"), N_("&Copy"), N_("&Paste"), N_("Delete"), N_("Select All"),
)


class GettextTranslator(QTranslator):
    """A QTranslator that looks a source text up in the gettext catalogue (the context is not used: one English
    sentence has one translation everywhere)."""

    def translate(self, context: str, source_text: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        if not source_text:
            return None
        translated = i18n._(source_text)
        # None (a null QString) means "not here": Qt then asks its other translators (qtbase) or keeps the
        # source. An empty string would be taken as the translation.
        return translated if translated != source_text else None

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name
        return False


_installed: list[QTranslator] = []


def install_translators(app: QCoreApplication, language: str) -> str:
    """Use `language` for the program's catalogues and Qt's own strings, and mirror the window for a
    right-to-left language. Returns the language code in use. Safe to call again to switch language."""
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    code = i18n.install(language)
    # Dates and numbers follow the system's locale when it speaks this language (or for English, the source
    # language), so a British organiser keeps day-first dates; otherwise the language's own locale.
    system = QLocale.system()
    speaks = code == "en" or system.name().split("_")[0] == code
    QLocale.setDefault(system if speaks else QLocale(code))
    qt_own = QTranslator(app)
    if qt_own.load(f"qtbase_{code}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_own)
        _installed.append(qt_own)
    ours = GettextTranslator(app)
    app.installTranslator(ours)
    _installed.append(ours)
    if isinstance(app, QApplication):
        app.setLayoutDirection(Qt.LayoutDirection.RightToLeft if i18n.is_right_to_left(code)
                               else Qt.LayoutDirection.LeftToRight)
    return code
