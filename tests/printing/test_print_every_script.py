"""Every product printed from a hub with names in every script, read back with pdftotext: every name, title and
address comes back in logical order, NFC, without presentation forms or private glyph codes; every font is
embedded."""

from __future__ import annotations

from pathlib import Path

import pytest

from oursociety_desktop.formats.pdf.options import CONTACT_FIELDS, PrintOptions  # noqa: E402
from oursociety_desktop.formats.pdf.products import print_product  # noqa: E402
from oursociety_desktop.models.database import Database  # noqa: E402
from tests.printing.scripts_hub import (  # noqa: E402
    EMOJI_ACTION,
    EMOJI_GROUP,
    HUB_NAME,
    MIXED_ADDRESS,
    PEOPLE,
    build_scripts_hub,
    flat,
    fonts_used,
    not_nfc,
    pdftotext,
    unreadable,
)

NAMES = [p.name for p in PEOPLE]
RTL = ("hebrew", "arabic", "urdu")
PRODUCTS = [
    ("directory", {"fields": CONTACT_FIELDS}),
    ("directory", {"by_group": True}),
    ("group", {"group": "everyone"}),
    ("signin", {"action": "meeting"}),
    ("labels", {}),
    ("actions", {}),
    ("actions", {"by_group": True}),
    ("calls", {}),
]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    """Every product, normal and large print, from one scripts hub: {label: (pdf, extracted text)}."""
    folder = tmp_path_factory.mktemp("scripts")
    db = Database.create(folder / "hub", HUB_NAME)
    hub = build_scripts_hub(db)
    out: dict[str, tuple[Path, str]] = {}
    for large in (False, True):
        for i, (product, extra) in enumerate(PRODUCTS):
            values = dict(extra)
            if values.get("group") == "everyone":
                values["group"] = hub.group_ids["everyone"]
            if values.get("action") == "meeting":
                values["action"] = hub.meeting_id
            options = PrintOptions(paper="a4", large_print=large, **values)  # type: ignore[arg-type]
            path = folder / f"{product}-{i}-{'large' if large else 'normal'}.pdf"
            print_product(product, db, options, path)
            out[path.stem] = (path, pdftotext(path))
    db.close()
    return out


def _texts(printed: dict[str, tuple[Path, str]], product: str) -> list[tuple[str, str]]:
    return [(key, flat(text)) for key, (_, text) in printed.items() if key.startswith(product + "-")]


@pytest.mark.parametrize("product", ["directory", "group", "signin", "labels", "calls"])
def test_every_name_extracts_as_typed(printed: dict[str, tuple[Path, str]], product: str) -> None:
    for key, text in _texts(printed, product):
        missing = [name for name in NAMES if name not in text]
        assert not missing, (key, missing)


def test_every_owner_and_action_title_extracts_as_typed(printed: dict[str, tuple[Path, str]]) -> None:
    for key, text in _texts(printed, "actions"):
        missing = [t for t in [p.action for p in PEOPLE] + [EMOJI_ACTION] if t not in text]
        assert not missing, (key, missing)
        if "-5-" in key:  # by owner
            assert not [n for n in NAMES if n not in text], key


def test_organisations_streets_and_groups_extract_as_typed(printed: dict[str, tuple[Path, str]]) -> None:
    full = flat(printed["directory-0-normal"][1])
    for p in PEOPLE:
        # Text extraction reads a table row by row: a cell wrapped onto two lines may come back with the next
        # column's words between its lines, so the tags column is checked word by word.
        assert p.organisation in full and _words_in(p.group, full), p.script
        assert p.street in full or (p.script in RTL and _words_in(p.street, full)), p.script
    by_group = flat(printed["directory-1-normal"][1])
    assert all(p.group in by_group for p in PEOPLE) and EMOJI_GROUP in by_group
    labels = flat(printed["labels-4-normal"][1])
    assert all(p.street in labels or (p.script in RTL and _words_in(p.street, labels)) for p in PEOPLE)


def _words_in(text: str, extracted: str) -> bool:
    # A right-to-left street with a house number ("רחוב הרצל 4"): poppler orders the words of a mixed-direction
    # line by its own rules (it gives "4 רחוב הרצל"), so each word is looked for on its own.
    return all(word in extracted for word in text.split())


def test_mixed_direction_address_keeps_its_reading_order(printed: dict[str, tuple[Path, str]]) -> None:
    # Each address line is its own bidi isolate: the Arabic line does not pull the comma and the house number
    # after it into right-to-left order.
    text = flat(printed["directory-0-normal"][1])
    assert ", ".join(MIXED_ADDRESS) in text
    # On a label each address line is its own paragraph; poppler reads a row of labels across, line by line.
    labels = printed["labels-4-normal"][1].splitlines()
    assert all(line in labels for line in MIXED_ADDRESS)


def test_no_presentation_forms_private_codes_or_decomposed_text(printed: dict[str, tuple[Path, str]]) -> None:
    for key, (_, text) in printed.items():
        assert unreadable(text) == [], key
        assert not not_nfc(text), key
        # The hub's name mixes directions: poppler orders the words of such a line by its own rules.
        assert _words_in(HUB_NAME, flat(text)), key


def test_every_font_is_embedded(printed: dict[str, tuple[Path, str]]) -> None:
    for key, (path, _) in printed.items():
        used = fonts_used(path)
        assert used and all(embedded for _, embedded in used), (key, used)
        assert not any("Helvetica" in name for name, _ in used), key


def test_bold_names_use_each_scripts_bold_face(printed: dict[str, tuple[Path, str]]) -> None:
    names = {name for name, _ in fonts_used(printed["directory-0-normal"][0])}
    for face in ("NotoSansBengali-Bold", "NotoSansDevanagari-Bold", "NotoSansTamil-Bold", "NotoSansThai-Bold",
                 "NotoNaskhArabic-Bold", "NanumGothicBold", "DejaVuSans-Bold"):
        assert any(name.endswith("+" + face) for name in names), (face, names)


def test_meeting_date_and_time_show_in_the_action_list(printed: dict[str, tuple[Path, str]]) -> None:
    text = flat(printed["actions-5-normal"][1])
    assert "Welcome evening" in text and "20 March 2026, 18:30" in text
