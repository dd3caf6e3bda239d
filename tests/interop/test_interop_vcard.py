"""vCard reading (2.1, 3.0, 4.0, files shaped like Apple, Google, Android and Thunderbird exports) and writing
(3.0 and 4.0), read back through our importer and through vobject."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import vobject
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from oursociety_desktop.formats.vcard import (
    contact_to_vcard,
    fold_line,
    parse_vcards,
    read_vcard_file,
)
from oursociety_desktop.models.contacts import contact_json, create_contact, normalise_values
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.tables import Contact
from oursociety_desktop.services.people_import import ImportOptions, run_import

ROUND_TRIP_FIELDS = ("given_name", "family_name", "display_name", "organisation", "role", "phones", "emails",
                     "street", "locality", "region", "postcode", "country", "languages", "tags", "notes")


def _by_name(rows: list[Any]) -> dict[str, dict[str, Any]]:
    return {r.values.get("display_name") or f"{r.values.get('given_name', '')} {r.values.get('family_name', '')}"
            .strip(): r.values for r in rows}


def test_apple_contacts_export(fixtures: Path) -> None:
    rows = read_vcard_file(fixtures / "apple_contacts.vcf")
    assert [r.ok for r in rows] == [True, True, True]
    zofia = rows[0].values
    assert zofia["given_name"] == "Zofia Maria" and zofia["family_name"] == "Nowak"
    assert zofia["organisation"] == "Riverside Food Bank, Volunteers"
    assert zofia["role"] == "Coordinator"
    assert zofia["emails"] == [{"label": "home", "value": "zofia.nowak@example.org"},
                               {"label": "other", "value": "z.nowak@example.net"}]
    assert zofia["phones"] == [{"label": "mobile", "value": "07700 900123"},
                               {"label": "home", "value": "0161 496 0000"},
                               {"label": "Allotment shed", "value": "+44 20 7946 0018"}]
    assert zofia["street"] == "12 Canal Street\nFlat 3" and zofia["locality"] == "Manchester"
    assert zofia["postcode"] == "M1 3HE" and zofia["country"] == "United Kingdom"
    # Unescaped comma and semicolon in a folded NOTE: nothing dropped (vobject's fault).
    assert zofia["notes"].startswith("Speaks Polish and English, runs the Saturday stall. Prefers texts, not "
                                     "calls; ask about the allotment.")
    # What has no field of its own is kept in the notes, not lost: nickname, birthday, web page, second address.
    for kept in ("Nickname: Zosia", "Birthday: 1984-03-02", "Web (homepage): https://example.org/zofia",
                 "Address (work): 1 Market Place, Salford, M3 5AA, United Kingdom"):
        assert kept in zofia["notes"]
    assert zofia["tags"] == ["food", "volunteers"]
    assert any(w.field == "PHOTO" for w in rows[0].warnings)
    company = rows[1].values
    assert company["organisation"] == "Riverside Tenants' Association"
    assert "display_name" not in company and "given_name" not in company  # shown by its organisation
    greek = rows[2].values
    assert greek["given_name"] == "Γιώργος" and greek["family_name"] == "Παπαδόπουλος"
    assert greek["notes"] == "Comma, semicolon; backslash\\ and a new\nline."


def test_google_vcard_and_android_21(fixtures: Path) -> None:
    google = _by_name(read_vcard_file(fixtures / "google_contacts.vcf"))
    amara = google["Amara Okafor"]
    assert amara["notes"].startswith("Met at the spring fair, interested in composting, beekeeping and youth work")
    assert "Web (PROFILE): https://example.org/amara" in amara["notes"]
    assert amara["emails"][1] == {"label": "work", "value": "a.okafor@example.com"}
    assert google["Jan Kowalski"] == {"given_name": "Jan", "family_name": "Kowalski"}  # no phone, no email
    assert amara["tags"] == ["Gardeners"]  # Google's system group "myContacts" is not a tag

    android = read_vcard_file(fixtures / "android_contacts.vcf")
    assert all(r.ok for r in android)
    gosia = android[0].values
    assert gosia["given_name"] == "Małgorzata" and gosia["family_name"] == "Wiśniewska"
    assert gosia["street"] == "ul. Łąkowa 7" and gosia["locality"] == "Łódź"
    # Quoted-printable with a soft line break in the middle of a UTF-8 character.
    assert gosia["notes"].startswith("Pierwsza linia, z przecinkiem\nDruga linia jest bardzo długą i zawinięta")
    assert "Nickname: Gosia" in gosia["notes"]
    assert gosia["phones"][0] == {"label": "mobile", "value": "+48 601 234 567"}
    assert android[1].values["phones"][1] == {"label": "work fax", "value": "0161 496 0555"}
    assert android[2].values["given_name"] == "Jürgen" and android[2].values["family_name"] == "Müller"


def test_thunderbird_vcard_40(fixtures: Path) -> None:
    [row] = read_vcard_file(fixtures / "thunderbird_contacts.vcf")
    values = row.values
    assert values["given_name"] == "Siobhán"
    assert values["phones"] == [{"label": "mobile", "value": "+353 85 123 4567"},
                                {"label": "work", "value": "+353-1-234-5678"}]
    assert values["emails"][0] == {"label": "", "value": "siobhan@example.ie"}
    # 4.0 rules: an unescaped comma in NOTE is text, LANG is kept as languages.
    assert values["notes"] == "Knows everyone at the library, runs the book club, will host the next meeting"
    assert values["languages"] == ["ga", "en"]


def test_lf_line_endings_and_many_cards() -> None:
    text = "".join(f"BEGIN:VCARD\nVERSION:3.0\nN:Person{i};Test;;;\nFN:Test Person{i}\nEND:VCARD\n"
                   for i in range(300))
    rows = parse_vcards(text.encode())
    assert len(rows) == 300 and rows[299].values["family_name"] == "Person299"


def test_escapes_and_folding_in_30() -> None:
    card = ("BEGIN:VCARD\r\nVERSION:3.0\r\nN:O\\;Neil;Mary\\, Jo;;;\r\nFN:Mary\\, Jo O\\;Neil\r\n"
            "NOTE:a\\nb\\\\n\\, c\r\n  continued\r\nEND:VCARD\r\n")
    [row] = parse_vcards(card.encode())
    assert row.values["family_name"] == "O;Neil" and row.values["given_name"] == "Mary, Jo"
    assert row.values["notes"] == "a\nb\\n, c continued"


def test_never_fetches_photo_or_url(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the vCard reader tried to use the network")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    card = ("BEGIN:VCARD\nVERSION:4.0\nFN:Pic Person\nN:Person;Pic;;;\nPHOTO:http://example.invalid/p.jpg\n"
            "URL:http://example.invalid/\nLOGO;VALUE=uri:https://example.invalid/logo.png\nEND:VCARD\n")
    [row] = parse_vcards(card.encode())
    assert "Web: http://example.invalid/" in row.values["notes"]
    assert "p.jpg" not in str(row.values)


def test_fold_line_never_splits_a_character() -> None:
    line = "NOTE:" + "żółć " * 40
    folded = fold_line(line)
    for part in folded.split("\r\n"):
        assert len(part.encode("utf-8")) <= 75
    assert folded.replace("\r\n ", "") == line


def _sample_contacts(db: Database) -> list[dict[str, Any]]:
    with db.write() as tx:
        made = [
            create_contact(tx, {"given_name": "Zofia Maria", "family_name": "Nowak", "organisation": "Food; Bank",
                                "role": "Coordinator, north", "phones": [
                                    {"label": "mobile", "value": "07700 900123"},
                                    {"label": "work fax", "value": "0161 496 0555"},
                                    {"label": "Allotment shed", "value": "+44 20 7946 0018"},
                                    {"label": "", "value": "0161 496 0999"}],
                                "emails": [{"label": "home", "value": "zofia@example.org"},
                                           {"label": "Uni", "value": "z.nowak@example.ac.uk"}],
                                "street": "12 Canal Street\nFlat 3", "locality": "Manchester", "postcode": "M1 3HE",
                                "country": "United Kingdom", "languages": ["pl", "en"],
                                "tags": ["food", "volunteers"],
                                "notes": "Line one, with comma; and semicolon\\ backslash\nLine two " + "x" * 200}),
            create_contact(tx, {"display_name": "Γιώργος (Greek club)", "given_name": "Γιώργος",
                                "family_name": "Παπαδόπουλος", "phones": ["+30 691 234 5678"]}),
            create_contact(tx, {"organisation": "Riverside Tenants' Association"}),
            create_contact(tx, {"given_name": "No", "family_name": "Contact-Details"}),
            # FN is the shown name, family name first; read back it adds no display name.
            create_contact(tx, {"given_name": "小明", "family_name": "王"}),
        ]
        return [contact_json(c) for c in made]


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_export_reads_back_identically_through_our_importer(db: Database, tmp_path: Path, version: str) -> None:
    contacts = _sample_contacts(db)
    text = "".join(contact_to_vcard(c, version) for c in contacts)
    rows = parse_vcards(text.encode("utf-8"))
    assert all(r.ok for r in rows)
    for original, row in zip(contacts, rows, strict=True):
        back = normalise_values(row.values)
        for name in ROUND_TRIP_FIELDS:
            assert back.get(name, Contact().__getattribute__(name)) == original[name], (version, name)

    # And into a second hub: the same people.
    other = Database.create(tmp_path / "other", "Other Hub")
    try:
        summary = run_import(other, parse_vcards(text.encode("utf-8")), ImportOptions())
        assert summary.added == len(contacts)
        with other.read() as session:
            imported = [contact_json(c) for c in session.exec(select(Contact)).all()]
        originals = sorted(contacts, key=lambda c: c["shown_name"])
        imported = sorted(imported, key=lambda c: c["shown_name"])
        for a, b in zip(originals, imported, strict=True):
            assert {k: a[k] for k in ROUND_TRIP_FIELDS} == {k: b[k] for k in ROUND_TRIP_FIELDS}
    finally:
        other.close()


def test_export_30_reads_back_through_vobject(db: Database) -> None:
    contacts = _sample_contacts(db)
    text = "".join(contact_to_vcard(c, "3.0") for c in contacts)
    cards = list(vobject.readComponents(text))
    assert len(cards) == len(contacts)
    for original, card in zip(contacts, cards, strict=True):
        assert card.n.value.family == original["family_name"]
        assert card.n.value.given == original["given_name"]
        assert card.fn.value == original["shown_name"]
        assert [t.value for t in card.contents.get("tel", [])] == [p["value"] for p in original["phones"]]
        assert [e.value for e in card.contents.get("email", [])] == [e["value"] for e in original["emails"]]
        if original["notes"]:
            assert card.note.value == original["notes"]
        if original["organisation"]:
            assert card.org.value == [original["organisation"]]
        if original["tags"]:
            assert card.categories.value == original["tags"]
        if original["street"]:
            assert card.adr.value.street == original["street"]
            assert card.adr.value.city == original["locality"]
            assert card.adr.value.code == original["postcode"]
    first = cards[0]
    labels = {item.group: item.value for item in first.contents["x-ablabel"]}
    tel_groups = {t.value: t.group for t in first.contents["tel"]}
    assert labels[tel_groups["+44 20 7946 0018"]] == "Allotment shed"


_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40).map(str.strip)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(given_name=_text, family=_text, notes=st.text(st.characters(blacklist_categories=("Cs",),
                                                                   blacklist_characters="\r\x00"), max_size=120),
       org=_text, tags=st.lists(_text.filter(lambda t: bool(t) and "," not in t and ";" not in t), max_size=3,
                                unique=True),
       version=st.sampled_from(["3.0", "4.0"]))
def test_any_text_round_trips(given_name: str, family: str, notes: str, org: str, tags: list[str],
                              version: str) -> None:
    values = normalise_values({"given_name": given_name, "family_name": family or "X", "notes": notes,
                               "organisation": org, "tags": tags})
    [row] = parse_vcards(contact_to_vcard(values, version).encode("utf-8"))
    back = normalise_values(row.values)
    assert back.get("given_name", "") == values["given_name"]
    assert back.get("family_name", "") == values["family_name"]
    assert back.get("organisation", "") == values["organisation"]
    assert back.get("tags", []) == values["tags"]
    expected_notes = values["notes"] if values["notes"].strip() else ""
    assert back.get("notes", "") == expected_notes


def test_outlook_style_21_in_windows_1252_without_qp() -> None:
    card = ("BEGIN:VCARD\r\nVERSION:2.1\r\nN;LANGUAGE=en-gb;CHARSET=Windows-1252:O'Brien;Seán\r\n"
            "FN;CHARSET=Windows-1252:Seán O'Brien\r\nORG;CHARSET=Windows-1252:Café Solidarité\r\n"
            "NOTE;CHARSET=Windows-1252:Owes £20 – paid later\r\nEND:VCARD\r\n").encode("cp1252")
    [row] = parse_vcards(card)
    assert row.values["given_name"] == "Seán" and row.values["organisation"] == "Café Solidarité"
    assert row.values["notes"] == "Owes £20 – paid later"


def test_same_person_twice_in_one_file(db: Database) -> None:
    text = ("BEGIN:VCARD\nVERSION:3.0\nN:Nowak;Anna;;;\nEMAIL:anna@example.org\nEND:VCARD\n"
            "BEGIN:VCARD\nVERSION:3.0\nN:Nowak;Anna;;;\nEMAIL:ANNA@example.org\nTEL:07700 900123\nEND:VCARD\n")
    summary = run_import(db, parse_vcards(text.encode()), ImportOptions(on_duplicate="update"))
    assert (summary.added, summary.updated) == (1, 1)
    with db.read() as session:
        [anna] = session.exec(select(Contact)).all()
        assert anna.phones == [{"label": "", "value": "07700 900123"}]


def test_cancel_during_import_rolls_back(db: Database) -> None:
    from oursociety_desktop.models.dump import iter_dump_lines
    from oursociety_desktop.models.errors import Cancelled

    text = "".join(f"BEGIN:VCARD\nVERSION:3.0\nN:P{i};Test;;;\nEND:VCARD\n" for i in range(3000))
    with db.read() as session:
        before = list(iter_dump_lines(session.connection()))
    calls: list[int] = []

    def progress(percent: int, message: str) -> bool:
        calls.append(percent)
        return message != "Saving contacts"  # Cancel at the last moment, after every row was prepared

    with pytest.raises(Cancelled):
        run_import(db, parse_vcards(text.encode()), ImportOptions(), progress=progress)
    with db.read() as session:
        assert list(iter_dump_lines(session.connection())) == before
    assert calls


def test_a_nested_card_is_a_person_of_its_own_and_does_not_leak_into_its_parent() -> None:
    text = ("BEGIN:VCARD\r\nVERSION:2.1\r\nN:Boss;Big\r\nFN:Big Boss\r\nAGENT:\r\nBEGIN:VCARD\r\nVERSION:2.1\r\n"
            "N:Helper;Hal\r\nFN:Hal Helper\r\nTEL:0161 496 0000\r\nEND:VCARD\r\nEMAIL:boss@example.org\r\n"
            "END:VCARD\r\n")
    row, agent = parse_vcards(text.encode())
    assert row.values["family_name"] == "Boss" and "phones" not in row.values
    assert row.values["emails"] == [{"label": "", "value": "boss@example.org"}]
    # The nested person (Android's importer reads them as entries too) is not dropped.
    assert agent.ok and agent.values["family_name"] == "Helper"
    assert agent.values["phones"] == [{"label": "", "value": "0161 496 0000"}]


def test_an_apple_label_no_field_can_hold_is_kept_in_the_notes() -> None:
    """khard's labels.vcf: Apple puts labels on an ORG as well; a label on a property that takes none here, or on
    no property at all, is a line of the notes, never dropped without a word."""
    text = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nN:Lee;Ann;;;\r\nitem1.ORG:Acme Food Bank;Kitchen\r\n"
            "item1.X-ABLabel:Work\r\nitem2.TEL:07700 900123\r\nitem2.X-ABLabel:_$!<Mobile>!$_\r\n"
            "item3.X-ABLabel:Spare\r\nEND:VCARD\r\n")
    (row,) = parse_vcards(text.encode())
    assert row.values["organisation"] == "Acme Food Bank, Kitchen"
    assert row.values["phones"] == [{"label": "mobile", "value": "07700 900123"}]
    assert row.values["notes"] == "Organisation label: Work\nLabel: Spare"


def test_cli_export_one_file_and_one_per_contact(hub: Path, tmp_path: Path, run_cli: Any) -> None:
    code, out, err = run_cli("--data-dir", hub, "vcard", "export", tmp_path / "all.vcf", "--version", "4.0")
    assert code == 0 and "Wrote 2 contacts" in out, err
    rows = read_vcard_file(tmp_path / "all.vcf")
    assert sorted(r.values["family_name"] for r in rows) == ["Kowalska", "Okoro"]
    code, out, err = run_cli("--data-dir", hub, "vcard", "export", tmp_path / "cards", "--one-per-contact")
    assert code == 0, err
    files = sorted((tmp_path / "cards").glob("*.vcf"))
    assert [f.name.split("-")[0] for f in files] == ["Anna", "Ben"]
    [anna] = read_vcard_file(files[0])
    assert anna.values["phones"] == [{"label": "mobile", "value": "07700 900001"}]
    # Importing our own export again finds everyone already there.
    code, out, err = run_cli("--data-dir", hub, "vcard", "import", tmp_path / "all.vcf", "--json")
    assert code == 0 and json.loads(out)["duplicates_skipped"] == 2, err


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le"])
def test_vcard_encodings(encoding: str) -> None:
    text = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Żółć;Zoë;;;\r\nFN:Zoë Żółć\r\nEND:VCARD\r\n"
    [row] = parse_vcards(text.encode(encoding))
    assert row.values == {"given_name": "Zoë", "family_name": "Żółć"}


def test_old_mac_cr_line_endings() -> None:
    [row] = parse_vcards(b"BEGIN:VCARD\rVERSION:3.0\rN:Old;Mac;;;\rEND:VCARD\r")
    assert row.values == {"given_name": "Mac", "family_name": "Old"}


CARD_PIECES = [b"BEGIN:VCARD", b"VERSION:2.1", b"N:Nowak;Zofia", b"AGENT:", b"item1.BEGIN:vCard", b"FN:Tomas",
               b"END:VCARD", b"TEL:07700 900123", b"NOTE:VCARD in a note", b""]


def cards_line_by_line(raw_lines: list[bytes]) -> list[tuple[Any, ...]] | None:
    """The rule, one line at a time: every open card takes each line's text, the innermost its lines; a BEGIN
    opens a card of its own, listed where it begins; an END closes the innermost. None when cards are nested
    more than MAX_NESTING deep (the file is refused)."""
    from oursociety_desktop.formats.vcard_cards import _BEGIN, _END, MAX_NESTING

    cards: list[list[Any]] = []  # [line, text, lines, complete] of each card
    open_cards: list[list[Any]] = []
    for index, raw in enumerate(raw_lines, start=1):
        for card in open_cards:
            card[1].append(raw)
        if _BEGIN.match(raw):
            if len(open_cards) >= MAX_NESTING:
                return None
            card = [index, [raw], [], False]
            cards.append(card)
            open_cards.append(card)
        elif _END.match(raw) and open_cards:
            open_cards.pop()[3] = True
        elif open_cards:
            open_cards[-1][2].append((index, raw))
    return [tuple(card) for card in cards]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(CARD_PIECES), max_size=40), st.integers(1, 64))
@example([b"BEGIN:VCARD"] * 11, 1)  # found by hypothesis once cards nested over ten deep were refused
def test_cards_read_block_by_block_are_the_cards_of_the_whole_file(pieces: list[bytes], size: int) -> None:
    """Large files are read a block at a time, by slices between the lines that name VCARD: nested cards, cut-off
    cards and cards across blocks come out as the rule read one line at a time gives them, in the same order, and
    cards nested too deep are refused however the blocks fall."""
    from oursociety_desktop.formats.vcard_cards import iter_cards, line_blocks

    data = b"\r\n".join(pieces)
    expected = cards_line_by_line(next(line_blocks(data, len(data) + 1)))
    if expected is None:
        with pytest.raises(UserError, match="nested more than 10 deep"):
            list(iter_cards(line_blocks(data, size)))
        return
    blocks = list(iter_cards(line_blocks(data, size)))
    assert [(c.line, c.text, c.lines, c.complete) for c in blocks] == expected


def _rows_seen(rows: list[Any]) -> list[tuple[Any, ...]]:
    return [(r.where, r.values, r.warnings, r.problems, r.kind, str(r.source)) for r in rows]


@pytest.mark.parametrize("eol", [b"\r\n", b"\n", b"\r"])
def test_a_file_read_chunk_by_chunk_gives_the_rows_of_its_whole_text(tmp_path: Path, eol: bytes,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A file is read from the disk a chunk at a time (its first 64 KiB, then chunks): cards cut by a chunk's end,
    folds inside a UTF-8 character, 8-bit values and the line numbers in warnings come out as from the whole
    text, whatever the line ends (a file of CR line ends has no LF to cut at and is read whole)."""
    from oursociety_desktop.formats import vcard

    monkeypatch.setattr(vcard, "_CHUNK", 997)  # many chunk ends, in the middle of cards and of lines
    card = eol.join([b"BEGIN:VCARD", b"VERSION:3.0", b"N:Wi\xc5", b" \x9bniewska;Zo\xc3\xab;;;",
                     b"ORG;CHARSET=WINDOWS-1252:Caf\xe9 Solidarit\xe9", b"TEL;CELL:07700 900%03d",
                     b"this line is no property", b"END:VCARD"])
    data = eol.join(card % (i % 1000) for i in range(900)) + eol
    path = tmp_path / "many.vcf"
    path.write_bytes(data)
    assert len(data) > 65536 + 10 * 997
    rows = read_vcard_file(path)
    assert _rows_seen(rows) == _rows_seen(parse_vcards(data, "many.vcf"))
    last = rows[-1]
    assert last.where == "card 900 (Zoë Wiśniewska)"
    assert last.values["given_name"] == "Zoë" and last.values["family_name"] == "Wiśniewska"
    assert last.values["organisation"] == "Café Solidarité"
    assert last.values["phones"] == [{"label": "mobile", "value": "07700 900899"}]
    assert [(w.field, w.message) for w in last.warnings] == [
        ("line 7199", "not a vCard property, not imported: 'this line is no property'")]
