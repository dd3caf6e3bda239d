"""Keep Python's full garbage collections short while the window is open.

A full (generation 2) collection walks every object Python tracks: with the app's modules, the workspaces and their
widgets loaded, that took 140-360 ms on the GUI thread, often started by the wrapper PySide creates for a Qt event,
so the stall had no Python frame to blame (the event-loop watchdog found them while a sign-in sheet was previewed).
Objects that live as long as the window (modules, classes, built workspaces) are moved out of the collector's
reach with `gc.freeze()`; the full collections that remain walk only what was made since: 37-55 ms in the same
trial.
"""

from __future__ import annotations

import gc


def freeze_long_lived() -> None:
    """Move every object alive now to the permanent generation, which collections never walk. Call it when what
    was just made will live as long as the window (after start-up's imports, after a workspace is built): a cycle
    among frozen objects is never freed, so never after making something short-lived."""
    gc.freeze()


def thaw() -> None:
    """Give everything frozen back to the collector (the window closed: its objects may now be garbage)."""
    gc.unfreeze()
