"""No user-visible string escapes translation.

A scan of the window's source: every text literal handed to a widget that shows it (a label, a button, a title, a
tooltip, a menu action, a message box...) must come through `tr()` / `translate()` / `_()`. A literal given
straight, an f-string, a literal `.format()`-ed without `tr()`, or text glued to a literal with `+` is listed.
A second scan covers the whole package (core, formats, command line and window) for what reaches a person from
anywhere: the message of an error (`UserError`, `Cancelled`...), of a warning on an imported row, of a progress
report, and what the command line prints.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Mapping
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "oursociety_desktop" / "ui"

# Calls whose text arguments the user sees.
SHOWN = frozenset({
    "setText", "setWindowTitle", "setToolTip", "setPlaceholderText", "setStatusTip", "setWhatsThis",
    "setAccessibleName", "setAccessibleDescription", "setTitle", "setSubTitle", "setLabelText", "setTabText",
    "setInformativeText", "setDetailedText", "setButtonText", "setHeaderLabels", "setHorizontalHeaderLabels",
    "setSpecialValueText", "setSuffix", "setPrefix", "setFormat", "showMessage", "addAction", "addMenu", "addTab",
    "insertTab", "addItem", "addItems", "insertItem", "addButton", "addRow", "setItemText", "setTabToolTip",
    "information", "warning", "critical", "question", "about", "getText", "getItem", "getOpenFileName",
    "getSaveFileName", "getExistingDirectory",
    "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction", "QToolButton", "QMessageBox",
    "QListWidgetItem", "QTreeWidgetItem", "QTableWidgetItem", "QMenu", "QCommandLinkButton", "QProgressDialog",
    "show_error", "show_info", "show_message", "command",
})
TRANSLATORS = frozenset({"tr", "translate", "_", "ngettext"})
WORDS = re.compile(r"[^\W\d_]{2,}")  # two letters in a row: a word, not "…", "—", "%" or "{0}"
# Not words for a reader: a key sequence ("Ctrl+Shift+N"), a lower-case key or file name handed along as data
# ("offer", "letter", "contacts.csv"), markup alone ("<ol>").
TECHNICAL = re.compile(r"((Ctrl|Alt|Shift|Meta)\+.*|[a-z0-9_.\-]+)")
TAGS = re.compile(r"<[^>]*>")


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _literal_text(node: ast.expr) -> str | None:
    """The words of a literal that is shown as it is, or None when the expression is translated or not literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return " ".join(t for t in (_literal_text(node.left), _literal_text(node.right)) if t) or None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _literal_text(node.func.value)  # "...".format(): a literal unless the receiver is tr(...)
    if isinstance(node, ast.IfExp):
        return " ".join(t for t in (_literal_text(node.body), _literal_text(node.orelse)) if t) or None
    return None


# Calls anywhere in the package whose text reaches a person, and which of their positional arguments it is in
# (None: every one).
REACHES_A_PERSON: dict[str, tuple[int, ...] | None] = {
    "UserError": None, "NotFound": None, "Cancelled": None, "ValidationError": (1,), "RowWarning": (1,),
    "warn": (1,), "progress": (1,), "_check": (2,), "report": (1,), "print": None, "setTitle": None,
    "add_argument": (), "add_parser": (), "add_subparsers": (), "ArgumentParser": (),
}
# Keyword arguments shown to a person: the command line's help texts.
SHOWN_KEYWORDS = frozenset({"text", "title", "toolTip", "help", "description"})


def untranslated(path: Path, shown: Mapping[str, tuple[int, ...] | None] | None = None) -> list[str]:
    """`file:line: text` for each shown literal in one module (`shown`: the calls to look at, and which of their
    positional arguments are shown; by default the window's `SHOWN`, every argument)."""
    calls = shown if shown is not None else dict.fromkeys(SHOWN)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or _name(node.func) not in calls or _name(node.func) in TRANSLATORS:
            continue
        which = calls[_name(node.func)]
        args = node.args if which is None else [a for i, a in enumerate(node.args) if i in which]
        for arg in [*args, *(k.value for k in node.keywords if k.arg in SHOWN_KEYWORDS)]:
            text = _literal_text(arg)
            if text is None or TECHNICAL.fullmatch(text):
                continue
            if WORDS.search(TAGS.sub(" ", text)):
                found.append(f"{path.name}:{arg.lineno}: {text[:70]!r}")
    return found


def test_no_shown_string_in_the_window_escapes_translation() -> None:
    found = [f"{path.parent.relative_to(UI.parent)}/{line}" for path in sorted(UI.rglob("*.py"))
             for line in untranslated(path)]
    assert found == [], "shown without tr():\n" + "\n".join(found)


def scan_package(scan: Callable[[Path], list[str]]) -> list[str]:
    """`package/folder/file:line: ...` for what `scan` finds in each module of the whole package."""
    package = UI.parent
    return [f"{path.parent.relative_to(package.parent)}/{line}" for path in sorted(package.rglob("*.py"))
            for line in scan(path)]


def test_no_message_to_a_person_escapes_translation_anywhere() -> None:
    found = scan_package(lambda path: untranslated(path, REACHES_A_PERSON))
    assert found == [], "not translated:\n" + "\n".join(found)


def test_the_package_scan_finds_errors_warnings_progress_and_prints(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "raise UserError(f'Cannot create {folder}.')\n"
        "raise UserError(_('Fine {folder}.').format(folder=folder))\n"
        "progress(50, 'Reading the file')\n"
        "row.warn('END', 'cut off here')\n"
        "row.warn('END', _('cut off'))\n"
        "print(', '.join(parts) + f' added in {seconds} s')\n"
        "print(f'{key}: {value}')\n"
        "p.add_argument('--year', help='the year (default: this year)')\n"
        "p.add_argument('--year', metavar='YYYY', help=_('the year'))\n", encoding="utf-8")
    lines = [line.split(": ", 1)[1] for line in untranslated(sample, REACHES_A_PERSON)]
    assert lines == ["'Cannot create .'", "'Reading the file'", "'cut off here'", "' added in  s'",
                     "'the year (default: this year)'"]


def test_the_scan_finds_what_it_looks_for(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "label = QLabel('Plain words')\n"
        "label.setText(f'{count} people')\n"
        "button.setToolTip(self.tr('Fine'))\n"
        "box.setWindowTitle('Title: ' + name)\n"
        "box.setWindowTitle('Saved {0}'.format(name))\n"
        "box.setWindowTitle(self.tr('Saved {0}').format(name))\n"
        "menu.addAction('…')\n"
        "combo.addItem(self.tr('Letter'), 'letter')\n"
        "action.setShortcut('Ctrl+Shift+N')\n", encoding="utf-8")
    lines = [line.split(": ", 1)[1] for line in untranslated(sample)]
    assert lines == ["'Plain words'", "' people'", "'Title: '", "'Saved {0}'"]


HELPERS = frozenset({"_t", "_tr"})


def variable_tr_calls(path: Path) -> list[str]:
    """`file:line` of each `tr(x)` / `translate(context, x)` whose text is not a literal: the extractor cannot see
    it, so it never reaches the catalogues (mark the text with `N_` where it is defined and show it with `_()`)."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # The helpers the extractor knows as keywords (`_t("...")`) pass their argument on: the literal is at their call.
    helpers = {id(node) for fn in ast.walk(tree) if isinstance(fn, ast.FunctionDef) and fn.name in HELPERS
               for node in ast.walk(fn)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node.func) in ("tr", "translate") and id(node) not in helpers:
            index = 1 if _name(node.func) == "translate" else 0
            if len(node.args) > index:
                text = node.args[index]
                literal = isinstance(text, ast.Constant) or (
                    isinstance(text, ast.BinOp) and all(isinstance(side, ast.Constant)
                                                         for side in (text.left, text.right)))
                if not literal:
                    found.append(f"{path.parent.relative_to(UI.parent)}/{path.name}:{node.lineno}")
    return found


def test_every_tr_call_in_the_window_takes_a_literal() -> None:
    found = [line for path in sorted(UI.rglob("*.py")) if path.name != "translator.py"
             for line in variable_tr_calls(path)]
    assert found == [], "tr() of a variable (not extractable):\n" + "\n".join(found)


# A placeholder followed by a word for things counted ("{count} rows") is a count said in one form: "1 rows" in
# English, and wrong in every language with more forms (Polish, Welsh, Arabic). Counts go through ngettext,
# `Nn_` or the window's `plural`, which this scan does not look at.
COUNTED = re.compile(r"\{([^}]*)\}\s+(?:([^\W\d_]+)\s+)?(people|[^\W\d_]+s)\b")  # "{0} contacts", "{0} open actions"
ONE_FORM = re.compile(r"[^\W\d_]\(s\)")  # "conflict(s)": a plural said in one form
# Words after a placeholder that say what it does, not what it counts ("{path} is", "{label} holds").
VERBS = frozenset({"is", "was", "has", "does", "takes", "holds", "needs", "uses", "comes", "lacks", "stores",
                   "expands", "claims", "names", "says", "goes", "gives", "keeps", "makes", "means", "vs", "lies",
                   "offers", "this", "yes"})
# Words after a placeholder that say it is not counting the noun after them ("{3} with problems", "{hub} this").
NOT_A_COUNT_BEFORE = frozenset({"with", "id", "to", "this", "yes"})
NOT_COUNTED = {
    ("record_type", "records"),  # "Merging membership records": the placeholder is a word
    ("0", "files"),  # "PNG files (*.png)"
    ('"label", "value"', "objects"),
}


def counts_in_one_form(path: Path) -> list[str]:
    """`file:line: placeholder word` for each count in a message that has one form for every number."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and _name(node.func) in {"tr", "translate", "_", "N_", "_t", "_tr"}):
            continue
        for arg in node.args:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found += [f"{path.name}:{node.lineno}: {{{m.group(1)}}} {m.group(3)}"
                          for m in COUNTED.finditer(arg.value)
                          if not VERBS & {m.group(2), m.group(3)} and m.group(2) not in NOT_A_COUNT_BEFORE
                          and (m.group(1), m.group(3)) not in NOT_COUNTED]
                found += [f"{path.name}:{node.lineno}: {m.group(0)}" for m in ONE_FORM.finditer(arg.value)]
    return found


def test_every_count_in_a_message_has_its_plural_forms() -> None:
    found = scan_package(counts_in_one_form)
    assert found == [], "a count in one form (use ngettext, Nn_ or plural):\n" + "\n".join(found)


def test_the_count_scan_finds_what_it_looks_for(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "label.setText(self.tr('Exported {0} contacts to {1}.').format(n, path))\n"
        "raise UserError(_('{count} people left').format(count=n))\n"
        "raise UserError(ngettext('{count} row', '{count} rows', n).format(count=n))\n"
        "text = plural(n, '{n} contact', '{n} contacts')\n"
        "say(_('Merging {record_type} records'))\n"
        "raise UserError(_('The file {path} is empty.'))\n"
        "say(_('{n} open actions'))\n"
        "say(tr('Imported {0} bundle(s).'))\n", encoding="utf-8")
    assert sorted(line.split(": ", 1)[1] for line in counts_in_one_form(sample)) == [
        "e(s)", "{0} contacts", "{count} people", "{n} actions"]


# The names the extractor knows (scripts/catalogues.sh, `-k`): a translator function called under any other name
# hides its texts from the catalogues, so they stay English in every language.
EXTRACTED = frozenset({"_", "N_", "Nn_", "ngettext", "tr", "translate", "_t", "_tr", "_noop", "plural"})
TRANSLATING = frozenset({"_", "ngettext", "tr", "translate"})


def translators_under_another_name(path: Path) -> list[str]:
    """`file:line: name` of each translator function bound to a name the extractor does not know
    (`t = QCoreApplication.translate`, `from ...i18n import _ as tx`), and of each Qt `%n` count, which the
    window's gettext translator cannot give its plural forms (use `plural`)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Assign) and _name(node.value) in TRANSLATING and isinstance(
                node.value, ast.Attribute | ast.Name):
            found += [f"{path.name}:{node.lineno}: {target.id}" for target in node.targets
                      if isinstance(target, ast.Name) and target.id not in EXTRACTED]
        elif isinstance(node, ast.ImportFrom):
            found += [f"{path.name}:{node.lineno}: {alias.asname}" for alias in node.names
                      if alias.name in TRANSLATING and alias.asname and alias.asname not in EXTRACTED]
        elif isinstance(node, ast.Call) and _name(node.func) in ("tr", "translate") and any(
                isinstance(arg, ast.Constant) and isinstance(arg.value, str) and re.search(r"%L?n", arg.value)
                for arg in node.args):
            found.append(f"{path.name}:{node.lineno}: %n")
    return found


def test_no_translator_is_called_under_a_name_the_extractor_misses() -> None:
    found = scan_package(translators_under_another_name)
    assert found == [], "texts the catalogues never get:\n" + "\n".join(found)


def test_the_alias_scan_finds_what_it_looks_for(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from oursociety_desktop.i18n import _ as tx, ngettext\n"
        "t = QCoreApplication.translate\n"
        "_t = QCoreApplication.translate\n"
        "label.setText(self.tr('%n on the sheet', '', n))\n"
        "label.setText(self.tr('100% sure'))\n", encoding="utf-8")
    assert translators_under_another_name(sample) == ["sample.py:1: tx", "sample.py:2: t", "sample.py:4: %n"]
