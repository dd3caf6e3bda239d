"""The Today workspace: what needs doing now, and what changed lately."""
