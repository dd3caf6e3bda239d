"""The Print workspace: pick a product and its options, preview the PDF inside the app (QtPdf), save it, or send
it to the system's print dialog. The PDF is made by the Qt-free products on the task runner (progress, Cancel)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import QCoreApplication, QStandardPaths, Qt, QTemporaryDir, Signal
from PySide6.QtGui import QPageSize, QShowEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from oursociety_desktop.formats.pdf.options import PrintOptions, PrintResult
from oursociety_desktop.formats.pdf.products import print_product
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.progress import Progress
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.printing.options_panel import PrintOptionsPanel
from oursociety_desktop.ui.printing.printer import print_pdf
from oursociety_desktop.ui.widgets.edits import MessageLine
from oursociety_desktop.ui.widgets.scrolling import VerticalScrollArea
from oursociety_desktop.ui.wording import plural

RELEVANT = {"contact", "group", "membership", "action", "action_link"}


def make_pdf(progress: Progress, db: Database, product: str, options: PrintOptions, out: str) -> PrintResult:
    """The task the runner runs in a worker: write one product to `out`."""
    return print_product(product, db, options, Path(out), progress)


class PrintWorkspace(QWidget):
    """Choose, preview, save, print."""

    TITLE: ClassVar[str] = QCoreApplication.translate("PrintWorkspace", "Print")
    review_held_back = Signal()  # the window lists the people left out of printouts, in Contacts

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._temp = QTemporaryDir()
        self._preview_path = Path(self._temp.path()) / "preview.pdf"
        self._previewed: tuple[str, PrintOptions] | None = None
        self.last_result: PrintResult | None = None
        self.document = QPdfDocument(self)
        self._build()
        ctx.events.changed.connect(self._on_changed)

    def _build(self) -> None:
        self.panel = PrintOptionsPanel(self.ctx.db, self)
        self.panel.changed.connect(self._on_options_changed)
        self.preview_button = QPushButton(self.tr("&Preview"), self)
        self.preview_button.setAccessibleName(self.tr("Make a preview"))
        self.preview_button.setAccessibleDescription(self.tr("Shows the printout beside the options"))
        self.preview_button.clicked.connect(self.make_preview)
        self.save_button = QPushButton(self.tr("&Save PDF…"), self)
        self.save_button.setAccessibleName(self.tr("Save as a PDF file"))
        self.save_button.setAccessibleDescription(self.tr("Asks where to save the PDF"))
        self.save_button.clicked.connect(self.save_pdf)
        self.print_button = QPushButton(self.tr("P&rint…"), self)
        self.print_button.setAccessibleName(self.tr("Send to a printer"))
        self.print_button.setAccessibleDescription(self.tr("Opens the print dialog"))
        self.print_button.clicked.connect(self.print_document)
        self.status = QLabel(self.tr("Choose what to print, then press Preview."), self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("What was printed"))
        self.message = MessageLine(self)
        # Who the printout leaves out is listed in the status; one click shows them in Contacts.
        self.review_button = QPushButton(self.tr("Review people left out"), self)
        self.review_button.setAccessibleName(self.tr("Review people left out of the printout"))
        self.review_button.clicked.connect(self.review_held_back)
        self.review_button.hide()
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setAccessibleName(self.tr("Preview of the printout"))

        scroll = self.options_scroll = VerticalScrollArea(self.panel, self)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its options take the focus; Tab went back to it last
        left = self.options_side = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(scroll, 1)
        buttons = QHBoxLayout()
        for button in (self.preview_button, self.save_button, self.print_button):
            buttons.addWidget(button)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.message)
        left_layout.addWidget(self.status)
        left_layout.addWidget(self.review_button)
        splitter = self.splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(self.view)
        splitter.setStretchFactor(1, 1)
        self._split_set = False
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self._split_set and self.splitter.width() > 0:
            # The options may shrink to their minimum, but start with two fifths of the width, where a label
            # sheet's full name fits; the preview takes the rest.
            self._split_set = True
            total = sum(self.splitter.sizes())
            left = max(self.options_side.minimumSizeHint().width(), total * 2 // 5)
            self.splitter.setSizes([left, max(0, total - left)])

    # ---- generation ----

    def _run(self, out: Path, title: str, on_done: object) -> None:
        product, options = self.panel.product(), self.panel.options()
        self.message.clear_message()

        def done(result: PrintResult) -> None:
            self.last_result = result
            self._show_result(result)
            if callable(on_done):
                on_done(product, options)

        self.ctx.runner.run(make_pdf, self.ctx.db, product, options, str(out), title=title,
                            on_done=done, on_error=self.message.show_error)

    def make_preview(self) -> None:
        """Generate the chosen product into a temporary file and show it."""
        def show(product: str, options: PrintOptions) -> None:
            self.document.close()
            self.document.load(str(self._preview_path))
            self._previewed = (product, options)

        self._run(self._preview_path, self.tr("Making the preview"), show)

    def save_pdf(self) -> None:
        """Ask where, then write the PDF there (whole or not at all)."""
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        suggested = str(Path(folder) / f"{self.panel.product()}.pdf")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the PDF"), suggested, self.tr("PDF files (*.pdf)"))
        if not path:
            return
        target = Path(path) if path.lower().endswith(".pdf") else Path(path + ".pdf")
        if self._is_fresh() and self._preview_path.exists():
            self._copy_preview(target)
            return
        self._run(target, self.tr("Saving the PDF"), None)

    def _copy_preview(self, target: Path) -> None:
        from oursociety_desktop.models.atomic import atomic_path
        from oursociety_desktop.models.errors import UserError

        try:
            with atomic_path(target) as temp:
                shutil.copyfile(self._preview_path, temp)
        except UserError as exc:
            self.message.show_error(exc.message)
            return
        self.status.setText(self.tr("Saved {0}.").format(str(target)))

    def print_document(self) -> None:
        """Make the preview if it is stale, then show the system print dialog and print it."""
        if not self._is_fresh():
            self._run(self._preview_path, self.tr("Preparing to print"), lambda p, o: self._after_prepare(p, o))
            return
        self._ask_and_print()

    def _after_prepare(self, product: str, options: PrintOptions) -> None:
        self.document.close()
        self.document.load(str(self._preview_path))
        self._previewed = (product, options)
        self._ask_and_print()

    def _ask_and_print(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if self.document.pageCount():
            # The paper the PDF was made for (A4 or Letter, matched by size), so nothing is scaled or cut.
            printer.setPageSize(QPageSize(self.document.pagePointSize(0).toSize()))
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """Print the previewed document at its true size (labels must not be scaled)."""
        error = print_pdf(self.document, printer)
        if error:
            self.message.show_error(error)
        else:
            self.status.setText(plural(self.document.pageCount(), "Sent {n} page to the printer.",
                                       "Sent {n} pages to the printer."))

    # ---- state ----

    def _is_fresh(self) -> bool:
        return self._previewed is not None and self._previewed == (self.panel.product(), self.panel.options())

    def _show_result(self, result: PrintResult) -> None:
        lines = [plural(result.pages, "{n} page", "{n} pages") + ", "
                 + plural(result.entries, "{n} entry.", "{n} entries.")]
        lines += result.notes
        self.status.setText("\n".join(lines))
        self.review_button.setVisible(result.left_out > 0)

    def _on_options_changed(self) -> None:
        if self._previewed is not None and not self._is_fresh():
            self.status.setText(self.tr("Options changed: press Preview to see them."))

    def _on_changed(self, record_types: frozenset[str]) -> None:
        if not record_types & RELEVANT:
            return
        if self.isWindow() or self.isVisibleTo(self.window()):
            self.refresh()
        else:
            # Hidden behind another workspace: the main window refreshes it when shown. Reloading the choices
            # on every edit elsewhere held the event loop 250-950 ms at 100k contacts (the event-loop watchdog).
            self._previewed = None

    def refresh(self) -> None:
        """Reload the group and meeting choices; the preview is marked stale."""
        self.panel.reload_choices()
        self._previewed = None
