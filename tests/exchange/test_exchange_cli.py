"""The exchange commands as a user runs them: export, import (--dry-run, --json), sync, conflicts, dump."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_helpers import run


@pytest.fixture
def two_hubs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    a, b = tmp_path / "a", tmp_path / "b"
    run(capsys, "--data-dir", a, "init", "--hub-name", "Alpha")
    run(capsys, "--data-dir", b, "init", "--hub-name", "Beta")
    return a, b


def add(capsys: pytest.CaptureFixture[str], hub: Path, given: str) -> str:
    code, out, err = run(capsys, "--data-dir", hub, "contact", "add", "--given", given, "--share")
    assert code == 0, err
    return out.strip().split()[-1]


def test_export_import_dry_run_json_and_dump(two_hubs, tmp_path, capsys) -> None:
    a, b = two_hubs
    add(capsys, a, "Ngozi")
    bundle = tmp_path / "a.oursociety"
    code, out, _ = run(capsys, "--data-dir", a, "export", bundle)
    assert code == 0 and "full bundle" in out
    code, out, _ = run(capsys, "--data-dir", b, "import", bundle, "--dry-run", "--json")
    preview = json.loads(out)
    assert code == 0 and preview["dry_run"] and preview["counts"]["contact"]["new"] == 1
    assert preview["source"] == "new hub"
    _, dump_b, _ = run(capsys, "--data-dir", b, "dump")
    assert "Ngozi" not in dump_b  # dry run changed nothing
    code, out, _ = run(capsys, "--data-dir", b, "import", bundle, "--trust-new-hub")
    assert code == 0 and "Imported" in out and "1 change;" in out
    code, out, _ = run(capsys, "--data-dir", b, "import", bundle, "--json", "--trust-new-hub")
    assert json.loads(out)["changes"] == 0
    assert run(capsys, "--data-dir", a, "dump")[1] == run(capsys, "--data-dir", b, "dump")[1]


def test_delta_for_hub_and_passphrase_file(two_hubs, tmp_path, capsys) -> None:
    a, b = two_hubs
    add(capsys, a, "First")
    _, hub_json, _ = run(capsys, "--data-dir", b, "hub", "--json")
    b_id = json.loads(hub_json)["id"]
    secret = tmp_path / "pass.txt"
    secret.write_text("river stones and moss\n", encoding="utf-8")
    first, second = tmp_path / "1.oursociety", tmp_path / "2.oursociety"
    code, out, _ = run(capsys, "--data-dir", a, "export", first, "--for-hub", b_id, "--passphrase-file", secret,
                       "--json")
    assert code == 0 and json.loads(out)["kind"] == "full"  # B has acknowledged nothing yet
    code, _, err = run(capsys, "--data-dir", b, "import", first, "--trust-new-hub")
    assert code == 1 and "encrypted" in err
    assert run(capsys, "--data-dir", b, "import", first, "--passphrase-file", secret, "--trust-new-hub")[0] == 0
    reply = tmp_path / "reply.oursociety"  # B's bundle acknowledges what it has from A
    assert run(capsys, "--data-dir", b, "export", reply)[0] == 0
    assert run(capsys, "--data-dir", a, "import", reply, "--trust-new-hub")[0] == 0
    add(capsys, a, "Second")
    code, out, _ = run(capsys, "--data-dir", a, "export", second, "--for-hub", b_id, "--passphrase-file", secret,
                       "--json")
    assert code == 0 and json.loads(out)["kind"] == "delta" and json.loads(out)["counts"]["contact"] == 1
    assert run(capsys, "--data-dir", b, "import", second, "--passphrase-file", secret, "--trust-new-hub")[0] == 0
    _, listing, _ = run(capsys, "--data-dir", b, "contact", "list", "--json")
    assert {c["given_name"] for c in json.loads(listing)} >= {"First", "Second"}


def test_sync_folder_between_three_hubs(tmp_path, capsys) -> None:
    hubs = [tmp_path / n for n in ("a", "b", "c")]
    for hub in hubs:
        run(capsys, "--data-dir", hub, "init", "--hub-name", hub.name.upper())
        add(capsys, hub, f"From {hub.name}")
    folder = tmp_path / "usb"
    folder.mkdir()
    # First contact: a sync learns the other hubs' keys, imports nothing from them and says so with their
    # fingerprints; the organisers compare them and trust each other.
    for _ in range(2):
        for hub in hubs:
            code, out, err = run(capsys, "--data-dir", hub, "sync", folder)
            assert code == 0, err
    assert out.count("is not trusted yet") == 2 and "oursociety hub trust" in out
    ids = {hub: json.loads(run(capsys, "--data-dir", hub, "hub", "--json")[1]) for hub in hubs}
    for hub in hubs:
        for other in hubs:
            if other != hub:
                code, out, err = run(capsys, "--data-dir", hub, "hub", "trust", ids[other]["id"],
                                     "--fingerprint", ids[other]["fingerprint"])
                assert code == 0 and "now trusted" in out, err
    for _ in range(2):
        for hub in hubs:
            code, _, err = run(capsys, "--data-dir", hub, "sync", folder)
            assert code == 0, err
    dumps = {run(capsys, "--data-dir", hub, "dump")[1] for hub in hubs}
    assert len(dumps) == 1 and all(f"From {h.name}" in next(iter(dumps)) for h in hubs)
    # Converged: the acknowledgements settle within a few more rounds, after which a sync changes nothing, writes
    # nothing, and every hub has removed the bundles everyone acknowledged.
    for _ in range(4):
        written = []
        for hub in hubs:
            code, out, _ = run(capsys, "--data-dir", hub, "sync", folder, "--json")
            summary = json.loads(out)
            assert code == 0 and all(r["changes"] == 0 for r in summary["imported"])
            written.append(summary["written"])
        if written == [None, None, None]:
            break
    assert written == [None, None, None]
    code, out, _ = run(capsys, "--data-dir", hubs[0], "sync", folder, "--json")
    assert json.loads(out) == {"imported": [], "skipped": [], "written": None, "removed": [], "untrusted_hubs": [],
                               "not_for_this_hub": [], "unreachable_hubs": [], "introduction": None,
                               "clock_ahead_until": None, "erasures": 0, "people_erased": 0, "warnings": []}
    assert len(list(folder.glob("*.oursociety"))) <= 3 + 3  # a bundle and an introduction of each hub at most
    code, _, err = run(capsys, "--data-dir", hubs[0], "sync", tmp_path / "missing")
    assert code == 1 and "does not exist" in err


def test_conflicts_list_and_resolve(two_hubs, tmp_path, capsys) -> None:
    a, b = two_hubs
    cid = add(capsys, a, "Chidi")
    bundle = tmp_path / "a0.oursociety"
    run(capsys, "--data-dir", a, "export", bundle)
    run(capsys, "--data-dir", b, "import", bundle, "--trust-new-hub")
    run(capsys, "--data-dir", a, "contact", "edit", cid, "--set", "role=treasurer")
    run(capsys, "--data-dir", b, "contact", "edit", cid, "--set", "role=secretary")
    run(capsys, "--data-dir", b, "export", tmp_path / "b.oursociety")
    run(capsys, "--data-dir", a, "import", tmp_path / "b.oursociety", "--trust-new-hub")
    code, out, _ = run(capsys, "--data-dir", a, "conflicts", "--json")
    [conflict] = json.loads(out)
    assert code == 0 and conflict["ours_value"] == "secretary" and conflict["theirs_value"] == "treasurer"
    assert conflict["record_label"] == "Chidi"
    code, out, _ = run(capsys, "--data-dir", a, "conflicts")
    assert "role" in out and "treasurer" in out
    code, out, _ = run(capsys, "--data-dir", a, "conflicts", "resolve", conflict["id"], "--keep", "theirs")
    assert code == 0
    _, shown, _ = run(capsys, "--data-dir", a, "contact", "show", cid, "--json")
    assert json.loads(shown)["role"] == "treasurer"
    assert json.loads(run(capsys, "--data-dir", a, "conflicts", "--json")[1]) == []
    code, _, err = run(capsys, "--data-dir", a, "conflicts", "resolve", conflict["id"], "--keep", "ours")
    assert code == 1 and "already resolved" in err
    code, _, err = run(capsys, "--data-dir", a, "conflicts", "resolve", "999", "--keep", "ours")
    assert code == 1 and "No conflict" in err
