"""The Time given workspace: hours from a sign-in sheet, and the totals."""
