"""Stage 3: per-activity metrics computed from a stored stream.

``compute_metrics`` is the one entry point: the ingest pipeline calls it on fresh parses, and the store's
refresh calls it on stored streams when ``METRICS_VERSION`` or the settings change.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

import pandas as pd

from stridewise.config import ElevationSettings
from stridewise.metrics.elevation import Elevation, measure_elevation
from stridewise.metrics.summary import METRICS_VERSION, Summary, summarize
from stridewise.model import track_distance_m

__all__ = ["METRICS_VERSION", "ActivityMetrics", "ElevationSettings", "compute_metrics", "settings_key"]


@dataclass(frozen=True)
class ActivityMetrics:
    summary: Summary
    elevation: Elevation

    def values(self) -> dict[str, float | str | None]:
        """The metrics by column name, as the store keeps them (field names are the store's column names)."""
        return {**asdict(self.summary), **asdict(self.elevation)}


def settings_key(settings: ElevationSettings) -> str:
    """A short fingerprint of the settings: stored metrics computed with other settings are recomputed."""
    text = json.dumps(asdict(settings), sort_keys=True)
    return f"v{METRICS_VERSION}-" + hashlib.sha256(text.encode()).hexdigest()[:12]


def compute_metrics(stream: pd.DataFrame, *, device_distance_m: float | None, altitude_source: str,
                    sub_sport: str | None, settings: ElevationSettings) -> ActivityMetrics:
    distance = track_distance_m(stream) if not stream.empty else None  # both stages need it: computed once
    return ActivityMetrics(
        summarize(stream, device_distance_m, distance=distance),
        measure_elevation(stream, barometric=altitude_source == "barometric", treadmill=sub_sport == "treadmill",
                          settings=settings, distance_m=distance),
    )
