"""The short crash harness: 20 SIGKILLs at random moments, nothing acknowledged is lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.crash_harness import soak

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_sigkill_at_random_moments_loses_no_acknowledged_write(tmp_path: Path) -> None:
    tally = soak(tmp_path, runs=20, seed=20261123, max_delay=1.0)
    assert tally.problems == []
    assert tally.runs == 20
    assert tally.integrity_failures == 0 and tally.lost_writes == 0 and tally.erasures_undone == 0
    assert tally.acknowledged_writes > 20  # the writer really wrote between the kills


def test_sigkill_during_restores_and_concurrent_writers(tmp_path: Path) -> None:
    """Kills during restores (some while a writer has the desk open) and during two writers at once:
    nothing acknowledged lost, a killed restore leaves the old or the restored database whole, no
    leftover copy, and no erased person readable in any file of the data folder."""
    tally = soak(tmp_path, runs=16, seed=20261201, max_delay=0.8, restores=True, concurrent=True)
    assert tally.problems == []
    assert tally.ok
    assert tally.restore_runs >= 2 and tally.concurrent_runs >= 3
    assert tally.acknowledged_erasures > 0  # the byte scan had someone to look for
