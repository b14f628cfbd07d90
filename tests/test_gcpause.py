"""kg.gcpause: the collector paused inside the block, its state restored after."""

from __future__ import annotations

import gc

import pytest

from kg.gcpause import gc_paused


@pytest.fixture
def collector_state():
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


@pytest.mark.parametrize("enabled", [True, False])
def test_paused_inside_and_restored_after(collector_state, enabled):
    (gc.enable if enabled else gc.disable)()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled() is enabled


def test_restored_after_an_error_and_usable_as_a_decorator(collector_state):
    gc.enable()

    @gc_paused()
    def fails():
        assert not gc.isenabled()
        raise ValueError("boom")

    with pytest.raises(ValueError):
        fails()
    assert gc.isenabled()
