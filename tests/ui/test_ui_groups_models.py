"""The group tree model and the members table model, without a window."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot
from sqlalchemy import insert

from oursociety_desktop.models.contacts import create_contact, delete_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.groups import (
    GroupRow,
    add_member,
    create_group,
    group_rows,
    member_counts,
    remove_member,
)
from oursociety_desktop.models.tables import Contact, Membership
from oursociety_desktop.ui.context import AppContext, DataEvents
from oursociety_desktop.ui.groups.group_tree_model import COL_KIND, COL_MEMBERS, GROUP_ID_ROLE, GroupTreeModel
from oursociety_desktop.ui.groups.member_model import COL_NAME, COL_ROLE, MemberTableModel
from oursociety_desktop.ui.tasks import SyncTaskRunner

PAGE = MemberTableModel.PAGE


def row(gid: str, parent: str = "", members: int = 0) -> GroupRow:
    return GroupRow(gid, gid.title(), "project", "", parent, members)


def test_tree_nests_and_keeps_orphans_and_loops_visible(qtbot: QtBot) -> None:
    model = GroupTreeModel()
    # "x" and "y" sit inside each other (two hubs moved them at once); "lost" names a parent this hub lacks.
    model.load([row("a", members=3), row("b", "a"), row("c", "b"), row("x", "y"), row("y", "x"),
                row("lost", "nowhere")])
    top = {model.index(r, 0).data(GROUP_ID_ROLE) for r in range(model.rowCount())}
    assert {"a", "lost"} <= top and top & {"x", "y"}
    b = model.index_of("b")
    assert b.parent().data(GROUP_ID_ROLE) == "a"
    assert model.index(0, 0, b).data() == "C"
    assert model.index_of("c").parent().parent() == model.index_of("a")
    assert model.index_of("a").siblingAtColumn(COL_MEMBERS).data() == 3
    assert model.index_of("a").siblingAtColumn(COL_KIND).data() == "project"
    assert model.subtree_ids("a") == {"a", "b", "c"}
    assert [depth for depth, r in model.ordered() if r.id in ("a", "b", "c")] == [0, 1, 2]
    # Every group is reachable from the top, exactly once.
    seen: list[str] = []

    def walk(parent: object) -> None:
        for r in range(model.rowCount(parent)):  # type: ignore[arg-type]
            index = model.index(r, 0, parent)  # type: ignore[arg-type]
            seen.append(index.data(GROUP_ID_ROLE))
            walk(index)

    walk(QModelIndex())
    assert sorted(seen) == ["a", "b", "c", "lost", "x", "y"]


def test_counts_leave_out_deleted_contacts_and_memberships(db: Database) -> None:
    with db.write() as tx:
        group = create_group(tx, {"name": "Garden"})
        people = [create_contact(tx, {"given_name": f"P{i}"}).id for i in range(4)]
        for person in people:
            add_member(tx, group.id, person)
        delete_contact(tx, people[0])
        remove_member(tx, group.id, people[1])
    with db.read() as session:
        rows = group_rows(session)
        assert [(r.name, r.members) for r in rows] == [("Garden", 2)]
        assert member_counts(session) == {group.id: 2}


def test_members_model_pages_and_orders_coordinators_first(qtbot: QtBot, db: Database) -> None:
    with db.write() as tx:
        group = create_group(tx, {"name": "Big"})
        boss = create_contact(tx, {"given_name": "Zed", "family_name": "Zulu"})
        add_member(tx, group.id, boss.id, "coordinator")
        stamp = tx.stamp()
        base = {"base_stamp": stamp, "stamps": {}, "deleted": False}
        contacts = [{**base, "id": f"c{i:05d}", "given_name": f"Person {i:05d}", "sort_key": f"person {i:05d}"}
                    for i in range(PAGE + 20)]
        conn = tx.session.connection()
        conn.execute(insert(Contact.__table__), contacts)  # type: ignore[attr-defined]
        conn.execute(insert(Membership.__table__), [  # type: ignore[attr-defined]
            {**base, "id": f"m{i:05d}", "group_id": group.id, "contact_id": f"c{i:05d}", "role": "member",
             "since": ""} for i in range(PAGE + 20)])
    model = MemberTableModel(AppContext(db, SyncTaskRunner(), QUndoStack(), DataEvents()))
    model.show_group(group.id)
    assert model.rowCount() == PAGE and model.canFetchMore()
    assert (model.index(0, COL_NAME).data(), model.index(0, COL_ROLE).data()) == ("Zed Zulu", "coordinator")
    assert model.index(1, COL_NAME).data() == "Person 00000"
    model.fetchMore()
    assert model.rowCount() == PAGE + 21 and not model.canFetchMore()
    model.reload()  # keeps everything that was loaded
    assert model.rowCount() == PAGE + 21
    assert model.row_of("c00100") == 101
