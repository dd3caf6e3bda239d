"""Hybrid logical clock stamps: the version stamp of every synchronised field.

A stamp is a fixed-width string ``"<ms:013d>.<counter:06x>.<hub id>"``: comparing two stamps as strings compares
wall-clock milliseconds first, then the counter, then the hub id, so stamps are totally ordered, and SQL can
compare and take the max of them as text. A clock never issues a stamp lower than or equal to one it issued or
observed before, even when the wall clock goes backwards. This module is the only one that knows the layout.

Wall time is bounded (`MAX_WALL_MS`, the year 2255): a stamp beyond it is not a stamp this app accepts, and a
clock never issues one, so no input can make it write a stamp that no longer fits the layout. A clock does not
observe a stamp more than 24 hours ahead of its wall clock (the bundle merge keeps such records in quarantine):
a hub whose clock is wrong cannot push the others' clocks ahead.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_COUNTER = 0xFFFFFF
FUTURE_TOLERANCE_MS = 24 * 3600 * 1000
MAX_HUB_ID = 64
MAX_WALL_MS = 9_000_000_000_000  # 2255-03-14: far below the 13 digits' end, so the counter can never overflow it
# A character of an id, a hub's as a stamp carries it or a record's (models/incoming.py): printable ASCII, no space.
ID_CHAR = "[!-~]"
HUB_ID = re.compile(ID_CHAR + "{1,64}")
# The whole text form, as a bundle reader checks it: 13 ASCII digits, 6 hex digits, a hub id.
# (Not \d: it takes Arabic-Indic and other digits, which int() reads as small numbers and text order puts above
# every real stamp, so such a stamp would win every merge.)
STAMP_PATTERN = re.compile(r"[0-9]{13}\.[0-9a-f]{6}\." + HUB_ID.pattern)
# Characters before the hub id: "<ms:13>.<counter:6>." (the time-and-counter prefix, without its final dot: 20).
_PREFIX = 20


@dataclass(frozen=True, order=True)
class Stamp:
    """A decoded stamp; ordering follows (ms, counter, hub_id), the same as the encoded string."""

    ms: int
    counter: int
    hub_id: str

    def encode(self) -> str:
        """The sortable text form stored in the database and in bundles."""
        return f"{self.ms:013d}.{self.counter:06x}.{self.hub_id}"

    @classmethod
    def decode(cls, text: str) -> Stamp:
        """Parse the text form; raise ValueError when it is not a stamp."""
        parts = text.split(".", 2)
        if len(parts) != 3 or len(parts[0]) != 13 or len(parts[1]) != 6 or not parts[2]:
            raise ValueError(f"not a version stamp: {text[:60]!r}")
        return cls(int(parts[0], 10), int(parts[1], 16), parts[2])


def is_stamp(text: object) -> bool:
    """True when `text` is a stamp in its text form within the range this app holds (what a bundle may carry)."""
    return isinstance(text, str) and STAMP_PATTERN.fullmatch(text) is not None and int(text[:13]) <= MAX_WALL_MS


def stamp_hub(stamp: str) -> str:
    """The id of the hub that issued a stamp (the part after the time and counter)."""
    return stamp[_PREFIX + 1:]


def stamp_hub_sql(column: str) -> str:
    """SQL (built-in functions only) for the hub id of the stamp in `column`, as `stamp_hub` gives it: what a
    generated column can be defined by."""
    return f"substr({column}, {_PREFIX + 2})"


def register_stamp_functions(conn: sqlite3.Connection) -> None:
    """Make `stamp_hub(stamp)` callable in SQL on this connection, so no query slices a stamp by its layout
    ('' for NULL or '')."""
    conn.create_function("stamp_hub", 1, lambda stamp: stamp_hub(stamp) if stamp else "", deterministic=True)


def stamp_wall_ms(stamp: str) -> int:
    """The wall-clock milliseconds since the epoch a stamp was issued at."""
    return int(stamp[:13])


def floor_below(stamp: str) -> str:
    """A mark just under `stamp`: every stamp at or after `stamp`'s time and counter compares greater than it,
    whichever hub issued it (the stamp's time-and-counter prefix with its dot)."""
    return stamp[:_PREFIX + 1]


def wall_clock_ms() -> int:
    """Milliseconds since the epoch from the system clock."""
    return time.time_ns() // 1_000_000


class HybridLogicalClock:
    """Issues strictly increasing stamps for one hub and absorbs stamps seen from other hubs."""

    def __init__(self, hub_id: str, last: str | None = None, wall: Callable[[], int] = wall_clock_ms) -> None:
        self.hub_id = hub_id
        self._wall = wall
        decoded = Stamp.decode(last) if last else None
        self._ms = decoded.ms if decoded else 0
        self._counter = decoded.counter if decoded else 0

    @property
    def last(self) -> str:
        """The highest stamp issued or observed so far (for persisting)."""
        return Stamp(self._ms, self._counter, self.hub_id).encode()

    def now(self) -> str:
        """A new stamp, greater than every stamp this clock issued or observed. A system clock set beyond the
        year 2255 counts as that year."""
        wall = min(self._wall(), MAX_WALL_MS)
        if wall > self._ms:
            self._ms, self._counter = wall, 0
        else:
            self._advance_counter()
        # `Stamp(...).encode()` without the frozen dataclass in between: an import of 100,000 people makes 300,000
        # stamps. A test holds the two to the same text.
        return f"{self._ms:013d}.{self._counter:06x}.{self.hub_id}"

    def ahead_of_wall(self) -> int:
        """How many milliseconds the highest stamp this clock issued or observed lies ahead of the wall clock: more
        than a day means this computer's clock went back (other hubs' stamps then look far ahead)."""
        return self._ms - min(self._wall(), MAX_WALL_MS)

    def after(self, held: str) -> str:
        """A new stamp above `held` as well as above every stamp this clock issued or observed: for a local edit of
        a field whose value is stamped ahead of this clock (accepted from quarantine). The clock itself does not
        move past `held` (a hub whose clock is wrong must not push this one ahead): only this edit is stamped there."""
        mine = self.now()
        if held < mine:
            return mine
        other = Stamp.decode(held)
        if other.counter >= MAX_COUNTER:
            return Stamp(other.ms + 1, 0, self.hub_id).encode()
        return Stamp(other.ms, other.counter + 1, self.hub_id).encode()

    def observe(self, remote: str) -> None:
        """Move past a stamp received from another hub, so that later local edits order after it. A stamp more
        than 24 hours ahead of the wall clock, or out of range, is not observed (it waits in quarantine)."""
        other = Stamp.decode(remote)
        if other.ms > min(self._wall() + FUTURE_TOLERANCE_MS, MAX_WALL_MS):
            return
        if (other.ms, other.counter) > (self._ms, self._counter):
            self._ms, self._counter = other.ms, other.counter

    def _advance_counter(self) -> None:
        if self._counter >= MAX_COUNTER:
            # Counter exhausted within one millisecond: borrow the next millisecond rather than wrap. (16 million
            # stamps a millisecond: at MAX_WALL_MS this still leaves 999 years of 13-digit milliseconds.)
            self._ms, self._counter = self._ms + 1, 0
        else:
            self._counter += 1


def is_far_future(stamp: str, wall_ms: int | None = None) -> bool:
    """True when a stamp lies more than 24 h ahead of the wall clock."""
    now = wall_clock_ms() if wall_ms is None else wall_ms
    return stamp_wall_ms(stamp) > now + FUTURE_TOLERANCE_MS
