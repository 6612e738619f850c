"""Synthetic tracks over a known terrain profile, with GPS-like noise, for the elevation tests.

A profile is a list of (length_m, grade_pct) segments run due north at a steady speed. Noise is AR(1)
(correlated from one second to the next, as GPS error is), seeded, so every test run sees the same track.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from builders import M_PER_DEG_LAT
from stridewise import columns as col

Profile = Sequence[tuple[float, float]]  # (length_m, grade_pct)

# Per-second correlation of the noise: positions decorrelate in about 50 s, GPS altitude in about 5 minutes.
POSITION_NOISE_RHO = 0.98
ALTITUDE_NOISE_RHO = float(np.exp(-1 / 300))

HILLY: Profile = [(1000, 0), (800, 6), (600, -8), (400, 0), (500, -12), (700, 4), (1000, -3), (500, 0)]
FLAT: Profile = [(6000, 0)]


def true_altitude_m(distance_m: np.ndarray, profile: Profile, start_altitude_m: float = 450.0) -> np.ndarray:
    ends = np.cumsum([length for length, _ in profile])
    starts = ends - np.array([length for length, _ in profile])
    altitude = np.full(distance_m.shape, start_altitude_m)
    base = start_altitude_m
    for (length, grade), start in zip(profile, starts, strict=True):
        inside = np.clip(distance_m - start, 0, length)
        altitude = altitude + inside * grade / 100.0
        base += length * grade / 100.0
    return altitude


def true_length_at_or_below(profile: Profile, grade_pct: float) -> float:
    return float(sum(length for length, grade in profile if grade <= grade_pct))


def _ar1(rng: np.random.Generator, n: int, sigma: float, rho: float) -> np.ndarray:
    noise = np.empty(n)
    noise[0] = rng.normal(0, sigma)
    innovation = sigma * np.sqrt(1 - rho**2)
    for i in range(1, n):
        noise[i] = rho * noise[i - 1] + rng.normal(0, innovation)
    return noise


def track(profile: Profile, *, speed_m_s: float = 3.0, altitude_noise_m: float = 0.0, position_noise_m: float = 0.0,
          seed: int = 7, with_altitude: bool = True) -> pd.DataFrame:
    """A 1 Hz stream along ``profile`` with the given noise (standard deviations of AR(1) processes)."""
    total_m = sum(length for length, _ in profile)
    seconds = np.arange(0, total_m / speed_m_s + 1)
    distance = np.minimum(seconds * speed_m_s, total_m)
    rng = np.random.default_rng(seed)
    north_m = distance + _ar1(rng, distance.size, position_noise_m, POSITION_NOISE_RHO)
    east_m = _ar1(rng, distance.size, position_noise_m, POSITION_NOISE_RHO)
    altitude = true_altitude_m(distance, profile)
    # GPS altitude error: a wander that follows the satellite geometry (correlation time of minutes) plus a
    # little jitter from fix to fix.
    altitude = (altitude + _ar1(rng, distance.size, altitude_noise_m, ALTITUDE_NOISE_RHO)
                + rng.normal(0, altitude_noise_m / 4, distance.size))
    lat0, lon0 = 47.0, 8.3
    return pd.DataFrame({
        col.TIME: pd.to_datetime("2026-07-01T06:00:00Z") + pd.to_timedelta(seconds, unit="s"),
        col.LAT: lat0 + north_m / M_PER_DEG_LAT,
        col.LON: lon0 + east_m / (M_PER_DEG_LAT * np.cos(np.radians(lat0))),
        col.DISTANCE_M: np.nan,
        col.ALTITUDE_M: altitude if with_altitude else np.nan,
        col.HEART_RATE: np.nan,
        col.CADENCE: np.nan,
        col.SPEED_M_S: np.nan,
    })


# --- Generated hilly tracks with known truth, for tuning and measuring the elevation metrics -----------------------
#
# Two disjoint seed sets: the elevation settings were chosen looking only at TUNE_SEEDS; the tests and the figures
# in docs/metrics.md use MEASURE_SEEDS. Each seed draws a terrain family, a profile, a sampling interval, a pace and
# a noise model, so the measure set holds tracks no setting was fitted to. (Seeds 5000-5059 served as a first
# measure set; after the generator's threshold margin changed they were retired for these fresh ones.)
TUNE_SEEDS: tuple[int, ...] = tuple(range(1000, 1200))
MEASURE_SEEDS: tuple[int, ...] = tuple(range(9000, 9100))

# Grades drawn within this margin of the -5% and -10% lines are moved out of it: whether a 300 m stretch at -5.8%
# "is" downhill depends on noise no smoother can remove, and would measure the coin, not the method. GPS altitude
# keeps 1-2 grade points of noise after the longest grade filter (estimated per track), hence 2 points. (A first
# measurement with a 1-point margin is reported in docs/metrics.md.)
THRESHOLD_MARGIN_PCT = 2.0
THRESHOLDS_PCT = (-5.0, -10.0)

# Terrain families: (segment length range m, climb grade range %, descent grade range %, share of flat segments).
FAMILIES: dict[str, tuple[tuple[float, float], tuple[float, float], tuple[float, float], float]] = {
    "rolling": ((150.0, 500.0), (2.0, 9.0), (-9.0, -2.0), 0.2),
    "long climbs": ((700.0, 2500.0), (3.0, 10.0), (-12.0, -3.0), 0.15),
    "steep descents": ((200.0, 800.0), (4.0, 16.0), (-20.0, -8.0), 0.25),
}
SAMPLE_INTERVALS_S = (1.0, 1.0, 2.0, 3.0, 5.0)  # 1 s recording, and watches' "smart" recording
# GPS altitude error, from the literature on consumer GNSS receivers: a wander of 2-5 m that follows the satellite
# geometry (correlation 30 s to 10 min), or a random walk with a few metres of drift per 5 minutes, plus fix-to-fix
# jitter. A barometer: 0.1-0.3 m of noise on a slow drift of about a metre (weather, temperature), 0.2 m steps (FIT).
GPS_SIGMA_M = (2.0, 5.0)
GPS_TAU_S = (30.0, 600.0)
GPS_WALK_M_PER_SQRT_S = (0.08, 0.25)
GPS_JITTER_M = (0.3, 1.5)


@dataclass(frozen=True)
class HillyCase:
    """One generated track and its truth (distances measured along the true profile)."""

    seed: int
    family: str
    noise: str  # "barometric", "gps ar1" or "gps walk"
    interval_s: float
    stream: pd.DataFrame
    distance_m: float
    downhill_m: float  # true length at grade <= -5%
    steep_m: float  # true length at grade <= -10%
    descent_m: float
    ascent_m: float

    @property
    def barometric(self) -> bool:
        return self.noise == "barometric"


def _away_from_thresholds(grade: float) -> float:
    for line in THRESHOLDS_PCT:
        if abs(grade - line) < THRESHOLD_MARGIN_PCT:
            return line - THRESHOLD_MARGIN_PCT if grade < line else line + THRESHOLD_MARGIN_PCT
    return grade


def random_profile(rng: np.random.Generator, family: str, total_m: float) -> list[tuple[float, float]]:
    (short, long), climb, descent, flat_share = FAMILIES[family]
    profile: list[tuple[float, float]] = []
    climbing = bool(rng.random() < 0.5)
    while sum(length for length, _ in profile) < total_m:
        length = float(rng.uniform(short, long))
        if rng.random() < flat_share:
            grade = float(rng.uniform(-1.5, 1.5))
        else:
            grade = float(rng.uniform(*climb)) if climbing else float(rng.uniform(*descent))
            climbing = not climbing
        profile.append((round(length), round(_away_from_thresholds(grade), 1)))
    return profile


def _random_walk(rng: np.random.Generator, seconds: np.ndarray, step_m_per_sqrt_s: float) -> np.ndarray:
    steps = rng.normal(0, step_m_per_sqrt_s * np.sqrt(np.diff(seconds, prepend=seconds[0])))
    return np.cumsum(steps)


def _ar1_at(rng: np.random.Generator, seconds: np.ndarray, sigma: float, tau_s: float) -> np.ndarray:
    """AR(1) noise sampled at irregular times (an Ornstein-Uhlenbeck process)."""
    noise = np.empty(seconds.size)
    noise[0] = rng.normal(0, sigma)
    rho = np.exp(-np.diff(seconds) / tau_s)
    shocks = rng.normal(0, 1, seconds.size - 1) * sigma * np.sqrt(1 - rho**2)
    for i in range(1, seconds.size):
        noise[i] = rho[i - 1] * noise[i - 1] + shocks[i - 1]
    return noise


def gps_altitude_noise(rng: np.random.Generator, seconds: np.ndarray, kind: str) -> np.ndarray:
    """GPS altitude error at ``seconds``: "gps ar1" (a correlated wander plus jitter) or "gps walk" (a random walk
    plus white noise), with its size drawn from the ranges above."""
    if kind == "gps ar1":
        sigma = rng.uniform(*GPS_SIGMA_M)
        return _ar1_at(rng, seconds, sigma, rng.uniform(*GPS_TAU_S)) + rng.normal(0, sigma / 4, seconds.size)
    return _random_walk(rng, seconds, rng.uniform(*GPS_WALK_M_PER_SQRT_S)) + rng.normal(
        0, rng.uniform(*GPS_JITTER_M), seconds.size)


def hilly_case(seed: int) -> HillyCase:
    """A seeded hilly track: its family, profile, sampling, pace and noise model all drawn from ``seed``."""
    rng = np.random.default_rng(seed)
    family = str(rng.choice(list(FAMILIES)))
    noise = str(rng.choice(["barometric", "gps ar1", "gps walk"]))
    interval_s = float(rng.choice(SAMPLE_INTERVALS_S))
    profile = random_profile(rng, family, float(rng.uniform(5000, 14000)))
    total_m = float(sum(length for length, _ in profile))
    # Pace follows the grade: slower uphill, a little faster on gentle descents, careful on steep ones.
    fine = np.arange(0.0, total_m + 1.0)
    ends = np.cumsum([length for length, _ in profile])
    grade_at = np.array([grade for _, grade in profile])[np.minimum(np.searchsorted(ends, fine, side="right"),
                                                                     len(profile) - 1)]
    base = float(rng.uniform(2.4, 3.8))
    speed = base * np.clip(1 - 0.04 * np.maximum(grade_at, 0) + 0.02 * np.clip(-grade_at, 0, 5)
                           - 0.03 * np.clip(-grade_at - 8, 0, None), 0.4, 1.2)
    elapsed = np.concatenate(([0.0], np.cumsum(1.0 / speed[1:])))  # seconds to reach each metre
    seconds = np.arange(0.0, elapsed[-1], interval_s)
    distance = np.interp(seconds, elapsed, fine)
    altitude = true_altitude_m(distance, profile)
    if noise == "barometric":
        altitude = altitude + rng.normal(0, 2) + _ar1_at(rng, seconds, 1.2, 900) + rng.normal(
            0, rng.uniform(0.1, 0.3), seconds.size)
        altitude = np.round(altitude * 5) / 5  # FIT stores altitude in 0.2 m steps
    else:
        altitude = altitude + gps_altitude_noise(rng, seconds, noise)
    north_m = distance + _ar1_at(rng, seconds, 3.0, 50.0)
    east_m = _ar1_at(rng, seconds, 3.0, 50.0)
    lat0, lon0 = 47.0, 8.3
    stream = pd.DataFrame({
        col.TIME: pd.to_datetime("2026-07-01T06:00:00Z") + pd.to_timedelta(seconds, unit="s"),
        col.LAT: lat0 + north_m / M_PER_DEG_LAT,
        col.LON: lon0 + east_m / (M_PER_DEG_LAT * np.cos(np.radians(lat0))),
        # A watch with a barometer records its own distance; a phone's GPX holds positions only.
        col.DISTANCE_M: distance if noise == "barometric" else np.nan,
        col.ALTITUDE_M: altitude,
        col.HEART_RATE: np.nan,
        col.CADENCE: np.nan,
        col.SPEED_M_S: np.nan,
    })
    climbs = [length * grade / 100 for length, grade in profile]
    grade = true_grade_pct(profile)
    return HillyCase(seed, family, noise, interval_s, stream, total_m,
                     float((grade <= -5.0).sum()), float((grade <= -10.0).sum()),
                     -sum(c for c in climbs if c < 0), sum(c for c in climbs if c > 0))


def true_grade_pct(profile: Profile, window_m: float = 50.0) -> np.ndarray:
    """The true grade of each metre of ``profile``, over a centred window of ``window_m`` (EVIDENCE.md's definition:
    grade over windows of at least 50 m), shrinking at the ends."""
    total_m = sum(length for length, _ in profile)
    metres = np.arange(0.0, total_m + 1.0)
    altitude = true_altitude_m(metres, profile)
    half = int(window_m // 2)
    ahead = np.minimum(np.arange(metres.size) + half, metres.size - 1)
    behind = np.maximum(np.arange(metres.size) - half, 0)
    return np.asarray(100.0 * (altitude[ahead] - altitude[behind]) / (ahead - behind))[:-1]


def with_gps_noise(stream: pd.DataFrame, seed: int) -> pd.DataFrame:
    """A copy of a real barometric stream with generated GPS altitude error added: real terrain, GPS-like noise
    ("gps ar1" for even seeds, "gps walk" for odd ones)."""
    rng = np.random.default_rng(seed)
    times = stream[col.TIME].to_numpy(dtype="datetime64[ns]")
    seconds = (times - times[0]) / np.timedelta64(1, "s")
    noisy = stream.copy()
    noisy[col.ALTITUDE_M] = noisy[col.ALTITUDE_M] + gps_altitude_noise(rng, seconds,
                                                                       "gps ar1" if seed % 2 == 0 else "gps walk")
    return noisy
