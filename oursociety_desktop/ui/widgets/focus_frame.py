"""A clear focus frame on lists, tables and trees, styled where they are rather than on the whole window.

Some styles draw no focus frame on item views, so keyboard users lost track of where they were (the sidebar, the
contacts list, the phone and email tables). A style sheet draws one. It is set on each workspace, on the sidebar
and on dialogs that hold lists, not on the main window: a window-wide sheet made Qt polish every widget of every
workspace again whenever it was re-applied, which a change of text size needs (Qt does not pass a new application
font on to widgets under a style sheet): 250-350 ms with the event loop blocked. Now a text-size change restyles
what is on screen, and each other workspace when it is next shown (`MainWindow.show_workspace`).
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

FOCUS_STYLE = ("QAbstractItemView:focus { border: 2px solid palette(highlight); } "
               "QAbstractItemView { border: 2px solid transparent; }")


def frame_focus(widget: QWidget) -> None:
    """Draw the focus frame on every list, table and tree inside `widget` (and on `widget` itself if it is one).
    Calling it again polishes them once more, with the application's current font."""
    # A different text makes Qt polish again, once (clearing the sheet first would polish twice).
    widget.setStyleSheet(FOCUS_STYLE if widget.styleSheet() != FOCUS_STYLE else FOCUS_STYLE + " ")
