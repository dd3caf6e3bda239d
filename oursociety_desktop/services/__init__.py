"""What drives a transfer through one transaction (no Qt): the bundle exchange, exchange folders and people
imports. Above `formats/` and `models/`, below the window and the command line."""
