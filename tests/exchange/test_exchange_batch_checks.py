"""The bundle merge tells the usual batch valid a key at a time over the whole batch, and the reader parses the usual
line with JSON's scanner directly; these hold both to the record-by-record checks and to `json.loads`: the same
records accepted, the same first fault named with the same line, the same values read."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oursociety_desktop.formats import bundle_lines
from oursociety_desktop.formats.bundle import parse_record_line
from oursociety_desktop.models.contacts import MAX_TEXT, erased_values
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.incoming import (
    MAX_LIST,
    check_batch_values,
    check_envelope,
    check_values,
    envelopes_plainly_valid,
    field_kinds,
)
from oursociety_desktop.models.merge_quarantine import _none_beyond
from oursociety_desktop.models.registry import REGISTRY, RecordType

STAMP = "1796080665487.000011.80bbb2cf-f9a2-4f61-8778-190392f20235"
_TYPES = [REGISTRY["contact"], REGISTRY["membership"], REGISTRY["hours_total"], REGISTRY["action"]]

# Values of every kind, valid and not: the kinds' edges (longest text and list), other kinds, and JSON's oddities.
_JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(-10**10, 10**10), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=5), st.just("x" * (MAX_TEXT + 1)), st.just("x" * MAX_TEXT),
    st.lists(st.text(max_size=3), max_size=3), st.just(["w"] * (MAX_LIST + 1)), st.just(["w" * 1001]),
    st.lists(st.fixed_dictionaries({"label": st.text(max_size=3), "value": st.text(max_size=3)}), max_size=2),
    st.just([{"label": "a"}]), st.just([{"label": "a", "value": "b", "x": "c"}]), st.just([{"label": 1, "value": "b"}]),
    st.just([{"label": "a", "value": "b"}, "c"]), st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
)


def _record(declared: RecordType, n: int) -> dict[str, Any]:
    defaults = declared.defaults()
    record: dict[str, Any] = {"id": f"r{n}", "origin_hub": "h", "base_stamp": STAMP, "stamps": {}}
    record.update({name: defaults[name] for name in declared.outgoing_fields})
    return record


def _first_fault(check: Any, records: list[dict[str, Any]]) -> str | None:
    try:
        for record in records:
            check(record)
    except UserError as exc:
        return str(exc)
    return None


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_TYPES), st.integers(1, 4), st.data())
def test_a_batch_passes_or_fails_as_its_records_one_by_one(declared: RecordType, size: int, data: Any) -> None:
    records = [_record(declared, n) for n in range(size)]
    kinds = field_kinds(declared)
    for _ in range(data.draw(st.integers(0, 3))):  # a few fields changed, some to a value of their own kind
        record = data.draw(st.sampled_from(records))
        name, _kind = data.draw(st.sampled_from(kinds))
        if data.draw(st.booleans()):
            record[name] = data.draw(_JUNK)
        else:
            record.pop(name, None)
    if declared.name == "contact" and data.draw(st.booleans()):  # an erasure, wiped or not
        record = records[-1]
        record.update(erased=True, deleted=data.draw(st.booleans()))
        if data.draw(st.booleans()):
            record.update(erased_values())
    expected = _first_fault(lambda record: check_values(declared, record), records)
    try:
        check_batch_values(declared, records)
    except UserError as exc:
        assert str(exc) == expected
    else:
        assert expected is None


_EDGES: list[Any] = [
    None, True, 0, 1.5, -1e10, float("nan"), float("inf"), "", "x" * MAX_TEXT, "x" * (MAX_TEXT + 1), [], ["w"],
    ["w"] * MAX_LIST, ["w"] * (MAX_LIST + 1), ["w" * 1000], ["w" * 1001], [1], [None], [["w"]],
    [{"label": "a", "value": "b"}], [{"label": "a"}], [{"label": "a", "value": "b", "x": "c"}],
    [{"label": "a", "x": "b"}], [{"label": 1, "value": "b"}], [{"label": "a", "value": "b" * 1001}],
    [{"label": "a", "value": "b"}, "c"], {}, {"a": 1},
]


@pytest.mark.parametrize("declared", _TYPES, ids=lambda declared: declared.name)
def test_every_field_at_every_edge_is_told_as_alone(declared: RecordType) -> None:
    for name, _kind in field_kinds(declared):
        for value in [*_EDGES, ...]:
            records = [_record(declared, 0), _record(declared, 1)]
            if value is ...:
                del records[1][name]
            else:
                records[1][name] = value
            expected = _first_fault(lambda record: check_values(declared, record), records)
            try:
                check_batch_values(declared, records)
            except UserError as exc:
                assert str(exc) == expected, (name, value)
            else:
                assert expected is None, (name, value)


_STAMPISH = st.one_of(st.just(STAMP), st.just("9000000000000.000000.h"), st.just("9000000000001.000000.h"),
                      st.just("\u0661" * 13 + ".000000.h"), st.just("1796080665487.00001g.h"),
                      st.just("1796080665487.000011." + "h" * 65), st.just("1796080665487.000011.h\n"), _JUNK)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 3), st.data())
def test_a_batch_of_envelopes_passes_only_if_each_does(size: int, data: Any) -> None:
    carried = {"given_name", "notes"}
    records = [{"id": f"r{n}", "origin_hub": "h", "base_stamp": STAMP, "stamps": {}} for n in range(size)]
    for _ in range(data.draw(st.integers(0, 2))):
        record = data.draw(st.sampled_from(records))
        key = data.draw(st.sampled_from(["id", "origin_hub", "base_stamp", "stamps"]))
        choice = data.draw(st.integers(0, 3))
        if choice == 0:
            record.pop(key, None)
        elif choice == 1:
            record[key] = data.draw(st.one_of(_STAMPISH, st.just(""), st.just("i" * 65), st.sampled_from(
                ["r0\n", "r 0", "r\u202e0", "r\u00a0", "r\u00e9"])))
        else:
            name = data.draw(st.sampled_from(["given_name", "notes", "private_notes", "x"]))
            record["stamps"] = {name: data.draw(_STAMPISH)}
    fault = _first_fault(lambda record: check_envelope("contact", carried, [], record), records)
    if envelopes_plainly_valid(carried, records):
        assert fault is None


@pytest.mark.parametrize("stamps", [
    ["1796080665487.000011.h"], ["9999999999999.000000.h"], ["1796080665487.000011.h", "\u0661" * 13 + ".000000.h"],
    ["\u0669" * 13 + ".000000.h", "9999999999999.000000.h"],
])
def test_the_batch_far_future_check_agrees_with_each_records(stamps: list[str]) -> None:
    records = [{"id": str(n), "base_stamp": stamp, "stamps": {}} for n, stamp in enumerate(stamps)]
    limit = 1796080665487 + 10
    if _none_beyond(records, limit):
        assert all(int(r["base_stamp"][:13]) <= limit for r in records)


def _careful(line: bytes) -> Any:
    """What parse_record_line gives when its fast way declines (a stand-in forcing the careful way)."""
    saved = bundle_lines._plain_record
    bundle_lines._plain_record = lambda line: None  # type: ignore[assignment]
    try:
        return parse_record_line(line, "records/contact.jsonl", 7)
    except UserError as exc:
        return str(exc)
    finally:
        bundle_lines._plain_record = saved


def _read(line: bytes) -> Any:
    try:
        return parse_record_line(line, "records/contact.jsonl", 7)
    except UserError as exc:
        return str(exc)


_TAILS = [b"", b" ", b"\n", b"\t ", b"x", b"{}", b",{}", b"]", b"\x00"]
_HEADS = [b"", b" ", b"\xef\xbb\xbf", b"[", b"\x00"]


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.text(max_size=4), st.one_of(st.text(max_size=6), st.integers(), st.floats(),
                                                      st.lists(st.text(max_size=3), max_size=2)), max_size=3),
       st.sampled_from(_HEADS), st.sampled_from(_TAILS), st.booleans())
def test_a_plain_line_reads_as_the_careful_way_reads_it(record: dict[str, Any], head: bytes, tail: bytes,
                                                        ascii_only: bool) -> None:
    body = json.dumps(record, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    line = head + body + tail
    got, expected = _read(line), _careful(line)
    assert repr(got) == repr(expected)  # NaN is not equal to itself: compared as text


@pytest.mark.parametrize("line", [
    b'{"a": NaN}', b'{"a": 1e999}', b'{"a": ' + b"1" * 5000 + b"}", b'{"a": [' * 3000 + b"]" * 3000 + b"}",
    b'{"a": 1}{"b": 2}', b'{"a": "\xff"}', b'{"a": "\\ud800"}', b'{\x00"a": 1}', b"null", b"[1]", b'"{"',
    b'{"a": "e\xcc\x81"}', b'{"a": "\\n\xcc\x81"}', b'{"a": 1} ',
])
def test_odd_lines_read_or_fail_alike(line: bytes) -> None:
    got, expected = _read(line), _careful(line)
    assert repr(got) == repr(expected)
