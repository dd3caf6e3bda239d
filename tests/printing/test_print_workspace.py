"""The Print workspace with real widgets offscreen: choose, preview (QtPdf), save, print, cancel, errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from oursociety_desktop.models.database import Database  # noqa: E402
from oursociety_desktop.ui.context import AppContext  # noqa: E402
from oursociety_desktop.ui.printing.workspace import PrintWorkspace  # noqa: E402
from oursociety_desktop.ui.tasks import SyncTaskRunner  # noqa: E402
from tests.printing.print_fixture import build_hub, flat, pdf_text  # noqa: E402


@pytest.fixture(autouse=True)
def hub(db: Database) -> None:
    build_hub(db)


@pytest.fixture
def ws(qtbot: QtBot, ctx: AppContext) -> Iterator[PrintWorkspace]:
    widget = PrintWorkspace(ctx)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    yield widget


def test_preview_shows_the_pdf_in_the_app(ws: PrintWorkspace) -> None:
    ws.panel.set_product("directory")
    ws.preview_button.click()
    assert ws.document.pageCount() >= 1
    assert ws.last_result is not None and ws.last_result.entries == 11
    assert "1 person not printed" in ws.status.text()
    assert ws.view.document() is ws.document


def test_options_reach_the_product(ws: PrintWorkspace) -> None:
    panel = ws.panel
    panel.set_product("group")
    panel.group_combo.setCurrentIndex(panel.group_combo.findText("Choir"))
    panel.large_check.setChecked(True)
    options = panel.options()
    assert options.group and options.large_print
    assert panel.fields_box.isEnabled() and not panel.format_combo.isEnabled()
    ws.preview_button.click()
    assert ws.last_result is not None and ws.last_result.entries == 3
    panel.set_product("labels")
    assert panel.format_combo.isEnabled() and not panel.paper_combo.isEnabled()
    panel.format_combo.setCurrentIndex(panel.format_combo.findData("5163"))
    assert panel.options().paper == "letter" and panel.start_spin.maximum() == 10


def test_save_writes_the_file(ws: PrintWorkspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "calls"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF files (*.pdf)"))
    ws.panel.set_product("calls")
    ws.save_button.click()
    saved = tmp_path / "calls.pdf"
    assert saved.exists() and "Łukasz Wójcik" in flat(pdf_text(saved))
    # Saving straight after a preview copies the previewed file.
    ws.preview_button.click()
    saved.unlink()
    ws.save_button.click()
    assert saved.exists() and "Saved" in ws.status.text()


def test_print_sends_every_page_at_true_size(ws: PrintWorkspace, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "printed.pdf"

    def accept(dialog: QPrintDialog) -> int:
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    ws.panel.set_product("labels")
    ws.print_button.click()  # no preview yet: it is made first
    assert out.exists()
    reader = PdfReader(str(out))
    assert len(reader.pages) == ws.document.pageCount() >= 1
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 2 and abs(float(box.height) - 841.9) < 2  # A4, as L7160 needs


def test_cancel_leaves_no_preview(qtbot: QtBot, ctx: AppContext) -> None:
    ctx.runner = SyncTaskRunner(cancel_at=40)
    widget = PrintWorkspace(ctx)
    qtbot.addWidget(widget)
    widget.preview_button.click()
    assert widget.document.pageCount() == 0
    assert "cancelled" in widget.message.text().lower()


def test_bad_choice_is_a_one_line_message(ws: PrintWorkspace) -> None:
    ws.panel.set_product("group")  # a group sheet with "Everyone" chosen
    ws.preview_button.click()
    assert not ws.message.isHidden()
    assert ws.message.text() == "Choose a group for the group sheet (--group NAME)."
    assert "\n" not in ws.message.text() and ws.document.pageCount() == 0


def test_new_groups_appear_after_a_change(ws: PrintWorkspace, ctx: AppContext) -> None:
    from oursociety_desktop.models.groups import create_group

    with ctx.db.write() as tx:
        create_group(tx, {"name": "Allotment"})
    ctx.events.announce("group")
    assert ws.panel.group_combo.findText("Allotment") >= 0


def test_every_input_has_an_accessible_name(ws: PrintWorkspace) -> None:
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QSpinBox

    inputs = [w for w in ws.findChildren(QWidget) if isinstance(w, QComboBox | QLineEdit | QSpinBox | QAbstractButton)
              and not isinstance(w.parent(), QComboBox | QSpinBox)]  # their own inner line edits
    assert len(inputs) > 15
    for widget in inputs:
        assert widget.accessibleName(), widget


def test_a_label_that_does_not_fit_is_named_in_the_app(ws: PrintWorkspace, ctx: AppContext) -> None:
    from oursociety_desktop.models.contacts import create_contact

    with ctx.db.write() as tx:
        create_contact(tx, {"given_name": "Ottoline", "family_name": "Longaddress", "locality": "Leeds",
                            "postcode": "LS9 9ZZ", "street": "\n".join(f"Line {i} of a very long address"
                                                                     for i in range(12))})
    ws.panel.set_product("labels")
    ws.panel.format_combo.setCurrentIndex(ws.panel.format_combo.findData("5160"))
    ws.preview_button.click()
    assert "Ottoline Longaddress" in ws.status.text() and "7 pt" in ws.status.text()
    # The paper follows the label format in the app, so a mismatch cannot be chosen there.
    assert ws.panel.options().paper == "letter" and not ws.panel.paper_combo.isEnabled()


@pytest.mark.parametrize("size, larger", [((1200, 760), False), ((1024, 700), True)], ids=["default", "1024-larger"])
def test_the_options_fit_their_pane_without_scrolling_sideways(ctx: AppContext, data_dir: Path, qtbot: QtBot,
                                                               size: tuple[int, int], larger: bool) -> None:
    """At the window's default size, and at 1024x700 with Larger text: no sideways scrolling in the options, no
    label cut, and every choice of every list readable when it is chosen."""
    from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QStyle, QStyleOptionComboBox

    from oursociety_desktop.ui.main_window import MainWindow
    from oursociety_desktop.ui.workspaces import WORKSPACES

    window = MainWindow(ctx, data_dir, specs=WORKSPACES)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    if larger:
        window.larger_text.trigger()
    try:
        printing = window.show_workspace("print")
        assert isinstance(printing, PrintWorkspace)
        panel, scroll = printing.panel, printing.options_scroll
        for product in ("directory", "signin", "labels"):
            panel.set_product(product)
            QApplication.processEvents()
            assert not scroll.horizontalScrollBar().isVisible(), (product, panel.width(), scroll.viewport().width())
            assert panel.width() <= scroll.viewport().width()
            for label in panel.findChildren(QLabel):
                if label.isVisible() and label.text():
                    assert label.width() >= label.sizeHint().width(), label.text()
            if product == "labels" and not larger:  # at the default size the sheet's whole name shows, unopened
                combo = panel.format_combo
                option = QStyleOptionComboBox()
                combo.initStyleOption(option)
                field = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                                     QStyle.SubControl.SC_ComboBoxEditField, combo)
                assert combo.fontMetrics().horizontalAdvance(combo.currentText()) <= field.width()
        for combo in panel.findChildren(QComboBox):
            combo.setEnabled(True)  # a list disabled for this product opens for another
            combo.showPopup()
            try:
                room = combo.view().viewport().width()
                for index in range(combo.count()):
                    text = combo.itemText(index)
                    assert combo.view().fontMetrics().horizontalAdvance(text) <= room, (text, room)
            finally:
                combo.hidePopup()
    finally:
        if larger:
            window.larger_text.trigger()
        window.close()


def test_a_preview_says_who_is_left_out_and_one_click_lists_them(ctx: AppContext, data_dir: Path,
                                                                  qtbot: QtBot) -> None:
    from oursociety_desktop.ui.contacts.workspace import ContactsWorkspace
    from oursociety_desktop.ui.main_window import MainWindow
    from oursociety_desktop.ui.workspaces import WORKSPACES

    window = MainWindow(ctx, data_dir, specs=WORKSPACES)
    qtbot.addWidget(window)
    window.show()
    printing = window.show_workspace("print")
    assert isinstance(printing, PrintWorkspace)
    printing.panel.set_product("directory")
    printing.make_preview()
    assert "1 person not printed: not included in the directory by their choice" in printing.status.text()
    assert printing.review_button.isVisible()
    printing.review_button.click()
    contacts = window.workspace("contacts")
    assert isinstance(contacts, ContactsWorkspace) and window.current_key() == "contacts"
    names = [contacts.model.index(row, 0).data() for row in range(contacts.model.rowCount())]
    assert names == ["Hidden Notlisted"], names
