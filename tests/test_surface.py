"""How a run's surface is decided, and that unknown stays unknown."""

from __future__ import annotations

import pytest

from stridewise.config import SurfaceRule
from stridewise.jsonout import surface_mix
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


MAP = {"road": 300.0, "unpaved": 500.0, "trail": 100.0, "track": 0.0, "unknown": 100.0}


def test_the_map_decides_below_the_device_and_above_the_name() -> None:
    by_map = decide_surface(sub_sport=None, type_hint="Run", name="Road run", gear=None, map_metres=MAP)
    # 500 of 1000 m on gravel: the dominant class; the shares are the measured ones.
    assert (by_map.surface, by_map.source) == ("unpaved", "map")
    assert by_map.mix == {"road": 0.3, "unpaved": 0.5, "trail": 0.1, "track": 0.0, "unknown": 0.1}
    device = decide_surface(sub_sport="trail", type_hint=None, name=None, gear=None, map_metres=MAP)
    assert (device.surface, device.source, device.mix) == ("trail", "sub-sport 'trail'", None)
    strava = decide_surface(sub_sport=None, type_hint="Trail Run", name=None, gear=None, map_metres=MAP)
    assert strava.source == "activity type 'Trail Run'"
    rule = decide_surface(sub_sport=None, type_hint=None, name="Pilatus", gear=None, map_metres=MAP,
                          rules=[SurfaceRule("trail", name_contains="pilatus")])
    assert rule.source == "config rule (name contains 'pilatus')"


def test_a_map_that_knows_less_than_half_the_run_leaves_it_to_the_name() -> None:
    mostly_unknown = {"road": 400.0, "unpaved": 0.0, "trail": 0.0, "track": 0.0, "unknown": 600.0}
    decision = decide_surface(sub_sport=None, type_hint=None, name="Trail loop", gear=None,
                              map_metres=mostly_unknown)
    assert (decision.surface, decision.source) == ("trail", "name contains 'Trail'")
    off_map = {"road": 0.0, "unpaved": 0.0, "trail": 0.0, "track": 0.0, "unknown": 1000.0}
    assert decide_surface(sub_sport=None, type_hint=None, name=None, gear=None, map_metres=off_map).surface == \
        "unknown"


def test_the_json_mix_is_five_shares_summing_to_one() -> None:
    thirds = {"road": 1.0, "unpaved": 1.0, "trail": 1.0, "track": 0.0, "unknown": 0.0}
    shares = surface_mix(thirds)
    assert shares is not None
    assert list(shares) == ["road", "unpaved", "trail", "track", "unknown"]
    assert sum(shares.values()) == pytest.approx(1.0, abs=1e-9)
    assert sorted(shares.values()) == pytest.approx([0.0, 0.0, 0.3333, 0.3333, 0.3334])
    assert surface_mix(None) is None
    assert surface_mix(dict.fromkeys(thirds, 0.0)) is None
