"""Small, exact activity files written by the tests themselves (no real logs needed)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from xml.sax.saxutils import escape

# Metres per degree of latitude on the mean-radius sphere stridewise uses.
M_PER_DEG_LAT = math.pi * 6_371_008.8 / 180


def straight_run(start: datetime, *, distance_m: float, pace_s_per_km: float, interval_s: float = 1.0,
                 lat0: float = 47.0, lon0: float = 8.3) -> list[tuple[datetime, float, float, float]]:
    """Points (time, lat, lon, cumulative distance) of a run due north at a steady pace."""
    speed = 1000.0 / pace_s_per_km
    points = []
    t = 0.0
    while True:
        d = min(speed * t, distance_m)
        points.append((start + timedelta(seconds=t), lat0 + d / M_PER_DEG_LAT, lon0, d))
        if d >= distance_m:
            return points
        t += interval_s


def gpx(points: list[tuple[datetime, float, float, float]], *, name: str = "Morning Run",
        sport: str | None = "running", heart_rate: int | None = 140) -> bytes:
    sport_xml = f"<type>{sport}</type>" if sport else ""
    ext = ("<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{hr}</gpxtpx:hr>"
           "</gpxtpx:TrackPointExtension></extensions>") if heart_rate else ""
    body = "".join(
        f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><ele>400.0</ele><time>{t.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}'
        f"</time>{ext.format(hr=heart_rate)}</trkpt>" for t, lat, lon, _ in points)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="StravaGPX" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<trk><name>{escape(name)}</name>{sport_xml}<trkseg>{body}</trkseg></trk></gpx>"
    ).encode()


def tcx(points: list[tuple[datetime, float, float, float]], *, sport: str = "Running") -> bytes:
    body = "".join(
        f"<Trackpoint><Time>{t.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}</Time><Position><LatitudeDegrees>{lat:.7f}"
        f"</LatitudeDegrees><LongitudeDegrees>{lon:.7f}</LongitudeDegrees></Position>"
        f"<AltitudeMeters>400.0</AltitudeMeters><DistanceMeters>{d:.2f}</DistanceMeters>"
        f"<HeartRateBpm><Value>140</Value></HeartRateBpm><Cadence>85</Cadence></Trackpoint>"
        for t, lat, lon, d in points)
    total_s = (points[-1][0] - points[0][0]).total_seconds()
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        f'<Activities><Activity Sport="{sport}"><Id>{points[0][0]:%Y-%m-%dT%H:%M:%SZ}</Id>'
        f'<Lap StartTime="{points[0][0]:%Y-%m-%dT%H:%M:%SZ}"><TotalTimeSeconds>{total_s}</TotalTimeSeconds>'
        f"<DistanceMeters>{points[-1][3]:.2f}</DistanceMeters><Track>{body}</Track></Lap>"
        "<Creator><Name>Forerunner 945</Name></Creator></Activity></Activities></TrainingCenterDatabase>"
    ).encode()


STRAVA_HEADER = ("Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,"
                 "Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,Filename")


def strava_csv(rows: list[tuple[str, str, str, str]]) -> str:
    """activities.csv with rows of (name, type, gear, filename)."""
    lines = [STRAVA_HEADER]
    for number, (name, kind, gear, filename) in enumerate(rows, start=1):
        lines.append(f'{number},"Jul 1, 2026, 5:12:33 AM",{name},{kind},,3600,10.0,,,false,,{gear},{filename}')
    return "\n".join(lines) + "\n"


def morning(day: int, hour: int = 6) -> datetime:
    return datetime(2026, 7, day, hour, 0, tzinfo=UTC)
