"""Display units, and the one formatter of a distance a person reads. Metres everywhere else.

Every outward-facing distance (flag messages, the check, the report, the card, the shoe list, the activity
table) goes through :func:`distance_text`, so a runner who chose miles never meets a kilometre.
"""

from __future__ import annotations

from typing import Final, Literal, cast, get_args

Units = Literal["km", "mi"]
UNITS: Final[tuple[str, ...]] = get_args(Units)
DEFAULT_UNITS: Final[Units] = "km"

M_PER_KM: Final = 1000.0  # SI
M_PER_MI: Final = 1609.344  # the international mile (1959 agreement): exactly 1609.344 m
KM_PER_MI: Final = M_PER_MI / M_PER_KM  # 1.609344: the factor between a km axis and a mi axis

_M_PER_UNIT: Final[dict[str, float]] = {"km": M_PER_KM, "mi": M_PER_MI}


def as_units(value: str) -> Units:
    """``value`` checked as a unit name; ValueError otherwise (callers turn it into their own error)."""
    if value not in UNITS:
        raise ValueError(f"units must be one of {', '.join(UNITS)}, not {value!r}")
    return cast(Units, value)


def metres_per(units: Units) -> float:
    """Metres in one display unit: divide a metre column by this to draw it."""
    return _M_PER_UNIT[units]


def distance_in(metres: float, units: Units) -> float:
    """``metres`` in ``units`` (NaN stays NaN)."""
    return metres / metres_per(units)


def km_in(km: float, units: Units) -> float:
    """A distance given in km (shoe limits), in ``units``."""
    return km * M_PER_KM / metres_per(units)


def distance_label(units: Units) -> str:
    """The unit as an axis label shows it: ``km`` or ``mi``."""
    return units


def distance_text(metres: float, units: Units = DEFAULT_UNITS, digits: int = 1) -> str:
    """``8.7 km`` or ``5.4 mi``: a distance as a person reads it."""
    return f"{distance_in(metres, units):.{digits}f} {units}"
