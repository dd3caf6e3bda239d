"""Choices that heavy core modules act on, named where reading them costs nothing: the command line offers them as
the choices of its options before it knows which command runs, and must not load networkx or rapidfuzz for that."""

from __future__ import annotations

COLOUR_BY = ("group", "hub")
"""How a drawing of the network colours people (`network.py`): by their first group, or by their hub."""

DUPLICATE_CHOICES = ("skip", "update", "fill", "add")
"""What an import of people does with a person already in the hub (`services/people_import.py` says how)."""
