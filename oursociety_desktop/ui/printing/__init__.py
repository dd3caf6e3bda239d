"""The Print workspace: choose a printed product and its options, preview it in the app, save or print it."""
