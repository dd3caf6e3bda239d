"""File formats, read and written (no Qt): hub bundles, vCard, CSV, iCalendar, mailto links and the printed
products (pdf/). What drives them through a transaction lives in `services/`."""
