"""Search: folded FTS5 index over names, emails and phones, with prefix matching and ranking."""

from __future__ import annotations

import pytest

from oursociety_desktop.models.contacts import create_contact, update_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.search import build_match_query, count_matches, search_contact_ids
from oursociety_desktop.models.text import fold


def add(db: Database, **values: object) -> str:
    with db.write() as tx:
        return create_contact(tx, values).id


def find(db: Database, typed: str) -> list[str]:
    with db.read() as session:
        return search_contact_ids(session.connection(), typed)


@pytest.fixture
def people(db: Database) -> dict[str, str]:
    return {
        "lukasz": add(db, given_name="Łukasz", family_name="Łukasiewicz", phones=[{"label": "mobile",
                                                                                   "value": "07700 900123"}]),
        "giorgos": add(db, given_name="Γιώργος", family_name="Παπαδόπουλος"),
        "zoe": add(db, given_name="Zoë", family_name="Brontë", emails=[{"label": "", "value": "Zoe.B@Example.org"}]),
        "aisha": add(db, given_name="عائشہ", family_name="خان"),
        "wang": add(db, given_name="小明", family_name="王"),
        "siobhan": add(db, given_name="Siobhán", family_name="Ó Briain",
                       phones=[{"label": "home", "value": "+44 161 496 0123"}]),
    }


def test_fold_handles_the_letters_nfkd_misses() -> None:
    assert fold("Łukasiewicz") == "lukasiewicz"
    assert fold("Γιώργος") == "γιωργοσ"  # final sigma folds to σ, so typed ς or σ both match
    assert fold("ZOË  Brontë") == "zoe bronte"
    assert fold("Straße Ørsted Æsir") == "strasse orsted aesir"


@pytest.mark.parametrize(
    ("typed", "who"),
    [("lukas", "lukasz"), ("ŁUKASZ", "lukasz"), ("γιωργ", "giorgos"), ("ΓΙΏΡΓΟΣ", "giorgos"), ("zoe", "zoe"),
     ("bronte", "zoe"), ("zoe.b@example", "zoe"), ("عائشہ", "aisha"), ("明", "wang"), ("siobhan o b", "siobhan")],
)
def test_names_found_by_folded_prefixes(db: Database, people: dict[str, str], typed: str, who: str) -> None:
    assert people[who] in find(db, typed)


@pytest.mark.parametrize("typed", ["0123", "900123", "900 123", "07700 900123", "07700-900-123", "+44 7700 900123",
                                   "0044 7700 900123", "447700900123"])
def test_phone_found_by_last_digits_typed_any_way(db: Database, people: dict[str, str], typed: str) -> None:
    found = find(db, typed)
    assert people["lukasz"] in found


def test_phone_search_does_not_match_other_numbers(db: Database, people: dict[str, str]) -> None:
    assert find(db, "900124") == []
    assert people["siobhan"] in find(db, "496 0123")
    assert people["lukasz"] not in find(db, "496 0123")


def test_ranking_puts_the_better_match_first(db: Database) -> None:
    weak = add(db, given_name="Anna", family_name="Smith", organisation="Smithfield Market")
    strong = add(db, given_name="Smith", family_name="Smith", organisation="Smith & Smith")
    ids = find(db, "smith")
    assert ids.index(strong) < ids.index(weak)


def test_search_follows_edits_and_hides_deleted(db: Database, people: dict[str, str]) -> None:
    with db.write() as tx:
        update_contact(tx, people["zoe"], {"family_name": "Ødegård"})
    assert people["zoe"] in find(db, "odegard")
    assert people["zoe"] not in find(db, "bronte")
    from oursociety_desktop.models.contacts import delete_contact
    with db.write() as tx:
        delete_contact(tx, people["zoe"])
    assert find(db, "odegard") == []


@pytest.mark.parametrize("hostile", ['"', "AND", "NEAR(", "*", "a OR b", "col:x", "'; DROP TABLE contact;--", "^",
                                     "(((", "   "])
def test_fts_syntax_in_input_is_just_text(db: Database, people: dict[str, str], hostile: str) -> None:
    find(db, hostile)  # must not raise
    with db.read() as session:
        count_matches(session.connection(), hostile)


def test_empty_query_matches_nothing() -> None:
    assert build_match_query("   ") is None
