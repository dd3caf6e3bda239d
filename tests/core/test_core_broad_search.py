"""A broad search (many matches) is listed by walking the name index instead of sorting every match
(models/contact_list.py); both ways must list exactly the same contacts in the same order, page by page."""

from __future__ import annotations

import pytest

from oursociety_desktop.models import contact_list
from oursociety_desktop.models.contact_list import ContactQuery
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.demo import generate_demo


@pytest.fixture
def demo_db(db: Database) -> Database:
    generate_demo(db, 400, seed=5)
    return db


@pytest.mark.parametrize("typed", ["a", "m", "jo", "07700", "e l", "ł", "x"])
def test_walking_the_name_index_lists_what_sorting_the_matches_lists(demo_db: Database, typed: str,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    with demo_db.read() as session:
        conn = session.connection()
        tag = conn.exec_driver_sql("SELECT value FROM contact, json_each(contact.tags) LIMIT 1").scalar_one()
        for query in (ContactQuery(search=typed), ContactQuery(search=typed, tag=tag),
                      ContactQuery(search=typed, flags=("share",))):
            monkeypatch.setattr(contact_list, "BROAD_SEARCH", 10**9)
            assert not query._broad(conn)
            sorted_pages = [query.page(conn, offset, 25) for offset in (0, 25, 50)]
            monkeypatch.setattr(contact_list, "BROAD_SEARCH", 1)
            for share in (10.0, 0.0):  # the matches read once; one look-up per contact walked (a dense search)
                monkeypatch.setattr(contact_list, "DENSE_SEARCH_SHARE", share)
                walked_pages = [query.page(conn, offset, 25) for offset in (0, 25, 50)]
                assert walked_pages == sorted_pages
                if sorted_pages[0]:
                    assert query.probe(conn)[0] == (contact_list._DENSE if share == 0 else contact_list._BROAD)
            if not query.tag and not query.flags:
                assert query._broad(conn) == bool(sorted_pages[0])


def test_one_letter_searches_find_words_by_their_first_letter(demo_db: Database,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(contact_list, "BROAD_SEARCH", 1)
    with demo_db.read() as session:
        conn = session.connection()
        rows = ContactQuery(search="a").page(conn, 0, 50)
        assert rows
        for row in rows:
            words = " ".join([row.name, row.organisation, row.email, row.locality, row.tags]).lower()
            found = conn.exec_driver_sql("SELECT body FROM contact_search WHERE contact_id = ?", (row.id,)).scalar_one()
            assert any(word.startswith("a") for word in found.replace("@", " ").replace(".", " ").split()), words


@pytest.mark.parametrize("typed", ["a", "jo", "07700", "e l", "ł", "x", "!!"])
@pytest.mark.parametrize(("sort", "descending"), [("organisation", False), ("locality", True), ("email", False),
                                                  ("consent", True), ("tags", False), ("name", True)])
@pytest.mark.parametrize("dense", [False, True])
def test_walking_the_sorted_list_lists_what_sorting_the_matches_lists(demo_db: Database, typed: str, sort: str,
                                                                      descending: bool, dense: bool,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A search in another order than by name walks the list without its search text, sorted once
    (`ContactQuery.walk_order`), a few rows at a time; it lists what sorting every match lists, whichever way
    the matches are told (`dense`: one look-up in the FTS index per contact)."""
    monkeypatch.setattr(contact_list, "BROAD_SEARCH", 1)
    monkeypatch.setattr(contact_list, "DENSE_SEARCH_SHARE", 0.0 if dense else 10.0)
    with demo_db.read() as session:
        conn = session.connection()
        for query in (ContactQuery(search=typed, sort=sort, descending=descending),
                      ContactQuery(search=typed, flags=("share",), sort=sort, descending=descending)):
            order = contact_list.ContactQuery(flags=query.flags, sort=sort, descending=descending) \
                .ordered_rowids(conn)
            sorted_matches = query.ordered_rowids(conn)
            walked: list[int] = []
            position: int | None = 0
            for wanted in (1, 7, 30, 500):  # small, then large steps: chunks end mid-step and mid-chunk
                assert position is not None
                more, position = query.walk_order(conn, order, position, wanted)
                walked += more
                if position is None:
                    break
                assert len(more) == wanted
            assert position is None  # read to the end
            assert walked == sorted_matches
