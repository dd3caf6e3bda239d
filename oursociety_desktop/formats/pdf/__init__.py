"""Printed products: directory, group sheet, sign-in sheet, labels, action list, call list.

Each product is a function `print_X(db, options, out, progress=None) -> PrintResult` in its own module; the
registry of them is `oursociety_desktop.formats.pdf.products.PRODUCTS`. ReportLab only, no Qt.
"""
