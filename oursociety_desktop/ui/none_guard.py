"""A guard against a reference-count fault of the installed Qt binding on Python 3.11.

PySide6 6.12.0 (a stable-ABI build) returns None from every void C++ method without taking a reference to it. On
Python 3.12 and later None is immortal and that is harmless; on 3.11 each such call (`widget.update()`,
`label.setText()`, `app.processEvents()`...) lowers None's count by one, and after a few thousand calls the
interpreter aborts with "Fatal Python error: none_dealloc". PySide6-Pdf only exists for 6.12.0, so the binding
cannot simply be pinned lower. Giving None a reference count it cannot run down makes it immortal in practice,
as 3.12 does. Measured: 1,000 `QLabel.update()` calls move None's count by -1,000 on 6.12.0 and by 0 on 6.11.3.
"""

from __future__ import annotations

import ctypes
import sys

HEADROOM = 1 << 40  # a trillion calls: far beyond any session


def protect_none_refcount() -> bool:
    """Raise None's reference count by HEADROOM on CPython < 3.12 (once). Returns True when it did."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    count = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt is the first field of every CPython object
    if count.value >= HEADROOM:
        return False
    count.value += HEADROOM
    return True
