"""How a run's surface is decided, and that unknown stays unknown."""

from __future__ import annotations

import pytest

from stridewise.config import SurfaceRule
from stridewise.metrics.surface import decide_surface


@pytest.mark.parametrize(("sub_sport", "type_hint", "name", "surface", "source"), [
    ("trail", None, "Morning Run", "trail", "sub-sport 'trail'"),
    ("street", "Trail Run", None, "road", "sub-sport 'street'"),
    ("treadmill", None, None, "treadmill", "sub-sport 'treadmill'"),
    (None, "Trail Run", "Evening Run", "trail", "activity type 'Trail Run'"),
    (None, "Virtual Run", None, "treadmill", "activity type 'Virtual Run'"),
    (None, "Run", "Track 5x800m", "track", "name contains 'Track'"),
    (None, None, "Laufband Intervalle", "treadmill", "name contains 'Laufband'"),
    (None, None, "Pilatus trail", "trail", "name contains 'trail'"),
    (None, "Run", "Morning Run", "unknown", "nothing in the file, its name or the config says"),
    (None, None, "Racetrack-side jog", "unknown", "nothing in the file, its name or the config says"),
])
def test_surface_from_the_file_the_type_and_the_name(sub_sport: str | None, type_hint: str | None, name: str | None,
                                                     surface: str, source: str) -> None:
    decision = decide_surface(sub_sport=sub_sport, type_hint=type_hint, name=name, gear=None)
    assert (decision.surface, decision.source) == (surface, source)


def test_a_rule_overrides_the_file_and_a_fallback_rule_only_fills_unknowns() -> None:
    rules = [SurfaceRule("trail", name_contains="pilatus"), SurfaceRule("road", gear="Pegasus 40", fallback=True)]
    pilatus = decide_surface(sub_sport="street", type_hint=None, name="Pilatus loop", gear=None, rules=rules)
    assert (pilatus.surface, pilatus.source) == ("trail", "config rule (name contains 'pilatus')")
    filled = decide_surface(sub_sport=None, type_hint="Run", name="Morning Run", gear="pegasus 40", rules=rules)
    assert (filled.surface, filled.source) == ("road", "config fallback rule (gear 'Pegasus 40')")
    treadmill = decide_surface(sub_sport="treadmill", type_hint="Run", name=None, gear="Pegasus 40", rules=rules)
    assert treadmill.surface == "treadmill"
