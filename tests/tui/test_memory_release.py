"""After a refresh the app gives back what the old list held, cycles included, though its
long-lived heap is frozen out of the collector's sight."""

from __future__ import annotations

import gc
import weakref

from switcher.tui import memory


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: reference counting alone never frees it


def test_a_cycle_frozen_with_the_heap_is_freed_and_the_heap_frozen_again() -> None:
    node = Node()
    gone = weakref.ref(node)
    gc.freeze()
    try:
        del node
        gc.collect()
        assert gone() is not None  # frozen: the collector does not see it
        memory.release()
        assert gone() is None
        assert gc.get_freeze_count() > 0  # the live heap is frozen again
    finally:
        gc.unfreeze()
