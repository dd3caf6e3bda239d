"""Getting data out of the hub: bundles, vCard, CSV and printed products (PDF)."""
