"""Column names of the normalized per-second stream, defined once.

Every parser returns a ``pandas.DataFrame`` with exactly these columns (missing values are NaN), SI units inside.
"""

from __future__ import annotations

from typing import Final

TIME: Final = "time"  # datetime64[ns, UTC]
LAT: Final = "lat"  # degrees WGS84
LON: Final = "lon"  # degrees WGS84
DISTANCE_M: Final = "distance_m"  # cumulative metres, as the device recorded it (NaN where it did not)
ALTITUDE_M: Final = "altitude_m"  # metres above sea level; see Activity.altitude_source
HEART_RATE: Final = "heart_rate"  # beats per minute
CADENCE: Final = "cadence"  # per minute as devices record it: strides (one foot) for runs, rpm for rides
SPEED_M_S: Final = "speed_m_s"  # metres per second

STREAM_COLUMNS: Final[tuple[str, ...]] = (
    TIME,
    LAT,
    LON,
    DISTANCE_M,
    ALTITUDE_M,
    HEART_RATE,
    CADENCE,
    SPEED_M_S,
)
NUMERIC_COLUMNS: Final[tuple[str, ...]] = STREAM_COLUMNS[1:]
