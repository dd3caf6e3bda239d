"""Workspaces that keep their own lists current: read again at once when they are on screen, and only when next
shown when they are hidden (re-reading hidden lists on every edit held the event loop for up to 1.3 s at 100k)."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtGui import QShowEvent


class RefreshWhenShown:
    """Mix into a workspace QWidget (before QWidget): connect `on_data_changed` to `ctx.events.changed`, name the
    record types the workspace shows in `RELEVANT`, and clear `_stale` in `refresh()`. When the main window brings
    such a workspace to the front it marks it stale, so it reads again exactly once, in its own showEvent."""

    RELEVANT: ClassVar[frozenset[str]] = frozenset()
    _stale: bool = False

    def refresh(self) -> None:  # pragma: no cover - provided by the workspace
        raise NotImplementedError

    def mark_stale(self) -> None:
        """Read again when next shown."""
        self._stale = True

    def is_stale(self) -> bool:
        """True until the next refresh when data changed while hidden or the window asked for a fresh read."""
        return self._stale

    def on_data_changed(self, record_types: frozenset[str]) -> None:
        """Read again now if visible, else remember to when shown."""
        if not record_types & self.RELEVANT:
            return
        if self.isVisible():  # type: ignore[attr-defined]
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.refresh()
        super().showEvent(event)  # type: ignore[misc]
