"""The Qt-free core: tables, storage, per-field stamped edits, search and merge."""
