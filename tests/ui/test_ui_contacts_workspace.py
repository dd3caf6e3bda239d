"""The Contacts workspace driven as a user would: type, click, choose; every check reads the database."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlmodel import select

from oursociety_desktop.models.contacts import ERASURE_REASONS, create_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.groups import create_group
from oursociety_desktop.models.tables import Contact, Membership
from oursociety_desktop.ui.contacts.contact_model import COL_NAME, CONTACT_ID_ROLE
from oursociety_desktop.ui.contacts.dialogs import ChooseGroupDialog, ForgetDialog, NewContactDialog
from oursociety_desktop.ui.contacts.workspace import ContactsWorkspace
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.tasks import SyncTaskRunner


@pytest.fixture
def ids(db: Database) -> dict[str, str]:
    with db.write() as tx:
        return {
            "anna": create_contact(tx, {"given_name": "Anna", "family_name": "Adams"}).id,
            "zofia": create_contact(tx, {"given_name": "Zofia", "family_name": "Łukasiewicz"}).id,
            "omar": create_contact(tx, {"given_name": "عمر", "family_name": "حداد"}).id,
            "garden": create_group(tx, {"name": "Garden"}).id,
        }


@pytest.fixture
def ws(ctx: AppContext, ids: dict[str, str], qtbot: QtBot) -> ContactsWorkspace:
    widget = ContactsWorkspace(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    widget.activateWindow()
    qtbot.waitActive(widget)
    return widget


def contact(db: Database, cid: str) -> Contact:
    with db.read() as session:
        found = session.get(Contact, cid)
        assert found is not None
        return found


def type_text(widget: QWidget, text: str) -> None:
    """Type any script, one key event per character (qtbot.keyClicks aborts on non-ASCII)."""
    if QApplication.activeWindow() is not widget.window():
        widget.window().activateWindow()  # the window is active again once a dialog closes
        QApplication.processEvents()
    widget.setFocus()
    send_chars(widget, text)


def send_chars(widget: QWidget, text: str) -> None:
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


def replace_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    type_text(widget, text)


def with_modal(action: Callable[[QWidget], None]) -> None:
    """Act on the next modal dialog once it is open (a user answering it)."""
    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, act)
            return
        action(dialog)
    QTimer.singleShot(0, act)


def visible_names(ws: ContactsWorkspace) -> list[str]:
    return [ws.model.data(ws.model.index(r, COL_NAME)) for r in range(ws.model.rowCount())]


def select_rows(ws: ContactsWorkspace, *names: str) -> None:
    ws.table.clearSelection()
    for row in range(ws.model.rowCount()):
        if ws.model.data(ws.model.index(row, COL_NAME)) in names:
            ws.table.selectionModel().select(ws.model.index(row, COL_NAME),
                                             ws.table.selectionModel().SelectionFlag.Select
                                             | ws.table.selectionModel().SelectionFlag.Rows)


def test_search_as_you_type_in_any_script(ws: ContactsWorkspace, qtbot: QtBot) -> None:
    assert ws.count_label.text() == "3 people"
    type_text(ws.filters.search, "łuk")
    qtbot.waitUntil(lambda: visible_names(ws) == ["Zofia Łukasiewicz"], timeout=2000)
    replace_text(qtbot, ws.filters.search, "حد")
    qtbot.waitUntil(lambda: visible_names(ws) == ["عمر حداد"], timeout=2000)
    assert ws.count_label.text() == "1 person"
    ws.filters.search.clear()
    qtbot.waitUntil(lambda: len(visible_names(ws)) == 3, timeout=2000)


def test_new_contact_edit_validate_and_undo(ws: ContactsWorkspace, ctx: AppContext, qtbot: QtBot) -> None:
    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, NewContactDialog)
        type_text(dialog.given, "Małgorzata")
        type_text(dialog.family, "Nowak")
        qtbot.keyClick(dialog.family, Qt.Key.Key_Return)

    with_modal(fill)
    qtbot.mouseClick(ws.new_button, Qt.MouseButton.LeftButton)
    new_id = ws.editor.contact_id
    assert new_id is not None
    assert contact(ctx.db, new_id).given_name == "Małgorzata"
    assert ws.model.rowCount() == 4

    # An edit is saved when the field is left.
    role = ws.editor.lines["role"]
    type_text(role, "gardener")
    qtbot.keyClick(role, Qt.Key.Key_Tab)
    assert contact(ctx.db, new_id).role == "gardener"

    # A bad email is refused with the message beside the emails, nothing saved.
    qtbot.mouseClick(ws.editor.emails.add_button, Qt.MouseButton.LeftButton)
    cell = QApplication.focusWidget()  # the new row's value cell, open for typing
    assert cell is not None and cell is not ws.editor.emails.table
    send_chars(cell, "not-an-email")
    qtbot.keyClick(cell, Qt.Key.Key_Tab)  # leaving the cell commits it
    assert "not a valid email" in ws.editor.message_for("emails")
    assert contact(ctx.db, new_id).emails == []
    ws.editor.emails.table.item(0, 1).setText("gosia@example.org")
    assert ws.editor.message_for("emails") == ""
    assert contact(ctx.db, new_id).emails == [{"label": "home", "value": "gosia@example.org"}]

    # Blanking every name is refused beside the given name.
    replace_text(qtbot, ws.editor.lines["given_name"], "")
    qtbot.keyClick(ws.editor.lines["given_name"], Qt.Key.Key_Tab)
    assert contact(ctx.db, new_id).given_name == ""  # the family name is still there
    replace_text(qtbot, ws.editor.lines["family_name"], "")
    qtbot.keyClick(ws.editor.lines["family_name"], Qt.Key.Key_Tab)
    assert "needs a name" in ws.editor.message_for("given_name")
    assert contact(ctx.db, new_id).family_name == "Nowak"

    # Consent flags save at once (switched on: once the organiser says how, in person by default); undo and redo
    # walk the steps back and forth.
    with_modal(lambda dialog: dialog.accept())  # type: ignore[attr-defined]
    qtbot.mouseClick(ws.editor.consent.flags["share_with_hubs"], Qt.MouseButton.LeftButton)
    assert contact(ctx.db, new_id).share_with_hubs is True
    ctx.undo_stack.undo()
    assert contact(ctx.db, new_id).share_with_hubs is False
    assert ws.editor.consent.flags["share_with_hubs"].isChecked() is False
    ctx.undo_stack.undo()  # the blanked given name
    assert contact(ctx.db, new_id).given_name == "Małgorzata"
    assert ws.editor.lines["given_name"].text() == "Małgorzata"
    ctx.undo_stack.undo()  # the email
    assert contact(ctx.db, new_id).emails == []
    ctx.undo_stack.redo()
    assert contact(ctx.db, new_id).emails == [{"label": "home", "value": "gosia@example.org"}]


def test_phone_warning_and_private_notes(ws: ContactsWorkspace, ctx: AppContext, ids: dict[str, str],
                                         qtbot: QtBot) -> None:
    ws.open_contact(ids["anna"])
    ws.editor.phones.add_row()
    ws.editor.phones.table.item(0, 1).setText("12")
    assert contact(ctx.db, ids["anna"]).phones == [{"label": "mobile", "value": "12"}]  # kept, with a warning
    assert "kept as typed" in ws.editor.message_for("phones")
    ws.editor.private_notes.setFocus()
    type_text(ws.editor.private_notes, "Prefers Tuesdays")
    ws.editor.lines["tags"].setFocus()
    assert contact(ctx.db, ids["anna"]).private_notes == "Prefers Tuesdays"
    type_text(ws.editor.lines["tags"], "cooking, driving")
    qtbot.keyClick(ws.editor.lines["tags"], Qt.Key.Key_Return)
    assert contact(ctx.db, ids["anna"]).tags == ["cooking", "driving"]
    replace_text(qtbot, ws.editor.consent.recorded_at, "45 Smarch")  # "yesterday" is a date now
    qtbot.keyClick(ws.editor.consent.recorded_at, Qt.Key.Key_Return)
    assert "is not a date" in ws.editor.message_for("consent_recorded_at")
    assert contact(ctx.db, ids["anna"]).consent_recorded_at == ""


def test_delete_with_undo_and_delete_key(ws: ContactsWorkspace, ctx: AppContext, ids: dict[str, str],
                                         qtbot: QtBot) -> None:
    select_rows(ws, "Anna Adams", "Zofia Łukasiewicz")
    ws.table.setFocus()
    qtbot.keyClick(ws.table, Qt.Key.Key_Delete)
    assert contact(ctx.db, ids["anna"]).deleted and contact(ctx.db, ids["zofia"]).deleted
    assert visible_names(ws) == ["عمر حداد"]
    ctx.undo_stack.undo()
    assert not contact(ctx.db, ids["anna"]).deleted and not contact(ctx.db, ids["zofia"]).deleted
    assert len(visible_names(ws)) == 3


def test_forget_asks_why_and_explains(ws: ContactsWorkspace, ctx: AppContext, ids: dict[str, str],
                                     qtbot: QtBot) -> None:
    ws.open_contact(ids["zofia"])
    seen: list[str] = []

    def cancel(dialog: QWidget) -> None:
        assert isinstance(dialog, ForgetDialog)
        seen.extend(label.text() for label in dialog.findChildren(QLabel))
        dialog.reject()

    with_modal(cancel)
    qtbot.mouseClick(ws.editor.forget_button, Qt.MouseButton.LeftButton)
    assert any("cannot be undone" in text for text in seen)
    assert contact(ctx.db, ids["zofia"]).erased is False

    def confirm(dialog: QWidget) -> None:
        assert isinstance(dialog, ForgetDialog)
        combo = dialog.reason_combo
        # A short list, no free text: the reason travels to every hub.
        assert not combo.isEditable() and combo.count() == len(ERASURE_REASONS)
        combo.setCurrentIndex(combo.findData("entered in error"))
        forget = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Forget for good")
        forget.click()

    with_modal(confirm)
    qtbot.mouseClick(ws.editor.forget_button, Qt.MouseButton.LeftButton)
    erased = contact(ctx.db, ids["zofia"])
    assert erased.erased and erased.given_name == "" and erased.family_name == ""
    assert erased.erased_reason == "entered in error"
    assert "Zofia Łukasiewicz" not in visible_names(ws)


def test_bulk_group_tag_and_flags_each_one_undo_step(ws: ContactsWorkspace, ctx: AppContext, ids: dict[str, str],
                                                     qtbot: QtBot) -> None:
    select_rows(ws, "Anna Adams", "عمر حداد")

    def choose(dialog: QWidget) -> None:
        assert isinstance(dialog, ChooseGroupDialog)
        dialog.combo.setCurrentIndex(dialog.combo.findText("Garden"))
        dialog.accept()

    with_modal(choose)
    ws.add_selected_to_group()
    with ctx.db.read() as session:
        members = set(session.exec(select(Membership.contact_id).where(Membership.deleted == False)).all())  # noqa: E712
    assert members == {ids["anna"], ids["omar"]}

    def tag(dialog: QWidget) -> None:
        assert isinstance(dialog, QDialog)
        line = dialog.findChild(QLineEdit)
        type_text(line, "złota rączka")
        dialog.accept()

    with_modal(tag)
    ws.tag_selected()
    assert contact(ctx.db, ids["anna"]).tags == ["złota rączka"]
    assert contact(ctx.db, ids["omar"]).tags == ["złota rączka"]
    assert contact(ctx.db, ids["zofia"]).tags == []

    ws.set_flag_selected("include_in_directory", True)
    assert contact(ctx.db, ids["anna"]).include_in_directory and contact(ctx.db, ids["omar"]).include_in_directory
    assert ctx.undo_stack.count() == 3
    ctx.undo_stack.undo()
    assert not contact(ctx.db, ids["anna"]).include_in_directory
    ctx.undo_stack.undo()
    assert contact(ctx.db, ids["omar"]).tags == []
    ctx.undo_stack.undo()
    with ctx.db.read() as session:
        assert session.exec(select(Membership.contact_id).where(Membership.deleted == False)).all() == []  # noqa: E712


def test_filters_through_combos(ws: ContactsWorkspace, ctx: AppContext, ids: dict[str, str], qtbot: QtBot) -> None:
    select_rows(ws, "Zofia Łukasiewicz")
    ws.set_flag_selected("share_with_hubs", True)
    consent = ws.filters.consent
    consent.setCurrentIndex(consent.findData("share"))
    assert visible_names(ws) == ["Zofia Łukasiewicz"]
    consent.setCurrentIndex(consent.findData("no_share"))
    assert visible_names(ws) == ["Anna Adams", "عمر حداد"]
    consent.setCurrentIndex(0)
    ws.filters.group.ensure_loaded()
    ws.filters.group.setCurrentIndex(ws.filters.group.findText("Garden"))
    assert visible_names(ws) == []
    assert ws.model.data(ws.model.index(0, COL_NAME), CONTACT_ID_ROLE) is None


def test_arabic_name_renders_right_to_left(ws: ContactsWorkspace, ids: dict[str, str]) -> None:
    """Qt's bidi algorithm lays an Arabic name out right to left: its first letter is drawn rightmost."""
    from PySide6.QtGui import QTextLayout

    ws.open_contact(ids["omar"])
    name = ws.editor.heading.text()
    assert name == "عمر حداد"
    assert ws.model.data(ws.model.index(2, COL_NAME)) == name
    layout = QTextLayout(name, ws.table.font())
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(1000)
    layout.endLayout()
    first_x = line.cursorToX(0)[0]
    end_x = line.cursorToX(len(name))[0]
    assert first_x > end_x  # logical start on the right


def test_tab_walks_the_editor_top_to_bottom(ws: ContactsWorkspace, ids: dict[str, str], qtbot: QtBot) -> None:
    ws.open_contact(ids["anna"])
    editor = ws.editor
    expected = editor.focus_order()[:9]  # names, role, stage, phones table and its buttons
    expected[0].setFocus()
    seen = [QApplication.focusWidget()]
    for _ in range(len(expected) - 1):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen == expected


def test_every_input_has_an_accessible_name(ws: ContactsWorkspace, ids: dict[str, str]) -> None:
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QPlainTextEdit

    ws.open_contact(ids["anna"])
    inputs = [w for w in ws.findChildren(QWidget)
              if isinstance(w, QLineEdit | QComboBox | QPlainTextEdit | QAbstractButton | QAbstractItemView)
              and w.isVisibleTo(ws) and not isinstance(w.parent(), QComboBox | QAbstractItemView)]
    assert len(inputs) > 30
    nameless = [f"{type(w).__name__} {w.objectName()}" for w in inputs
                if not (w.accessibleName() or (isinstance(w, QAbstractButton) and w.text()))]
    assert nameless == []


def test_keyboard_only_search_then_open(ws: ContactsWorkspace, ids: dict[str, str], qtbot: QtBot) -> None:
    qtbot.keyClick(ws, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is ws.filters.search
    type_text(ws.filters.search, "zof")
    qtbot.keyClick(ws.filters.search, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is ws.table
    assert ws.editor.contact_id == ids["zofia"]


def test_follows_a_dark_palette(ctx: AppContext, ids: dict[str, str], qtbot: QtBot) -> None:
    """No colours are hard-coded: under a dark system palette the list and the editor are dark too."""
    from PySide6.QtGui import QColor, QPalette

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    old = app.palette()
    dark = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#202124"), (QPalette.ColorRole.Base, "#17181a"),
                         (QPalette.ColorRole.AlternateBase, "#26272b"), (QPalette.ColorRole.Text, "#e8e8e8"),
                         (QPalette.ColorRole.WindowText, "#e8e8e8"), (QPalette.ColorRole.Button, "#303134"),
                         (QPalette.ColorRole.ButtonText, "#e8e8e8")):
        dark.setColor(role, QColor(colour))
    app.setPalette(dark)
    try:
        widget = ContactsWorkspace(ctx)
        qtbot.addWidget(widget)
        widget.resize(1000, 600)
        widget.show()
        widget.open_contact(ids["anna"])
        image = widget.grab().toImage()
        viewport = widget.table.viewport()
        corner = viewport.mapTo(widget, viewport.rect().bottomRight()) - QPoint(5, 5)
        assert image.pixelColor(corner).lightnessF() < 0.3  # the empty part of the list
        line = widget.editor.lines["given_name"]
        inside = line.mapTo(widget, line.rect().center()) + QPoint(line.width() // 3, 0)
        assert image.pixelColor(inside).lightnessF() < 0.3  # an input box
    finally:
        app.setPalette(old)


def test_large_selection_runs_on_the_task_runner_and_cancel_changes_nothing(
        ctx: AppContext, ids: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    from oursociety_desktop.ui.contacts import commands

    monkeypatch.setattr(commands, "INLINE_LIMIT", 1)
    monkeypatch.setattr(commands, "PROGRESS_EVERY", 1)
    people = [ids["anna"], ids["zofia"], ids["omar"]]
    runner = ctx.runner
    assert isinstance(runner, SyncTaskRunner)
    assert commands.set_flag(ctx, people, "share_with_hubs", True) == 3
    assert runner.progress_seen  # went through the runner, reporting progress
    assert all(contact(ctx.db, cid).share_with_hubs for cid in people)
    assert ctx.undo_stack.count() == 1
    ctx.undo_stack.undo()
    assert not any(contact(ctx.db, cid).share_with_hubs for cid in people)
    ctx.undo_stack.redo()
    assert all(contact(ctx.db, cid).share_with_hubs for cid in people)

    # Cancel part-way: the transaction rolls back and nothing is pushed.
    failures: list[str] = []
    ctx.events.failed.connect(failures.append)
    cancelling = AppContext(ctx.db, SyncTaskRunner(cancel_at=0), ctx.undo_stack, ctx.events)
    commands.add_tag(cancelling, people, "kitchen")
    assert failures and "Cancelled" in failures[0]
    assert all(contact(ctx.db, cid).tags == [] for cid in people)
    assert ctx.undo_stack.count() == 1


def test_editor_lists_groups_actions_and_connections(ws: ContactsWorkspace, ctx: AppContext,
                                                     ids: dict[str, str], qtbot: QtBot) -> None:
    from oursociety_desktop.models.actions import create_action, link_contact
    from oursociety_desktop.models.connections import create_connection
    from oursociety_desktop.models.groups import add_member

    with ctx.db.write() as tx:
        add_member(tx, ids["garden"], ids["anna"], "coordinator")
        action = create_action(tx, {"title": "Seed swap", "due": "2026-04-01"})
        link_contact(tx, action.id, ids["anna"], "attendee")
        connection = create_connection(tx, {"contact_a": ids["zofia"], "contact_b": ids["omar"],
                                            "introduced_by": ids["anna"], "kind": "introduced",
                                            "date": "2026-02-01", "note": "both cook"})
    ctx.events.announce("connection")
    ws.open_contact(ids["anna"])
    related = ws.editor.related
    assert related["group"].item(0).text() == "Garden (coordinator)"
    assert related["action"].item(0).text() == "Seed swap — open, due 2026-04-01 (attendee)"
    assert related["connection"].item(0).text() == "introduced Zofia Łukasiewicz and عمر حداد, 2026-02-01"
    with qtbot.waitSignal(ws.open_record) as blocker:
        related["connection"].itemActivated.emit(related["connection"].item(0))
    assert blocker.args == ["connection", connection.id]
    ws.open_contact(ids["omar"])
    expected = "introduced: Zofia Łukasiewicz (introduced by Anna Adams), 2026-02-01"
    assert related["connection"].item(0).text() == expected
