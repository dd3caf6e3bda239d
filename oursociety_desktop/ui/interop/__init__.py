"""Getting people in and out: the import wizard and the export dialog (the Duplicates view is shown here too)."""
