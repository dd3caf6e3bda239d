"""Every text a bundle brings is stored in Unicode normal form C, whether the line holds it decomposed, spelt out
as `\\u` escapes, or both; the reader normalises whole lines, so these tests hold it to the value-by-value rule."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from oursociety_desktop.formats.bundle import parse_record_line
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.search import search_contact_ids
from oursociety_desktop.models.text import nfc_values
from oursociety_desktop.services.exchange import import_bundle
from tests.exchange.exchange_helpers import add_contact, export_to, make_hub
from tests.exchange.test_exchange_format_two import members_of, repack

ZOE_NFD = "Zoe\u0308"
NGUYEN_NFD = unicodedata.normalize("NFD", "Nguyễn")

# Texts rich in what normalisation changes: combining marks, letters they compose with, Hangul jamo, quotes and
# backslashes next to them.
_TEXT = st.text(st.sampled_from("ae\u0301\u0308\u0323\u0302\u030co\u1100\u1161\u11a8\uac00\"\\u/\u00e9 \u05d0\u0627"
                                "\n\t\r\b\f\ud800"), max_size=12) | st.text(max_size=8)
_VALUE = st.recursive(_TEXT | st.booleans() | st.integers(-9, 9),
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
                      max_leaves=8)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.from_regex(r"[a-z]{1,6}", fullmatch=True), _VALUE, max_size=5), st.booleans())
def test_a_line_reads_as_its_values_in_normal_form_c(record: dict[str, Any], escape: bool) -> None:
    # Escapes of control characters (\n, \t...) beside marks, and surrogates as JSON reads them (encoded raw):
    # a line of either must read as its values, never be refused or left in another form.
    line = json.dumps(record, ensure_ascii=escape).encode("utf-8", "surrogatepass")
    assert parse_record_line(line, "records/contact.jsonl", 1) == nfc_values(record)


def test_the_three_spellings_of_one_letter_read_alike() -> None:
    raw = '{"n": "Zoe\u0308"}'.encode()
    escaped = b'{"n": "Zoe\\u0308"}'
    composed = '{"n": "Zo\u00eb"}'.encode()
    assert {parse_record_line(line, "m", 1)["n"] for line in (raw, escaped, composed)} == {"Zo\u00eb"}
    # A backslash before a "u" is text, not an escape: kept as it is.
    assert parse_record_line(b'{"path": "C:\\\\users\\\\zoe\\u0308"}', "m", 1)["path"] == "C:\\users\\zo\u00eb"


def test_an_escaped_letter_before_a_mark_is_not_composed_with_it() -> None:
    # `\n` then U+0301, written raw by the exporter: putting the whole line in NFC made the `n` of the escape an
    # "ń", and the line invalid JSON (every bundle of the hub refused).
    for note in ("Allergies:\n\u0301 (see file)", "a\t\u030cb", "line\r\u0301", "\u0308\b\f"):
        line = json.dumps({"notes": note}, ensure_ascii=False).encode()
        assert parse_record_line(line, "m", 1) == {"notes": note}


def test_a_line_with_an_encoded_surrogate_is_still_normalised() -> None:
    line = b'{"id": "x", "notes": "Zoe\xcc\x88", "later_field": "\xed\xa0\x80"}'
    assert parse_record_line(line, "m", 1) == {"id": "x", "notes": "Zo\u00eb", "later_field": "\ud800"}


@pytest.mark.parametrize("line", [b'{"n": "Zo\xe9"}', b'{"n": "Zoe\xcc"}', b'["Zoe\xcc\x88"]'])
def test_a_line_that_is_not_utf8_json_of_an_object_is_refused(line: bytes) -> None:
    with pytest.raises(UserError, match="Record 3 of m is not"):
        parse_record_line(line, "m", 3)


def test_decomposed_text_in_a_bundle_is_stored_composed(tmp_path: Path) -> None:
    new = make_hub(tmp_path, "New")
    add_contact(new, given_name="Zoe", family_name="Nguyen", tags=["choir"], notes="C:\\users")
    plain = tmp_path / "plain.oursociety"
    export_to(new, plain)
    members = members_of(plain)
    contact = json.loads(members["records/contact.jsonl"])
    contact.update(given_name=ZOE_NFD, tags=[NGUYEN_NFD], phones=[{"label": ZOE_NFD, "value": "0113 496 0000"}])
    # given_name and tags raw, family_name as escapes: one line mixing both spellings.
    line = json.dumps(contact, ensure_ascii=False).replace('"Nguyen"', '"Nguye\\u0302\\u0303n"')
    members["records/contact.jsonl"] = line.encode() + b"\n"
    bundle = tmp_path / "decomposed.oursociety"
    bundle.write_bytes(repack(members, new.signing_key))
    new.close()
    target = make_hub(tmp_path, "Target")
    import_bundle(target, bundle, backup=False, trust_new_hub=True)
    with target.engine.connect() as conn:
        row = conn.execute(text("SELECT given_name, family_name, tags, phones, notes FROM contact")).one()
        assert row[0] == "Zo\u00eb" and row[1] == "Nguy\u1ec5n"
        assert json.loads(row[2]) == ["Nguy\u1ec5n"] and json.loads(row[3])[0]["label"] == "Zo\u00eb"
        assert row[4] == "C:\\users"
        assert len(search_contact_ids(conn, "Zoë")) == len(search_contact_ids(conn, ZOE_NFD)) == 1
    target.close()


def test_a_note_with_a_mark_after_a_line_break_travels(tmp_path: Path) -> None:
    source, target = make_hub(tmp_path, "Source"), make_hub(tmp_path, "Target")
    note = "Allergies:\n\u0301 (see file)"  # NFC as it is: a mark after a line break composes with nothing
    add_contact(source, given_name="Zoë", notes=note)
    bundle = tmp_path / "out.oursociety"
    export_to(source, bundle)
    import_bundle(target, bundle, backup=False, trust_new_hub=True)
    with target.engine.connect() as conn:
        assert conn.execute(text("SELECT notes FROM contact")).scalar_one() == note
    source.close()
    target.close()
