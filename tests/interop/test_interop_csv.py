"""CSV import (encodings, delimiters, presets, mapping, duplicates, group and tag, rejected rows) and export
(formula-injection escaping that reads back to the original values)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from oursociety_desktop.formats import csv_cells, csv_io, csv_mapping, csv_write
from oursociety_desktop.formats.csv_presets import detect_preset
from oursociety_desktop.models.contacts import contact_json, create_contact, normalise_values
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.groups import find_group
from oursociety_desktop.models.tables import Contact, Membership
from oursociety_desktop.services.import_checks import plan_import
from oursociety_desktop.services.people_import import ImportOptions, run_import

Run = Callable[..., tuple[int, str, str]]


def _contacts(db: Database) -> dict[str, dict[str, Any]]:
    with db.read() as session:
        return {c.shown_name: contact_json(c) for c in session.exec(select(Contact)).all() if not c.deleted}


def _import_file(db: Database, path: Path, preset: str = "auto", **options: Any) -> Any:
    table = csv_io.read_csv_file(path)
    rows = csv_mapping.table_to_rows(table, csv_mapping.suggest_mapping(table.headers, preset))
    return run_import(db, rows, ImportOptions(**options))


def test_google_contacts_csv(db: Database, fixtures: Path) -> None:
    table = csv_io.read_csv_file(fixtures / "google_contacts.csv")
    assert detect_preset(table.headers) == "google"
    summary = _import_file(db, fixtures / "google_contacts.csv")
    assert summary.added == 3
    people = _contacts(db)
    amara = people["Amara Okafor"]
    # Standard labels are stored in one canonical form, whatever case the file wrote them in.
    assert amara["emails"] == [{"label": "home", "value": "amara.okafor@example.org"},
                               {"label": "work", "value": "a.okafor@example.com"}]
    assert amara["phones"] == [{"label": "mobile", "value": "+44 7700 900456"},
                               {"label": "work", "value": "0113 496 0999"},
                               {"label": "work", "value": "0113 496 0998"}]
    assert (amara["street"], amara["locality"], amara["region"], amara["postcode"], amara["country"]) == (
        "45 Chapel Road", "Leeds", "West Yorkshire", "LS6 2AB", "United Kingdom")
    assert amara["organisation"] == "Leeds Community Garden" and amara["role"] == "Treasurer"
    assert amara["tags"] == ["Gardeners"]
    assert amara["notes"].startswith("Met at the spring fair, interested in composting\nand youth work")
    assert "Birthday: 1990-05-17" in amara["notes"] and "https://example.org/amara" in amara["notes"]
    # People with neither phone nor email are imported.
    assert people["Jan Kowalski"]["phones"] == [] and people["Jan Kowalski"]["emails"] == []


def test_outlook_csv_in_cp1252(db: Database, fixtures: Path) -> None:
    table = csv_io.read_csv_file(fixtures / "outlook_contacts.csv")
    assert table.encoding == "cp1252" and detect_preset(table.headers) == "outlook"
    _import_file(db, fixtures / "outlook_contacts.csv")
    sean = _contacts(db)["Mr. Seán O'Brien"]  # Outlook's Title is an honorific, kept in the display name
    assert sean["given_name"] == "Seán" and sean["family_name"] == "O'Brien"
    assert sean["organisation"] == "Café Solidarité" and sean["role"] == "Manager"
    assert sean["notes"].startswith("Owns the café – hosts our meetings; £20 donation")
    assert {"label": "mobile", "value": "+353 87 765 4321"} in sean["phones"]
    assert {"label": "work fax", "value": "021 456 7899"} in sean["phones"]
    assert sean["tags"] == ["Volunteers", "Donors"]
    assert sean["street"] == "7 Rue de l'Église" and sean["locality"] == "Cork"


def test_civicrm_export_flags_and_phone_type(db: Database, fixtures: Path) -> None:
    _import_file(db, fixtures / "civicrm_export.csv", preset="civicrm")
    people = _contacts(db)
    kwame = people["Kwame Mensah"]
    assert kwame["do_not_phone"] is True and kwame["do_not_email"] is False
    assert kwame["phones"] == [{"label": "mobile", "value": "020 7946 0321"}]
    assert kwame["street"] == "22 Acre Lane, Flat 4" and kwame["organisation"] == "Brixton Tenants Union"
    assert kwame["tags"] == ["Newsletter", "Volunteers", "Housing"]
    assert people["Mei Ng"]["do_not_mail"] is True


def test_thunderbird_csv_with_lf(db: Database, fixtures: Path) -> None:
    _import_file(db, fixtures / "thunderbird_contacts.csv")
    people = _contacts(db)
    assert people["Siobhán Murphy"]["emails"][1]["value"] == "s.murphy@example.com"
    assert people["Tomek Zieliński"]["given_name"] == "Tomasz"


def test_encodings_and_delimiters(tmp_path: Path) -> None:
    text = "Vorname;Nachname;E-Mail\r\nJürgen;Müller;jm@example.de\r\nZoë;Ćwik;zc@example.pl\r\n"
    for encoding, delimiter in (("utf-8", ";"), ("utf-8-sig", ";"), ("utf-16", "\t"), ("utf-16-le", "\t"),
                                ("cp1252", ",")):
        body = text.replace(";", delimiter)
        if encoding == "cp1252":
            body = body.replace("Ćwik", "Cwik")
        path = tmp_path / f"{encoding}.csv"
        path.write_bytes(body.encode(encoding))
        table = csv_io.read_csv_file(path)
        assert table.delimiter == delimiter, encoding
        assert table.headers == ["Vorname", "Nachname", "E-Mail"]
        assert table.rows[0][1][1] == "Müller"


def test_mapping_saved_as_setting_and_reused(tmp_path: Path, hub: Path, run_cli: Run) -> None:
    path = tmp_path / "club.csv"
    path.write_text("Vorname,Nachname,Handy\nJürgen,Müller,07700 900555\n", encoding="utf-8")
    code, _, err = run_cli("--data-dir", hub, "csv", "import", path, "--map", "Vorname=given_name",
                           "--map", "Nachname=family_name", "--map", "Handy=phone:mobile", "--save-mapping")
    assert code == 0, err
    path.write_text("Vorname,Nachname,Handy\nHelga,Schmidt,07700 900556\n", encoding="utf-8")
    code, out, err = run_cli("--data-dir", hub, "csv", "import", path, "--json")
    assert code == 0 and json.loads(out)["added"] == 1
    hub_db = Database.open(hub)
    try:
        people = _contacts(hub_db)
        assert people["Helga Schmidt"]["phones"] == [{"label": "mobile", "value": "07700 900556"}]
        assert hub_db.setting("csv_mappings")
    finally:
        hub_db.close()


def test_preview_lists_problems_and_matches(db: Database, tmp_path: Path) -> None:
    with db.write() as tx:
        existing = create_contact(tx, {"given_name": "Anna", "family_name": "Kowalska",
                                       "emails": ["ANNA@example.org"]})
    path = tmp_path / "p.csv"
    path.write_text("First Name,Last Name,Email\nAnna,Kowalska,anna@EXAMPLE.org\nBad,Email,not-an-email\n"
                    "Carl,Jones,\n,,\n", encoding="utf-8")
    table = csv_io.read_csv_file(path)
    rows = plan_import(db, csv_mapping.table_to_rows(table, csv_mapping.suggest_mapping(table.headers)))
    assert rows[0].match_id == existing.id
    # A bad email costs only that value: kept in the notes, warned about, the person imported.
    assert rows[1].ok and "Email: not-an-email" in rows[1].values["notes"]
    assert [w.message for w in rows[1].warnings] == ["'not-an-email' is not a valid email address; kept in notes"]
    assert rows[2].ok and not rows[2].match_id
    assert len(rows) == 3  # the blank row is not a row


def _dup_file(tmp_path: Path) -> Path:
    path = tmp_path / "dups.csv"
    path.write_text("First Name,Last Name,Email,Phone,Company,Notes\n"
                    "Anna,Kowalska,anna@example.org,07700 900999,New Org,\n"
                    "Zed,New,zed@example.org,,,\n", encoding="utf-8")
    return path


def _seed(db: Database) -> str:
    with db.write() as tx:
        return create_contact(tx, {"given_name": "Anna", "family_name": "Kowalska", "emails": ["anna@example.org"],
                                   "organisation": "Old Org", "notes": ""}).id


def test_duplicates_skip_update_fill_add(tmp_path: Path) -> None:
    results = {}
    for choice in ("skip", "update", "fill", "add"):
        db = Database.create(tmp_path / choice, "Hub")
        try:
            anna_id = _seed(db)
            summary = _import_file(db, _dup_file(tmp_path), on_duplicate=choice)
            with db.read() as session:
                anna = contact_json(session.get(Contact, anna_id))  # type: ignore[arg-type]
                count = len([c for c in session.exec(select(Contact)).all() if not c.deleted])
            results[choice] = (summary, anna, count)
        finally:
            db.close()
    skip, anna, count = results["skip"]
    assert (skip.added, skip.duplicates_skipped, count) == (1, 1, 2) and anna["organisation"] == "Old Org"
    update, anna, count = results["update"]
    assert update.updated == 1 and count == 2
    assert anna["organisation"] == "New Org" and anna["phones"] == [{"label": "", "value": "07700 900999"}]
    fill, anna, count = results["fill"]
    assert fill.filled == 1 and anna["organisation"] == "Old Org"
    assert anna["phones"] == [{"label": "", "value": "07700 900999"}]
    add, anna, count = results["add"]
    assert add.added == 2 and count == 3


@pytest.mark.parametrize("choice", ["update", "fill"])
def test_an_email_in_other_capitals_and_a_phone_in_other_spelling_are_not_stored_twice(tmp_path: Path,
                                                                                       choice: str) -> None:
    db = Database.create(tmp_path / choice, "Hub")
    try:
        with db.write() as tx:
            anna_id = create_contact(tx, {"given_name": "Anna", "family_name": "Kowalska",
                                          "emails": ["anna@example.org"], "phones": ["07700 900999"]}).id
        path = tmp_path / "again.csv"
        path.write_text("First Name,Last Name,Email,Phone\nAnna,Kowalska,ANNA@Example.org,+44 7700 900999\n",
                        encoding="utf-8")
        summary = _import_file(db, path, on_duplicate=choice)
        with db.read() as session:
            anna = contact_json(session.get(Contact, anna_id))  # type: ignore[arg-type]
        assert summary.added == 0 and summary.changes == []
        assert [e["value"] for e in anna["emails"]] == ["anna@example.org"]
        assert [p["value"] for p in anna["phones"]] == ["07700 900999"]
    finally:
        db.close()


def test_tag_marks_updated_and_filled_people_too(db: Database, tmp_path: Path) -> None:
    with db.write() as tx:
        anna = create_contact(tx, {"given_name": "Anna", "family_name": "Kowalska", "emails": ["anna@example.org"],
                                   "tags": ["old"]}).id
    _import_file(db, _dup_file(tmp_path), on_duplicate="fill", tag="spring")
    with db.read() as session:
        assert session.get(Contact, anna).tags == ["old", "spring"]  # type: ignore[union-attr]


def test_group_and_tag_for_everyone_imported(db: Database, fixtures: Path) -> None:
    summary = _import_file(db, fixtures / "google_contacts.csv", group="Spring fair 2026", tag="fair")
    with db.read() as session:
        group = find_group(session, "Spring fair 2026")
        members = session.exec(select(Membership).where(Membership.group_id == group.id)).all()
        assert {m.contact_id for m in members} == set(summary.added_ids)
        tagged = [c for c in session.exec(select(Contact)).all() if "fair" in c.tags]
        assert len(tagged) == 3


def test_errors_file_and_skip_bad_rows(hub: Path, tmp_path: Path, run_cli: Run) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text("First Name,Last Name,Email,Do Not Email\nGood,One,good@example.org,no\nBad,Two,nope,maybe\n"
                    "Ragged,Row\nKept,Three,nope,no\n", encoding="utf-8")
    errors = tmp_path / "errors.csv"
    code, out, err = run_cli("--data-dir", hub, "csv", "import", path, "--errors-to", errors)
    assert code == 0, err
    assert "2 added" in out and "2 bad rows skipped" in out
    assert "row 4 (line 5): emails: 'nope' is not a valid email address; kept in notes" in out
    saved = list(csv.reader(io.StringIO(errors.read_text(encoding="utf-8-sig"))))
    assert saved[0] == ["First Name", "Last Name", "Email", "Do Not Email", "Problem"]
    assert saved[1][:4] == ["Bad", "Two", "nope", "maybe"] and "not yes or no" in saved[1][4]
    assert saved[2][:2] == ["Ragged", "Row"] and "ragged" in saved[2][-1]
    # The warnings are saved with the skipped rows.
    warned = list(csv.reader(io.StringIO((tmp_path / "errors-warnings.csv").read_text(encoding="utf-8-sig"))))
    assert warned == [["Row", "Where", "Field", "Message"],
                      ["4", "row 4 (line 5)", "emails", "'nope' is not a valid email address; kept in notes"]]


def test_dry_run_changes_nothing(hub: Path, fixtures: Path, run_cli: Run, db_fingerprint: Any) -> None:
    before = db_fingerprint(hub)
    code, out, _ = run_cli("--data-dir", hub, "csv", "import", fixtures / "google_contacts.csv", "--dry-run")
    assert code == 0 and "3 added" in out and "dry run" in out
    assert db_fingerprint(hub) == before


def test_export_escapes_formulas_and_reads_back(db: Database, tmp_path: Path) -> None:
    with db.write() as tx:
        create_contact(tx, {"given_name": "=HYPERLINK(\"http://evil\")", "family_name": "+Plus",
                            "organisation": "@org", "role": "-1", "notes": "\tTabbed\r\nnote",
                            "phones": ["+44 7700 900123"], "tags": ["=SUM(A1)"]})
    out = tmp_path / "out.csv"
    with db.read() as session:
        assert csv_write.export_csv(session.connection(), out) == 1
    raw = out.read_text(encoding="utf-8-sig")
    cells = list(csv.reader(io.StringIO(raw)))[1]
    assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
    assert "'=HYPERLINK" in raw and "'+44 7700 900123" in raw
    other = Database.create(tmp_path / "other", "Other")
    try:
        _import_file(other, out)
        [back] = _contacts(other).values()
        assert back["given_name"] == "=HYPERLINK(\"http://evil\")" and back["family_name"] == "+Plus"
        assert back["organisation"] == "@org" and back["role"] == "-1"
        # Line breaks inside a cell are stored as "\n", as vCard's are.
        assert back["notes"] == "\tTabbed\nnote" and back["tags"] == ["=SUM(A1)"]
        assert back["phones"] == [{"label": "", "value": "+44 7700 900123"}]
    finally:
        other.close()


_cell_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(_cell_text, min_size=3, max_size=3), prefix=st.sampled_from(["", "'", "''", "=", "'=", "+",
                                                                                    "-", "@", "\t", "\r"]))
def test_escape_round_trip_property(values: list[str], prefix: str) -> None:
    for value in values:
        original = prefix + value
        assert csv_cells.unescape_cell(csv_cells.escape_cell(original)) == original
        assert not csv_cells.escape_cell(original).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_export_round_trip_all_fields(db: Database, tmp_path: Path) -> None:
    with db.write() as tx:
        made = contact_json(create_contact(tx, {
            "given_name": "Zofia", "family_name": "Nowak", "display_name": "Zosia N.", "organisation": "Food, Bank",
            "role": "Lead", "phones": [{"label": "mobile", "value": "07700 900123"}, {"label": "Work shed",
                                                                                        "value": "0161 496 0000"}],
            "emails": [{"label": "home", "value": "z@example.org"}], "street": "1 Canal St\nFlat 2",
            "locality": "Manchester", "region": "GM", "postcode": "M1 1AA", "country": "UK",
            "languages": ["pl", "en"], "tags": ["food", "youth work"], "notes": "Line 1,\nline \"2\"; ok",
            "do_not_phone": True, "engagement_stage": "active"}))
    out = tmp_path / "all.csv"
    with db.read() as session:
        csv_write.export_csv(session.connection(), out, csv_write.EXPORTABLE_FIELDS)
    other = Database.create(tmp_path / "o", "O")
    try:
        _import_file(other, out)
        [back] = _contacts(other).values()
        for name in csv_write.EXPORTABLE_FIELDS:
            if name != "groups":
                assert back[name] == made[name], name
    finally:
        other.close()


def test_cli_csv_export_fields(hub: Path, tmp_path: Path, run_cli: Run) -> None:
    out = tmp_path / "few.csv"
    code, _, err = run_cli("--data-dir", hub, "csv", "export", out, "--fields", "given_name,family_name,emails")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["Given Name", "Family Name", "E-mail 1 - Label", "E-mail 1 - Value"]
    assert ["Anna", "Kowalska", "", "anna@example.org"] in rows
    code, _, err = run_cli("--data-dir", hub, "csv", "export", out, "--fields", "secret")
    assert code == 1 and "Cannot export the field 'secret'" in err


def test_people_without_phone_or_email(db: Database) -> None:
    rows = csv_mapping.table_to_rows(csv_io.parse_csv(b"Name\nJust A Name\n"),
                                csv_mapping.suggest_mapping(["Name"]))
    summary = run_import(db, rows, ImportOptions())
    assert summary.added == 1
    assert normalise_values(rows[0].values) == {"display_name": "Just A Name"}


def test_display_name_equal_to_the_name_is_not_kept(db: Database) -> None:
    table = csv_io.parse_csv(b"Name,Given Name,Family Name\nAmara Okafor,Amara,Okafor\nDr A. O.,Amara,Okafor\n")
    rows = csv_mapping.table_to_rows(table, csv_mapping.suggest_mapping(table.headers))
    assert "display_name" not in rows[0].values and rows[1].values["display_name"] == "Dr A. O."


_field = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=25).map(str.strip)
_risky = st.sampled_from(["", "=", "+", "-", "@", "'", "'=", "''+"])


@settings(max_examples=60, deadline=None)
@given(given_name=st.tuples(_risky, _field).map("".join), family=st.tuples(_risky, _field).map("".join),
       notes=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60),
       phone=st.tuples(st.sampled_from(["+44 ", "0", "=1+", "-"]), st.text("0123456789 ", max_size=12)).map("".join),
       tags=st.lists(_field.filter(lambda t: bool(t) and not set(t) & set(",;:")), max_size=3, unique=True))
def test_any_contact_round_trips_through_csv(given_name: str, family: str, notes: str, phone: str,
                                             tags: list[str]) -> None:
    original = normalise_values({"given_name": given_name.strip(), "family_name": family.strip() or "X",
                                 "notes": notes, "phones": [{"label": "mobile", "value": phone}], "tags": tags})
    text = csv_write.contacts_to_csv([original])
    table = csv_io.parse_csv(text.encode("utf-8-sig"))
    [row] = csv_mapping.table_to_rows(table, csv_mapping.suggest_mapping(table.headers))
    back = normalise_values(row.values)
    for name in ("given_name", "family_name", "phones", "tags"):
        assert back.get(name, [] if name in ("phones", "tags") else "") == original[name], name
    # Line breaks inside a cell come back as "\n", as from a vCard.
    expected = original["notes"].replace("\r\n", "\n").replace("\r", "\n")
    assert back.get("notes", "") == (expected if expected.strip() else "")
