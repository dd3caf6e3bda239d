"""Data files (fonts, label formats, icons) read through importlib.resources; no code."""
