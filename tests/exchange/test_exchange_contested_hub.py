"""A hub whose id bundles signed by different keys claim is contested: `hub trust` then needs the fingerprint.

Before, a sync remembered the key of the first file (by name) claiming a hub it did not trust, and replaced the key
it held by any other: an organiser read the fingerprint after one sync and compared it by phone; meanwhile a forger
put, in the shared folder, the hub's introduction signed with its own key under a name sorting first; the next sync
took the forger's key silently, and `oursociety hub trust HUB` (the command the sync suggests) trusted the
forger: the genuine hub's bundles were then refused as forged, and the forger's imported as that hub's.
"""

from __future__ import annotations

from pathlib import Path

from oursociety_desktop.cli import main
from oursociety_desktop.models.signing import new_signing_key, public_key_of
from oursociety_desktop.models.trust import CONTESTED, TRUSTED, learn_key, own_fingerprint, peer_trust
from oursociety_desktop.services.exchange_folder import sync_folder
from tests.exchange.exchange_helpers import make_hub
from tests.exchange.test_exchange_trust import forge


def test_a_second_key_claiming_a_hub_makes_trust_need_the_fingerprint(tmp_path: Path, capsys) -> None:
    b, c = make_hub(tmp_path, "B"), make_hub(tmp_path, "C")
    folder = tmp_path / "shared"
    folder.mkdir()
    sync_folder(c, folder)  # C's introduction
    first = sync_folder(b, folder)
    genuine = own_fingerprint(c.signing_key)
    assert [(h["id"], h["fingerprint"], h["contested"]) for h in first.untrusted] == [(c.hub_id, genuine, False)]
    # The organiser of B compares that fingerprint by phone; meanwhile a forger adds C's introduction, signed with
    # its own key, under a name that sorts after C's own (so its key is the one learned last).
    [intro] = folder.glob(f"*_{c.hub_id}_*.oursociety")
    forger = new_signing_key()
    forge(intro, folder / f"c_{c.hub_id}_ffffffff-ffff-4fff-bfff-ffffffffffff.oursociety", key=forger)
    second = sync_folder(b, folder)
    forged = own_fingerprint(forger)
    assert [(h["id"], h["fingerprint"], h["contested"]) for h in second.untrusted] == [(c.hub_id, forged, True)]
    with b.read() as session:
        held = peer_trust(session, c.hub_id)
    assert held is not None and (held.trust, held.fingerprint) == (CONTESTED, forged)
    line = (f"Bundles signed by different keys claim to be hub 'C' ({c.hub_id}): one of them is forged. The key held "
            f"now has the fingerprint {forged}; trust it only if the hub's organiser reads out the same: "
            f"`oursociety hub trust {c.hub_id} --fingerprint \"…\"`.")
    assert second.untrusted_lines() == [line]
    capsys.readouterr()

    # The command the first sync suggested no longer trusts whatever key came last, nor does the genuine
    # fingerprint trust the forger's key.
    assert main(["--data-dir", str(b.path.parent), "hub", "trust", c.hub_id]) == 1
    assert capsys.readouterr().err == f"oursociety: {line}\n"
    assert main(["--data-dir", str(b.path.parent), "hub", "trust", c.hub_id, "--fingerprint", genuine]) == 1
    assert capsys.readouterr().err == (
        f"oursociety: The key held for hub 'C' has the fingerprint {forged}, not the one given: it came from the "
        "other claim. Import a bundle of the genuine hub with `oursociety import FILE --trust-new-hub`, after "
        "`import FILE --dry-run` shows its fingerprint.\n")
    with b.read() as session:
        assert peer_trust(session, c.hub_id) == held
    # C's own file, imported after its preview showed the genuine fingerprint, trusts C by its own key.
    assert main(["--data-dir", str(b.path.parent), "import", "--trust-new-hub", str(intro)]) == 0
    with b.read() as session:
        after = peer_trust(session, c.hub_id)
    assert after is not None and (after.trust, after.fingerprint) == (TRUSTED, genuine)


def test_the_same_key_again_leaves_the_hub_pending(tmp_path: Path) -> None:
    b, c = make_hub(tmp_path, "B"), make_hub(tmp_path, "C")
    folder = tmp_path / "shared"
    folder.mkdir()
    sync_folder(c, folder)
    sync_folder(b, folder)
    sync_folder(c, folder)
    again = sync_folder(b, folder)
    assert [(h["id"], h["contested"]) for h in again.untrusted] == [(c.hub_id, False)]
    with b.read() as session:
        held = peer_trust(session, c.hub_id)
    assert held is not None and held.trust == "pending" and held.fingerprint == own_fingerprint(c.signing_key)
    assert main(["--data-dir", str(b.path.parent), "hub", "trust", c.hub_id]) == 0


def test_an_unsigned_file_changes_no_key_learned(tmp_path: Path) -> None:
    """A format 1 bundle (still readable, never signed) claiming a hub made it contested and emptied its key, so
    `hub trust` then said this hub had no key of it: anyone can write such a file."""
    b, c = make_hub(tmp_path, "B"), make_hub(tmp_path, "C")
    with b.write() as tx:
        learn_key(tx, c.hub_id, "C", public_key_of(c.signing_key))
        learn_key(tx, c.hub_id, "C claimed", "")
    with b.read() as session:
        held = peer_trust(session, c.hub_id)
    assert held is not None and (held.name, held.trust, held.fingerprint) == (
        "C", "pending", own_fingerprint(c.signing_key))
