"""A clear focus frame on whichever list, table or tree has the keyboard focus.

Some styles draw no focus frame on item views, so keyboard users lost track of where they were (the sidebar, the
contacts list, the phone and email tables). This draws one: a line `WIDTH` pixels wide in the palette's highlight
colour along the inner edge of the view that has the focus, or that holds the cell editor having it.

The line is four thin child widgets of the view that Qt fills with the highlight colour, placed by a layout of their
own on the view. So it follows the view's size, the palette (dark, high contrast) and right-to-left layouts, and
takes no mouse clicks; no Python runs for a cell or a resize. The strips are made the first time a view gets the
focus, seen through `QApplication.focusChanged`, so views made later (a dialog's table) have one too. Views in
popups (a combo box's list, a completer) get none: they close as soon as they lose the focus.

It was a style sheet on each workspace, the sidebar and some dialogs before. A style sheet draws every item view
under it through Qt's style-sheet style, slower for every cell (repainting the contacts table's 22 rows took 6.0 ms
with it, 4.9 ms without), and Qt passes neither a new application font nor a new palette on to widgets under one:
each text-size change had to apply it again, and a dark palette left the workspaces light.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractItemView, QApplication, QGridLayout, QLayout, QWidget

WIDTH = 2  # pixels
LAYOUT_NAME = "focus_frame"
# (row, column, rows spanned, columns spanned) of the top, bottom, left and right strips in a 3 x 3 grid.
STRIPS = ((0, 0, 1, 3), (2, 0, 1, 3), (1, 0, 1, 1), (1, 2, 1, 1))


class FocusFrames(QObject):
    """Shows the frame of the view that gets the focus and hides the one of the view that loses it."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.setObjectName("focus_frames")
        app.focusChanged.connect(self.focus_changed)
        self.focus_changed(None, app.focusWidget())

    def focus_changed(self, old: QWidget | None, now: QWidget | None) -> None:
        was, view = framed_view(old), framed_view(now)
        if was is not None and was is not view:
            self.show_frame(was, False)
        if view is not None:
            self.show_frame(view, True)

    def show_frame(self, view: QAbstractItemView, shown: bool) -> None:
        """Show or hide the view's frame. While it is shown, it is kept above the scroll bars, which the view
        raises above its other children each time it lays them out (on a resize, when rows come or go)."""
        strips = frame_strips(view, make=shown)
        if not strips:  # never framed, or a view on its way out (its layout goes first)
            return
        for strip in strips:
            strip.setVisible(shown)
            if shown:
                strip.raise_()
        for bar in (view.horizontalScrollBar(), view.verticalScrollBar()):
            container = bar.parentWidget()
            if container is not None and container is not view:
                if shown:
                    container.installEventFilter(self)
                else:
                    container.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # Runs for the events of the focused view's two scroll bar holders only, not for every event of the app.
        if event.type() == QEvent.Type.ZOrderChange and isinstance(watched, QWidget):
            view = watched.parentWidget()
            if isinstance(view, QAbstractItemView):
                for strip in frame_strips(view, make=False):
                    strip.raise_()
        return False


def show_focus_frames() -> None:
    """From now on, frame the list, table or tree that has the focus (once per application; later calls do
    nothing)."""
    app = QApplication.instance()
    if isinstance(app, QApplication) and \
            app.findChild(FocusFrames, "focus_frames", Qt.FindChildOption.FindDirectChildrenOnly) is None:
        FocusFrames(app)


def framed_view(widget: QWidget | None) -> QAbstractItemView | None:
    """The list, table or tree `widget` is, or is in (a cell's editor); None outside views and in popups."""
    while widget is not None:
        if isinstance(widget, QAbstractItemView):
            return None if widget.window().windowType() == Qt.WindowType.Popup else widget
        if widget.isWindow():
            return None
        widget = widget.parentWidget()
    return None


def frame_strips(view: QAbstractItemView, make: bool = True) -> list[QWidget]:
    """The four strips of the view's frame, made now if it has none yet and `make` is true."""
    layout = view.layout()
    if layout is None and make:
        layout = _make_frame(view)
    if layout is None or layout.objectName() != LAYOUT_NAME:
        return []
    return [w for i in range(layout.count()) if (item := layout.itemAt(i)) and (w := item.widget()) is not None]


def _make_frame(view: QAbstractItemView) -> QLayout:
    # The layout covers the whole view, its own frame included, rather than the area inside that frame.
    view.setAttribute(Qt.WidgetAttribute.WA_LayoutOnEntireRect)
    grid = QGridLayout(view)
    grid.setObjectName(LAYOUT_NAME)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setSpacing(0)
    grid.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)  # the view's own sizes stay as they were
    grid.setRowStretch(1, 1)
    grid.setColumnStretch(1, 1)
    for row, column, rows, columns in STRIPS:
        strip = QWidget(view)
        strip.setObjectName("focus_frame_strip")
        strip.setAutoFillBackground(True)
        strip.setBackgroundRole(QPalette.ColorRole.Highlight)
        strip.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        if columns == 3:
            strip.setFixedHeight(WIDTH)
        else:
            strip.setFixedWidth(WIDTH)
        strip.hide()
        grid.addWidget(strip, row, column, rows, columns)
    return grid
