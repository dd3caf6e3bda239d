"""Stamps that cannot be pushed around: the clock never writes a stamp it could not read back, whatever it observes
or the system clock says; the creator of a record is the hub of its creation stamp; an old bundle arriving after a
"take theirs" does not reopen the conflict."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from oursociety_desktop.formats.bundle import SIGNATURE_KEY, signed_bytes
from oursociety_desktop.models.clock import MAX_WALL_MS, HybridLogicalClock, Stamp, is_stamp
from oursociety_desktop.models.conflicts import list_conflicts, resolve_conflict
from oursociety_desktop.models.signing import sign
from oursociety_desktop.services.exchange import import_bundle
from tests.exchange.exchange_helpers import add_contact, contact_row, dump_text, edit_contact, export_to, make_hub, send

walls = st.one_of(st.integers(0, 10**14), st.just(MAX_WALL_MS), st.just(9_999_999_999_999), st.integers(-10, 10))
remote = st.builds(lambda ms, counter, hub: Stamp(ms, counter, hub).encode(),
                   st.one_of(st.integers(0, 9_999_999_999_999), st.just(9_999_999_999_999)),
                   st.one_of(st.integers(0, 0xFFFFFF), st.just(0xFFFFFF)), st.sampled_from(["h1", "h2", "zz"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(walls, st.one_of(st.none(), remote)), min_size=1, max_size=40))
def test_no_input_makes_the_clock_write_an_unreadable_or_repeated_stamp(steps) -> None:
    moments = iter([w for w, _ in steps] * 2)
    clock = HybridLogicalClock("me", wall=lambda: max(0, next(moments, 0)))
    issued: list[str] = []
    for _wall, seen in steps:
        if seen is not None and is_stamp(seen):
            clock.observe(seen)
        stamp = clock.now()
        assert is_stamp(stamp), stamp
        assert Stamp.decode(stamp).encode() == stamp
        assert not issued or stamp > issued[-1]
        issued.append(stamp)


def test_a_misstated_origin_hub_does_not_stick(tmp_path: Path) -> None:
    a, b, c = (make_hub(tmp_path, n) for n in ("A", "B", "C"))
    cid = add_contact(a, given_name="Origin")
    path = tmp_path / "a.oursociety"
    export_to(a, path)
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    [record] = [json.loads(line) for line in members["records/contact.jsonl"].splitlines()]
    record["origin_hub"] = "someone-else"
    members["records/contact.jsonl"] = (json.dumps(record) + "\n").encode()
    import hashlib
    manifest = json.loads(members["manifest.json"])
    data = members["records/contact.jsonl"]
    manifest["members"]["records/contact.jsonl"] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    manifest[SIGNATURE_KEY] = sign(a.signing_key, signed_bytes(manifest))
    with zipfile.ZipFile(tmp_path / "misstated.oursociety", "w") as zf:
        for name, body in members.items():
            zf.writestr(name, json.dumps(manifest) if name == "manifest.json" else body)
    import_bundle(b, tmp_path / "misstated.oursociety", backup=False, trust_new_hub=True)
    send(a, c, tmp_path)
    assert contact_row(b, cid)["origin_hub"] == contact_row(c, cid)["origin_hub"] == a.hub_id
    assert dump_text(b) == dump_text(c)
    for db in (a, b, c):
        db.close()


def test_an_old_bundle_after_take_theirs_does_not_reopen_the_conflict(tmp_path: Path) -> None:
    a, b = make_hub(tmp_path, "A"), make_hub(tmp_path, "B")
    cid = add_contact(a, given_name="Ada", notes="start")
    send(a, b, tmp_path)
    edit_contact(a, cid, notes="from A")
    edit_contact(b, cid, notes="from B")
    old_from_a = tmp_path / "old-from-a.oursociety"
    old_from_b = tmp_path / "old-from-b.oursociety"
    export_to(a, old_from_a)
    export_to(b, old_from_b)
    import_bundle(a, old_from_b, backup=False, trust_new_hub=True)
    import_bundle(b, old_from_a, backup=False, trust_new_hub=True)
    with a.read() as session:
        [conflict] = list_conflicts(session)
    with a.write() as tx:
        resolve_conflict(tx, conflict.id, "theirs")
    send(a, b, tmp_path)
    # The bundles made before the resolution arrive again (a replayed stick): nothing reopens, at either hub.
    for db, old in ((a, old_from_b), (b, old_from_a), (a, old_from_a), (b, old_from_b)):
        if old.name.endswith(f"{db.hub_name.lower()}.oursociety"):
            continue
        assert import_bundle(db, old, backup=False, trust_new_hub=True).report.new_conflicts == 0
    for db in (a, b):
        with db.read() as session:
            assert list_conflicts(session) == []
    assert dump_text(a) == dump_text(b)
    a.close()
    b.close()


