"""A guard against a reference-count fault of the installed Qt binding on Python 3.11.

PySide6 6.12.0 (a stable-ABI build) returns None from every void C++ method without taking a reference to it, and
drops references to the booleans some calls hand back the same way. On Python 3.12 and later None, True and False
are immortal and that is harmless; on 3.11 each such call (`widget.update()`, `label.setText()`,
`app.processEvents()`...) lowers the count by one, and after enough calls the interpreter aborts with "Fatal Python
error: none_dealloc" or, while garbage-collecting at exit (quitting after a PDF preview), "bool_dealloc". PySide6-Pdf
only exists for 6.12.0, so the binding cannot simply be pinned lower. Giving these singletons a reference count they
cannot run down makes them immortal in practice, as 3.12 does. Measured: 1,000 `QLabel.update()` calls move None's
count by -1,000 on 6.12.0 and by 0 on 6.11.3; quitting after every print preview aborted 1 time in 3 before True and
False were covered.
"""

from __future__ import annotations

import ctypes
import sys

HEADROOM = 1 << 40  # a trillion calls: far beyond any session

# The singletons whose references the binding loses.
PROTECTED: tuple[object, ...] = (None, True, False)


def _raise_refcount(obj: object) -> bool:
    count = ctypes.c_ssize_t.from_address(id(obj))  # ob_refcnt is the first field of every CPython object
    if count.value >= HEADROOM:
        return False
    count.value += HEADROOM
    return True


def protect_none_refcount() -> bool:
    """Raise the reference counts of None, True and False by HEADROOM on CPython < 3.12 (once each).

    Returns True when it raised any of them."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    raised = [_raise_refcount(obj) for obj in PROTECTED]
    return any(raised)
