"""Scroll areas: one that scrolls up and down only (its content always has the area's whole width), and the one
each workspace of the main window lives in, so the window can be smaller than a workspace needs."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


class VerticalScrollArea(QScrollArea):
    """Scrolls vertically; asks its layout (a splitter, a window) for at least the width its content needs, so
    the content is never cut at the side and never needs a sideways scroll bar. The request follows the content
    when it changes (Larger text, a longer label)."""

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(content)
        content.installEventFilter(self)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().minimumSizeHint()
        content = self.widget()
        if content is None:
            return hint
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(content.minimumSizeHint().width() + bar + 2 * self.frameWidth(), hint.height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # the content's minimum width may have changed
        return super().eventFilter(watched, event)


class PageScrollArea(QScrollArea):
    """Holds one workspace of the main window. While the window is at least as large as the workspace needs it
    is not seen (no frame, no scroll bars, the window's own background); on a small screen (1024x600) or with
    larger text the workspace keeps its minimum size and scrolls, instead of holding the whole window bigger
    than the screen. Tab moves into the workspace, never onto the area itself, and it scrolls to what has the
    focus.

    The workspace is sized here rather than by Qt's resizable mode, which takes a workspace with a wrapping
    label (Today's counts) at its preferred height for the width and so scrolled where nothing needed to."""

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.viewport().setAutoFillBackground(False)
        self.setWidget(content)
        content.setAutoFillBackground(False)
        content.installEventFilter(self)

    def fit_content(self) -> None:
        """The workspace as large as the area, but never smaller than its minimum size; scroll bars where it
        is larger."""
        content = self.widget()
        if content is None:
            return
        room = self.maximumViewportSize()
        least = content.minimumSizeHint().expandedTo(content.minimumSize())
        bar_width = self.verticalScrollBar().sizeHint().width()
        bar_height = self.horizontalScrollBar().sizeHint().height()
        tall = least.height() > room.height()
        wide = least.width() > room.width() - (bar_width if tall else 0)
        tall = tall or (wide and least.height() > room.height() - bar_height)
        content.resize(max(least.width(), room.width() - (bar_width if tall else 0)),
                       max(least.height(), room.height() - (bar_height if wide else 0)))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        self.fit_content()
        super().resizeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.fit_content()  # its minimum size may have changed (Larger text, a contact's editor opened)
        return super().eventFilter(watched, event)
