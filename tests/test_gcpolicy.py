"""The crawl process's garbage-collection policy (dvcrawl.gcpolicy)."""

from __future__ import annotations

import gc

import pytest

from dvcrawl import cli, gcpolicy


@pytest.fixture
def restore_gc():
    before = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*before)


def test_the_command_line_collects_young_objects_less_often(restore_gc, monkeypatch) -> None:
    gc.set_threshold(700, 10, 10)
    monkeypatch.setattr("sys.argv", ["dvcrawl", "--version"])
    with pytest.raises(SystemExit):
        cli.entry()
    assert gc.get_threshold()[0] == gcpolicy.YOUNG_THRESHOLD


def test_a_settled_heap_is_frozen_and_cycles_are_still_collected(restore_gc) -> None:
    gcpolicy.settle_heap()
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == (gcpolicy.YOUNG_THRESHOLD, *gcpolicy.OLDER_THRESHOLDS)
    cycle: list = []
    cycle.append(cycle)
    del cycle
    assert gc.collect() >= 1
