"""The layout rules: headings kept with two rows, column headings inside the text area, large print at 16 pt
everywhere, furniture inside the printer's safe area on every sheet, no break inside words, emails or phone
numbers, sections and headings by collation."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from oursociety_desktop.formats.pdf import fonts  # noqa: E402
from oursociety_desktop.formats.pdf.collation import HAN_HEADING, collation_key, heading  # noqa: E402
from oursociety_desktop.formats.pdf.furniture import SIDE_MARGIN  # noqa: E402
from oursociety_desktop.formats.pdf.labels import label_formats  # noqa: E402
from oursociety_desktop.formats.pdf.options import CONTACT_FIELDS, PrintOptions  # noqa: E402
from oursociety_desktop.formats.pdf.products import print_product  # noqa: E402
from oursociety_desktop.formats.pdf.shaping import fit, layout  # noqa: E402
from oursociety_desktop.models.contacts import create_contact  # noqa: E402
from oursociety_desktop.models.database import Database  # noqa: E402
from tests.printing.print_fixture import TODAY, build_hub, drawn_strings, flat, normal, page_texts  # noqa: E402
from tests.printing.scripts_hub import PEOPLE, build_scripts_hub  # noqa: E402

MM = 72 / 25.4
ASCENT, DESCENT = 0.93, 0.24  # DejaVu Sans, as a share of the type size


def options(**kw: object) -> PrintOptions:
    values: dict[str, object] = {"paper": "a4", "today": TODAY, **kw}
    return PrintOptions(**values)  # type: ignore[arg-type]


def _width(text: str, size: float, bold: bool = False) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    fonts.register_fonts()
    return float(stringWidth(text.strip(), fonts.BOLD if bold else fonts.BODY, size))


# --- headings keep two rows --------------------------------------------------------------------------------

FAMILIES = ["Adams", "Baker", "Clarke", "Davies", "Evans", "Fisher", "Green", "Hughes", "Irving", "Jones"]


@pytest.mark.parametrize("per_letter", [3, 4, 5, 7])
def test_no_heading_without_two_of_its_rows_on_its_page(db: Database, tmp_path: Path, per_letter: int) -> None:
    with db.write() as tx:
        for family in FAMILIES * 2:
            for i in range(per_letter):
                create_contact(tx, {"given_name": f"Person{i}", "family_name": family, "include_in_directory": True,
                                    "street": "1 Long Road\nSecond line", "locality": "Leeds", "postcode": "LS1 1AA",
                                    "phones": ["0113 496 0000", "07700 900123"]})
    out = tmp_path / "d.pdf"
    print_product("directory", db, options(fields=("phone", "address")), out)
    pages = len(PdfReader(str(out)).pages)
    assert pages >= 3
    for page in range(pages):
        drawn = drawn_strings(out, page)
        headings = [(y, t) for t, size, _, y in drawn if round(size) == 13 and len(t.strip()) == 1]
        for y, letter in headings:
            below = [t for t, size, x, ty in drawn if round(size, 1) == 9.5 and ty < y and t.startswith("Person")
                     and t.split()[-1].startswith(letter)]
            assert len(below) >= 2, (page, letter, below)


# --- column headings inside the text area ------------------------------------------------------------------


@pytest.mark.parametrize("large", [False, True])
def test_all_seven_fields_keep_every_heading_inside_the_text_area(db: Database, tmp_path: Path, large: bool) -> None:
    build_hub(db)
    out = tmp_path / "d.pdf"
    print_product("directory", db, options(fields=CONTACT_FIELDS, large_print=large), out)
    page_width = float(PdfReader(str(out)).pages[0].mediabox.width)
    titles = ("Name", "Organisation", "Role", "Phone", "Email", "Address", "Languages", "Skills", "interests",
              "Contact details", "Language")
    checked = 0
    for text, _, x, _ in drawn_strings(out):
        if text.strip().startswith(titles) and len(text.strip()) < 22:
            checked += 1
            right = x + _width(text.strip(), 16 if large else 7.5, bold=False)
            assert x >= SIDE_MARGIN - 0.5 and right <= page_width - SIDE_MARGIN + 0.5, (text, x)
    assert checked >= (2 if large else 7)


# --- large print ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("product, extra", [
    ("directory", {"fields": CONTACT_FIELDS}), ("group", {"group": "Choir"}), ("signin", {"group": "Choir"}),
    ("actions", {}), ("calls", {}),
])
def test_large_print_sets_every_text_at_16_points(db: Database, tmp_path: Path, product: str,
                                                   extra: dict[str, object]) -> None:
    build_hub(db)
    out = tmp_path / f"{product}.pdf"
    print_product(product, db, options(large_print=True, **extra), out)
    for page in range(len(PdfReader(str(out)).pages)):
        small = [(text, size) for text, size, _, _ in drawn_strings(out, page) if size < 15.99]
        assert not small, (product, page, small[:5])


def test_large_print_keeps_each_phone_number_on_one_line(db: Database, tmp_path: Path) -> None:
    build_scripts_hub(db)
    out = tmp_path / "d.pdf"
    print_product("directory", db, options(large_print=True, fields=CONTACT_FIELDS), out)
    drawn = " | ".join(text for page in range(len(PdfReader(str(out)).pages))
                       for text, *_ in drawn_strings(out, page))
    for i in range(len(PEOPLE)):
        assert f"07700 900{100 + i}" in drawn, i


FURNITURE = ("Test Hub", "Printed 10 March 2026", "Contains personal data", "Page ")


def _short_addresses(db: Database) -> None:
    """People whose addresses fit four lines: name, street, town, postcode."""
    with db.write() as tx:
        for i, (given, family) in enumerate((("Ann", "Lee"), ("Bob", "Kerr"), ("Łucja", "Nowak"), ("Омар", "Ли"))):
            create_contact(tx, {"given_name": given, "family_name": family, "street": f"{i + 2} Mill Lane",
                                "locality": "Leeds", "postcode": "LS6 2AB", "country": "United Kingdom"})


@pytest.mark.parametrize("code", sorted(label_formats()))
def test_large_print_labels_set_their_header_and_footer_at_16_points(db: Database, tmp_path: Path,
                                                                       code: str) -> None:
    """Large print on every label sheet: the hub's name, the date, the privacy line and the page number at 16 pt,
    read back from the PDF; where the sheet's margins have no room (L7161), on a cover page printed first."""
    _short_addresses(db)
    fmt = label_formats()[code]
    out = tmp_path / "labels.pdf"
    result = print_product("labels", db, options(paper=fmt.paper, label_format=code, large_print=True), out)
    pages = len(PdfReader(str(out)).pages)
    found: dict[int, set[str]] = {}
    small = []
    for page in range(pages):
        for text, size, _, _ in drawn_strings(out, page):
            kind = next((f for f in FURNITURE if text.strip().startswith(f)), None)
            if kind is not None:
                assert size >= 15.99, (code, page, text, size)
                found.setdefault(page, set()).add(kind)
            elif size < 15.99:
                small.append(text)
    cover = code == "L7161"
    assert result.pages == pages == (2 if cover else 1)
    assert all(found.get(page) == set(FURNITURE) for page in range(1 if cover else pages)), found
    if cover:
        assert 1 not in found  # the label sheet itself carries nothing the margins cannot hold at 16 pt
        cover_text = flat(page_texts(out)[0])
        assert "4 labels on one sheet of Avery L7161" in cover_text and "plain paper" in cover_text
        assert any("cover page" in note for note in result.notes)
    else:
        assert not any("cover page" in note for note in result.notes)
    # Four-line addresses keep 16 pt on every sheet but the 1-inch labels of a 5160, which says so.
    assert bool(small) == (code == "5160"), small
    assert not small or any("below 16 pt" in note for note in result.notes)
    _assert_inside_safe_area(out)


LONG_HUB = "Riverside and Canal Side Community Association"


@pytest.mark.parametrize("product, extra", [("directory", {}), ("directory", {"large_print": True}),
                                            ("labels", {"large_print": True}), ("labels", {})])
def test_a_long_hub_name_is_printed_whole(tmp_path: Path, product: str, extra: dict[str, object]) -> None:
    """A hub name too long for one line beside the date takes a second line (a document page) or, on a label
    sheet in large print, the cover page: never cut, and 16 pt in large print."""
    db = Database.create(tmp_path / "hub", LONG_HUB)
    _short_addresses(db)
    out = tmp_path / "p.pdf"
    print_product(product, db, options(**extra), out)
    pages = page_texts(out)
    assert LONG_HUB in flat(pages[0]), pages[0][:200]  # what a search finds (the first line carries it all)
    drawn = " ".join(text for text, *_ in drawn_strings(out, 0))  # what is drawn: every word of it
    assert "Riverside and Canal Side" in drawn and "Community Association" in drawn, drawn[:200]
    if extra.get("large_print"):
        for page in range(len(pages)):
            small = [(text, size) for text, size, _, _ in drawn_strings(out, page) if size < 15.99]
            assert not small, (product, page, small)
    _assert_inside_safe_area(out)
    db.close()


# --- the printer's safe area ------------------------------------------------------------------------------


@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("code", sorted(label_formats()))
def test_label_sheet_furniture_is_5mm_inside_every_edge(db: Database, tmp_path: Path, code: str,
                                                        large: bool) -> None:
    build_hub(db)
    fmt = label_formats()[code]
    out = tmp_path / "labels.pdf"
    print_product("labels", db, options(paper=fmt.paper, label_format=code, large_print=large), out)
    _assert_inside_safe_area(out)


@pytest.mark.parametrize("product, extra", [("directory", {}), ("calls", {"large_print": True})])
def test_page_furniture_is_5mm_inside_every_edge(db: Database, tmp_path: Path, product: str,
                                                 extra: dict[str, object]) -> None:
    build_hub(db)
    out = tmp_path / "p.pdf"
    print_product(product, db, options(**extra), out)
    _assert_inside_safe_area(out)


def _assert_inside_safe_area(path: Path) -> None:
    reader = PdfReader(str(path))
    for page in range(len(reader.pages)):
        width = float(reader.pages[page].mediabox.width)
        height = float(reader.pages[page].mediabox.height)
        for text, size, x, y in drawn_strings(path, page):
            assert x >= 5 * MM and x + _width(text, size) <= width - 5 * MM, (text, x)
            assert y - DESCENT * size >= 5 * MM and y + ASCENT * size <= height - 5 * MM, (text, y, size)


# --- line breaking ----------------------------------------------------------------------------------------


def test_words_break_at_spaces_and_a_word_too_wide_is_hyphenated() -> None:
    fonts.register_fonts()
    texts = [line.text for line in layout("Featherstonehaugh coordinator", fonts.BODY, 10, 60)]
    assert texts[-1] == "coordinator"  # a word that fits is never cut
    pieces = texts[:-1]
    assert len(pieces) >= 2 and all(p.endswith("-") for p in pieces[:-1])  # the cut is marked
    assert "".join(p.removesuffix("-") for p in pieces[:-1]) + pieces[-1] == "Featherstonehaugh"


def test_emails_and_phone_numbers_are_never_broken_but_shrink() -> None:
    fonts.register_fonts()
    for text in ("07700 900123 (mobile)", "someone.long@example-community.org"):
        lines = layout(text, fonts.BODY, 10, 70)
        token = text.split(" (")[0]
        assert any(token in line.text for line in lines), [line.text for line in lines]
    size, lines = fit("07700 900123", fonts.BODY, 10, 60, 7)
    assert size < 10 and [line.text for line in lines] == ["07700 900123"]


def test_thai_breaks_between_words_and_korean_at_spaces() -> None:
    fonts.register_fonts()
    thai = layout("ทดสอบภาษาไทย", fonts.BODY, 10, 35)
    assert len(thai) > 1 and "".join(line.text for line in thai) == "ทดสอบภาษาไทย"
    assert not any(line.text.endswith("-") for line in thai)  # Thai takes no hyphen
    korean = layout("한국어 교실 모임 준비하기", fonts.BODY, 10, 60)
    assert len(korean) > 1  # it wrapped, but only between words
    assert {w for line in korean for w in line.text.split()} == {"한국어", "교실", "모임", "준비하기"}


# --- sorting and headings ---------------------------------------------------------------------------------


def test_headings_follow_the_collation_index() -> None:
    assert heading("ใจดี สมชาย") == "จ"  # under the first consonant, not the leading vowel sign
    assert heading("เพ็ญศรี") == "พ"
    assert heading("김 민준") == "ㄱ" and heading("박 지성") == "ㅂ"  # the initial jamo
    assert heading("王 小明") == heading("李 华") == HAN_HEADING  # one heading, not one per family name
    assert heading("Łukasiewicz") == "L" and heading("Ávila") == "A" and heading("Παπαδοπούλου") == "Π"
    assert heading("123 Club") == "#"


def test_names_sort_by_the_unicode_collation_algorithm() -> None:
    names = ["Zoë", "Łukasz", "Lukas", "Ábel", "Иванов", "Παπάς", "王", "김", "ใจดี", "محمد", "Adams"]
    ordered = sorted(names, key=collation_key)
    assert ordered[:5] == ["Ábel", "Adams", "Lukas", "Łukasz", "Zoë"]
    # Scripts in the collation's order, not code points: Greek, Cyrillic, Arabic, Thai, Hangul, then Han.
    assert ordered[5:] == ["Παπάς", "Иванов", "محمد", "ใจดี", "김", "王"]


def test_directory_sections_follow_the_collation(db: Database, tmp_path: Path) -> None:
    build_scripts_hub(db)
    out = tmp_path / "d.pdf"
    print_product("directory", db, options(), out)
    drawn = [text.strip() for page in range(len(PdfReader(str(out)).pages))
             for text, size, _, _ in drawn_strings(out, page) if round(size) == 13]
    latin = [h for h in drawn if h.isascii()]
    korean = normal("ㄱ")  # as pypdf reads the drawn heading back
    assert latin == sorted(latin) and drawn.index(latin[-1]) < drawn.index(korean) < drawn.index(HAN_HEADING)
    assert drawn[-1] == HAN_HEADING and len([h for h in drawn if h == HAN_HEADING]) == 1


# --- bidi per field, fonts per run --------------------------------------------------------------------------


def test_a_wrapped_line_starting_with_arabic_keeps_the_fields_direction() -> None:
    fonts.register_fonts()
    lines = layout("Meeting about the hall قاعة المجتمع and the garden", fonts.BODY, 10, 75)
    second = next(line for line in lines if "\u0600" <= line.text[:1] <= "\u06ff")
    # The field reads left to right: the Arabic words come first on the left, the English after them; a line
    # laid out on its own would have turned right-to-left and put "and the" on the left.
    assert second.runs[0].rtl and not second.runs[-1].rtl, [r.text for r in second.runs]


def test_fonts_change_run_by_run_not_line_by_line() -> None:
    fonts.register_fonts()
    (line,) = layout("Łukasz 王 Smith রহিম", fonts.BOLD, 10, 500)
    faces = [(run.font, run.text.strip()) for run in line.runs if run.text.strip()]
    assert faces == [(fonts.LATIN.bold, "Łukasz"), (fonts.CJK.regular, "王"), (fonts.LATIN.bold, "Smith"),
                     (fonts.BENGALI.bold, "রহিম")]
    assert [run.fake_bold for run in line.runs if run.text.strip() == "王"] == [True]
