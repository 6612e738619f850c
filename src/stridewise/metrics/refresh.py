"""Stored metrics made by other code or settings are recomputed from the stored streams (no file is read again)."""

from __future__ import annotations

from stridewise.config import ElevationSettings
from stridewise.metrics import compute_metrics, settings_key
from stridewise.store import Store


def refresh_metrics(store: Store, settings: ElevationSettings) -> int:
    """Recompute, from the stored streams, every activity's metrics made by other code or settings."""
    key = settings_key(settings)
    stale = store.stale_metrics(key)
    for activity_id in stale:
        device_distance_m, altitude_source, sub_sport = store.metrics_inputs(activity_id)
        metrics = compute_metrics(store.stream(activity_id), device_distance_m=device_distance_m,
                                  altitude_source=altitude_source, sub_sport=sub_sport, settings=settings)
        store.save_metrics(activity_id, metrics.values(), key)
    return len(stale)
