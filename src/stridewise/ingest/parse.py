"""One source -> its activities and metrics, or the one-line reason it has none (runs in a worker process)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from stridewise.errors import InputError
from stridewise.metrics import ActivityMetrics, ElevationSettings, compute_metrics
from stridewise.model import Activity
from stridewise.parsers import parse_bytes
from stridewise.parsers import sport as sports
from stridewise.plausible import drop_impossible_points
from stridewise.sources import SourceFile, SourceReader, StravaHints
from stridewise.store.codec import PackedStream, pack_stream


@dataclass(frozen=True)
class Parsed:
    """One activity read, as the store takes it. ``activity.stream`` is left empty (no rows): the stream travels
    packed, as the store keeps it, so a worker sends a few compressed bytes instead of a pickled DataFrame."""

    activity: Activity
    metrics: ActivityMetrics
    stream: PackedStream


@dataclass(frozen=True)
class Outcome:
    """What became of one source: its activities, an error, or "same content as stored"."""

    source: SourceFile
    sha256: str | None
    activities: list[Parsed] | None = None
    error: str | None = None
    same_content: bool = False


def parse_source(source: SourceFile, known_sha256: str | None = None, settings: ElevationSettings | None = None,
                 reader: SourceReader | None = None) -> Outcome:
    """Read and parse one source. Never raises for bad input; ``reader`` keeps archives open between calls."""
    if source.refusal is not None:
        return Outcome(source, None, error=source.refusal)
    try:
        data = source.read() if reader is None else reader.read(source)
    except InputError as exc:
        return Outcome(source, None, error=exc.reason)
    sha256 = hashlib.sha256(data).hexdigest()
    if sha256 == known_sha256:
        return Outcome(source, sha256, same_content=True)
    try:
        activities = parse_bytes(data, source.key)
    except InputError as exc:
        return Outcome(source, sha256, error=exc.reason)
    del data  # the largest object of the parse; free it before the metrics
    for activity in activities:
        _apply_hints(activity, source.hints)
    activities = [drop_impossible_points(a) for a in activities]  # knows the sport, hints included
    settings = settings or ElevationSettings()
    return Outcome(source, sha256, activities=[
        Parsed(replace(a, stream=a.stream.iloc[:0]), _metrics(a, settings), pack_stream(a.stream))
        for a in activities])


def _metrics(activity: Activity, settings: ElevationSettings) -> ActivityMetrics:
    return compute_metrics(activity.stream, device_distance_m=activity.device_distance_m,
                           altitude_source=activity.altitude_source, sub_sport=activity.sub_sport, settings=settings)


def _apply_hints(activity: Activity, hints: StravaHints | None) -> None:
    """Strava's activities.csv knows what the runner called the activity, its type and the shoe."""
    if hints is None:
        return
    activity.name = hints.name or activity.name
    activity.gear_hint = hints.gear or activity.gear_hint
    if hints.type:
        activity.type_hint = hints.type
        sport, sub_sport = sports.normalize_label(hints.type)
        # The runner's own label beats a guess from the pace, never the device's sport.
        guessed = activity.sport == sports.UNKNOWN or activity.sport_source.startswith("classified by pace")
        if sport != sports.UNKNOWN and guessed:
            activity.sport, activity.sub_sport = sport, sub_sport
            activity.sport_source = f"Strava activity type '{hints.type}'"
