"""The Contacts workspace: list, search, filters, editor and bulk actions."""
