"""The import wizard, the export dialog and the Duplicates view, driven as a user would (offscreen widgets,
synchronous task runner, a real hub)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QUndoStack
from sqlmodel import select

from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.tables import Contact, NotDuplicate
from oursociety_desktop.ui.context import AppContext, DataEvents
from oursociety_desktop.ui.duplicates.pair_model import COL_A, COL_SCORE, DuplicatePairModel
from oursociety_desktop.ui.duplicates.workspace import DuplicatesWorkspace
from oursociety_desktop.ui.interop.export_dialog import ExportDialog
from oursociety_desktop.ui.interop.import_wizard import (
    PAGE_CHOICES,
    PAGE_MAPPING,
    PAGE_PREVIEW,
    PAGE_RESULT,
    ImportWizard,
)
from oursociety_desktop.ui.interop.workspace import InteropWorkspace
from oursociety_desktop.ui.tasks import SyncTaskRunner


def _live(db: Database) -> dict[str, Contact]:
    with db.read() as session:
        return {c.shown_name: c for c in session.exec(select(Contact)).all() if not c.deleted}


def _next(qtbot: Any, wizard: ImportWizard, page: int) -> None:
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == page, timeout=3000)


def test_wizard_imports_a_csv_with_mapping_choices_group_and_tag(ctx: AppContext, qtbot: Any, tmp_path: Path,
                                                                 fixtures: Path) -> None:
    with ctx.db.write() as tx:
        create_contact(tx, {"given_name": "Amara", "family_name": "Okafor", "emails": ["amara.okafor@example.org"]})
    changed: set[str] = set()
    ctx.events.changed.connect(changed.update)
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(fixtures / "google_contacts.csv"))
    _next(qtbot, wizard, PAGE_MAPPING)
    page = wizard.mapping_page
    headers = wizard.table().headers
    assert page.mapping()[headers.index("Last Name")].field == "family_name"
    page.set_target(headers.index("Organization Title"), "ignore")  # the user changes one column
    _next(qtbot, wizard, PAGE_PREVIEW)
    preview = wizard.preview_page
    assert preview.model.counts() == (2, 1, 0)
    assert "Duplicate of Amara Okafor" in [preview.model.status(r) for r in preview.model.rows]
    _next(qtbot, wizard, PAGE_CHOICES)
    wizard.choices_page.duplicates.button(2).setChecked(True)  # fill empty fields
    wizard.choices_page.group.setText("Google import")
    wizard.choices_page.tag.setText("imported")
    _next(qtbot, wizard, PAGE_RESULT)
    qtbot.waitUntil(lambda: wizard.result_page.done, timeout=3000)
    assert wizard.summary is not None
    assert (wizard.summary.added, wizard.summary.filled) == (2, 1)
    assert "2 added" in wizard.result_page.result_label.text()
    people = _live(ctx.db)
    assert people["Amara Okafor"].organisation == "Leeds Community Garden"  # filled in
    assert people["Amara Okafor"].role == ""  # that column was not imported
    assert "imported" in people["Wei Li"].tags
    assert "contact" in changed
    # The matching was remembered for the next file with these columns.
    assert ctx.db.setting("csv_mappings")


def test_wizard_vcard_with_bad_card_needs_skip(ctx: AppContext, qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "big.vcf"
    path.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Good One\nN:One;Good;;;\nEND:VCARD\n"
                    "BEGIN:VCARD\nVERSION:3.0\nFN:Cut\nNOTE:" + "x" * 100_001 + "\nEND:VCARD\n", encoding="utf-8")
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(path))
    _next(qtbot, wizard, PAGE_PREVIEW)  # vCards skip the mapping page
    assert wizard.preview_page.model.counts() == (1, 0, 1)
    _next(qtbot, wizard, PAGE_CHOICES)
    assert not wizard.choices_page.isComplete()
    wizard.choices_page.skip_bad.setChecked(True)
    errors = tmp_path / "skipped.vcf"
    wizard.choices_page.errors_to.setText(str(errors))
    assert wizard.choices_page.isComplete()
    _next(qtbot, wizard, PAGE_RESULT)
    qtbot.waitUntil(lambda: wizard.result_page.done, timeout=3000)
    assert list(_live(ctx.db)) == ["Good One"]
    assert "FN:Cut" in errors.read_text(encoding="utf-8")


def test_wizard_bad_file_shows_message_and_stays(ctx: AppContext, qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "junk.csv"
    path.write_bytes(b"\x00\x01\x02binary\x00" * 50)
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(path))
    wizard.next()
    qtbot.wait(50)
    assert wizard.currentId() == 0
    assert "binary data" in wizard.file_page.error.text()


def test_export_dialog_writes_vcard_and_csv(ctx: AppContext, qtbot: Any, tmp_path: Path) -> None:
    with ctx.db.write() as tx:
        create_contact(tx, {"given_name": "Zofia", "family_name": "Nowak", "phones": ["+44 7700 900123"]})
    dialog = ExportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("vcard-4.0"))
    dialog.path.setText(str(tmp_path / "out.vcf"))
    dialog.start()
    assert "Exported 1 contact to " in dialog.result_message  # one form per count: not "1 contacts"
    assert "VERSION:4.0" in (tmp_path / "out.vcf").read_text(encoding="utf-8")
    dialog.format.setCurrentIndex(dialog.format.findData("csv"))
    for name, check in dialog.field_checks.items():
        check.setChecked(name in ("given_name", "phones"))
    dialog.path.setText(str(tmp_path / "out.csv"))
    dialog.start()
    text = (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "Given Name,Phone 1 - Label,Phone 1 - Value"
    assert "'+44 7700 900123" in text
    dialog.format.setCurrentIndex(dialog.format.findData("vcard-3.0"))
    dialog.one_per_contact.setChecked(True)
    dialog.path.setText(str(tmp_path / "cards"))
    dialog.start()
    assert [p.name for p in (tmp_path / "cards").iterdir()][0].startswith("Zofia-Nowak-")


def test_export_cancel_writes_nothing(db: Database, qtbot: Any, tmp_path: Path) -> None:
    with db.write() as tx:
        for i in range(5):
            create_contact(tx, {"given_name": f"P{i}", "family_name": "X"})
    ctx = AppContext(db=db, runner=SyncTaskRunner(cancel_at=0), undo_stack=QUndoStack(), events=DataEvents())
    dialog = ExportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.path.setText(str(tmp_path / "never.vcf"))
    dialog.start()
    assert "cancelled" in dialog.result_message and not (tmp_path / "never.vcf").exists()


def test_duplicates_view_merge_undo_and_not_duplicate(ctx: AppContext, qtbot: Any) -> None:
    with ctx.db.write() as tx:
        bill = create_contact(tx, {"given_name": "Bill", "family_name": "Smith", "phones": ["07700 900111"],
                                   "organisation": "Allotments"}).id
        william = create_contact(tx, {"given_name": "William", "family_name": "Smith",
                                      "phones": ["+44 7700 900111"]}).id
        anna1 = create_contact(tx, {"given_name": "Anna", "family_name": "Nowak"}).id
        anna2 = create_contact(tx, {"given_name": "Anna", "family_name": "Nowak"}).id
    view = DuplicatesWorkspace(ctx)
    qtbot.addWidget(view)
    view.refresh()  # being shown does not start a scan of every contact
    assert view.model.rowCount() == 0
    view.find_button.click()
    assert view.model.rowCount() == 2
    bill_row = next(i for i, p in enumerate(view.model.pairs) if {p.a, p.b} == {bill, william})
    view.view.selectRow(bill_row)
    assert view.current is not None
    if view._ids()[1] != william:  # keep William's record
        view.swap()
    assert view._ids() == (bill, william)
    panel = view.panel
    assert set(panel.groups) == {"given_name", "phones", "organisation"}
    panel.choose("given_name", 0)  # keep "Bill"
    view.merge_current()
    people = _live(ctx.db)
    assert set(people) == {"Bill Smith", "Anna Nowak"}
    kept = people["Bill Smith"]
    assert kept.id == william and kept.organisation == "Allotments"
    assert view.model.rowCount() == 1
    ctx.undo_stack.undo()
    assert set(_live(ctx.db)) == {"Bill Smith", "William Smith", "Anna Nowak"}
    ctx.undo_stack.redo()
    assert set(_live(ctx.db)) == {"Bill Smith", "Anna Nowak"}
    view.view.selectRow(0)
    view.not_duplicate()
    assert view.model.rowCount() == 0
    with ctx.db.read() as session:
        assert session.exec(select(NotDuplicate)).all() == [NotDuplicate(contact_a=min(anna1, anna2),
                                                                         contact_b=max(anna1, anna2))]
    ctx.undo_stack.undo()
    with ctx.db.read() as session:
        assert session.exec(select(NotDuplicate)).all() == []


def test_pair_model_without_a_window(qtbot: Any) -> None:
    from oursociety_desktop.models.duplicates import DuplicatePair

    model = DuplicatePairModel()
    model.set_pairs([DuplicatePair("a", "b", 93, ["same email x@y.z"], "Ann A", "Anne A")])
    assert model.rowCount() == 1 and model.columnCount() == 4
    assert model.index(0, COL_SCORE).data() == "93" and model.index(0, COL_A).data() == "Ann A"
    model.remove_pair("b", "a")
    assert model.rowCount() == 0
    model.set_pairs([DuplicatePair("a", "b", 90), DuplicatePair("a", "c", 80), DuplicatePair("c", "d", 75)])
    model.remove_contact("a")
    assert [(p.a, p.b) for p in model.pairs] == [("c", "d")]


def test_workspace_opens_wizard_and_dialog(ctx: AppContext, qtbot: Any) -> None:
    workspace = InteropWorkspace(ctx)
    qtbot.addWidget(workspace)
    workspace.refresh()
    wizard = workspace.open_import()
    dialog = workspace.open_export()
    assert wizard.isVisible() and dialog.isVisible()
    wizard.close()
    dialog.close()
