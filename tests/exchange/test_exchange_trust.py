"""Key pinning and trust (issue case 1: anyone could speak for any hub).

Someone who can put a file in the shared folder rewrites an old bundle of hub A: a person erased, another's role
overwritten and stamped as the receiving hub's own edit. Whatever key they sign it with and whoever they claim to
be, the receiving hub changes nothing and says why.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from oursociety_desktop.cli import main
from oursociety_desktop.formats.bundle import MANIFEST, SIGNATURE_KEY, signed_bytes
from oursociety_desktop.models.clock import stamp_wall_ms
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.signing import new_signing_key, public_key_of, sign
from oursociety_desktop.models.trust import ForgedBundle, UntrustedHub, fingerprint, own_fingerprint
from oursociety_desktop.services.exchange import import_bundle
from oursociety_desktop.services.exchange_folder import sync_folder
from tests.exchange.exchange_helpers import add_contact, dump_text, export_to, file_hash, introduce, make_hub


def forge(original: Path, out: Path, *, key: str, hub_id: str | None = None, hub_name: str | None = None,
          edit: Any = None) -> Path:
    """Rewrite a bundle's records with `edit(type, record)`, fix its hashes and sign it with `key` (the forger's
    own), optionally claiming another hub."""
    with zipfile.ZipFile(original) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    manifest = json.loads(members[MANIFEST])
    for name in list(members):
        if name == MANIFEST or edit is None:
            continue
        record_type = name.removeprefix("records/").removesuffix(".jsonl")
        lines = [json.loads(line) for line in members[name].splitlines() if line.strip()]
        members[name] = b"".join(json.dumps(edit(record_type, r)).encode() + b"\n" for r in lines)
        manifest["members"][name] = {"sha256": hashlib.sha256(members[name]).hexdigest(), "size": len(members[name])}
    manifest["bundle_id"] = "forged-" + manifest["bundle_id"][:30]
    if hub_id is not None:
        manifest["source_hub"]["id"] = hub_id
    if hub_name is not None:
        manifest["source_hub"]["name"] = hub_name
    manifest["source_hub"]["signing_key"] = public_key_of(key)
    manifest.pop(SIGNATURE_KEY, None)
    manifest[SIGNATURE_KEY] = sign(key, signed_bytes(manifest))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in members.items():
            if name != MANIFEST:
                zf.writestr(name, data)
        zf.writestr(MANIFEST, json.dumps(manifest))
    out.write_bytes(buffer.getvalue())
    return out


@pytest.fixture
def network(tmp_path: Path):
    """Hubs A and B trust each other; B holds Ngozi (treasurer) and Priya from A's bundle."""
    a, b = make_hub(tmp_path, "A"), make_hub(tmp_path, "B")
    introduce(a, b)
    ngozi = add_contact(a, given_name="Ngozi", role="treasurer", phones=[{"label": "", "value": "07700 900111"}])
    priya = add_contact(a, given_name="Priya", emails=[{"label": "", "value": "priya@example.org"}])
    old = tmp_path / "a-old.oursociety"
    export_to(a, old)
    import_bundle(b, old, backup=False)
    yield a, b, old, ngozi, priya
    a.close()
    b.close()


def malicious_edit(b: Database, ngozi: str, priya: str):
    """Erase Priya as if A asked, and make Ngozi a 'thief' stamped as B's own later edit."""

    def edit(record_type: str, record: dict[str, Any]) -> dict[str, Any]:
        if record_type != "contact":
            return record
        later = str(stamp_wall_ms(record["base_stamp"]) + 60_000)
        if record["id"] == priya:
            record.update(erased=True, deleted=True, given_name="", emails=[], erased_reason="other",
                          base_stamp=f"{later}.000000.{record['origin_hub']}", stamps={})
        if record["id"] == ngozi:
            record["role"] = "thief"
            record["stamps"] = {**record["stamps"], "role": f"{later}.000001.{b.hub_id}"}
        return record

    return edit


def test_a_bundle_claiming_a_trusted_hub_signed_by_another_key_is_refused(network, tmp_path: Path) -> None:
    a, b, old, ngozi, priya = network
    before = file_hash(b)
    forged = forge(old, tmp_path / "forged.oursociety", key=new_signing_key(), edit=malicious_edit(b, ngozi, priya))
    b = Database.open(b.path.parent)
    with pytest.raises(ForgedBundle, match="claims to come from hub 'A' but is signed by another key") as info:
        import_bundle(b, forged, trust_new_hub=True)  # accepting new hubs does not accept a new key for A
    assert "\n" not in info.value.message and own_fingerprint(a.signing_key) in info.value.message
    b.close()
    assert file_hash(b) == before


def test_the_forgery_of_case_one_through_a_shared_folder_changes_nothing_and_is_reported(network,
                                                                                           tmp_path: Path) -> None:
    a, b, old, ngozi, priya = network
    folder = tmp_path / "shared"
    folder.mkdir()
    sync_folder(a, folder)
    sync_folder(b, folder)
    before = dump_text(b)
    attacker = new_signing_key()
    edit = malicious_edit(b, ngozi, priya)
    # Under A's id (and an A-looking file name), and under a hub of the forger's own.
    forge(old, folder / f"a_{a.hub_id}_0b5e6a4e-7d8e-4a39-9a61-3c1c7a1f0e2d.oursociety", key=attacker, edit=edit)
    forge(old, folder / "helpful-hub.oursociety", key=attacker, hub_id="9d2e4c1a-0000-4000-8000-00000000e5e5",
          hub_name="Helpful Hub", edit=edit)
    result = sync_folder(b, folder)
    assert dump_text(b) == before  # Priya not erased, Ngozi still treasurer
    assert any("signed by another key" in line for line in result.skipped)
    [untrusted] = result.untrusted
    assert untrusted["name"] == "Helpful Hub" and untrusted["fingerprint"] == fingerprint(public_key_of(attacker))
    assert "is not trusted yet" in result.untrusted_lines()[0]
    again = sync_folder(b, folder)  # still nothing, still said (the forged file once, the new hub each time)
    assert dump_text(b) == before and not again.imported and len(again.untrusted) == 1


def test_a_bundle_from_a_new_hub_is_imported_only_once_the_organiser_accepts_it(tmp_path: Path, capsys) -> None:
    a, b = make_hub(tmp_path, "A"), make_hub(tmp_path, "B")
    add_contact(a, given_name="Amara")
    bundle = export_to(a, tmp_path / "a.oursociety").path
    a_print = own_fingerprint(a.signing_key)
    before = file_hash(b)
    b_dir = str(b.path.parent)
    assert main(["--data-dir", b_dir, "import", str(bundle), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "not trusted yet" in out and a_print in out
    assert main(["--data-dir", b_dir, "import", str(bundle)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--trust-new-hub" in err and a_print in err
    assert file_hash(b) == before
    assert main(["--data-dir", b_dir, "import", str(bundle), "--trust-new-hub"]) == 0
    assert f"is now trusted (key {a_print})" in capsys.readouterr().out
    assert main(["--data-dir", b_dir, "hub", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["fingerprint"] == own_fingerprint(b.signing_key)
    assert [(p["id"], p["trust"], p["fingerprint"]) for p in info["peers"]] == [(a.hub_id, "trusted", a_print)]
    a.close()


def test_sync_never_trusts_a_new_hub_the_organiser_does(tmp_path: Path) -> None:
    a, b = make_hub(tmp_path, "A"), make_hub(tmp_path, "B")
    add_contact(a, given_name="Amara")
    folder = tmp_path / "shared"
    folder.mkdir()
    sync_folder(a, folder)
    first = sync_folder(b, folder)
    assert not first.imported and [h["id"] for h in first.untrusted] == [a.hub_id]
    assert "Amara" not in dump_text(b)
    with pytest.raises(UserError, match="fingerprint"):  # a wrong fingerprint trusts nothing
        with b.write() as tx:
            from oursociety_desktop.models.trust import trust_hub

            trust_hub(tx, a.hub_id, "0000 0000 0000 0000 0000")
    assert main(["--data-dir", str(b.path.parent), "hub", "trust", a.hub_id[:8], "--fingerprint",
                 own_fingerprint(a.signing_key)]) == 0
    second = sync_folder(b, folder)  # B reads A's introduction; A's bundle is encrypted to the hubs A trusts
    assert second.introduced == ["A"] and not second.imported and "Amara" not in dump_text(b)
    assert [h["id"] for h in sync_folder(a, folder).untrusted] == [b.hub_id]  # A meets B's introduction in turn
    with a.write() as tx:
        from oursociety_desktop.models.trust import trust_hub

        trust_hub(tx, b.hub_id, own_fingerprint(b.signing_key))
    assert sync_folder(a, folder).written is not None  # now encrypted to B as well
    third = sync_folder(b, folder)
    assert len(third.imported) == 1 and "Amara" in dump_text(b)


def test_a_bundle_claiming_this_hub_with_another_key_is_refused(network, tmp_path: Path) -> None:
    a, b, old, _ngozi, _priya = network
    own = export_to(b, tmp_path / "b.oursociety").path
    forged = forge(own, tmp_path / "b-forged.oursociety", key=new_signing_key())
    with pytest.raises(ForgedBundle, match="claims to come from this hub"):
        import_bundle(b, forged, dry_run=True)


def test_distrust_forgets_the_key_and_refuses_until_accepted_again(network, tmp_path: Path) -> None:
    a, b, old, _ngozi, _priya = network
    add_contact(a, given_name="Later")
    assert main(["--data-dir", str(b.path.parent), "hub", "distrust", "A"]) == 0
    path = export_to(a, tmp_path / "again.oursociety").path
    with pytest.raises(UntrustedHub):
        import_bundle(b, path, backup=False)
    assert import_bundle(b, path, trust_new_hub=True, backup=False).trusted_now


def test_a_peer_known_before_keys_were_pinned_has_its_key_pinned_by_its_next_bundle(network, tmp_path) -> None:
    a, b, old, _ngozi, _priya = network
    with b.write() as tx:  # as migration 9 leaves a peer met before: trusted, no key
        tx.session.connection().exec_driver_sql("UPDATE peer_hub SET signing_key = ''")
    import_bundle(b, export_to(a, tmp_path / "next.oursociety").path, backup=False)
    with b.read() as session:
        from oursociety_desktop.models.trust import peer_trust

        known = peer_trust(session, a.hub_id)
    assert known is not None and known.signing_key == public_key_of(a.signing_key)
    forged = forge(old, tmp_path / "forged.oursociety", key=new_signing_key())
    with pytest.raises(ForgedBundle):
        import_bundle(b, forged, backup=False)


def test_the_fingerprint_is_twenty_digits_in_groups_and_stable() -> None:
    key = public_key_of(new_signing_key())
    print_ = fingerprint(key)
    assert len(print_) == 24 and print_.replace(" ", "").isdigit() and print_.count(" ") == 4
    assert fingerprint(key) == print_ and fingerprint(public_key_of(new_signing_key())) != print_
    assert fingerprint("") == ""


def test_sync_says_what_the_preview_says_and_counts_erasures_apart(network, tmp_path: Path, capsys) -> None:
    from oursociety_desktop.models.contacts import forget_contact
    from oursociety_desktop.models.tables import Contact

    a, b, _old, ngozi, priya = network
    from oursociety_desktop.models.records import set_deleted

    with a.write() as tx:
        forget_contact(tx, priya)
        row = tx.session.get(Contact, ngozi)
        assert row is not None
        set_deleted(tx, row)
    bundle = export_to(a, tmp_path / "erasing.oursociety").path
    preview = import_bundle(b, bundle, dry_run=True)
    assert preview.report.counts["contact"].erased == 1 and preview.report.counts["contact"].deleted == 1
    assert preview.report.people_erased == 1 and any("1 erasure of a person" in w for w in preview.warnings)
    assert main(["--data-dir", str(b.path.parent), "import", str(bundle), "--dry-run"]) == 0
    table = capsys.readouterr().out
    assert "erased" in table.splitlines()[2] and "1 erasure of a person" in table
    folder = tmp_path / "shared"
    folder.mkdir()
    b_dir = str(b.path.parent)
    b.close()
    sync_folder(a, folder)
    assert main(["--data-dir", b_dir, "sync", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "note: The bundle carries 1 erasure of a person" in out
    assert main(["--data-dir", b_dir, "sync", str(folder), "--json"]) == 0
