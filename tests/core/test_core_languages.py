"""One translation mechanism: gettext catalogues for the core, the command line and (through a QTranslator)
the window; the language comes from --lang, OURSOCIETY_LANG, the hub's setting, then the system."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from oursociety_desktop import i18n


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    i18n.install("en")


def test_the_language_comes_from_the_option_then_the_environment_then_the_setting_then_the_system(
        monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("OURSOCIETY_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "pl_PL.UTF-8")
    assert i18n.choose_language() == "pl"
    assert i18n.choose_language(saved="cy") == "cy"
    monkeypatch.setenv("OURSOCIETY_LANG", "ur")
    assert i18n.choose_language(saved="cy") == "ur"
    assert i18n.choose_language("ar-EG", saved="cy") == "ar"
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("OURSOCIETY_LANG")
    assert i18n.choose_language() in ("en", i18n.system_language() or "en")


def test_a_catalogue_translates_and_a_missing_one_falls_back_to_english() -> None:
    assert i18n.has_catalogue("cy"), "bash dev.sh compiles the catalogues (scripts/catalogues.sh compile)"
    assert i18n.install("cy") == "cy"
    assert i18n._("&File") == "&Ffeil"
    assert i18n.install("xx") == "xx"
    assert i18n._("&File") == "&File"
    assert i18n.is_right_to_left("ur") and i18n.is_right_to_left("ar_EG") and not i18n.is_right_to_left("cy")
