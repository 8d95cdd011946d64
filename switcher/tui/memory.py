"""Giving memory back after a refresh. A refresh holds the old and the new inventory at once
(and the discovery's answers). The app keeps its long-lived heap frozen out of the cyclic
collector's sight (keys stay fast), so what the refresh left in cycles is found only by
unfreezing for one full pass (once per refresh, after it is drawn); then the heap is frozen
again with the new list in it, and the C allocator is asked to return its free pages, so
that a day of refreshes does not leave the app at the height of the largest one."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from functools import cache


@cache
def _trim() -> ctypes._NamedFuncPointer | None:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):  # not glibc: its allocator keeps what it keeps
        return None


def release() -> None:
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    trim = _trim()
    if trim is not None:
        trim(0)
