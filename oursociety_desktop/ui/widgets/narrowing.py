"""Lists that may get narrower than they ask for, so a row of filters fits a small screen (1024 pixels wide,
with Larger text) while keeping its usual look where there is room."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QComboBox


class _Narrowing(QObject):
    """Keeps a list's smallest width at a number of characters of its current font."""

    def __init__(self, combo: QComboBox, chars: int) -> None:
        super().__init__(combo)
        self.combo, self.chars = combo, chars
        self.fit()
        combo.installEventFilter(self)

    def fit(self) -> None:
        metrics = self.combo.fontMetrics()  # the characters, and room for the frame and the arrow
        self.combo.setMinimumWidth(metrics.averageCharWidth() * self.chars + 2 * metrics.height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.combo and event.type() == QEvent.Type.FontChange:
            self.fit()
        return False


def may_narrow(combo: QComboBox, chars: int) -> None:
    """The list keeps the width it asks for while there is room; a layout short of room may narrow it to about
    `chars` characters (the choice shown is then cut short, its open list still shows every entry whole)."""
    _Narrowing(combo, chars)
