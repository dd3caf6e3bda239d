"""Canonical JSON: the one text form used wherever two hubs must produce the same bytes or the same order.

Sorted keys, no insignificant white space, non-ASCII kept as UTF-8 (RFC 8259 JSON). The dump, the merge's
tie-break between two values with the same stamp, bundle record lines and the signed manifest all use it.
"""

from __future__ import annotations

import json
from typing import Any


def canonical_json(value: Any) -> str:
    """`value` as canonical JSON text. Raises TypeError for values JSON cannot hold."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical_line(value: Any) -> bytes:
    """`value` as one JSON Lines line: canonical JSON, UTF-8, newline-terminated."""
    return canonical_json(value).encode("utf-8") + b"\n"
