"""Each printed product generated from a real hub, read back with pypdf: who is on it, who is not, page
furniture, scripts, wrapping and large print."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from oursociety_desktop.formats.pdf import fonts  # noqa: E402
from oursociety_desktop.formats.pdf.options import PrintOptions, default_paper  # noqa: E402
from oursociety_desktop.formats.pdf.products import PRODUCTS, print_product  # noqa: E402
from oursociety_desktop.formats.pdf.shaping import fit, layout  # noqa: E402
from oursociety_desktop.models.errors import Cancelled, UserError  # noqa: E402
from tests.printing.print_fixture import LISTED, TODAY, build_hub, drawn_strings, flat, page_texts, pdf_text, shown  # noqa: E402


@pytest.fixture
def hub(db):  # type: ignore[no-untyped-def]
    return build_hub(db)


def options(**kw: object) -> PrintOptions:
    values: dict[str, object] = {"paper": "a4", "today": TODAY, **kw}
    return PrintOptions(**values)  # type: ignore[arg-type]


def full_names() -> list[str]:
    return [shown(g, f) for g, f in LISTED.values()]


def test_directory_lists_every_script_and_respects_privacy(hub, tmp_path: Path) -> None:
    out = tmp_path / "directory.pdf"
    result = print_product("directory", hub.db, options(), out)
    text = flat(pdf_text(out))
    for name in full_names():
        assert name in text, name
    assert "Nora Nophone" in text and "07700 900999" not in text
    assert "Eddie Noemail" in text and "secret.eddie@example.org" not in text
    assert "Mary Nomail" in text
    for absent in ("Hidden", "Derek", "Erin", "Erased"):
        assert absent not in text
    assert result.left_out == 1
    # A–Z headings: Łukasz Wójcik files under W, Ελένη Παπαδοπούλου under Π.
    headings = [line for line in pdf_text(out).splitlines() if len(line) == 1]
    assert {"F", "N", "T", "W", "Π", "И"} <= set(headings)


def test_every_page_has_the_furniture(hub, tmp_path: Path) -> None:
    out = tmp_path / "big.pdf"
    print_product("directory", hub.db, options(large_print=True, fields=("phone", "email", "address", "tags")), out)
    pages = page_texts(out)
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "Test Hub" in text
        assert "Printed 10 March 2026" in text
        assert "Contains personal data — keep safe, shred after use." in text


def test_large_print_uses_16_point_body_text(hub, tmp_path: Path) -> None:
    normal_out, large_out = tmp_path / "n.pdf", tmp_path / "l.pdf"
    print_product("directory", hub.db, options(), normal_out)
    print_product("directory", hub.db, options(large_print=True), large_out)

    def size_of(path: Path, needle: str) -> float:
        return next(size for text, size, _, _ in drawn_strings(path) if needle in text)

    assert size_of(large_out, "Nomail") >= 16
    assert size_of(normal_out, "Nomail") < 12


def test_long_names_and_addresses_wrap_inside_the_page(hub, tmp_path: Path) -> None:
    out = tmp_path / "d.pdf"
    print_product("directory", hub.db, options(), out)
    width = PdfReader(str(out)).pages[0].mediabox.width
    text = pdf_text(out)
    joined = "".join(text.split())
    assert "Featherstonehaugh-Cholmondeley-Worthington" in joined and "WarehouseBuildings" in joined
    # It had to wrap (the drawn lines are pieces), yet extraction reads it whole, so a search finds it.
    assert "Featherstonehaugh-Cholmondeley-Worthington" in flat(text)
    assert not any("Featherstonehaugh-Cholmondeley-Worthington" in drawn for drawn, *_ in drawn_strings(out))
    for page in range(len(PdfReader(str(out)).pages)):
        for drawn, size, x, _ in drawn_strings(out, page):
            right = x + fonts_width(drawn, size)
            assert right <= float(width) - 8, (drawn, right)


def fonts_width(text: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    fonts.register_fonts()
    return float(stringWidth(text, fonts.BOLD, size))


def test_fitted_text_never_exceeds_its_width() -> None:
    fonts.register_fonts()
    for text in ("someone.with.a.very.long.address@example-community-organisation.org.uk",
                 "小明王小明王小明王小明王小明王小明王小明王小明王", "محمد العلي محمد العلي محمد العلي محمد العلي"):
        size, lines = fit(text, fonts.BODY, 10, 90, 7)
        assert size >= 7
        for line in lines:
            assert line.width <= 90.01


def test_an_email_too_wide_shrinks_before_it_is_cut() -> None:
    fonts.register_fonts()
    email = "someone.long@example-community.org"
    assert len(layout(email, fonts.BODY, 10, 150)) == 1  # never broken at its normal size
    size, lines = fit(email, fonts.BODY, 10, 150, 7)
    assert 7 <= size < 10 and [line.text for line in lines] == [email]


def test_group_sheet_lists_members_with_roles(hub, tmp_path: Path) -> None:
    out = tmp_path / "g.pdf"
    result = print_product("group", hub.db, options(group="choir"), out)
    text = flat(pdf_text(out))
    assert "Choir" in text and "Sings on Tuesdays." in text
    assert "Łukasz Wójcik" in text and "coordinator" in text and "Ελένη Παπαδοπούλου" in text
    assert "Nora Nophone" in text and "07700 900999" not in text
    assert "Hidden" not in text
    assert "Дмитрий" not in text  # not a member
    assert result.entries == 3 and result.left_out == 1


def test_signin_sheet_for_a_meeting(hub, tmp_path: Path) -> None:
    out = tmp_path / "s.pdf"
    print_product("signin", hub.db, options(action=hub.ids["meeting"], blank_rows=5), out)
    text = flat(pdf_text(out))
    assert "Spring meeting" in text and "Library" in text
    assert "Дмитрий Иванов" in text  # an attendee
    assert "Łukasz Wójcik" in text  # a member of the meeting's group
    assert "Hidden" not in text
    assert "OK to contact" in text
    assert "20 March 2026, 18:30" in text
    assert text.count("☐") == 4 + 5  # four listed people (an attendee, three members), five blank rows


def test_action_list_marks_overdue_and_leaves_out_done(hub, tmp_path: Path) -> None:
    out = tmp_path / "a.pdf"
    result = print_product("actions", hub.db, options(), out)
    text = pdf_text(out)
    assert "Book the hall" in text and "OVERDUE" in text and "Order songbooks" in text
    assert text.count("OVERDUE") == 1
    assert "Already finished task" not in text
    assert "Hidden" not in text and "Call the plumber" in text
    assert result.entries == 4 and "Spring meeting" in text
    assert "a hub contact (not in the directory)" in text
    by_group = tmp_path / "ag.pdf"
    print_product("actions", hub.db, options(group="Choir", by_group=True), by_group)
    grouped = pdf_text(by_group)
    assert "Book the hall" in grouped and "Order songbooks" not in grouped


def test_call_list_has_names_and_numbers_only(hub, tmp_path: Path) -> None:
    out = tmp_path / "c.pdf"
    result = print_product("calls", hub.db, options(), out)
    text = flat(pdf_text(out))
    assert "Łukasz Wójcik" in text and "07700 900" in text
    assert "Nora Nophone" not in text and "Hidden" not in text
    assert "@example.org" not in text and "High Street" not in text
    assert result.left_out == 2  # hidden, and Nora who asked not to be phoned


def test_tag_filter(hub, tmp_path: Path) -> None:
    out = tmp_path / "t.pdf"
    result = print_product("directory", hub.db, options(tag="gardening"), out)
    assert result.entries == 1 and "Tara Tagged" in pdf_text(out)


def test_letter_paper(hub, tmp_path: Path) -> None:
    out = tmp_path / "letter.pdf"
    print_product("calls", hub.db, options(paper="letter"), out)
    box = PdfReader(str(out)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_default_paper_follows_the_locale() -> None:
    assert default_paper({"LANG": "en_US.UTF-8"}) == "letter"
    assert default_paper({"LC_PAPER": "fr_CA.UTF-8", "LANG": "fr_FR.UTF-8"}) == "letter"
    assert default_paper({"LANG": "en_GB.UTF-8"}) == "a4"
    assert default_paper({"LC_ALL": "de_DE.UTF-8", "LANG": "en_US.UTF-8"}) == "a4"
    assert default_paper({}) == "a4"


@pytest.mark.parametrize("name", list(PRODUCTS))
@pytest.mark.parametrize("cancel_at", [3, 40])
def test_cancel_writes_nothing(hub, tmp_path: Path, name: str, cancel_at: int) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    seen: list[int] = []

    def progress(percent: int, message: str) -> bool:
        seen.append(percent)
        return percent < cancel_at

    with pytest.raises(Cancelled):
        print_product(name, hub.db, options(group="Choir"), folder / f"{name}.pdf", progress)
    assert list(folder.iterdir()) == []
    assert seen == sorted(seen)


@pytest.mark.parametrize("bad, message", [
    ({"group": "No Such Group"}, "No group called"),
    ({"label_format": "L9999"}, "Unknown label format"),
    ({"fields": ("phone", "shoe size")}, "Unknown field"),
])
def test_bad_options_are_one_line_errors(hub, tmp_path: Path, bad: dict[str, object], message: str) -> None:
    out = tmp_path / "x.pdf"
    product = "labels" if "label_format" in bad else "directory"
    with pytest.raises(UserError, match=message) as info:
        print_product(product, hub.db, options(**bad), out)
    assert "\n" not in str(info.value)
    assert not out.exists()


def test_unwritable_output_is_a_clear_error(hub, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="does not exist"):
        print_product("directory", hub.db, options(), tmp_path / "missing" / "d.pdf")
    existing = tmp_path / "keep.pdf"
    existing.write_bytes(b"old")
    with pytest.raises(UserError):
        print_product("directory", hub.db, options(group="nope"), existing)
    assert existing.read_bytes() == b"old"
