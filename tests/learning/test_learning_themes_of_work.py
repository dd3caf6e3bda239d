"""Groups and actions carry themes (bundle format 2.1), and a new group or action with a theme opens Learning on
what other hubs learned about it: the link from a challenge to others' lessons."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from oursociety_desktop.models.actions import create_action, update_action
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.errors import ValidationError
from oursociety_desktop.models.groups import create_group, group_rows
from oursociety_desktop.models.lessons import create_lesson
from oursociety_desktop.models.migration_steps import v10_themes_of_groups_and_actions
from oursociety_desktop.models.tables import Action, Group
from oursociety_desktop.services.exchange import import_bundle
from oursociety_desktop.ui.actions.workspace import ActionsWorkspace
from oursociety_desktop.ui.groups.group_dialog import GroupDialog
from oursociety_desktop.ui.groups.workspace import GroupsWorkspace
from oursociety_desktop.ui.main import make_context
from oursociety_desktop.ui.main_window import MainWindow
from oursociety_desktop.ui.tasks import SyncTaskRunner
from tests.exchange.exchange_helpers import export_to, make_hub, send
from tests.exchange.test_exchange_format_two import members_of, repack


def test_themes_are_tidied_like_a_lessons_and_too_long_a_theme_is_refused(db: Database) -> None:
    with db.write() as tx:
        group = create_group(tx, {"name": "Repair café", "themes": " Bike  Repair, youth,bike repair"})
        action = create_action(tx, {"title": "Saturday session", "themes": ["Youth"]})
    with db.read() as session:
        assert session.get(Group, group.id).themes == ["bike repair", "youth"]  # type: ignore[union-attr]
        assert session.get(Action, action.id).themes == ["youth"]  # type: ignore[union-attr]
        before = session.connection().execute(text("SELECT themes FROM action")).all()
    with pytest.raises(ValidationError) as refused, db.write() as tx:
        update_action(tx, action.id, {"themes": "x" * 61})
    assert refused.value.field == "themes"
    with db.read() as session:
        assert session.connection().execute(text("SELECT themes FROM action")).all() == before


def test_themes_travel_and_a_bundle_of_an_older_hub_without_them_keeps_them(tmp_path: Path) -> None:
    a, b = make_hub(tmp_path, "Hulme"), make_hub(tmp_path, "Moss Side")
    with a.write() as tx:
        group_id = create_group(tx, {"name": "Repair café", "themes": ["bike repair"]}).id
    send(a, b, tmp_path)
    with b.read() as session:
        assert session.get(Group, group_id).themes == ["bike repair"]  # type: ignore[union-attr]
    # The same group in a 2.0 bundle of Moss Side, written before groups had themes: it imports, and its missing
    # field does not empty the themes Hulme has.
    plain = tmp_path / "plain.oursociety"
    export_to(b, plain)
    members = members_of(plain)
    groups = [json.loads(line) for line in members["records/group.jsonl"].splitlines()]
    for group in groups:
        del group["themes"]
    members["records/group.jsonl"] = b"".join(json.dumps(g).encode() + b"\n" for g in groups)
    older = tmp_path / "older.oursociety"
    older.write_bytes(repack(members, b.signing_key, lambda manifest: manifest.update(version="2.0")))
    import_bundle(a, older, backup=False, trust_new_hub=True)
    with a.read() as session:
        assert session.get(Group, group_id).themes == ["bike repair"]  # type: ignore[union-attr]
    c = make_hub(tmp_path, "Levenshulme")
    import_bundle(c, older, backup=False, trust_new_hub=True)
    with c.read() as session:
        assert session.get(Group, group_id).themes == []  # type: ignore[union-attr]


def test_the_upgrade_moves_themes_kept_from_a_newer_hub_into_their_column(tmp_path: Path) -> None:
    """A hub that met groups with themes before it knew the field kept them as unknown fields (`extra`)."""
    import sqlite3

    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contact_group (id TEXT, extra JSON NOT NULL DEFAULT '{}')")
    conn.execute("CREATE TABLE action (id TEXT, extra JSON NOT NULL DEFAULT '{}')")
    conn.execute("INSERT INTO contact_group VALUES ('g1', ?), ('g2', '{}')",
                 (json.dumps({"themes": ["bike repair"], "colour": "red"}),))
    conn.commit()
    conn.close()
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        v10_themes_of_groups_and_actions(connection)
        rows = connection.exec_driver_sql("SELECT id, themes, extra FROM contact_group ORDER BY id").all()
    engine.dispose()
    assert [(r[0], json.loads(r[1]), json.loads(r[2])) for r in rows] == [
        ("g1", ["bike repair"], {"colour": "red"}), ("g2", [], {})]


@pytest.fixture
def window_with_a_lesson_from_elsewhere(tmp_path: Path, qtbot: QtBot) -> MainWindow:
    elsewhere, here = make_hub(tmp_path, "Moss Side"), make_hub(tmp_path, "Hulme")
    with elsewhere.write() as tx:
        create_lesson(tx, {"title": "Saturday mornings work best", "kind": "lesson learned",
                           "themes": ["bike repair"], "share_with_hubs": True})
    send(elsewhere, here, tmp_path)
    window = MainWindow(make_context(here, SyncTaskRunner()), tmp_path / "Hulme")
    qtbot.addWidget(window)
    window.show()
    return window


def test_a_new_group_with_a_theme_opens_learning_on_what_other_hubs_learned(
        window_with_a_lesson_from_elsewhere: MainWindow, qtbot: QtBot) -> None:
    window = window_with_a_lesson_from_elsewhere
    groups = window.show_workspace("groups")
    assert isinstance(groups, GroupsWorkspace)
    groups.new_group()
    dialog = next(w for w in groups.findChildren(GroupDialog) if w.isVisible())
    dialog.name_edit.setText("Repair café")
    dialog.themes_edit.setText("Bike repair")
    dialog.accept()
    with window.ctx.db.read() as session:
        assert [g.themes for g in group_rows(session)] == [("bike repair",)]
    learning = window.workspace("learning")
    assert learning.theme.currentData() == "bike repair"  # type: ignore[attr-defined]
    assert learning.model.rowCount() == 1  # type: ignore[attr-defined]
    assert window.statusBar().currentMessage() == (
        "Another hub learned something about “bike repair”: Learning (Ctrl+Shift+L) shows it.")


def test_a_new_action_with_a_theme_nobody_wrote_about_changes_nothing(
        window_with_a_lesson_from_elsewhere: MainWindow) -> None:
    window = window_with_a_lesson_from_elsewhere
    actions = window.show_workspace("actions")
    assert isinstance(actions, ActionsWorkspace)
    seen: list[list[str]] = []
    actions.learn_about.connect(seen.append)
    actions.editor.load("")
    actions.editor.title_edit.setText("Litter pick")
    actions.editor.themes_edit.setText("Clean streets, bike repair")
    assert actions.editor.save()
    assert seen == [["clean streets", "bike repair"]]
    assert window.statusBar().currentMessage().startswith("Another hub learned something about “bike repair”")
    # Editing it again is not "made with that theme": no second prompt.
    actions.editor.themes_edit.setText("clean streets")
    assert actions.editor.save()
    assert seen == [["clean streets", "bike repair"]]
    window.statusBar().clearMessage()
    actions.editor.load("")
    actions.editor.title_edit.setText("Tea")
    actions.editor.themes_edit.setText("tea")
    assert actions.editor.save()
    assert window.statusBar().currentMessage() == ""
    assert window.workspace("learning").theme.currentData() == "bike repair"  # type: ignore[attr-defined]
