"""The cyclic garbage collector paused while a build's serial stages run.

Resolution, the unit index of the Turtle writer and the JSON export make
hundreds of thousands of small containers (tuples, lists, dicts) while the
resolved graph — millions of tracked objects — is alive. Every so often such
allocations trigger a collection of the oldest generation, which walks that
whole heap: at 100× the corpus about a quarter of these stages' time, for
nothing, since they make no reference cycles (their garbage goes by reference
counting). The collector is switched back on when the stage ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (a decorator too); the
    collector's previous state is restored after it, also on an error."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
