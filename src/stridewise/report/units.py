"""Display units for the report: the one definition lives in :mod:`stridewise.units`."""

from __future__ import annotations

from stridewise.units import (
    KM_PER_MI,
    M_PER_KM,
    M_PER_MI,
    Units,
    distance_in,
    distance_label,
    distance_text,
    km_in,
    metres_per,
)

__all__ = ["KM_PER_MI", "M_PER_KM", "M_PER_MI", "Units", "distance_in", "distance_label", "distance_text", "km_in",
           "metres_per"]
