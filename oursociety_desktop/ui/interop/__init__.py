"""Getting people in and out: the import wizard, the export dialog and the Duplicates view."""
