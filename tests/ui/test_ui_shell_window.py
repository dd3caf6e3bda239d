"""The main window: the workspace registry, keyboard navigation, Edit menu undo/redo, larger text, opening a
record from Today."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from oursociety_desktop.models.actions import create_action, link_contact
from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.tables import Contact
from oursociety_desktop.ui.actions.workspace import ActionsWorkspace
from oursociety_desktop.ui.contacts.workspace import ContactsWorkspace
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.main_window import FIRST_SIZE, MainWindow
from oursociety_desktop.ui.today.workspace import TodayWorkspace
from oursociety_desktop.ui.workspaces import WORKSPACES, WorkspaceSpec
from tests.ui.windows import active_window


@pytest.fixture
def window(ctx: AppContext, data_dir: Path, qtbot: QtBot) -> MainWindow:
    return active_window(ctx, data_dir, qtbot, specs=WORKSPACES)


def test_registry_has_every_workspace_with_distinct_shortcuts() -> None:
    assert [s.key for s in WORKSPACES] == ["today", "contacts", "groups", "actions", "connections", "exchange",
                                           "print", "interop", "duplicates", "learning", "offers", "network", "hours"]
    assert [s.shortcut for s in WORKSPACES][:9] == [f"Ctrl+{n}" for n in range(1, 10)]
    assert len({s.shortcut for s in WORKSPACES}) == len(WORKSPACES)
    assert [s.translated_title() for s in WORKSPACES] == ["Today", "Contacts", "Groups", "Actions", "Connections",
                                                          "Exchange", "Print", "Import & export", "Duplicates",
                                                          "Learning", "Offers & needs", "Network", "Time given"]


@pytest.mark.parametrize("spec", WORKSPACES, ids=[s.key for s in WORKSPACES])
def test_each_registered_workspace_loads(spec: WorkspaceSpec, ctx: AppContext, qtbot: QtBot) -> None:
    cls = spec.load()
    assert issubclass(cls, QWidget)
    assert isinstance(getattr(cls, "TITLE", None), str)
    widget = cls(ctx, None)  # type: ignore[call-arg]
    qtbot.addWidget(widget)
    widget.refresh()  # type: ignore[attr-defined]


def test_shortcuts_switch_workspaces(window: MainWindow, qtbot: QtBot) -> None:
    assert window.current_key() == "today"
    assert isinstance(window.current_workspace(), TodayWorkspace)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "contacts"
    assert isinstance(window.current_workspace(), ContactsWorkspace)
    for number, spec in enumerate(window.specs[:9], start=1):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0.value + number), Qt.KeyboardModifier.ControlModifier)
        assert window.current_key() == spec.key
    shifted = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    for key, name in ((Qt.Key.Key_L, "learning"), (Qt.Key.Key_O, "offers")):
        qtbot.keyClick(window, key, shifted)
        assert window.current_key() == name
    # The navigation list works with the arrow keys too.
    window.nav.setFocus()
    window.nav.setCurrentRow(0)
    qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    assert window.current_key() == "contacts"


def test_edit_menu_undo_redo_with_keyboard(window: MainWindow, ctx: AppContext, qtbot: QtBot) -> None:
    with ctx.db.write() as tx:
        cid = create_contact(tx, {"given_name": "Ana", "family_name": "Silva"}).id
    contacts = window.show_workspace("contacts")
    assert isinstance(contacts, ContactsWorkspace)
    contacts.open_contact(cid)
    line = contacts.editor.lines["organisation"]
    line.setFocus()
    qtbot.keyClicks(line, "Food Bank")
    qtbot.keyClick(line, Qt.Key.Key_Return)

    def organisation() -> str:
        with ctx.db.read() as session:
            found = session.get(Contact, cid)
            assert found is not None
            return found.organisation

    assert organisation() == "Food Bank"
    assert window.undo_action.text().replace("&", "") == "Undo Edit organisation of Ana Silva"
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert organisation() == ""
    assert line.text() == ""
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert organisation() == "Food Bank"


def test_open_record_from_today_shows_the_contact(window: MainWindow, ctx: AppContext, qtbot: QtBot) -> None:
    with ctx.db.write() as tx:
        cid = create_contact(tx, {"given_name": "Mei", "family_name": "Chen"}).id
        action = create_action(tx, {"title": "Call Mei", "due": "2020-01-01"})
        link_contact(tx, action.id, cid)
    today = window.show_workspace("today")
    assert isinstance(today, TodayWorkspace)
    today.refresh()
    item = today.recent.topLevelItem(0)
    assert item is not None and item.text(0) == "Mei Chen"
    today.recent.setFocus()
    today.recent.setCurrentItem(item)
    qtbot.keyClick(today.recent, Qt.Key.Key_Return)
    assert window.current_key() == "contacts"
    contacts = window.workspace("contacts")
    assert isinstance(contacts, ContactsWorkspace)
    assert contacts.editor.contact_id == cid
    assert contacts.editor.related["action"].item(0).text().startswith("Call Mei")


def test_larger_text_is_saved_and_applied(window: MainWindow, ctx: AppContext, qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.font().pointSizeF()
    today = window.workspace("today")
    assert isinstance(today, TodayWorkspace)
    heading_before = today.heading.font().pointSizeF()
    window.larger_text.trigger()
    assert ctx.db.setting("text_size") > 0
    assert app.font().pointSizeF() > before
    qtbot.waitUntil(lambda: today.heading.font().pointSizeF() > heading_before, timeout=2000)  # headings too
    window.larger_text.trigger()
    assert ctx.db.setting("text_size") == 0
    assert app.font().pointSizeF() == before


def test_larger_text_reaches_every_built_workspace_at_once(window: MainWindow, qtbot: QtBot) -> None:
    """No style sheet stands in the way of a new application font: hidden workspaces and their bold messages get
    it without being shown, and the sidebar and the contacts' rows are fitted to it."""
    actions = window.show_workspace("actions")
    contacts = window.show_workspace("contacts")
    window.show_workspace("today")
    assert isinstance(actions, ActionsWorkspace) and isinstance(contacts, ContactsWorkspace)
    message = actions.message  # bold, and hidden until an edit is refused

    def sizes() -> tuple[float, ...]:
        return (actions.font().pointSizeF(), message.font().pointSizeF(),
                contacts.table.verticalHeader().defaultSectionSize(), window.nav.width())

    before = sizes()
    window.larger_text.trigger()
    try:
        qtbot.waitUntil(lambda: all(now > then for now, then in zip(sizes(), before, strict=True)), timeout=2000)
        assert message.font().bold()
        assert window.current_key() == "today"  # none of them was shown
    finally:
        window.larger_text.trigger()
    qtbot.waitUntil(lambda: sizes() == before, timeout=2000)


def test_refused_undo_is_reported_not_swallowed(window: MainWindow, ctx: AppContext, qtbot: QtBot,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr("oursociety_desktop.ui.main_window.QMessageBox.warning",
                        lambda _parent, _title, text: shown.append(text))
    ctx.events.failed.emit("The database is busy.")
    assert shown == ["The database is busy."]
    assert window.statusBar().currentMessage() == "The database is busy."


def test_overdue_action_on_today_opens_in_actions(window: MainWindow, ctx: AppContext, qtbot: QtBot) -> None:
    if not any(s.key == "actions" for s in window.specs):
        pytest.skip("the Actions workspace is not in this checkout yet")
    with ctx.db.write() as tx:
        action_id = create_action(tx, {"title": "Book the hall", "due": "2020-02-02"}).id
    today = window.show_workspace("today")
    assert isinstance(today, TodayWorkspace)
    item = today.overdue.topLevelItem(0)
    assert item is not None and item.text(0) == "Book the hall"
    today.overdue.setFocus()
    today.overdue.setCurrentItem(item)
    qtbot.keyClick(today.overdue, Qt.Key.Key_Return)
    assert window.current_key() == "actions"
    assert getattr(window.workspace("actions"), "editor").action_id == action_id  # noqa: B009 - other helper's API


def test_contact_editor_opens_their_group(window: MainWindow, ctx: AppContext, qtbot: QtBot) -> None:
    if not any(s.key == "groups" for s in window.specs):
        pytest.skip("the Groups workspace is not in this checkout yet")
    from oursociety_desktop.models.groups import add_member, create_group

    with ctx.db.write() as tx:
        cid = create_contact(tx, {"given_name": "Ola"}).id
        gid = create_group(tx, {"name": "Allotment"}).id
        add_member(tx, gid, cid, "coordinator")
    contacts = window.show_workspace("contacts")
    assert isinstance(contacts, ContactsWorkspace)
    contacts.open_contact(cid)
    groups = contacts.editor.related["group"]
    assert groups.item(0).text() == "Allotment (coordinator)"
    groups.setFocus()
    groups.setCurrentRow(0)
    qtbot.keyClick(groups, Qt.Key.Key_Return)
    assert window.current_key() == "groups"
    assert getattr(window.workspace("groups"), "current_group_id")() == gid  # noqa: B009 - other helper's API


def test_the_window_opens_no_larger_than_its_screen(window: MainWindow) -> None:
    # The test screen is 800x800: narrower than the 1200 pixels the window asks for, as a 1024x600 netbook is.
    # Opened at 1200x760 there, the status bar and the bottom buttons of every workspace lay below the screen.
    room = window.screen().availableGeometry()
    assert (room.width(), room.height()) == (800, 800)
    assert (window.width(), window.height()) == (800, 760)
    assert (FIRST_SIZE.width(), FIRST_SIZE.height()) == (1200, 760)  # where there is room


def test_larger_text_refits_the_lists_of_every_workspace(window: MainWindow, qtbot: QtBot) -> None:
    # Only Contacts and Actions refitted their columns to a new text size: with Larger text the lessons' titles,
    # the offers, the hours totals ("Hours pledge") and the hubs list kept widths measured in the old font.
    from oursociety_desktop.ui.connections.connection_model import COL_A
    from oursociety_desktop.ui.connections.workspace import ConnectionsWorkspace
    from oursociety_desktop.ui.groups.group_tree_model import COL_KIND
    from oursociety_desktop.ui.groups.member_model import COL_ROLE
    from oursociety_desktop.ui.groups.workspace import GroupsWorkspace
    from oursociety_desktop.ui.hours.workspace import HoursWorkspace
    from oursociety_desktop.ui.learning.lesson_model import COL_TITLE
    from oursociety_desktop.ui.learning.offer_editor import COL_TEXT
    from oursociety_desktop.ui.learning.offers_view import COL_NEED, OffersNeedsWorkspace
    from oursociety_desktop.ui.learning.workspace import LearningWorkspace
    from oursociety_desktop.ui.network.hubs_model import COL_HUB
    from oursociety_desktop.ui.network.workspace import NetworkWorkspace

    learning, offers = window.show_workspace("learning"), window.show_workspace("offers")
    hours, network = window.show_workspace("hours"), window.show_workspace("network")
    connections, groups = window.show_workspace("connections"), window.show_workspace("groups")
    assert isinstance(learning, LearningWorkspace) and isinstance(offers, OffersNeedsWorkspace)
    assert isinstance(hours, HoursWorkspace) and isinstance(network, NetworkWorkspace)
    assert isinstance(connections, ConnectionsWorkspace) and isinstance(groups, GroupsWorkspace)
    window.show_workspace("today")

    def widths() -> list[int]:
        return [learning.view.horizontalHeader().sectionSize(COL_TITLE),
                offers.view.horizontalHeader().sectionSize(COL_NEED),
                offers.entries.view.horizontalHeader().sectionSize(COL_TEXT),
                hours.totals_view.horizontalHeader().sectionSize(2),
                network.hubs_view.horizontalHeader().sectionSize(COL_HUB),
                connections.view.horizontalHeader().sectionSize(COL_A),
                groups.tree.header().sectionSize(COL_KIND),
                groups.members.view.horizontalHeader().sectionSize(COL_ROLE)]

    before = widths()
    window.larger_text.trigger()
    try:
        qtbot.waitUntil(lambda: all(now > then for now, then in zip(widths(), before, strict=True)), timeout=2000)
        header = hours.totals_view.horizontalHeader()
        assert header.sectionSize(2) >= header.sectionSizeHint(2)  # "Hours pledged" whole
    finally:
        window.larger_text.trigger()
    qtbot.waitUntil(lambda: widths() == before, timeout=2000)
