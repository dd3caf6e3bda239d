"""The same bundle file imported twice (a stick plugged in again, a synced folder read again): recognised by its
bundle id and the SHA-256 of its bytes, its records are not read again, and nothing changes either way."""

from __future__ import annotations

from pathlib import Path

import pytest

from oursociety_desktop.models.clock import wall_clock_ms
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.merge import BundleMerger
from oursociety_desktop.services.exchange import import_bundle
from tests.exchange.exchange_helpers import add_contact, contact_row, dump_text, edit_contact, export_to, make_hub


@pytest.fixture
def pair(tmp_path: Path):  # type: ignore[no-untyped-def]
    a, b = make_hub(tmp_path, "A"), make_hub(tmp_path, "B")
    yield a, b
    a.close()
    b.close()


def refuse_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    def read(*_args: object) -> None:
        raise AssertionError("the records of a file merged before were read again")
    monkeypatch.setattr(BundleMerger, "merge_batch", read)


def test_the_same_file_again_is_not_read_and_changes_nothing(pair: tuple[Database, Database], tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = pair
    cid = add_contact(a, given_name="Zofia", family_name="Nowak")
    add_contact(a, given_name="Tomás", family_name="Ó Briain")
    bundle = export_to(a, tmp_path / "a.oursociety").path
    first = import_bundle(b, bundle, backup=False, trust_new_hub=True)
    assert first.report.counts["contact"].new == 2
    edit_contact(b, cid, given_name="Zosia")  # an edit here after the first import stays
    before = dump_text(b)
    refuse_reading(monkeypatch)
    preview = import_bundle(b, bundle, dry_run=True)
    again = import_bundle(b, bundle, backup=False)
    for result in (preview, again):
        assert result.changes == 0 and result.report.counts["contact"].unchanged == 2
    assert dump_text(b) == before and contact_row(b, cid)["given_name"] == "Zosia"


def test_a_new_file_with_the_same_records_is_read(pair: tuple[Database, Database], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = pair
    add_contact(a, given_name="Zofia", family_name="Nowak")
    import_bundle(b, export_to(a, tmp_path / "one.oursociety").path, backup=False, trust_new_hub=True)
    refuse_reading(monkeypatch)
    with pytest.raises(AssertionError, match="read again"):  # another bundle id: merged record by record
        import_bundle(b, export_to(a, tmp_path / "two.oursociety").path, backup=False)


def test_a_file_that_left_records_in_quarantine_is_read_again(pair: tuple[Database, Database], tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = pair
    import oursociety_desktop.models.database as database_module
    real = database_module.HybridLogicalClock

    class Ahead(real):  # type: ignore[misc, valid-type]
        def __init__(self, hub_id: str, last: str | None = None) -> None:
            super().__init__(hub_id, last, wall=lambda: wall_clock_ms() + 3 * 24 * 3600 * 1000)

    monkeypatch.setattr(database_module, "HybridLogicalClock", Ahead)
    add_contact(a, given_name="Ada")
    monkeypatch.setattr(database_module, "HybridLogicalClock", real)
    bundle = export_to(a, tmp_path / "ahead.oursociety").path
    assert import_bundle(b, bundle, backup=False, trust_new_hub=True).report.far_future == 1
    refuse_reading(monkeypatch)
    with pytest.raises(AssertionError, match="read again"):  # its quarantined records get their chance again
        import_bundle(b, bundle, backup=False)
