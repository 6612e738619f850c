"""Column names of the tables the later stages pass around, defined once.

``ACTIVITY_COLUMNS``: one row per counted activity (duplicates left out), as :func:`stridewise.load` returns it
and as the series stage reads it. Units live in the names; times are pandas UTC timestamps.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Final

# --- activities table (one row per activity) ---------------------------------------------------------------
ID: Final = "id"
START_UTC: Final = "start_utc"  # datetime64[ns, UTC]
SPORT: Final = "sport"
SUB_SPORT: Final = "sub_sport"
IS_RUN: Final = "is_run"  # bool: counts as running distance
NAME: Final = "name"
DISTANCE_M: Final = "distance_m"
DURATION_S: Final = "duration_s"
MOVING_TIME_S: Final = "moving_time_s"
ASCENT_M: Final = "ascent_m"  # NaN when the activity has no altitude
DESCENT_M: Final = "descent_m"  # NaN when the activity has no altitude
DOWNHILL_M: Final = "downhill_m"  # distance at grade <= -5%; NaN when no altitude, 0 on a treadmill
STEEP_DOWNHILL_DISTANCE_M: Final = "steep_downhill_distance_m"  # distance at grade <= -10%; same nulls
DOWNHILL_SHARE: Final = "downhill_share"  # downhill_m / distance_m
SURFACE: Final = "surface"  # one of SURFACES
SURFACE_SOURCE: Final = "surface_source"  # "map" when the map's measured mix decided
SURFACE_MIX: Final = "surface_mix"  # dict class -> share of the distance when the map decided, else None
SHOE: Final = "shoe"  # shoe name or None
# Added by stridewise.load(): the start in the runner's zone, its calendar day, and how the shoe was decided.
START_LOCAL: Final = "start_local"
LOCAL_DATE: Final = "local_date"  # datetime.date
SHOE_SOURCE: Final = "shoe_source"

ACTIVITY_COLUMNS: Final[tuple[str, ...]] = (
    ID, START_UTC, SPORT, SUB_SPORT, IS_RUN, NAME, DISTANCE_M, DURATION_S, MOVING_TIME_S, ASCENT_M, DESCENT_M,
    DOWNHILL_M, STEEP_DOWNHILL_DISTANCE_M, DOWNHILL_SHARE, SURFACE, SURFACE_SOURCE, SURFACE_MIX, SHOE,
)

# "unpaved": gravel, fine gravel, compacted (from the map, or a config rule).
SURFACES: Final[tuple[str, ...]] = ("road", "unpaved", "trail", "track", "treadmill", "mixed", "unknown")


def local_time(start_utc: datetime, zone: tzinfo) -> datetime:
    """The one conversion to the runner's local time: the config zone (never the file's own offset), so that the
    activity list, its JSON, the series and the flags put every activity on the same local day."""
    return start_utc.astimezone(zone)
