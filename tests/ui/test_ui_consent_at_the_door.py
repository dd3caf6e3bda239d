"""Consent at the door (issue 17, problem 2): nobody is silently left out of printouts or shared.

The hub's defaults are chosen at first run; the add dialog starts from them and says so, records how the person
agreed; `contact add` takes --directory/--share/--consent-method and states what the person got; imports follow
the hub's defaults too."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot

from oursociety_desktop.cli import main
from oursociety_desktop.models.consent import HubConsentDefaults, consent_values, hub_consent_defaults
from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.database import Database, set_setting
from oursociety_desktop.models.tables import Contact
from oursociety_desktop.ui.contacts import commands
from oursociety_desktop.ui.contacts.dialogs import NewContactDialog
from oursociety_desktop.ui.context import AppContext, DataEvents
from oursociety_desktop.ui.first_run import FirstRunChoices, FirstRunDialog, create_hub
from oursociety_desktop.ui.tasks import SyncTaskRunner


def test_first_run_chooses_the_hub_defaults(tmp_path: Path, qtbot: QtBot) -> None:
    dialog = FirstRunDialog(tmp_path / "hub")
    qtbot.addWidget(dialog)
    assert dialog.directory_default.isChecked() and not dialog.share_default.isChecked()
    dialog.hub_name.setText("Riverside")
    dialog.share_default.setChecked(True)
    choices = dialog.choices()
    assert (choices.share_default, choices.directory_default) == (True, True)
    db = create_hub(tmp_path / "hub", choices)
    try:
        assert hub_consent_defaults(db.setting) == HubConsentDefaults(True, True)
        with db.write() as tx:  # a person added without stating anything gets the defaults
            made = create_contact(tx, {"given_name": "Ada"})
        assert made.share_with_hubs and made.include_in_directory
    finally:
        db.close()


def test_first_run_name_error_goes_once_a_name_is_typed(tmp_path: Path, qtbot: QtBot) -> None:
    dialog = FirstRunDialog(tmp_path / "hub")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.accept()
    assert dialog.message.isVisible()
    dialog.hub_name.setText("R")
    assert not dialog.message.isVisible()


def test_add_dialog_starts_from_the_defaults_and_records_how(db: Database, qtbot: QtBot) -> None:
    ctx = AppContext(db, SyncTaskRunner(), QUndoStack(), DataEvents())
    with db.write() as tx:
        set_setting(tx.session, "default_include_in_directory", True)
    dialog = NewContactDialog(lambda values: commands.new_contact(ctx, values), hub_consent_defaults(db.setting))
    qtbot.addWidget(dialog)
    assert dialog.directory.isChecked() and not dialog.share.isChecked()
    assert "defaults" in dialog.consent_note.text()
    dialog.given.setText("Zofia")
    dialog.method.setCurrentIndex(dialog.method.findData("paper"))
    assert "on paper" in dialog.consent_note.text().lower()
    dialog.accept()
    assert dialog.created_id
    with db.read() as session:
        person = session.get(Contact, dialog.created_id)
        assert person is not None
        assert person.include_in_directory and not person.share_with_hubs
        assert person.consent_method == "on paper" and person.consent_recorded_at


def test_consent_values_state_what_was_given() -> None:
    defaults = HubConsentDefaults(False, True)
    assert consent_values(defaults) == {"share_with_hubs": False, "include_in_directory": True}
    given = consent_values(defaults, share=True, directory=False, method="phone")
    assert given["share_with_hubs"] and not given["include_in_directory"] and given["consent_method"] == "by phone"


def test_cli_contact_add_states_consent(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ("--data-dir", str(data_dir))
    assert main([*d, "init", "--hub-name", "Riverside"]) == 0
    capsys.readouterr()
    assert main([*d, "contact", "add", "--given", "Ada", "--directory", "--no-share",
                 "--consent-method", "in-person"]) == 0
    out, err = capsys.readouterr()
    cid = out.strip()
    assert "In printed directories" in err or "in printed directories" in err
    assert "consent given in person" in err
    assert main([*d, "contact", "add", "--given", "Bo"]) == 0
    out2, err2 = capsys.readouterr()
    assert "hub default for --share and --directory" in err2
    conn = sqlite3.connect(data_dir / "oursociety.sqlite3")
    try:
        row = conn.execute("SELECT include_in_directory, share_with_hubs, consent_method FROM contact WHERE id = ?",
                           (cid,)).fetchone()
        assert row == (1, 0, "in person")
        before = conn.execute("SELECT COUNT(*) FROM contact").fetchone()[0]
    finally:
        conn.close()
    # Bad input: one line, exit 2 from argparse for an unknown method, nothing added.
    with pytest.raises(SystemExit) as exc:
        main([*d, "contact", "add", "--given", "Cy", "--consent-method", "telepathy"])
    assert exc.value.code != 0
    conn = sqlite3.connect(data_dir / "oursociety.sqlite3")
    try:
        assert conn.execute("SELECT COUNT(*) FROM contact").fetchone()[0] == before
    finally:
        conn.close()


def test_first_run_choices_default_to_listing_people() -> None:
    assert FirstRunChoices("x", "GB", False).directory_default is True



def test_cli_import_states_what_the_new_people_were_given(data_dir: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    d = ("--data-dir", str(data_dir))
    assert main([*d, "init", "--hub-name", "Riverside"]) == 0
    db = Database.open(data_dir)
    with db.write() as tx:  # as chosen at first run: listed in printouts, not shared
        set_setting(tx.session, "default_include_in_directory", True)
        set_setting(tx.session, "default_share_with_hubs", False)
    db.close()
    card = tmp_path / "one.vcf"
    card.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Ada Lovelace\nN:Lovelace;Ada;;;\nEND:VCARD\n", encoding="utf-8")
    capsys.readouterr()
    assert main([*d, "vcard", "import", str(card)]) == 0
    out = capsys.readouterr().out
    assert ("New people: Not shared with other hubs, in printed directories; consent not recorded (hub defaults)."
            in out), out
    assert main([*d, "vcard", "import", str(card)]) == 0  # the same card again: a duplicate, nobody new
    assert "New people:" not in capsys.readouterr().out
