"""Scripts, large print in every product, multi-page numbering, sections and sort orders."""

from __future__ import annotations

from pathlib import Path

import pytest

from oursociety_desktop.formats.pdf import fonts  # noqa: E402
from oursociety_desktop.formats.pdf.options import PrintOptions  # noqa: E402
from oursociety_desktop.formats.pdf.products import print_product  # noqa: E402
from oursociety_desktop.formats.pdf.shaping import layout  # noqa: E402
from oursociety_desktop.models.contacts import create_contact  # noqa: E402
from tests.printing.print_fixture import LISTED, TODAY, build_hub, drawn_strings, flat, page_texts, pdf_text, shown  # noqa: E402


def options(**kw: object) -> PrintOptions:
    values: dict[str, object] = {"paper": "a4", "today": TODAY, **kw}
    return PrintOptions(**values)  # type: ignore[arg-type]


NAMES = [shown(*pair) for pair in LISTED.values()] + ["שרה כהן", "Ελένη Ζωή", "Михаил Ёлкин", "Zoë Łącka",
                                                        "王小明 Wang", "ناصر عباس", "یوسف ہمدانی", "ایک ے"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("font", ["body", "bold"])
def test_every_character_is_drawn_in_a_font_that_has_it(name: str, font: str) -> None:
    fonts.register_fonts()
    chosen = fonts.BODY if font == "body" else fonts.BOLD
    for line in layout(name, chosen, 10, 400):
        for run in line.runs:
            missing = [ch for ch in run.text if ch != " " and not fonts.covers(run.font, ch)]
            assert not missing, (name, run.font, missing)


def test_hebrew_and_mixed_scripts_extract_as_written(db, tmp_path: Path) -> None:
    build_hub(db)
    with db.write() as tx:
        create_contact(tx, {"given_name": "שרה", "family_name": "כהן", "include_in_directory": True})
        create_contact(tx, {"given_name": "ناصر", "family_name": "عباس", "include_in_directory": True})
    out = tmp_path / "d.pdf"
    print_product("directory", db, options(), out)
    text = flat(pdf_text(out))
    assert "שרה כהן" in text and "ناصر عباس" in text


@pytest.mark.parametrize("product, extra", [
    ("directory", {}), ("group", {"group": "Choir"}), ("signin", {"group": "Choir"}), ("actions", {}),
    ("calls", {}),
])
def test_large_print_in_every_product(db, tmp_path: Path, product: str, extra: dict[str, object]) -> None:
    build_hub(db)
    out = tmp_path / f"{product}.pdf"
    print_product(product, db, options(large_print=True, **extra), out)
    furniture = ("Test Hub", "Printed", "Contains personal data", "Page ")
    body = [(text, size) for text, size, _, _ in drawn_strings(out)
            if not text.startswith(furniture) and text.strip() not in ("Name", "Phone", "Email", "Address")]
    names = [size for text, size in body if "Wójcik" in text or "Book the hall" in text]
    assert names and min(names) >= 16, body[:5]


def test_labels_spill_onto_a_second_sheet_with_page_numbers(db, tmp_path: Path) -> None:
    build_hub(db)
    out = tmp_path / "labels.pdf"
    result = print_product("labels", db, options(label_format="L7163", start_at=12), out)
    pages = page_texts(out)
    assert result.entries > 3 and len(pages) == 2
    assert "Page 1 of 2" in pages[0] and "Page 2 of 2" in pages[1]


def test_directory_by_group_has_group_sections(db, tmp_path: Path) -> None:
    build_hub(db)
    out = tmp_path / "d.pdf"
    result = print_product("directory", db, options(by_group=True), out)
    lines = pdf_text(out).splitlines()
    assert "Choir" in lines and "Not in any group" in lines
    choir, rest = lines.index("Choir"), lines.index("Not in any group")
    assert choir < rest
    section = flat("\n".join(lines[choir:rest]))
    assert "Łukasz Wójcik" in section and "Дмитрий" not in section
    assert result.entries == 11


def test_sort_by_first_name(db, tmp_path: Path) -> None:
    build_hub(db)
    out = tmp_path / "d.pdf"
    print_product("directory", db, options(sort="given"), out)
    text = flat(pdf_text(out))
    assert text.index("Eddie Noemail") < text.index("Mary Nomail") < text.index("Nora Nophone") \
        < text.index("Tara Tagged")
    assert "sorted by first name" in text
