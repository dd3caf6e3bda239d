"""One membership per person and group (and one link per action, person and role), whichever hubs add it; the
command line can script the cases: remove-member, contact merge, connection add."""

from __future__ import annotations

import json
from pathlib import Path

from oursociety_desktop.models.database import Database, set_setting
from oursociety_desktop.models.groups import add_member, create_group, member_counts
from oursociety_desktop.models.migrations import FOLD_PAIRS_PENDING
from oursociety_desktop.models.records import create_record
from oursociety_desktop.models.tables import Membership
from tests.cli_helpers import run
from tests.exchange.exchange_helpers import add_contact, dump_text, make_hub, send


def members(capsys, folder: Path, group: str) -> int:
    code, out, _ = run(capsys, "--data-dir", folder, "group", "list", "--json")
    assert code == 0
    return next(g["members"] for g in json.loads(out) if g["name"] == group)


def test_the_same_person_added_to_a_group_at_two_hubs_is_one_membership(tmp_path: Path, capsys) -> None:
    a_dir, b_dir, out = tmp_path / "a", tmp_path / "b", tmp_path / "out"
    out.mkdir()
    for folder in (a_dir, b_dir):
        run(capsys, "--data-dir", folder, "init", "--hub-name", folder.name.upper())
    priya = run(capsys, "--data-dir", a_dir, "contact", "add", "--given", "Priya", "--share")[1].strip()
    assert run(capsys, "--data-dir", a_dir, "group", "add", "Tenants")[0] == 0

    def exchange(src: Path, dst: Path, name: str) -> None:
        assert run(capsys, "--data-dir", src, "export", out / name)[0] == 0
        assert run(capsys, "--data-dir", dst, "import", out / name, "--trust-new-hub")[0] == 0

    exchange(a_dir, b_dir, "1.oursociety")
    for folder in (a_dir, b_dir):  # while apart, both add her
        assert run(capsys, "--data-dir", folder, "group", "add-member", "Tenants", priya)[0] == 0
    exchange(a_dir, b_dir, "2.oursociety")
    exchange(b_dir, a_dir, "3.oursociety")
    assert members(capsys, a_dir, "Tenants") == members(capsys, b_dir, "Tenants") == 1
    assert run(capsys, "--data-dir", a_dir, "dump")[1] == run(capsys, "--data-dir", b_dir, "dump")[1]
    code, said, _ = run(capsys, "--data-dir", b_dir, "group", "remove-member", "Tenants", priya)
    assert code == 0 and said == "Took Priya out of Tenants.\n"
    exchange(b_dir, a_dir, "4.oursociety")
    assert members(capsys, a_dir, "Tenants") == members(capsys, b_dir, "Tenants") == 0
    code, _, err = run(capsys, "--data-dir", a_dir, "group", "remove-member", "Tenants", priya)
    assert code == 1 and err == "oursociety: That contact is not a member of that group.\n"


def test_duplicates_made_before_are_folded_by_the_migration(tmp_path: Path) -> None:
    db = make_hub(tmp_path, "Old")
    nina = add_contact(db, given_name="Nina")
    with db.write() as tx:
        group = create_group(tx, {"name": "Choir"})
        for _ in range(2):  # as the previous release could: two memberships with ids of their own
            create_record(tx, Membership, {"group_id": group.id, "contact_id": nina, "role": "member"})
        set_setting(tx.session, FOLD_PAIRS_PENDING, True)
    db.close()
    db = Database.open(tmp_path / "Old")
    with db.read() as session:
        assert member_counts(session) == {group.id: 1}
        live = session.connection().exec_driver_sql("SELECT id FROM membership WHERE deleted = 0").all()
    with db.write() as tx:
        assert [row[0] for row in live] == [add_member(tx, group.id, nina).id]
    assert db.setting(FOLD_PAIRS_PENDING) is None
    db.close()


def test_a_membership_from_a_hub_of_the_previous_release_is_folded_on_arrival(tmp_path: Path) -> None:
    a, b = make_hub(tmp_path, "A"), make_hub(tmp_path, "B")
    nina = add_contact(a, given_name="Nina")
    with a.write() as tx:
        group = create_group(tx, {"name": "Choir"})
        create_record(tx, Membership, {"group_id": group.id, "contact_id": nina, "role": "member"})
    send(a, b, tmp_path)
    with b.write() as tx:
        add_member(tx, group.id, nina)  # the same pair, added here too
    send(b, a, tmp_path)
    send(a, b, tmp_path)
    for db in (a, b):
        with db.read() as session:
            assert member_counts(session) == {group.id: 1}
    assert dump_text(a) == dump_text(b)
    a.close()
    b.close()


def test_contact_merge_and_connection_add_on_the_command_line(tmp_path: Path, capsys) -> None:
    hub = tmp_path / "hub"
    run(capsys, "--data-dir", hub, "init", "--hub-name", "Hub")
    sam = run(capsys, "--data-dir", hub, "contact", "add", "--given", "Sam", "--phone", "07700 900111")[1].strip()
    samuel = run(capsys, "--data-dir", hub, "contact", "add", "--given", "Samuel", "--phone", "07700 900222")[1].strip()
    ola = run(capsys, "--data-dir", hub, "contact", "add", "--given", "Ola")[1].strip()
    code, made, _ = run(capsys, "--data-dir", hub, "connection", "add", samuel, ola, "--kind", "knows",
                        "--introduced-by", sam)
    assert code == 0 and len(made.strip()) == 36
    code, said, _ = run(capsys, "--data-dir", hub, "contact", "merge", sam, samuel)
    assert code == 0 and said == f"Merged {samuel} into Sam ({sam}).\n"
    shown = json.loads(run(capsys, "--data-dir", hub, "contact", "show", sam, "--json")[1])
    assert [p["value"] for p in shown["phones"]] == ["07700 900111", "07700 900222"]
    gone = json.loads(run(capsys, "--data-dir", hub, "contact", "show", samuel, "--json")[1])
    assert gone["deleted"] and gone["merged_into"] == sam
    code, _, err = run(capsys, "--data-dir", hub, "connection", "add", sam, "nobody-at-all")
    assert code == 1 and err.startswith("oursociety: No contact with id")
