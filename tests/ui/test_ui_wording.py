"""Wording (issue 17, problem 10) on real widgets: counts through one plural helper ("1 page", never "1 pages"),
no literal "&" in a label, command-line options never named in the window, times in the user's locale and zone
rather than ISO, and a hub id shown only where asked for."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.services.exchange import export_bundle
from oursociety_desktop.ui.context import AppContext, DataEvents
from oursociety_desktop.ui.exchange.exchange_models import COL_AT
from oursociety_desktop.ui.exchange.workspace import ExchangeWorkspace
from oursociety_desktop.ui.interop.import_wizard import ImportWizard
from oursociety_desktop.ui.main_window import MainWindow
from oursociety_desktop.ui.printing.workspace import PrintWorkspace
from oursociety_desktop.ui.tasks import SyncTaskRunner
from oursociety_desktop.ui.wording import local_time, plural
from oursociety_desktop.ui.workspaces import WORKSPACES

ISO_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")


def context(db: Database) -> AppContext:
    return AppContext(db=db, runner=SyncTaskRunner(), undo_stack=QUndoStack(), events=DataEvents())


def test_one_page_is_one_page(qtbot: QtBot, db: Database) -> None:
    assert plural(1, "{n} page", "{n} pages") == "1 page" and plural(2, "{n} page", "{n} pages") == "2 pages"
    with db.write() as tx:
        create_contact(tx, {"given_name": "Ada", "family_name": "Lovelace", "include_in_directory": True})
    printing = PrintWorkspace(context(db))
    qtbot.addWidget(printing)
    printing.make_preview()
    assert printing.status.text().startswith("1 page, 1 entry.")


def literal_ampersands(root: QWidget) -> list[str]:
    """Labels that would show "&" as it is: an "&" that marks no shortcut (no buddy) and is not "&&"."""
    return [label.text() for label in root.findChildren(QLabel)
            if "&" in label.text().replace("&&", "") and label.buddy() is None and not label.text().startswith("<")]


def test_no_label_shows_a_literal_ampersand(qtbot: QtBot, db: Database, data_dir: Path) -> None:
    ctx = context(db)
    window = MainWindow(ctx, data_dir, specs=WORKSPACES)
    qtbot.addWidget(window)
    for spec in window.specs:
        window.show_workspace(spec.key)
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    found = literal_ampersands(window) + literal_ampersands(wizard)
    assert not found, found


def test_the_window_names_its_fields_not_command_line_options(qtbot: QtBot, tmp_path: Path) -> None:
    alpha = Database.create(tmp_path / "alpha", "Alpha")
    beta = Database.create(tmp_path / "beta", "Beta")
    bundle = tmp_path / "secret.oursociety"
    export_bundle(alpha, bundle, passphrase="a long enough passphrase")
    workspace = ExchangeWorkspace(context(beta))
    qtbot.addWidget(workspace)
    panel = workspace.import_panel
    panel.ask_open_path = lambda: bundle  # type: ignore[method-assign]
    panel.choose_import_button.click()
    panel.preview_button.click()  # encrypted, and no passphrase given
    shown = workspace.message.text()
    assert "passphrase" in shown.lower() and "--" not in shown, shown
    alpha.close()
    beta.close()


def test_times_are_shown_in_the_users_locale_and_hub_ids_only_where_asked(qtbot: QtBot, tmp_path: Path) -> None:
    assert not ISO_MOMENT.search(local_time("2026-11-30T09:15:00Z"))
    alpha = Database.create(tmp_path / "alpha", "Alpha")
    beta = Database.create(tmp_path / "beta", "Beta")
    with alpha.write() as tx:
        create_contact(tx, {"given_name": "Chidi", "share_with_hubs": True})
    bundle = tmp_path / "alpha.oursociety"
    export_bundle(alpha, bundle)
    workspace = ExchangeWorkspace(context(beta))
    qtbot.addWidget(workspace)
    panel = workspace.import_panel
    panel.ask_open_path = lambda: bundle  # type: ignore[method-assign]
    panel.ask_trust_hub = lambda *_args: True  # type: ignore[method-assign]  # the organiser compared the keys
    panel.choose_import_button.click()
    panel.preview_button.click()
    assert not ISO_MOMENT.search(panel.preview_notes.text()), panel.preview_notes.text()
    assert alpha.hub_id not in panel.preview_notes.text()  # the hub by its name
    panel.apply_button.click()
    when = workspace.log_model.index(0, COL_AT).data()
    assert when and not ISO_MOMENT.search(when), when
    assert alpha.hub_id not in workspace.peer_combo.currentText()  # the id is in its tooltip and the hubs list
    alpha.close()
    beta.close()


def test_without_a_locale_moments_are_written_as_the_date_fields_write_them(qtbot: QtBot) -> None:
    """A window on the C locale showed 'Changed 2 12 2026 00:52' on Today beside actions due '2026-12-02'."""
    from PySide6.QtCore import QLocale

    from oursociety_desktop.ui.widgets.dates import DateEdit

    before = QLocale()
    QLocale.setDefault(QLocale.c())
    try:
        field = DateEdit(True)
        qtbot.addWidget(field)
        assert local_time("2026-11-30T12:00:00Z", with_time=False) == "2026-11-30"
        assert re.fullmatch(r"2026-11-30 \d\d:00", local_time("2026-11-30T12:00:00Z"))
        assert field.shown("2026-11-30T12:00") == "2026-11-30 12:00"
    finally:
        QLocale.setDefault(before)
