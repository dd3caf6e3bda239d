"""`bulk.cyclic_gc_paused`: no cycle collection inside a bulk step, and what the step made ends where no young
collection walks it (the oldest generation, or with the window's frozen objects) without being walked."""

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
    gc.unfreeze()  # the command line: nothing frozen (a window another test opened may have frozen objects)
    with cyclic_gc_paused():
        rows = [{"given_name": f"P{i}", "phones": [{"label": "", "value": str(i)}]} for i in range(1000)]
        assert any(rows[0] is o for o in gc.get_objects(generation=0))
    assert gc.get_freeze_count() == 0
    assert any(rows[0] is o for o in gc.get_objects(generation=2))
    assert not any(rows[-1] is o for o in gc.get_objects(generation=0))


def test_a_cycle_made_inside_a_step_is_still_collected_later() -> None:
    gc.unfreeze()
    with cyclic_gc_paused():
        first, second = _Node(), _Node()
        first.other, second.other = second, first
        gone = weakref.ref(first)
        del first, second
    assert gone() is not None  # not walked at the step's end...
    gc.collect()
    assert gone() is None  # ...but the next full collection frees it


def test_what_the_window_froze_stays_frozen_and_the_step_joins_it() -> None:
    """The window freezes its long-lived objects (`ui/heap.py`); a bulk step must not give them back to every full
    collection. What the step made joins them, and dies by reference counting as usual."""
    kept = [_Node() for _ in range(100)]
    gc.freeze()  # as the window does
    try:
        frozen = gc.get_freeze_count()
        with cyclic_gc_paused():
            rows = [{"given_name": f"P{i}", "phones": [{"label": "", "value": str(i)}]} for i in range(1000)]
        assert gc.get_freeze_count() >= frozen + 1000
        assert not any(rows[0] is o for o in gc.get_objects())  # in the permanent generation, walked by none
        del rows
        assert gc.get_freeze_count() < frozen + 1000  # the rows died by reference counting, frozen or not
    finally:
        gc.unfreeze()
    assert kept
