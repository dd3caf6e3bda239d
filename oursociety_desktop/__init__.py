"""Our Society Desktop: an offline-first organiser for the hubs of a social-action network."""

__version__ = "0.1.0"
