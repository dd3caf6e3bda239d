"""Long imports keep talking and can be stopped: reading a vCard or CSV file and making the CSV rows report
progress and answer Cancel; an import that adds people writes them a batch at a time, and a Cancel at any point
(even while the search index is built at the end) leaves the hub as it was. Also: repeated texts of a file are
held once."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from oursociety_desktop.formats import csv_io, csv_mapping, vcard
from oursociety_desktop.formats.import_rows import SharedTexts
from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.errors import Cancelled
from oursociety_desktop.models.search import search_contact_ids
from oursociety_desktop.services import people_import
from oursociety_desktop.services.people_import import ImportOptions, run_import


def _vcards(count: int) -> bytes:
    return "".join(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {i} Zielińska\r\nN:Zielińska{i};Person;;;\r\n"
                   f"ADR:;;{i} High Street;Leeds;;LS1 {i % 9}AB;United Kingdom\r\nEND:VCARD\r\n"
                   for i in range(count)).encode("utf-8")


def _csv(count: int) -> bytes:
    lines = ["Given Name,Family Name,Town,Phone 1 - Value"]
    lines += [f"Person,Kowalska{i},Leeds,0113 496 {i % 10000:04d}" for i in range(count)]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def test_reading_a_vcard_file_reports_progress_and_answers_cancel() -> None:
    calls: list[tuple[int, str]] = []
    rows = vcard.parse_vcards(_vcards(1600), progress=lambda p, m: calls.append((p, m)) is None)
    assert len(rows) == 1600 and len(calls) == 4  # every 500 cards, and once at the end
    assert [p for p, _ in calls] == sorted(p for p, _ in calls) and 0 < calls[0][0] < calls[-1][0] == 99
    with pytest.raises(Cancelled):
        vcard.parse_vcards(_vcards(1600), progress=lambda _p, _m: False)


def test_reading_a_csv_and_making_its_rows_report_progress_and_answer_cancel() -> None:
    seen: list[str] = []
    table = csv_io.parse_csv(_csv(10_001), progress=lambda _p, m: seen.append(m) is None)
    assert len(table.rows) == 10_001 and len(seen) == 2  # every 5,000 rows read
    mapping = csv_mapping.suggest_mapping(table.headers)
    made: list[int] = []
    rows = csv_mapping.table_to_rows(table, mapping, lambda p, _m: made.append(p) is None)
    assert len(rows) == 10_001 and len(made) == 6 and made == sorted(made)  # every 2,000 rows made, and at the end
    with pytest.raises(Cancelled):
        csv_io.parse_csv(_csv(10_001), progress=lambda _p, _m: False)
    with pytest.raises(Cancelled):
        csv_mapping.table_to_rows(table, mapping, lambda _p, _m: False)


def test_an_add_import_written_in_batches_is_whole_and_searchable(db: Database,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(people_import, "_BATCH", 7)  # 50 people: seven batches written during the loop
    rows = vcard.parse_vcards(_vcards(50))
    summary = run_import(db, rows, ImportOptions(on_duplicate="add"))
    assert summary.added == 50
    with db.read() as session:
        conn = session.connection()
        assert conn.execute(text("SELECT COUNT(*) FROM contact")).scalar_one() == 50
        assert conn.execute(text("SELECT COUNT(*) FROM contact_search")).scalar_one() == 50
        # The first batch and the last are in the search index (built once at the end), folded (ń → n).
        assert len(search_contact_ids(conn, "zielinska0")) == 1
        assert len(search_contact_ids(conn, "zielinska49")) == 1
    with db.write() as tx:  # the index's triggers are back: a contact added later is found at once
        create_contact(tx, {"given_name": "Later", "family_name": "Person"})
    with db.read() as session:
        assert len(search_contact_ids(session.connection(), "later")) == 1


@pytest.mark.parametrize("stop_at", ["Importing", "Building the search index", "Saving contacts"])
def test_cancel_at_any_step_of_an_add_import_leaves_the_hub_unchanged(
        db: Database, monkeypatch: pytest.MonkeyPatch, stop_at: str) -> None:
    monkeypatch.setattr(people_import, "_BATCH", 7)
    with db.write() as tx:
        create_contact(tx, {"given_name": "Already", "family_name": "Here"})
    rows = vcard.parse_vcards(_vcards(50))
    messages: list[str] = []

    def progress(_percent: int, message: str) -> bool:
        messages.append(message)
        # Stop at the first report of that step once the loop has written some batches.
        return not (message == stop_at and (stop_at != "Importing" or messages.count("Importing") > 1))

    monkeypatch.setattr(people_import, "_REPORT_ROWS", 20)
    with pytest.raises(Cancelled):
        run_import(db, rows, ImportOptions(on_duplicate="add", group="Imported"), progress=progress)
    assert stop_at in messages
    with db.read() as session:
        conn = session.connection()
        assert conn.execute(text("SELECT COUNT(*) FROM contact")).scalar_one() == 1
        assert conn.execute(text("SELECT COUNT(*) FROM contact_search")).scalar_one() == 1
        assert conn.execute(text("SELECT COUNT(*) FROM contact_group")).scalar_one() == 0
        assert search_contact_ids(conn, "zielinska") == []
        assert len(search_contact_ids(conn, "already")) == 1


def test_shared_texts_hold_a_repeated_text_once_and_leave_varied_columns_alone() -> None:
    shared = SharedTexts(cap=3)
    first = shared.cells(["Leeds", "".join(["a", "1"]), ""])
    again = shared.cells(["".join(["Le", "eds"]), "".join(["a", "1"]), ""])
    assert again == first and again[0] is first[0] and again[1] is first[1]
    for value in ("b", "c", "d"):  # the second column shows too many different texts: left alone from now on
        shared.cells(["Leeds", value, ""])
    late = shared.cells(["Leeds", "".join(["a", "1"]), ""])
    assert late[1] == "a1" and late[1] is not first[1] and late[0] is first[0]
    values = {"locality": "".join(["Le", "eds"]), "tags": ["".join(["ar", "ts"])],
              "phones": [{"label": "".join(["mo", "bile"]), "value": "1"}]}
    other = {"locality": "Leeds", "tags": ["arts"], "phones": [{"label": "mobile", "value": "2"}]}
    shared.values(values)
    shared.values(other)
    assert other == {"locality": "Leeds", "tags": ["arts"], "phones": [{"label": "mobile", "value": "2"}]}
    assert other["locality"] is values["locality"] and other["tags"][0] is values["tags"][0]
    assert other["phones"][0]["label"] is values["phones"][0]["label"]


def test_reading_a_file_from_disk_gives_the_same_rows_as_from_bytes(tmp_path: Path) -> None:
    path = tmp_path / "people.vcf"
    path.write_bytes(_vcards(30))
    from_file = vcard.read_vcard_file(path)
    from_bytes = vcard.parse_vcards(_vcards(30), "people.vcf")
    assert [(r.values, r.where, r.source) for r in from_file] == [(r.values, r.where, r.source) for r in from_bytes]


def test_the_cycle_collector_is_back_after_an_import_finished_or_cancelled(db: Database) -> None:
    import gc

    assert gc.isenabled()
    run_import(db, vcard.parse_vcards(_vcards(5)), ImportOptions(on_duplicate="add"))
    assert gc.isenabled()
    with pytest.raises(Cancelled):
        run_import(db, vcard.parse_vcards(_vcards(5)), ImportOptions(on_duplicate="add"),
                   progress=lambda _p, _m: False)
    assert gc.isenabled()
