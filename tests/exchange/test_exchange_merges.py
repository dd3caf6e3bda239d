"""Duplicate merges that travel keep everyone: crossing merges settle on one live person, references and edits
made elsewhere follow the merge, and a shared duplicate merged into an unshared one leaves no live membership."""

from __future__ import annotations

from itertools import permutations
from pathlib import Path

import pytest

from oursociety_desktop.models.actions import create_action, link_contact, links_of
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.duplicates import merge_contacts
from oursociety_desktop.models.groups import add_member, create_group, members_of
from oursociety_desktop.models.health import check_database
from oursociety_desktop.services.exchange import import_bundle
from tests.exchange.exchange_helpers import add_contact, contact_row, dump_text, edit_contact, export_to, make_hub, send


@pytest.fixture
def hubs(tmp_path: Path):
    made = [make_hub(tmp_path, name) for name in ("A", "B", "C")]
    yield made
    for db in made:
        db.close()


def live_people(db: Database, *ids: str) -> list[str]:
    return [cid for cid in ids if not contact_row(db, cid)["deleted"]]


def everyone_sees_everything(hubs: list[Database], folder: Path) -> None:
    for _ in range(2):
        for src in hubs:
            for dst in hubs:
                if src is not dst:
                    send(src, dst, folder)


def test_crossing_merges_settle_on_one_live_person_in_any_order(tmp_path: Path) -> None:
    for order_index, order in enumerate(permutations(("ab", "ba"))):
        root = tmp_path / f"run{order_index}"
        root.mkdir()
        a, b = make_hub(root, "A"), make_hub(root, "B")
        x = add_contact(a, given_name="Nina", family_name="X", phones=[{"label": "", "value": "07700 900001"}])
        y = add_contact(a, given_name="Nina", family_name="Y", phones=[{"label": "", "value": "07700 900002"}])
        with a.write() as tx:
            group = create_group(tx, {"name": "Tenants"})
            add_member(tx, group.id, x)
        send(a, b, root)
        with a.write() as tx:
            merge_contacts(tx, x, y)  # A: X into Y
        with b.write() as tx:
            merge_contacts(tx, y, x)  # B: Y into X
        bundles = {"ab": root / "a.oursociety", "ba": root / "b.oursociety"}
        export_to(a, bundles["ab"])
        export_to(b, bundles["ba"])
        for key in order:
            import_bundle(b if key == "ab" else a, bundles[key], backup=False, trust_new_hub=True)
        send(a, b, root)
        send(b, a, root)
        stays = min(x, y)
        for db in (a, b):
            assert live_people(db, x, y) == [stays]
            phones = {p["value"] for p in contact_row(db, stays)["phones"]}
            assert phones == {"07700 900001", "07700 900002"}
            with db.read() as session:
                assert [m.contact_id for m in members_of(session, group.id)] == [stays]
                assert check_database(session.connection()).sound
        assert dump_text(a) == dump_text(b)
        a.close()
        b.close()


def test_a_merge_keeps_what_other_hubs_did_meanwhile(hubs, tmp_path: Path) -> None:
    a, b, c = hubs
    sam = add_contact(a, given_name="Sam", family_name="Lee")
    samuel = add_contact(a, given_name="Samuel", family_name="Lee")
    with a.write() as tx:
        choir = create_group(tx, {"name": "Choir"})
        action = create_action(tx, {"title": "Book the hall"})
    everyone_sees_everything(hubs, tmp_path)
    with a.write() as tx:
        merge_contacts(tx, samuel, sam)  # A: Samuel into Sam
    edit_contact(b, samuel, phones=[{"label": "mobile", "value": "07700 900333"}])  # B, meanwhile
    with b.write() as tx:
        add_member(tx, choir.id, samuel)
    with c.write() as tx:
        link_contact(tx, action.id, samuel, "owner")  # C, meanwhile
    everyone_sees_everything(hubs, tmp_path)
    for db in hubs:
        row = contact_row(db, sam)
        assert not row["deleted"] and [p["value"] for p in row["phones"]] == ["07700 900333"]
        with db.read() as session:
            assert [m.contact_id for m in members_of(session, choir.id)] == [sam]
            assert [(link.contact_id, link.role) for link in links_of(session, action.id)] == [(sam, "owner")]
            assert check_database(session.connection()).sound
    assert dump_text(a) == dump_text(b) == dump_text(c)


def test_a_shared_duplicate_merged_into_an_unshared_one_leaves_no_live_membership(hubs, tmp_path: Path) -> None:
    a, b, _ = hubs
    shared = add_contact(a, given_name="Ola", share_with_hubs=True)
    private = add_contact(a, given_name="Ola", family_name="Private", share_with_hubs=False)
    with a.write() as tx:
        group = create_group(tx, {"name": "Garden"})
        add_member(tx, group.id, shared)
    send(a, b, tmp_path)
    with b.read() as session:
        assert [m.contact_id for m in members_of(session, group.id)] == [shared]
    with a.write() as tx:
        merge_contacts(tx, shared, private)
    send(a, b, tmp_path)
    with b.read() as session:
        assert members_of(session, group.id) == []
        live = session.connection().exec_driver_sql("SELECT COUNT(*) FROM membership WHERE deleted = 0").scalar()
    assert live == 0
    assert dump_text(a) == dump_text(b)


def test_an_unshared_duplicate_merged_into_a_shared_one_withdraws_nobody(hubs, tmp_path: Path) -> None:
    """Found by the property test (hubs never converged): merging an unshared record into a shared one switched
    the survivor's sharing off, a withdrawal the other hubs never heard of, so they kept the person live for good.
    The survivor now keeps its consent, and nothing of the unshared record is folded into it."""
    a, b, _ = hubs
    shared = add_contact(a, given_name="Ada", share_with_hubs=True)
    private = add_contact(a, given_name="Ada", family_name="Private", phones=[{"label": "", "value": "07700 900555"}],
                          share_with_hubs=False)
    send(a, b, tmp_path)
    with a.write() as tx:
        merge_contacts(tx, private, shared)
    send(a, b, tmp_path)
    for hub in (a, b):
        row = contact_row(hub, shared)
        assert (row["share_with_hubs"], row["family_name"], row["phones"]) == (True, "", [])
    assert "07700 900555" not in dump_text(b)
    assert dump_text(a) == dump_text(b)
