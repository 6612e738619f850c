"""Display units. Metrics stay in metres everywhere else; only the report converts, at the edge."""

from __future__ import annotations

from typing import Final, Literal

Units = Literal["km", "mi"]

M_PER_KM: Final = 1000.0  # SI
M_PER_MI: Final = 1609.344  # the international mile (1959 agreement): exactly 1609.344 m
KM_PER_MI: Final = M_PER_MI / M_PER_KM  # 1.609344: the factor between a km axis and a mi axis

_M_PER_UNIT: Final[dict[str, float]] = {"km": M_PER_KM, "mi": M_PER_MI}


def metres_per(units: Units) -> float:
    """Metres in one display unit: divide a metre column by this to draw it."""
    return _M_PER_UNIT[units]


def distance_in(metres: float, units: Units) -> float:
    """``metres`` in ``units`` (NaN stays NaN)."""
    return metres / metres_per(units)


def km_in(km: float, units: Units) -> float:
    """A distance the shoe report gives in km, in ``units``."""
    return km * M_PER_KM / metres_per(units)


def distance_label(units: Units) -> str:
    """The unit as an axis label shows it: ``km`` or ``mi``."""
    return units
