"""The Connections workspace: who introduced whom, when and why, and the follow-ups that came of it."""
