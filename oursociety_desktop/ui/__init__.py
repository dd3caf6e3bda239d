"""The Qt user interface: a thin layer over the core in `models/` and `exports/`."""
