"""Sending a PDF to a printer: each page rendered by QtPdf and drawn at its true physical size, so label sheets
line up (no "fit to page" scaling)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

MAX_DPI = 300  # enough for text; 600 dpi A4 pages would take ~140 MB each


def print_pdf(document: QPdfDocument, printer: QPrinter) -> str:
    """Print every page; returns "" or a one-line error."""
    if document.pageCount() == 0:
        return QCoreApplication.translate("Printing", "Nothing to print: make a preview first.")
    printer.setFullPage(True)
    painter = QPainter()
    if not painter.begin(printer):
        return QCoreApplication.translate("Printing", "Could not start the printer.")
    try:
        device_dpi = printer.resolution()
        render_dpi = min(device_dpi, MAX_DPI)
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            points = document.pagePointSize(page)
            image = document.render(page, QSize(round(points.width() / 72 * render_dpi),
                                                round(points.height() / 72 * render_dpi)))
            target = QRectF(0, 0, points.width() / 72 * device_dpi, points.height() / 72 * device_dpi)
            painter.drawImage(target, image)
    finally:
        painter.end()
    return ""
