"""The JSON shape of stored activities (the contract documented in docs/json.md)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any

from stridewise.frames import SHOE, SHOE_SOURCE, SURFACE, SURFACE_SOURCE, local_time
from stridewise.jsontext import dumps, plain
from stridewise.store import ActivityRecord


def local_start(record: ActivityRecord, zone: tzinfo) -> datetime:
    """Start in the runner's local time (the config zone), as the series and the flags count it."""
    return local_time(record.start_utc, zone)


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _share(part: float | None, whole: float | None) -> float | None:
    return None if part is None or not whole else round(part / whole, 4)


def surface_mix(metres: Mapping[str, float] | None) -> dict[str, float] | None:
    """Shares of the run's GPS distance per map class (summing to 1), or None when it was never matched."""
    total = sum(metres.values()) if metres else 0.0
    if not metres or total <= 0:
        return None
    shares = {name: round(value / total, 4) for name, value in metres.items()}
    # Rounding can leave the sum a few 1e-4 off 1: settle the difference on the largest share.
    largest = max(shares, key=lambda name: shares[name])
    shares[largest] = round(shares[largest] + 1.0 - sum(shares.values()), 4)
    return shares


def activity_dict(record: ActivityRecord, zone: tzinfo,
                  derived: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """One activity as JSON. ``derived``: surface and shoe (decided at load time, absent for duplicates)."""
    derived = derived or {}
    return {
        "id": record.id,
        "source": record.source,
        "format": record.format,
        "sport": record.sport,
        "sub_sport": record.sub_sport,
        "is_run": record.is_run,
        "sport_source": record.sport_source,
        "start_utc": record.start_utc.isoformat(),
        "start_local": local_start(record, zone).isoformat(),
        "utc_offset_known": record.utc_offset_s is not None,
        "distance_m": _round(record.distance_m),
        "distance_source": record.distance_source,
        "duration_s": _round(record.duration_s),
        "moving_time_s": _round(record.moving_time_s),
        "ascent_m": _round(record.ascent_m),
        "descent_m": _round(record.descent_m),
        "downhill_m": _round(record.downhill_m),
        "steep_downhill_distance_m": _round(record.steep_downhill_distance_m),
        "downhill_share": _share(record.downhill_m, record.distance_m),
        "name": record.name,
        "gear": record.gear,
        "type_hint": record.type_hint,
        "device": record.device,
        "altitude_source": record.altitude_source,
        "device_distance_m": _round(record.device_distance_m),
        "surface": derived.get(SURFACE),
        "surface_source": derived.get(SURFACE_SOURCE),
        "surface_mix": surface_mix(record.surface_mix),
        "shoe": derived.get(SHOE),
        "shoe_source": derived.get(SHOE_SOURCE),
        "duplicate_of": record.duplicate_of,
        "duplicate_reason": record.duplicate_reason,
        "counted": record.counted,
        "not_counted_because": record.not_counted_because,
        "warnings": record.warnings,
    }


__all__ = ["activity_dict", "dumps", "local_start", "plain"]
