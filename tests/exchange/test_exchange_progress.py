"""A bundle import reports progress through its last steps too (issue 20: at least every 0.5 s, Cancel answered
within 1 s): checking the pairs' derived ids after the merge, and after the search index's last chunk; a Cancel
there leaves the hub as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from oursociety_desktop.models import groups
from oursociety_desktop.models.errors import Cancelled
from oursociety_desktop.services.exchange import import_bundle
from tests.exchange.exchange_helpers import add_contact, dump_text, export_to, make_hub


@pytest.fixture
def bundle_with_pairs(tmp_path: Path) -> Path:
    source = make_hub(tmp_path, "Source")
    people = [add_contact(source, given_name=f"Person {n}") for n in range(12)]
    with source.write() as tx:
        group = groups.create_group(tx, {"name": "Choir"}).id
        for person in people:
            groups.add_member(tx, group, person)
    path = tmp_path / "pairs.oursociety"
    export_to(source, path)
    source.close()
    return path


def test_the_steps_after_the_merge_report_progress(tmp_path: Path, bundle_with_pairs: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import oursociety_desktop.models.references as references

    monkeypatch.setattr(references, "FOLD_TICK", 5)  # a report every 5 pairs checked, as every 10,000 at 100k
    target = make_hub(tmp_path, "Target")
    said: list[str] = []
    import_bundle(target, bundle_with_pairs, backup=False, trust_new_hub=True,
                  progress=lambda _percent, message: said.append(message) is None)
    # One report for the memberships' batch, then the merge's last steps: the 12 pairs' derived ids checked
    # (a report before, and after every 5), the erasure rules, the index after its last chunk too; then the commit.
    assert said.count("Merging membership records") == 1 + 1 + 12 // 5
    first_check = said.index("Merging membership records") + 1
    assert said[first_check:] == ["Merging membership records"] * 3 + ["Merging contact records"] + \
        ["Building the search index"] * 2 + ["Done"]
    target.close()


def test_a_cancel_while_pairs_are_checked_leaves_the_hub_as_it_was(tmp_path: Path, bundle_with_pairs: Path) -> None:
    target = make_hub(tmp_path, "Target")
    before = dump_text(target)
    seen: list[str] = []

    def cancel_in_finish(_percent: int, message: str) -> bool:
        seen.append(message)
        return seen.count("Merging membership records") < 2  # the first report of the pairs' check: Cancel

    with pytest.raises(Cancelled):
        import_bundle(target, bundle_with_pairs, backup=False, trust_new_hub=True, progress=cancel_in_finish)
    assert dump_text(target) == before
    target.close()


def test_a_big_bundle_is_merged_with_the_cycle_collector_paused_and_it_runs_again_after(
        tmp_path: Path, bundle_with_pairs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    import oursociety_desktop.services.exchange as exchange

    target = make_hub(tmp_path, "Target")
    enabled: list[bool] = []

    def note(_percent: int, _message: str) -> bool:
        enabled.append(gc.isenabled())
        return True

    import_bundle(target, bundle_with_pairs, backup=False, trust_new_hub=True, progress=note)
    assert all(enabled)  # a small bundle: no pause, and no full collection to pay at its end
    monkeypatch.setattr(exchange, "GC_PAUSE_RECORDS", 10)  # the pairs' bundle counts as big now
    enabled.clear()
    again = make_hub(tmp_path, "Again")
    import_bundle(again, bundle_with_pairs, backup=False, trust_new_hub=True, progress=note)
    assert False in enabled and gc.isenabled()
    cancelled = make_hub(tmp_path, "Cancelled")
    with pytest.raises(Cancelled):
        import_bundle(cancelled, bundle_with_pairs, backup=False, trust_new_hub=True,
                      progress=lambda _percent, message: not message.startswith("Merging"))
    assert gc.isenabled()  # a Cancel leaves the collector running
