"""The Exchange workspace: bundles, import preview, conflicts inbox, exchange log, exchange folder."""
