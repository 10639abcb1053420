"""Cycle collection paused while a whole file is read, checked or saved.

Reading and planning a contacts file makes a dozen small objects per row, every one of them
alive until the plan is done; the cycle collector would walk all of them again and again as
they pile up (a sixth of importing 50,000 contacts). None of them forms a cycle, so reference
counting frees them, and the collector is resumed, as it was, once the work is done.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

_P = ParamSpec("_P")
_R = TypeVar("_R")


def without_cycle_collection(work: Callable[_P, _R]) -> Callable[_P, _R]:
    """`work`, run with the cycle collector paused (and resumed after, if it was on)."""

    @functools.wraps(work)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        was_on = gc.isenabled()
        gc.disable()
        try:
            return work(*args, **kwargs)
        finally:
            if was_on:
                gc.enable()

    return run
