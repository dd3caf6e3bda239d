"""The command line in the chosen language: `--lang` and `OURSOCIETY_LANG` reach its one-line errors, its
summaries (with the language's own plural forms) and its argparse help, which is built after the language is set."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from oursociety_desktop import i18n
from tests.cli_helpers import file_digest, run


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    i18n.install("en")


def test_errors_and_summaries_are_printed_in_polish(hub: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(hub)]
    before = file_digest(hub)
    code, out, err = run(capsys, "--lang", "pl", *d, "contact", "show", "no-such-id")
    assert (code, out) == (1, "")
    assert err == "oursociety: Nie ma rekordu typu kontakt o identyfikatorze „no-such-id”.\n"
    assert file_digest(hub) == before
    for given in ("Anna", "Jan"):
        assert run(capsys, *d, "contact", "add", "--given", given, "--family", "Nowak")[0] == 0
    # Polish has three plural forms: 1 kontakt, 2-4 kontakty, 5 and more kontaktów.
    code, out, _ = run(capsys, "--lang", "pl", *d, "csv", "export", tmp_path / "two.csv")
    assert code == 0 and out == f"Zapisano 2 kontakty do {tmp_path / 'two.csv'}.\n"
    code, out, _ = run(capsys, "--lang", "pl", *d, "contact", "list")
    assert code == 0 and "Anna Nowak" in out and "Jan Nowak" in out


def test_the_environment_chooses_the_language_and_english_is_unchanged(
        hub: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    d = ["--data-dir", str(hub)]
    monkeypatch.setenv("OURSOCIETY_LANG", "cy")
    code, _, err = run(capsys, *d, "group", "show", "no-such-id")
    assert code == 1 and err == "oursociety: Does dim cofnod o'r math grŵp gyda'r id 'no-such-id'.\n"
    code, _, err = run(capsys, "--lang", "en", *d, "group", "show", "no-such-id")
    assert code == 1 and err == "oursociety: No group with id 'no-such-id'.\n"


def test_the_help_is_in_the_chosen_language(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        run(capsys, "--lang", "pl", "--help")
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "utwórz nowy hub w folderze danych" in out and "create a new hub in the data folder" not in out
    with pytest.raises(SystemExit):
        run(capsys, "--lang=ar", "contact", "--help")
    out = capsys.readouterr().out
    assert "أضف جهة اتصال؛ يطبع معرّفها" in out and "add a contact; prints its id" not in out
