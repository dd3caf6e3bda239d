"""The order a user chose for a long list (a click on a column heading), as SQL.

Each list names the keys it can be sorted by and the SQL expression of each (a fixed table in its module, never
text from the user); `order_by` turns a chosen key and direction into an ORDER BY clause with the list's own
order after it as the tie-break, so pages read with LIMIT/OFFSET stay stable. Empty values go last both ways.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class ListOrder:
    """A list's chosen order: one of its sort keys, and whether it runs from the end (Z to A, latest first)."""

    key: str = ""
    descending: bool = False


def order_by(order: ListOrder | None, keys: Mapping[str, str], default: str) -> str:
    """The ORDER BY terms (without the keywords) for `order` over a list whose sort keys are `keys` (key → SQL
    expression) and whose own order is `default`. No order, or an empty key: `default`. Raises ValueError for a key
    the list does not have."""
    if order is None or not order.key:
        return default
    try:
        expr = keys[order.key]
    except KeyError:
        raise ValueError(f"this list cannot be sorted by {order.key!r}") from None
    direction = "DESC" if order.descending else "ASC"
    return f"{expr} = '', {expr} COLLATE NOCASE {direction}, {default}"
