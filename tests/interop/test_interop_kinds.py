"""Each kind of fault real contact files show, fixed as a kind: small files of our own, one per kind (the field
cases are single examples; these vary the kind)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from oursociety_desktop.formats import csv_io, csv_mapping
from oursociety_desktop.formats.vcard import contact_to_vcard, parse_vcards
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.registry import REGISTRY, pair_id
from oursociety_desktop.models.tables import Membership
from oursociety_desktop.services.import_checks import check_row
from oursociety_desktop.services.people_import import ImportOptions, run_import
from tests.interop.test_interop_field_cases import people_of

Run = Callable[..., tuple[int, str, str]]


def _card(*lines: str, version: str = "3.0") -> bytes:
    return ("BEGIN:VCARD\r\nVERSION:" + version + "\r\n" + "".join(f"{line}\r\n" for line in lines)
            + "END:VCARD\r\n").encode("utf-8")


def _one(data: bytes) -> dict[str, Any]:
    [row] = parse_vcards(data)
    assert row.ok, row.problems
    return row.values


# ---------- character sets, decided per value ----------


def test_each_property_decoded_in_its_own_charset() -> None:
    data = (b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=SHIFT_JIS:" + "山田;太郎".encode("shift_jis") + b"\r\n"
            b"ORG;CHARSET=ISO-8859-7:" + "Σύλλογος".encode("iso-8859-7") + b"\r\n"
            b"TITLE;CHARSET=KOI8-U:" + "Голова".encode("koi8-u") + b"\r\n"
            b"NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Caf=C3=A9\r\n"
            b"X-IGNORED;CHARSET=x-no-such-charset:\xff\xfe junk\r\nEND:VCARD\r\n")
    [row] = parse_vcards(data)
    assert row.ok
    assert row.values["family_name"] == "山田" and row.values["given_name"] == "太郎"
    assert row.values["organisation"] == "Σύλλογος" and row.values["role"] == "Голова"
    assert row.values["notes"] == "Café"
    assert [w.field for w in row.warnings] == ["X-IGNORED"]  # named, never a refusal


def test_one_bad_byte_sequence_costs_only_its_value() -> None:
    utf8 = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Wiśniewska;Małgorzata;;;\r\n".encode()
    data = utf8 + b"NOTE:Caf\xe9 on the corner\r\nEND:VCARD\r\n"
    [row] = parse_vcards(data)
    assert row.values["family_name"] == "Wiśniewska" and row.values["given_name"] == "Małgorzata"
    assert row.values["notes"] == "Café on the corner"
    assert [(w.field, "Windows-1252" in w.message) for w in row.warnings] == [("NOTE", True)]


def test_a_card_that_names_its_charset_once_is_read_in_it() -> None:
    data = (b"BEGIN:VCARD\r\nVERSION:2.1\r\nN:" + "Παπαδόπουλος;Γιώργος".encode("cp1253") + b"\r\n"
            b"LABEL;CHARSET=Windows-1253:" + "Αθήνα".encode("cp1253") + b"\r\nEND:VCARD\r\n")
    values = _one(data)
    assert values["family_name"] == "Παπαδόπουλος" and values["street"] == "Αθήνα"


def test_encoding_option_for_vcard(tmp_path: Path, run_cli: Run) -> None:
    hub = tmp_path / "hub"
    Database.create(hub, "H").close()
    path = tmp_path / "ua.vcf"
    path.write_bytes("BEGIN:VCARD\nVERSION:2.1\nN:Шевченко;Тарас\nEND:VCARD\n".encode("koi8-u"))
    code, out, err = run_cli("--data-dir", hub, "vcard", "import", path, "--encoding", "koi8-u", "--json")
    assert code == 0, err
    assert json.loads(out)["warnings"] == []
    db = Database.open(hub)
    try:
        assert list(people_of(db)[0]) == ["Тарас Шевченко"]
    finally:
        db.close()


# ---------- a bad value costs that value, never the person or the file ----------


def test_bad_emails_are_kept_in_notes_and_warned(tmp_path: Path, run_cli: Run) -> None:
    cards = b"".join(_card(f"FN:Person {i}", f"N:{i};Person;;;") for i in range(4))
    cards += _card("FN:Bad Mail", "N:Mail;Bad;;;", "EMAIL:ÑÑÑÑÑÑ", "EMAIL:contact1@invalid",
                   "TEL;TYPE=CELL:07700 900001", "TEL;TYPE=HOME:020 7946 0001", "TEL;TYPE=WORK:0161 496 0001")
    cards += _card("FN:Good Mail", "EMAIL:good@example.org")
    path = tmp_path / "six.vcf"
    path.write_bytes(cards)
    hub = tmp_path / "hub"
    Database.create(hub, "H").close()
    code, out, err = run_cli("--data-dir", hub, "vcard", "import", path, "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["added"] == 6 and summary["bad_rows"] == 0
    assert {"row": 5, "field": "emails", "message": "'contact1@invalid' is not a valid email address; kept in "
                                                    "notes"} in summary["warnings"]
    db = Database.open(hub)
    try:
        bad = people_of(db)[0]["Bad Mail"]
    finally:
        db.close()
    assert bad["notes"] == "Email: ÑÑÑÑÑÑ\nEmail: contact1@invalid"
    assert [p["value"] for p in bad["phones"]] == ["07700 900001", "020 7946 0001", "0161 496 0001"]


# ---------- what real writers emit ----------


def test_real_writers_quirks_are_tolerated() -> None:
    photo = base64.b64encode(bytes(range(256)) * 4).decode()
    lines = [photo[i:i + 76] for i in range(0, len(photo), 76)]
    data = ("# written by an old address book\r\nhome.BEGIN:VCARD\r\nVERSION:2.1\r\n# a comment\r\n"
            "N:Quirk;Kim\r\nFN\r\nPHOTO;ENCODING=BASE64;TYPE=JPEG:" + lines[0] + "\r\n" + "\r\n".join(lines[1:])
            + "\r\n\r\nADR;HOME:;;1 Long Road\\\r\nFlat 2;Testtown;;TT1 1AA;\r\n"
            "X-WAB-WEDDING_ANNIVERSARY:2001-02-03\r\nX-MS/CUSTOM:kept\r\nhome.END:VCARD\r\n").encode()
    [row] = parse_vcards(data)
    assert row.ok, row.problems
    assert row.values["given_name"] == "Kim" and row.values["family_name"] == "Quirk"
    assert row.values["street"] == "1 Long Road\nFlat 2" and row.values["locality"] == "Testtown"
    assert "Anniversary: 2001-02-03" in row.values["notes"]
    assert row.skipped_binary == 1
    assert {w.field for w in row.warnings} == {"PHOTO", "X-MS/CUSTOM"}


@pytest.mark.parametrize(("lines", "version", "note"), [
    # a quoted-printable soft line break, then a fold
    (["NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Zo=C3=", " =AB meets"], "3.0", "Zoë meets"),
    # a fold inside a quoted-printable value, then a soft line break
    (["NOTE;ENCODING=QUOTED-PRINTABLE:first=20", " part=", "second"], "3.0", "first partsecond"),
    # 2.1: the whitespace of a fold belongs to the value
    (["NOTE:two", " words"], "2.1", "two words"),
    # 3.0: the fold's space is not the value's
    (["NOTE:one", " word"], "3.0", "oneword"),
])
def test_quoted_printable_and_folding_in_either_order(lines: list[str], version: str, note: str) -> None:
    assert _one(_card("FN:Fold Test", *lines, version=version))["notes"] == note


# ---------- values never dropped ----------


def test_second_org_label_addresses_and_honorifics_kept() -> None:
    values = _one(_card("N:Lovelace;Ada;;Dr.;Jr.", "FN:Ada Lovelace", "ORG:Analytical Society",
                        "ORG:Difference Club", "LABEL;TYPE=HOME:1 Home St\\nTesttown",
                        "LABEL;TYPE=WORK:2 Work St", "LABEL;TYPE=OTHER:3 Other St", "LABEL:4 Fourth St"))
    assert values["display_name"] == "Dr. Ada Lovelace Jr."
    assert values["given_name"] == "Ada" and values["family_name"] == "Lovelace"
    assert values["organisation"] == "Analytical Society"
    assert values["street"] == "1 Home St, Testtown"
    for kept in ("Organisation: Difference Club", "Address (work): 2 Work St", "Address (other): 3 Other St",
                 "Address: 4 Fourth St"):
        assert kept in values["notes"]


def test_other_forms_of_the_name_and_labels_saying_more_than_the_address_are_kept() -> None:
    # RFC 6350 lets N and FN repeat as alternative representations (ALTID); 2.1 and 3.0 writers add a printed
    # LABEL beside the ADR, usually the same address, sometimes another one.
    values = _one(_card("FN:Ada Lovelace", "FN;ALTID=1;LANGUAGE=ja:エイダ・ラブレス", "N;ALTID=1:Lovelace;Ada;;;",
                        "N;ALTID=1;LANGUAGE=ja:ラブレス;エイダ;;;", "ADR;TYPE=HOME:;;1 Main St;Testtown;;TT1 1AB;UK",
                        "LABEL;TYPE=HOME:1 Main St\\nTesttown TT1 1AB\\nUK",
                        "LABEL;TYPE=WORK:2 Mill Lane\\nOther Town"))
    assert values["given_name"] == "Ada" and values["family_name"] == "Lovelace" and values["street"] == "1 Main St"
    assert values["notes"].splitlines() == ["Other name: エイダ・ラブレス", "Other name: エイダ ラブレス",
                                            "Address label (work): 2 Mill Lane, Other Town"]
    # 4.0 gives the printed address as ADR's LABEL parameter: kept when it says more than the address and name.
    values = _one(_card("FN:Ada Lovelace", "N:Lovelace;Ada;;Mrs;",
                        'ADR;LABEL="Mrs Ada Lovelace\\n1 Main St\\nTesttown, Testshire":;;1 Main St;Testtown;;;',
                        "CLASS:CONFIDENTIAL", version="4.0"))
    assert values["notes"].splitlines() == ["Access class: CONFIDENTIAL",
                                            "Address label: Mrs Ada Lovelace, 1 Main St, Testtown, Testshire"]
    assert "notes" not in _one(_card("FN:Ada Lovelace", "CLASS:PUBLIC", 'ADR;LABEL="1 Main St\\nTesttown":;;1 Main St;'
                                     'Testtown;;;', version="4.0"))
    # RFC 6868 escapes in a parameter's value (ez-vcard writes them): ^n a line break, ^' a double quote, ^^ a caret.
    values = _one(_card("FN:Ada Lovelace", "ADR;LABEL=\"^'The Manor^'^nBad Homburg^nGERMANY ^^2^x\":;;1 Main St;;;;",
                        version="4.0"))
    assert values["notes"] == 'Address label: "The Manor", Bad Homburg, GERMANY ^2^x'


def test_a_card_cut_off_by_the_end_of_the_file_is_imported_with_a_warning(tmp_path: Path, run_cli: Run) -> None:
    # A file cut short (a copy that stopped, a mail attachment trimmed) inside a quoted-printable note: the people
    # before the cut and what the last card holds are kept, and the warning says the last value may be short.
    path = tmp_path / "cut.vcf"
    path.write_bytes(b"BEGIN:VCARD\r\nVERSION:2.1\r\nN:Whole;Wanda\r\nEND:VCARD\r\n"
                     b"BEGIN:VCARD\r\nVERSION:2.1\r\nN:Testperson;Cut;;Dr.\r\nTEL;CELL:07700 900311\r\n"
                     b"NOTE;CHARSET=utf-8;ENCODING=QUOTED-PRINTABLE:Caf=C3=A9 on Tuesdays =C3=\r\n")
    hub = tmp_path / "hub"
    assert run_cli("--data-dir", hub, "init", "--hub-name", "Cut")[0] == 0
    code, out, err = run_cli("--data-dir", hub, "vcard", "import", path, "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["added"] == 2 and summary["problems"] == []
    assert {"row": 2, "field": "END", "message": "the file ends before this card's END:VCARD line (the file looks "
            "cut off): what the card holds was imported, but its last value may be incomplete; please check it"} \
        in summary["warnings"]
    db = Database.open(hub)
    try:
        people, _ = people_of(db)
    finally:
        db.close()
    cut = people["Dr. Cut Testperson"]
    assert cut["phones"] == [{"label": "mobile", "value": "07700 900311"}]
    assert cut["notes"].startswith("Café on Tuesdays")
    assert "Wanda Whole" in people


def test_empty_structured_values_are_ignored() -> None:
    values = _one(_card("FN:Only Name", "N:;;;;", "ORG:;", "ADR:;;;;;;", "item1.ADR:;;;;;;", "TEL:"))
    assert values == {"display_name": "Only Name"}


# ---------- groups and labels ----------


def test_apple_group_cards_become_groups_with_members(db: Database) -> None:
    data = (_card("X-ADDRESSBOOKSERVER-KIND:group", "FN:Allotment Rota",
                  "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:aaaa-1", "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:bbbb-2",
                  "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:not-in-file")
            + _card("FN:Ann One", "N:One;Ann;;;", "UID:aaaa-1") + _card("FN:Bob Two", "N:Two;Bob;;;", "UID:bbbb-2"))
    rows = parse_vcards(data)
    summary = run_import(db, rows, ImportOptions())
    assert (summary.added, summary.groups_added, summary.memberships) == (2, 1, 2)
    assert "member not-in-file is not a card of this file; not added" in [w["message"] for w in summary.warnings]
    assert people_of(db)[1] == {"Allotment Rota": ["Ann One", "Bob Two"]}
    # A membership made by an import has the id every hub derives for that pair, so the same group card
    # imported at two hubs gives one membership per person, not two that both travel.
    with db.read() as session:
        memberships = session.exec(select(Membership)).all()
    assert len(memberships) == 2
    for m in memberships:
        assert m.id == pair_id("membership", {"group_id": m.group_id, "contact_id": m.contact_id},
                               REGISTRY["membership"].identity)


def test_custom_labels_in_every_form() -> None:
    values = _one(_card("FN:Label Test", "item1.TEL:07700 900001", "item1.X-ABLabel:Allotment",
                        "TEL;TYPE=x-Shed:07700 900002", "TEL;X-Label=Boat:07700 900003",
                        "TEL;TYPE=CELL:07700 900004", "TEL;TYPE=Mobile:07700 900005",
                        "item2.EMAIL:a@example.org", "item2.X-ABLabel:_$!<Work>!$_",
                        "X-ANDROID-CUSTOM:vnd.android.cursor.item/relation;Sam;14;;;;;;;;;;;;;",
                        "X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;Labby;1;;;;;;;;;;;;;",
                        "X-SOCIALPROFILE;type=twitter;x-user=labtest:https://twitter.com/labtest"))
    assert [p["label"] for p in values["phones"]] == ["Allotment", "Shed", "Boat", "mobile", "mobile"]
    assert values["emails"] == [{"label": "work", "value": "a@example.org"}]
    for kept in ("Spouse: Sam", "Nickname: Labby", "Social profile (twitter, labtest): https://twitter.com/labtest"):
        assert kept in values["notes"]


def test_standard_labels_exported_as_types() -> None:
    card = contact_to_vcard({"given_name": "A", "family_name": "B", "phones": [
        {"label": "mobile", "value": "1"}, {"label": "home fax", "value": "2"}, {"label": "Shed", "value": "3"}]})
    assert "TEL;TYPE=CELL:1" in card and "TEL;TYPE=HOME,FAX:2" in card and "item1.X-ABLabel:Shed" in card


def test_unused_properties_never_refuse() -> None:
    huge = base64.b64encode(b"\x00" * 300_000).decode()
    values = _one(_card("FN:Big Picture", f"PHOTO;ENCODING=b;TYPE=JPEG:{huge}", "KEY;ENCODING=b:" + huge[:5000],
                        "SOUND;VALUE=uri:http://example.invalid/s.wav", "X-CUSTOM-KEY;ENCODING=b:" + huge[:100],
                        "X-WEIRD;CHARSET=nonsense:\xff", "X-MS-CARDPICTURE:" + "y" * 200_000,
                        "X-HUGE-BLOB:" + "z" * 200_000))
    assert values == {"display_name": "Big Picture"}


def test_only_a_picture_is_said_not_refused(db: Database) -> None:
    rows = parse_vcards(_card("PHOTO;ENCODING=b;TYPE=JPEG:AAAA") + _card("FN:Real Person"))
    summary = run_import(db, rows, ImportOptions())
    assert (summary.added, summary.bad_rows, summary.empty) == (1, 0, 1)


def test_undecodable_needed_value_refuses_with_the_option_named() -> None:
    with pytest.raises(UserError, match="--encoding"):
        parse_vcards(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\x81\x8d\x8f\x90\r\nEND:VCARD\r\n")


# ---------- CSV ----------


def _rows(text: str, preset: str = "auto", encoding: str = "utf-8") -> list[Any]:
    table = csv_io.parse_csv(text.encode(encoding))
    rows = csv_mapping.table_to_rows(table, csv_mapping.suggest_mapping(table.headers, preset))
    for row in rows:
        check_row(row, "GB")
    return rows


@pytest.mark.parametrize("header", ["first_name,last_name,email,deceased", "FIRSTNAME,LASTNAME,EMAIL,DECEASED",
                                    "First Name,Last Name,Email,Deceased"])
def test_civicrm_header_spellings(header: str) -> None:
    body = "".join(f"Name{i},Family{i},p{i}@example.org,{1 if i == 3 else 0}\n" for i in range(1, 17))
    rows = _rows(header + "\n" + body, preset="civicrm")
    assert [r.values["given_name"] for r in rows] == [f"Name{i}" for i in range(1, 17)]
    assert rows[0].values["family_name"] == "Family1" and rows[0].values["emails"][0]["value"] == "p1@example.org"
    assert "notes" not in rows[0].values  # Deceased: 0 says nothing
    assert rows[2].values["notes"] == f"{header.split(',')[3]}: 1"


@pytest.mark.parametrize(("header", "notes"), [
    ("Member First Name,Member Surname,Carer's email", "Carer's email: carer@example.org"),
    ("Main Contact Forename,Main Contact LastName,Next of kin first name", "Next of kin first name: Kin"),
])
def test_names_qualified_by_whose_they_are(header: str, notes: str) -> None:
    # Import templates name the person a row is about ("Player First Name"); when no column is a plain name, the
    # first of those is the person's name, and the others (a carer's, a parent's) stay in the notes.
    row = "Ola,Testperson,carer@example.org" if "Carer" in header else "Ola,Testperson,Kin"
    [values] = [r.values for r in _rows(header + "\n" + row + "\n")]
    assert values["given_name"] == "Ola" and values["family_name"] == "Testperson"
    assert values["notes"] == notes and "emails" not in values


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_found_for_any_line_ending(newline: str, delimiter: str) -> None:
    text = newline.join(delimiter.join(cells) for cells in (["First Name", "Last Name", "Email"],
                                                          ["Ann", "One", "a@example.org"],
                                                          ["Bob", "Two", "b@example.org"])) + newline
    rows = _rows(text)
    assert [(r.values["given_name"], r.values["emails"][0]["value"]) for r in rows] == [
        ("Ann", "a@example.org"), ("Bob", "b@example.org")]


def test_label_and_value_column_families_keep_their_labels() -> None:
    rows = _rows("Given Name,Family Name,Phone 1 - Type,Phone 1 - Value,Website 1 - Label,Website 1 - Value,"
                 "Relation 1 - Label,Relation 1 - Value,Event 1 - Label,Event 1 - Value,Custom Field 2 - Label,"
                 "Custom Field 2 - Value\n"
                 "Ann,One,CELL,07700 900001,Blog,https://example.org,Manager,Sam Boss,Birthday,0/0/00,Ward,East\n")
    values = rows[0].values
    assert values["phones"] == [{"label": "mobile", "value": "07700 900001"}]
    assert values["notes"] == "Website (Blog): https://example.org\nManager: Sam Boss\nWard: East"


def test_multi_value_cells_are_split() -> None:
    rows = _rows('First Name,Last Name,E-mail 1 - Value,Phone 1 - Value,Labels,Tags\n'
                 'Ann,One,a@example.org ::: b@example.org,07700 900001 ::: 07700 900002,'
                 '"""Volunteers"",""Food bank""","x; y"\n')
    values = rows[0].values
    assert [e["value"] for e in values["emails"]] == ["a@example.org", "b@example.org"]
    assert [p["value"] for p in values["phones"]] == ["07700 900001", "07700 900002"]
    assert values["tags"] == ["Volunteers", "Food bank", "x", "y"]


@pytest.mark.parametrize("empty", ["0/0/00", "00/00/0000", "0000-00-00", "", "1/1/1601"])
def test_empty_dates_write_nothing(empty: str) -> None:
    rows = _rows(f"First Name,Last Name,Birthday,Anniversary\nAnn,One,{empty},{empty}\n", preset="outlook")
    assert "notes" not in rows[0].values


def test_line_breaks_in_cells_stored_as_newlines() -> None:
    rows = _rows('First Name,Last Name,Notes\r\nAnn,One,"a\r\nb\rc"\r\n')
    assert rows[0].values["notes"] == "a\nb\nc"


def test_every_column_mapped_kept_in_notes_or_named() -> None:
    table = csv_io.parse_csv(b"Contact ID,First Name,Last Name,Shoe Size,Address 1 - Formatted\n"
                             b"17,Ann,One,5,1 Road\n")
    mapping = csv_mapping.suggest_mapping(table.headers, "google")
    [row] = csv_mapping.table_to_rows(table, mapping)
    assert row.values["notes"] == "Contact ID: 17\nShoe Size: 5"
    assert csv_mapping.column_fates(table, mapping) == [("Contact ID", "kept in notes"), ("Shoe Size", "kept in notes"),
                                                   ("Address 1 - Formatted", "not imported")]
    assert [w.text() for w in csv_mapping.file_warnings(table, mapping)] \
        == ["Address 1 - Formatted: column not imported"]


def test_preamble_and_sep_hint() -> None:
    table = csv_io.parse_csv(b"sep=|\nExported 2026-01-01\n\nFirst Name|Last Name\nAnn|One\n")
    assert table.delimiter == "|" and table.headers == ["First Name", "Last Name"] and table.skipped == [2]
    assert table.rows == [(5, ["Ann", "One"])]
