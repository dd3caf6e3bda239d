"""`bulk.cyclic_gc_paused`: no cycle collection inside a bulk step, and what the step made ends in the oldest
generation without being walked, so no later young collection (on the window's thread) walks it."""

from __future__ import annotations

import gc
import weakref

import pytest

from oursociety_desktop.models.bulk import cyclic_gc_paused


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def test_the_collector_is_off_inside_and_on_after() -> None:
    assert gc.isenabled()
    with cyclic_gc_paused():
        assert not gc.isenabled()
        with cyclic_gc_paused():  # a nested step leaves the collector to the outermost one
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), cyclic_gc_paused():
        raise ValueError("a Cancel")
    assert gc.isenabled()


def test_what_a_step_made_lands_in_the_oldest_generation_and_nothing_stays_frozen() -> None:
    with cyclic_gc_paused():
        rows = [{"given_name": f"P{i}", "phones": [{"label": "", "value": str(i)}]} for i in range(1000)]
        assert any(rows[0] is o for o in gc.get_objects(generation=0))
    assert gc.get_freeze_count() == 0
    assert any(rows[0] is o for o in gc.get_objects(generation=2))
    assert not any(rows[-1] is o for o in gc.get_objects(generation=0))


def test_a_cycle_made_inside_a_step_is_still_collected_later() -> None:
    with cyclic_gc_paused():
        first, second = _Node(), _Node()
        first.other, second.other = second, first
        gone = weakref.ref(first)
        del first, second
    assert gone() is not None  # not walked at the step's end...
    gc.collect()
    assert gone() is None  # ...but the next full collection frees it
