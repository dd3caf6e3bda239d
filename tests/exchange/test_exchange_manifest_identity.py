"""The manifest's hub ids and clocks are checked for what they are, since a hub keeps and passes them on.

Before, `clock`, `since` and `for_hub` were any text of up to 120 characters and the source hub's id any text of up
to 64: a bundle signed by a trusted hub whose `clock` was not a stamp imported, its clock became this hub's
knowledge of that hub, and from then on every bundle this hub wrote carried it in its knowledge vector, which every
reader refuses ("not valid (knowledge vector)"): one bundle silenced the hub for the whole network. A hub id with a
line break or a space was accepted as a new hub and printed over two lines.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from oursociety_desktop.cli import main
from oursociety_desktop.formats.bundle import MANIFEST
from oursociety_desktop.models.clock import is_stamp
from oursociety_desktop.services.exchange import import_bundle
from tests.exchange.exchange_helpers import add_contact, export_to, file_hash, introduce, make_hub
from tests.exchange.test_exchange_format_two import members_of, repack


def resigned(path: Path, out: Path, key: str, change: Callable[[dict[str, Any]], None]) -> Path:
    """`path` with its manifest changed by `change` and signed again with `key` (the genuine hub's own key)."""
    out.write_bytes(repack(members_of(path), key, change))
    return out


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(manifest: dict[str, Any]) -> None:
        manifest[key] = value
    return change


def _set_hub(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(manifest: dict[str, Any]) -> None:
        manifest["source_hub"][key] = value
    return change


CASES = [
    ("clock", _set("clock", "not a stamp at all")),
    ("clock", _set("clock", "9999999999999.000000.x")),  # beyond the year 2255
    ("clock", _set("clock", "1796000000000.000000.two words")),
    ("clock", _set("clock", "\u0661" * 13 + ".000000.x")),  # Arabic-Indic digits: above every real stamp as text
    ("since", _set("since", "yesterday")),
    ("since", _set("since", "\u0661" * 13 + ".000000.")),
    ("format version", _set("version", "\u0662.\u0660")),
    ("format version", _set("version", "2.0\n")),
    ("for_hub", _set("for_hub", "a hub\nid")),
    ("source hub", _set_hub("id", "evil\nsecond line")),
    ("source hub", _set_hub("id", "has a space")),
    ("bundle_id", _set("bundle_id", "../../x y")),
    ("created_at", _set("created_at", "2026-12-01\n  note: trust me")),
    ("hub incarnation", _set_hub("incarnation", "one\ttwo")),
]


@pytest.mark.parametrize(("what", "change"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_a_signed_manifest_with_a_malformed_id_or_clock_is_refused_in_one_line(tmp_path: Path, capsys, what: str,
                                                                               change) -> None:
    source, target = make_hub(tmp_path, "Source"), make_hub(tmp_path, "Target")
    introduce(source, target)
    add_contact(source, given_name="Ada")
    genuine = export_to(source, tmp_path / "genuine.oursociety").path
    forged = resigned(genuine, tmp_path / "forged.oursociety", source.signing_key, change)
    before = file_hash(target)
    code = main(["--data-dir", str(target.path.parent), "import", "--trust-new-hub", str(forged)])
    assert code == 1
    assert capsys.readouterr().err == (f"oursociety: The manifest of forged.oursociety is not valid ({what}); the "
                                       "bundle is damaged or not a hub bundle.\n")
    assert file_hash(target) == before


def test_a_knowledge_entry_that_is_no_stamp_is_left_out_of_what_the_hub_writes(tmp_path: Path) -> None:
    """A hub that took such a clock before the check keeps writing bundles its peers read."""
    source, target = make_hub(tmp_path, "Source"), make_hub(tmp_path, "Target")
    introduce(source, target)
    add_contact(target, given_name="Bea")
    with target.write() as tx:
        tx.session.connection().execute(text("INSERT INTO known_stamp (hub_id, stamp) VALUES (:h, 'not a stamp')"),
                                        {"h": source.hub_id})
        tx.session.connection().execute(text("INSERT INTO known_stamp (hub_id, stamp) VALUES ('third hub', "
                                             "'1796000000000.000000.third')"))
    path = export_to(target, tmp_path / "from-target.oursociety").path
    with zipfile.ZipFile(path) as zf:
        assert json.loads(zf.read(MANIFEST))["knowledge"] == {}
    result = import_bundle(source, path, backup=False)
    assert result.report.counts["contact"].new == 1
    # and the entry moves again with the next bundle it takes from that hub, so it acknowledges it again
    add_contact(source, given_name="Cy")
    import_bundle(target, export_to(source, tmp_path / "from-source.oursociety").path, backup=False)
    with target.read() as session:
        held = session.connection().execute(text("SELECT stamp FROM known_stamp WHERE hub_id = :h"),
                                            {"h": source.hub_id}).scalar()
    assert is_stamp(held), held


def test_the_same_bundle_signed_again_unchanged_or_with_an_empty_clock_imports(tmp_path: Path) -> None:
    """The checks above refuse what they are about, not every bundle signed again (an introduction's clock is
    empty)."""
    source, target = make_hub(tmp_path, "Source"), make_hub(tmp_path, "Target")
    introduce(source, target)
    add_contact(source, given_name="Ada")
    genuine = export_to(source, tmp_path / "genuine.oursociety").path
    same = resigned(genuine, tmp_path / "same.oursociety", source.signing_key, lambda manifest: None)
    assert import_bundle(target, same, backup=False).report.counts["contact"].new == 1
    no_clock = resigned(genuine, tmp_path / "no-clock.oursociety", source.signing_key, _set("clock", ""))
    assert import_bundle(target, no_clock, backup=False).report.counts["contact"].unchanged == 1
