"""The translation catalogues: each compiles, has no entry left fuzzy, and translates every message the code
marks (`_`, `N_`, `ngettext`, Qt's `tr` and `translate`). A failure lists the missing messages per language."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from oursociety_desktop.i18n import LANGUAGES, locale_dir

PACKAGE = Path(__file__).resolve().parents[2] / "oursociety_desktop"
# The same keywords as scripts/catalogues.sh: `_t`, `_tr` and `_noop` are the window's small helpers around
# `QCoreApplication.translate` for code outside a QObject.
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "tr": None, "translate": (2,), "_t": None, "_tr": None,
            "_noop": None}
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


def test_the_extraction_finds_the_window_and_the_core(messages: set[str]) -> None:
    assert {"&File", "Language"} <= messages
    assert len(messages) > 800
