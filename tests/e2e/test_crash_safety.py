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
