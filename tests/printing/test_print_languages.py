"""Printed pages in the chosen language: the furniture ("Page 1 of 3", the date printed, the personal-data line),
titles and column headings come from the catalogue, and dates are written by Babel for the locale. Read back as
text with pdftotext, as a reader's search would see them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from oursociety_desktop import i18n
from oursociety_desktop.formats.pdf.furniture import long_date
from oursociety_desktop.formats.pdf.options import PrintOptions
from oursociety_desktop.formats.pdf.products import print_product
from tests.printing.print_fixture import TODAY, Hub, build_hub, flat, pdf_text


@pytest.fixture
def hub(db) -> Hub:  # type: ignore[no-untyped-def]
    return build_hub(db)


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    i18n.install("en")


def printed(hub: Hub, product: str, language: str, out: Path) -> str:
    i18n.install(language)
    print_product(product, hub.db, PrintOptions(paper="a4", today=TODAY), out)
    i18n.install("en")
    return flat(pdf_text(out))


def test_a_directory_printed_in_polish_carries_the_polish_furniture(hub: Hub, tmp_path: Path) -> None:
    text = printed(hub, "directory", "pl", tmp_path / "spis.pdf")
    assert re.search(r"Strona 1 z \d", text), text[:300]
    assert "Wydrukowano 10 marca 2026" in text  # Babel's Polish long date, the month in the genitive
    assert "Zawiera dane osobowe" in text
    assert "Spis osób" in text and "Imię i nazwisko" in text  # the title and a column heading
    for english in ("Page 1 of", "Printed 10", "Contains personal data", "Directory", "sorted by"):
        assert english not in text, english


def test_an_action_list_in_polish_has_polish_column_headings(hub: Hub, tmp_path: Path) -> None:
    text = printed(hub, "actions", "pl", tmp_path / "dzialania.pdf")
    assert "Otwarte działania" in text and "Strona 1 z 1" in text
    assert "Open actions" not in text and "Page 1 of 1" not in text


def test_english_stays_as_it_was_and_each_language_writes_its_own_dates(hub: Hub, tmp_path: Path) -> None:
    text = printed(hub, "directory", "en", tmp_path / "directory.pdf")
    assert "Printed 10 March 2026" in text and re.search(r"Page 1 of \d", text)
    assert "Contains personal data" in text
    expected = {"en": "10 March 2026", "cy": "10 Mawrth 2026", "pl": "10 marca 2026", "ar": "10 مارس 2026"}
    for language, written in expected.items():
        i18n.install(language)
        assert long_date(TODAY) == written


def test_arabic_furniture_is_joined_and_reads_right_to_left(hub: Hub, tmp_path: Path) -> None:
    text = printed(hub, "directory", "ar", tmp_path / "dalil.pdf")
    words = re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)  # bidi marks around runs
    # Drawn through the shaping layer the words extract in reading order; drawn with canvas.drawString, unjoined
    # and left to right, they came out reversed ("ةحفصلا").
    assert "الصفحة" in words and "طُبع" in words and "يحتوي على بيانات شخصية" in words, words[:300]
    assert "ةحفصلا" not in words
