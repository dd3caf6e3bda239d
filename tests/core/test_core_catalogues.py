"""The translation catalogues: each compiles, has no entry left fuzzy, and translates every message the code
marks (`_`, `N_`, `ngettext`, Qt's `tr` and `translate`); a plural entry has every form its language's
Plural-Forms header asks for (Welsh and Arabic six, Polish three); every translation keeps the placeholders of
its English. A failure lists the messages at fault per language."""

from __future__ import annotations

import io
import re
from pathlib import Path
from string import Formatter

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from oursociety_desktop.i18n import LANGUAGES, locale_dir

PACKAGE = Path(__file__).resolve().parents[2] / "oursociety_desktop"
# The same keywords as scripts/catalogues.sh: `_t`, `_tr` and `_noop` are the window's small helpers around
# `QCoreApplication.translate` for code outside a QObject.
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "tr": None, "translate": (2,), "_t": None, "_tr": None,
            "_noop": None, "Nn_": (1, 2)}
TRANSLATED = sorted(code for code in LANGUAGES if code != "en")


def marked_messages() -> set[str]:
    """Every message id the code marks for translation, as Babel extracts them for the template."""
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS):
        found.add(message[0] if isinstance(message, tuple) else message)
    found.discard("")
    return found


@pytest.fixture(scope="module")
def messages() -> set[str]:
    return marked_messages()


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_marked_message_is_translated(language: str, messages: set[str]) -> None:
    path = locale_dir() / language / "LC_MESSAGES" / "oursociety.po"
    with path.open("rb") as fh:
        catalogue = read_po(fh)
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue
                  if m.id and all(m.string if isinstance(m.string, tuple) else [m.string]) and not m.fuzzy}
    missing = sorted(messages - translated)
    assert missing == [], f"{len(missing)} messages not translated in {language}: run scripts/catalogues.sh update"
    write_mo(io.BytesIO(), catalogue)  # compiles


def placeholders(text: str) -> set[str]:
    """The named and numbered fields of a message: `{name}`, `{0}`, `{n:,}` (as `n`) and `%(name)s`."""
    found = set(re.findall(r"%\((\w+)\)", text))
    try:
        found |= {field.split(".")[0].split("[")[0] for _lit, field, _spec, _conv in Formatter().parse(text)
                  if field is not None}
    except ValueError:  # not a format string (a lone brace): its %-fields are all it has
        pass
    return found


@pytest.mark.parametrize("language", TRANSLATED)
def test_plural_forms_are_complete_and_placeholders_kept(language: str) -> None:
    path = locale_dir() / language / "LC_MESSAGES" / "oursociety.po"
    with path.open("rb") as fh:
        catalogue = read_po(fh)
    wrong = []
    for m in catalogue:
        if not m.id or m.fuzzy:
            continue
        if isinstance(m.id, tuple):
            forms = m.string if isinstance(m.string, tuple) else (m.string,)
            if len(forms) != catalogue.num_plurals or not all(forms):
                wrong.append(f"{m.id[0]!r}: {len(forms)} forms, {catalogue.num_plurals} wanted")
                continue
            allowed = placeholders(m.id[0]) | placeholders(m.id[1])
            needed = placeholders(m.id[0]) & placeholders(m.id[1])
            wrong += [f"{m.id[0]!r}: form {i} {form!r}" for i, form in enumerate(forms)
                      if not needed <= placeholders(form) <= allowed]
        elif m.string and placeholders(m.string) != placeholders(m.id):
            wrong.append(f"{m.id!r} -> {m.string!r}")
    assert wrong == [], f"{len(wrong)} entries of {language} lose or invent placeholders:\n" + "\n".join(wrong)


def test_the_placeholder_check_sees_every_kind() -> None:
    assert placeholders("{count} people, {0} and {n:,} in %(where)s") == {"count", "0", "n", "where"}
    assert placeholders("{{literal}} braces") == set()


def test_the_extraction_finds_the_window_and_the_core(messages: set[str]) -> None:
    assert {"&File", "Language"} <= messages  # the window
    assert {"Page {page} of {total}", "A group needs a name.", "create a new hub in the data folder"} <= messages
    assert "{count} person, sorted by family name." in messages  # a plural (Nn_), marked where it is defined
    assert len(messages) > 1500


def test_the_names_of_kinds_shown_in_lists_reach_the_catalogues(messages: set[str]) -> None:
    # Lesson, offer, need and connection kinds were once looked up through an alias of `translate` that Babel
    # does not see, so every language showed them in English.
    kinds = {"lesson learned", "story", "how-to", "warning", "a skill", "time", "a thing to lend", "a space", "help",
             "advice", "introduced", "knows", "mentors", "works with"}
    assert kinds - messages == set()
