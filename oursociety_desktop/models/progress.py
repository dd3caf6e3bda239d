"""The one shape of a progress report, shared by every long operation of the core, the formats and the window.

A long operation takes `progress: Progress | None` and calls `progress(percent, message)` now and then (percent
0-100, message a translated sentence or ""). The caller returns False to ask it to stop; the operation then
raises `errors.Cancelled` so its transaction rolls back. Returning True or None means "go on".
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, str], bool | None]
