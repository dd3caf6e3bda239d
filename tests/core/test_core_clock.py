"""Hybrid logical clock: total order, strictly increasing on one hub even when the wall clock goes back."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oursociety_desktop.models.clock import FUTURE_TOLERANCE_MS, HybridLogicalClock, Stamp, is_far_future

HUB_A = "aaaaaaaa-0000-4000-8000-000000000001"
HUB_B = "bbbbbbbb-0000-4000-8000-000000000002"


class FakeWall:
    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


def test_stamps_increase_when_wall_clock_goes_backwards() -> None:
    wall = FakeWall(1_700_000_000_000)
    clock = HybridLogicalClock(HUB_A, wall=wall)
    first = clock.now()
    wall.ms -= 3_600_000  # the laptop's clock is set back an hour
    second = clock.now()
    third = clock.now()
    assert first < second < third
    assert Stamp.decode(second).ms == Stamp.decode(first).ms
    assert Stamp.decode(third).counter == 2


def test_stamps_carry_the_hub_id_and_round_trip() -> None:
    clock = HybridLogicalClock(HUB_A, wall=FakeWall(1_700_000_000_123))
    text = clock.now()
    stamp = Stamp.decode(text)
    assert stamp.hub_id == HUB_A
    assert stamp.encode() == text


@given(st.lists(st.tuples(st.integers(0, 2_000_000_000_000), st.integers(0, 0xFFFFFF), st.sampled_from([HUB_A, HUB_B])),
                min_size=2, max_size=30))
def test_string_order_is_the_stamp_order(values: list[tuple[int, int, str]]) -> None:
    stamps = [Stamp(ms, counter, hub) for ms, counter, hub in values]
    assert sorted(stamps) == sorted(stamps, key=lambda s: s.encode())
    assert [s.encode() for s in sorted(stamps)] == sorted(s.encode() for s in stamps)


@given(st.lists(st.integers(-10_000, 10_000), min_size=1, max_size=200))
def test_strictly_increasing_under_any_wall_clock_jumps(jumps: list[int]) -> None:
    wall = FakeWall(1_700_000_000_000)
    clock = HybridLogicalClock(HUB_A, wall=wall)
    previous = clock.now()
    for jump in jumps:
        wall.ms += jump
        current = clock.now()
        assert current > previous
        previous = current


def test_observing_a_remote_stamp_orders_later_local_edits_after_it() -> None:
    wall = FakeWall(1_700_000_000_000)
    clock = HybridLogicalClock(HUB_A, wall=wall)
    remote = Stamp(1_700_000_500_000, 7, HUB_B).encode()
    clock.observe(remote)
    assert clock.now() > remote


def test_a_far_future_stamp_does_not_move_the_clock() -> None:
    wall = FakeWall(1_700_000_000_000)
    remote = Stamp(wall.ms + 10 * FUTURE_TOLERANCE_MS, 0, HUB_B).encode()
    assert is_far_future(remote, wall.ms)
    clock = HybridLogicalClock(HUB_A, wall=wall)
    clock.observe(remote)
    assert Stamp.decode(clock.now()).ms == wall.ms  # the record waits in quarantine instead
    near = Stamp(wall.ms + FUTURE_TOLERANCE_MS - 1, 0, HUB_B).encode()
    clock.observe(near)
    assert clock.now() > near


def test_clock_restarts_from_persisted_last_stamp() -> None:
    wall = FakeWall(1_700_000_000_000)
    clock = HybridLogicalClock(HUB_A, wall=wall)
    for _ in range(5):
        clock.now()
    saved = clock.last
    wall.ms -= 10_000
    restarted = HybridLogicalClock(HUB_A, saved, wall=wall)
    assert restarted.now() > saved


def test_counter_overflow_borrows_the_next_millisecond() -> None:
    wall = FakeWall(5)
    clock = HybridLogicalClock(HUB_A, Stamp(5, 0xFFFFFF, HUB_A).encode(), wall=wall)
    stamp = Stamp.decode(clock.now())
    assert (stamp.ms, stamp.counter) == (6, 0)


@pytest.mark.parametrize("bad", ["", "x", "123.abc.hub", "0000000000001.00000g.hub", "0000000000001.000001."])
def test_decode_rejects_non_stamps(bad: str) -> None:
    with pytest.raises(ValueError):
        Stamp.decode(bad)


def test_random_interleaving_of_two_hubs_gives_a_total_order() -> None:
    rng = random.Random(4)
    wall_a, wall_b = FakeWall(1000), FakeWall(900)
    a, b = HybridLogicalClock(HUB_A, wall=wall_a), HybridLogicalClock(HUB_B, wall=wall_b)
    issued: list[str] = []
    for _ in range(500):
        clock, wall = (a, wall_a) if rng.random() < 0.5 else (b, wall_b)
        wall.ms += rng.randrange(-5, 5)
        issued.append(clock.now())
    assert len(set(issued)) == len(issued)


def test_no_module_but_the_clock_slices_a_stamp_by_its_layout() -> None:
    """The stamp's layout is known to models/clock.py alone: no other module cuts a stamp by position or splits it,
    in Python or in SQL (SQL asks the clock's `stamp_hub` function)."""
    import re
    from pathlib import Path

    import oursociety_desktop

    package = Path(oursociety_desktop.__file__).parent
    slicing = re.compile(r"substr\([^)]*stamp|stamp\w*\)?\[ *-?\d* *: *-?\d* *\]|stamp\w*\.(r?split|r?partition)\(")
    found = [f"{path.relative_to(package)}:{number}: {line.strip()}"
             for path in sorted(package.rglob("*.py")) if path.name != "clock.py"
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if slicing.search(line)]
    assert found == []


@given(st.lists(st.integers(-10_000, 10_000), min_size=1, max_size=50), st.integers(0, 0xFFFFFF))
def test_a_new_stamp_is_the_encoding_of_the_clocks_time_and_counter(jumps: list[int], counter: int) -> None:
    """`now()` writes its text directly; it is the text `Stamp.encode` gives, which `Stamp.decode` reads back."""
    wall = FakeWall(1_700_000_000_000)
    clock = HybridLogicalClock(HUB_A, Stamp(1_700_000_000_000, counter, HUB_A).encode(), wall=wall)
    for jump in jumps:
        wall.ms += jump
        issued = clock.now()
        assert issued == Stamp.decode(issued).encode() == clock.last
