"""Which shoe each run was done in.

First match wins: the runner's own assignment (``stridewise shoes assign``); the gear Strava recorded (a shoe
named there and not in the config is registered with the default limits); a shoe in the config that is the
default for the run's surface (or for all running) and in use on that date; else none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from stridewise.config import Shoe


def registered_shoes(configured: Sequence[Shoe], run_gear: Sequence[str | None]) -> tuple[Shoe, ...]:
    """The configured shoes plus every gear name that Strava recorded on a run (never on a ride)."""
    known = {shoe.name.lower() for shoe in configured}
    extra: list[Shoe] = []
    for gear in run_gear:
        if gear and gear.lower() not in known:
            known.add(gear.lower())
            extra.append(Shoe(name=gear))
    return (*configured, *extra)


def shoe_for_run(*, activity_id: int, day: date, surface: str, gear: str | None, shoes: Sequence[Shoe],
                 assignments: Mapping[int, str]) -> tuple[str | None, str]:
    """(shoe name or None, how it was decided) for one run."""
    if activity_id in assignments:
        return assignments[activity_id], "assigned"
    if gear:
        named = next((s for s in shoes if s.name.lower() == gear.lower()), None)
        return (named.name if named else gear), "Strava gear"
    candidates = [s for s in shoes if _in_use(s, day) and (surface in s.default_for or "running" in s.default_for)]
    if not candidates:
        return None, "no shoe named or configured as default"
    # The pair put into use most recently is the one on the runner's feet.
    best = max(candidates, key=lambda s: (surface in s.default_for, s.first_use or date.min))
    return best.name, f"config default for {surface if surface in best.default_for else 'running'}"


def _in_use(shoe: Shoe, day: date) -> bool:
    return (shoe.first_use is None or shoe.first_use <= day) and (shoe.retire is None or day <= shoe.retire)
