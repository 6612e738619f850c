"""Downhill share and descent on generated hilly tracks (tests/terrain.py), MEASURE seeds only.

The elevation settings were chosen on TUNE_SEEDS; these seeds were not looked at while choosing them, and the
bounds below were written down from the TUNE figures before the MEASURE seeds were first run. Truth is the
generator's profile: the distance whose grade over 50 m is at or below -5% (EVIDENCE.md's definition).
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from stridewise.metrics.elevation import measure_elevation
from stridewise.metrics.summary import summarize
from terrain import MEASURE_SEEDS, TUNE_SEEDS, HillyCase, hilly_case

# GPS altitude keeps 1-2 grade points of noise after the longest grade filter, so a descent at -7% can read as
# -4.5% over a few hundred metres: on the TUNE seeds 158 of 161 resolvable tracks were within 3 points (worst 3.9).
GPS_WITHIN_3_POINTS_SHARE = 0.90
GPS_WORST_POINTS = 6.0
GPS_MEAN_POINTS = 1.0


@functools.cache
def _case(seed: int) -> HillyCase:
    return hilly_case(seed)


@functools.cache
def _share_error_points(seed: int) -> float:
    case = _case(seed)
    result = measure_elevation(case.stream, barometric=case.barometric)
    assert result.downhill_m is not None
    return 100 * (result.downhill_m / summarize(case.stream).distance_m - case.downhill_m / case.distance_m)


def _unresolved(case: HillyCase) -> bool:
    """Rolling ground (stretches of 150-500 m) under GPS noise: the noise left after the longest filter (400 m) is
    as large as the grade of a 150 m stretch, and the filter merges a stretch under 200 m into its neighbours."""
    return case.family == "rolling" and not case.barometric


def test_the_tune_and_measure_seed_sets_are_disjoint() -> None:
    assert not set(TUNE_SEEDS) & set(MEASURE_SEEDS)


@pytest.mark.parametrize("seed", [s for s in MEASURE_SEEDS if _case(s).barometric])
def test_barometric_downhill_share_is_within_3_points_of_the_truth(seed: int) -> None:
    assert abs(_share_error_points(seed)) <= 3.0


def test_gps_downhill_share_is_within_3_points_on_resolvable_ground() -> None:
    errors = np.array([_share_error_points(s) for s in MEASURE_SEEDS
                       if not _case(s).barometric and not _unresolved(_case(s))])
    assert errors.size >= 30
    assert np.mean(np.abs(errors) <= 3.0) >= GPS_WITHIN_3_POINTS_SHARE
    assert np.abs(errors).max() <= GPS_WORST_POINTS
    assert abs(errors.mean()) <= GPS_MEAN_POINTS


def test_on_rolling_ground_gps_noise_never_invents_downhill() -> None:
    errors = [_share_error_points(s) for s in MEASURE_SEEDS if _unresolved(_case(s))]
    assert len(errors) >= 10
    assert max(errors) <= 3.0


@pytest.mark.parametrize("seed", [s for s in MEASURE_SEEDS if _case(s).barometric])
def test_barometric_descent_is_within_10pct_of_the_truth(seed: int) -> None:
    case = _case(seed)
    result = measure_elevation(case.stream, barometric=True)
    assert result.descent_m == pytest.approx(case.descent_m, rel=0.10)
