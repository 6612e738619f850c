"""Log folders for the batch tests: three runs a week (Tue 8 km, Thu 8 km, Sun 12 km) from 2026-W28 on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from builders import gpx, straight_run

FIRST_MONDAY = datetime(2026, 7, 6, 6, 0, tzinfo=UTC)  # 2026-W28
WEEK_RUNS_KM = ((1, 8), (3, 8), (6, 12))  # (day of the week, km)


def write_run(folder: Path, day: int, km: float) -> Path:
    """A GPX run of ``km`` at 5:30 /km, ``day`` days after FIRST_MONDAY."""
    path = folder / f"run-{day:03d}.gpx"
    path.write_bytes(gpx(straight_run(FIRST_MONDAY + timedelta(days=day), distance_m=km * 1000, pace_s_per_km=330,
                                      interval_s=10)))
    return path


def make_logs(root: Path, weeks: int = 3, *, skip: tuple[int, ...] = ()) -> Path:
    """``root/logs`` with ``weeks`` weeks of WEEK_RUNS_KM (weeks listed in ``skip`` left empty) and a UTC config."""
    folder = root / "logs"
    folder.mkdir(parents=True)
    for week in range(weeks):
        if week in skip:
            continue
        for day, km in WEEK_RUNS_KM:
            write_run(folder, 7 * week + day, km)
    (folder / "stridewise.toml").write_text('timezone = "UTC"\n')
    return folder
