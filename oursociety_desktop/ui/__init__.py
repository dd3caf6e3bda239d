"""The Qt user interface: a thin layer over the core in `models/`, `formats/` and `services/`."""

from oursociety_desktop.ui.none_guard import protect_none_refcount

# Before any Qt call: see none_guard for the PySide6 6.12.0 / Python 3.11 fault this prevents.
protect_none_refcount()
