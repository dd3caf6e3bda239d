"""Address labels: geometry against the published layouts, text read back inside the right label, the first
label of a part-used sheet, and who is skipped."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from oursociety_desktop.formats.pdf.labels import find_format, label_formats  # noqa: E402
from oursociety_desktop.formats.pdf.options import PrintOptions  # noqa: E402
from oursociety_desktop.formats.pdf.products import print_product  # noqa: E402
from oursociety_desktop.models.errors import UserError  # noqa: E402
from tests.printing.print_fixture import TODAY, build_hub, drawn_strings, flat, pdf_text  # noqa: E402

MM = 72 / 25.4
# The manufacturers' published layouts (mm): per sheet, label size, top and side margins, pitches.
PUBLISHED = {
    "L7160": (3, 7, 63.5, 38.1, 15.1, 7.2, 66.0, 38.1),
    "L7161": (3, 6, 63.5, 46.6, 8.8, 7.2, 66.0, 46.6),
    "L7163": (2, 7, 99.1, 38.1, 15.1, 4.7, 101.6, 38.1),
    "5160": (3, 10, 2.625 * 25.4, 25.4, 12.7, 0.1875 * 25.4, 2.75 * 25.4, 25.4),
    "5163": (2, 5, 4 * 25.4, 2 * 25.4, 12.7, 0.15625 * 25.4, 4.1875 * 25.4, 2 * 25.4),
}
PAGE_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}


@pytest.mark.parametrize("code", list(PUBLISHED))
def test_geometry_matches_the_published_layout(code: str) -> None:
    fmt = find_format(code)
    cols, rows, w, h, top, left, hp, vp = PUBLISHED[code]
    assert (fmt.columns, fmt.rows) == (cols, rows)
    for ours, published in ((fmt.label_width, w), (fmt.label_height, h), (fmt.top, top), (fmt.left, left),
                            (fmt.h_pitch, hp), (fmt.v_pitch, vp)):
        assert abs(ours - published) <= 0.5
    page_w, page_h = PAGE_MM[fmt.paper]
    # The sheet is symmetric: the last label ends as far from the far edge as the first starts from the near.
    right_gap = page_w - fmt.left - (cols - 1) * fmt.h_pitch - fmt.label_width
    bottom_gap = page_h - fmt.top - (rows - 1) * fmt.v_pitch - fmt.label_height
    assert abs(right_gap - fmt.left) <= 0.5 and abs(bottom_gap - fmt.top) <= 0.5


def test_every_format_is_known() -> None:
    assert set(PUBLISHED) <= set(label_formats())
    assert find_format("avery l7163").code == "L7163"


@pytest.mark.parametrize("code", ["L7160", "L7163", "5160"])
@pytest.mark.parametrize("start_at", [1, 5])
def test_names_land_inside_their_labels(db, tmp_path: Path, code: str, start_at: int) -> None:
    build_hub(db)
    fmt = find_format(code)
    out = tmp_path / "labels.pdf"
    result = print_product("labels", db, PrintOptions(paper=fmt.paper, today=TODAY, label_format=code,
                                                      start_at=start_at), out)
    page = PdfReader(str(out)).pages[0]
    page_height = float(page.mediabox.height)
    furniture = ("Test Hub", "Printed 10 March", "Contains personal data", "Page 1 of")
    bold_names = [(t, x, y) for t, size, x, y in drawn_strings(out) if not t.startswith(furniture)]
    slots = []
    for _, x, y in bold_names:
        found = [i for i in range(fmt.per_sheet)
                 if fmt.position(i)[0] <= x <= fmt.position(i)[0] + fmt.position(i)[2]
                 and fmt.position(i)[1] <= y <= fmt.position(i)[1] + fmt.position(i)[3]]
        assert len(found) == 1, (x, y)
        slots.append(found[0])
    # Filled in order from the chosen label, one label per contact (name plus address lines share a label).
    first = sorted(set(slots))
    assert first[0] == start_at - 1
    assert len(set(slots)) == min(result.entries, fmt.per_sheet - start_at + 1)
    # Text stays clear of the label edges.
    for index, (_, x, _) in zip(slots, bold_names, strict=True):
        assert x >= fmt.position(index)[0] + 2.9 * MM
    assert page_height > 700


def test_labels_skip_do_not_mail_but_not_unlisted(db, tmp_path: Path) -> None:
    build_hub(db)
    out = tmp_path / "labels.pdf"
    result = print_product("labels", db, PrintOptions(paper="a4", today=TODAY), out)
    text = flat(pdf_text(out))
    assert "Mary Nomail" not in text
    assert "Hidden Notlisted" in text  # post is private: the directory choice does not apply
    assert "Derek" not in text and "Erin" not in text
    assert "LS1 1AA" in text and "United Kingdom" not in text  # the home country is left off, as on local post
    assert "Page 1 of 1" in text and "shred after use" in text
    assert result.left_out == 1


def test_large_print_labels_are_16_point_and_never_lose_a_line(db, tmp_path: Path) -> None:
    build_hub(db)
    out = tmp_path / "labels.pdf"
    result = print_product("labels", db, PrintOptions(paper="a4", today=TODAY, label_format="L7161",
                                                      large_print=True), out)
    drawn = drawn_strings(out, 1)  # page 1 is the cover page that carries the 16 pt furniture
    sizes = {round(size) for text, size, _, _ in drawn if "High Street" in text}
    assert sizes and min(sizes) >= 16
    # The one very long address is made smaller rather than cut: its postcode is still there, in one piece.
    long_label = flat(" ".join(text for text, size, _, _ in drawn if size < 16 and size > 7))
    assert "Warehouse" in long_label and "Estate Road" in long_label and "LS1 1AA" in long_label
    assert any("below 16 pt" in note for note in result.notes)
    # Postcodes are never broken across lines.
    assert any(text.strip().endswith("LS1 1AA") for text, _, _, _ in drawn)
    assert not any(text.strip() in ("LS1", "1AA") for text, _, _, _ in drawn)


def test_start_at_out_of_range(db, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="between 1 and 21"):
        print_product("labels", db, PrintOptions(paper="a4", start_at=22), tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_a_label_too_long_even_at_7_pt_loses_street_lines_only(db, tmp_path: Path) -> None:
    from oursociety_desktop.models.contacts import create_contact

    build_hub(db)  # most contacts live in the United Kingdom: a French address keeps its country
    with db.write() as tx:
        create_contact(tx, {"given_name": "Ottoline", "family_name": "Longaddress", "locality": "Lyon",
                            "postcode": "69001", "country": "France", "region": "Rhône",
                            "street": "\n".join(f"Line {i} of a very long address" for i in range(12))})
    out = tmp_path / "labels.pdf"
    result = print_product("labels", db, PrintOptions(paper="letter", today=TODAY, label_format="5160"), out)
    text = pdf_text(out)
    # The name, the town, the postcode and the country stay; the last street lines went; the organiser is told.
    assert "Ottoline Longaddress" in text and "Lyon" in text and "69001" in text and "France" in text
    assert "Line 0 of a very long address" in text and "Line 11 of a very long address" not in text
    assert any("Ottoline Longaddress" in note and "7 pt" in note for note in result.notes)
    sizes = {round(size, 1) for t, size, _, _ in drawn_strings(out) if "Line 0" in t or "Lyon" in t}
    assert sizes == {7.0}
