"""Tab through a pane in the order it is drawn: top to bottom, then left to right.

Qt's default Tab order is the order the widgets were made in, which in a pane built part by part is often not the
order on screen (a workspace's tab bar last, a list before the filter row above it, buttons before the row of
controls above them), so a keyboard user jumps about."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtWidgets import QWidget


def tab_in_order(*widgets: QWidget) -> None:
    """Make Tab go from each widget to the next, in the order given (Shift+Tab back)."""
    for first, second in pairwise(widgets):
        QWidget.setTabOrder(first, second)
