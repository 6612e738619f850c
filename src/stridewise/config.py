"""The configuration file (TOML): time zone, elevation thresholds, shoes, surface rules, rule thresholds.

Where it is found, first match wins: ``--config PATH``; ``$STRIDEWISE_CONFIG``; ``stridewise.toml`` in a log
folder given on the command line; ``stridewise.toml`` in the user config directory. No file means the defaults.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

from stridewise.errors import ConfigError
from stridewise.frames import SURFACES
from stridewise.units import DEFAULT_UNITS, Units, as_units

CONFIG_FILENAME: Final = "stridewise.toml"
CONFIG_ENV: Final = "STRIDEWISE_CONFIG"
# EVIDENCE.md, worn shoes: notice at 500 km on one pair, "replace" at 800 km (convention).
SHOE_NOTICE_KM: Final = 500.0
SHOE_REPLACE_KM: Final = 800.0


@dataclass(frozen=True)
class ElevationSettings:
    """Tunable numbers; the defaults are EVIDENCE.md's, each overridable in the config file ([elevation])."""

    downhill_grade_pct: float = -5.0  # EVIDENCE.md: grade <= -5% counts as descent
    steep_grade_pct: float = -10.0  # EVIDENCE.md: grade <= -10% counts as steep
    grade_window_m: float = 50.0  # EVIDENCE.md: grade over windows of at least 50 m
    # Spike filter and smoothing lengths. Barometric: a 25 m median and mean keep short ramps intact. GPS: phone and
    # watch GPS altitude wanders 3-5 m over minutes, so a 3 m error across 50 m would read as a 6% grade. With 400 m
    # of smoothing, rolling roads (true grades -4%) stay under -5% in the sample logs (worst +2.6 points of downhill
    # share, against +11 points with 150 m), at the cost of undercounting steep stretches shorter than ~1 km.
    barometric_median_m: float = 25.0
    barometric_smoothing_m: float = 25.0
    gps_median_m: float = 50.0
    gps_smoothing_m: float = 400.0
    # Totals (ascent/descent) from GPS altitude: 150 m of smoothing and a 5 m hysteresis keep a flat 6 km road under
    # 30 m of descent at 5 m of noise while a hilly profile stays within 15% (tests/test_elevation.py).
    gps_totals_smoothing_m: float = 150.0
    # Hysteresis for ascent/descent totals, applied to the despiked (not smoothed) trace. GoldenCheetah uses 3 m;
    # on the barometric sessions in ../shared/real_logs, 1 m matches the devices' own totals best (median error
    # +1.1%, 29 of 32 within 15%; 3 m undercounts by 13%). GPS traces wander too much for 1 m.
    barometric_hysteresis_m: float = 1.0
    gps_hysteresis_m: float = 5.0
    # Downhill is counted only inside a descent that drops at least this much from a crest to the next hollow.
    # GPS altitude wanders a few metres over a few hundred metres of a flat road; a real descent drops more.
    barometric_min_descent_m: float = 3.0
    gps_min_descent_m: float = 10.0


@dataclass(frozen=True)
class Shoe:
    name: str
    first_use: date | None = None
    retire: date | None = None
    initial_km: float = 0.0  # kilometres already on the pair before the first logged run
    notice_km: float = SHOE_NOTICE_KM
    replace_km: float = SHOE_REPLACE_KM
    default_for: tuple[str, ...] = ()  # surfaces ("road", "trail"...) or "running": runs without a named shoe


@dataclass(frozen=True)
class SurfaceRule:
    """Runs matching every given condition get ``surface``. Conditions are case-insensitive.

    A ``fallback`` rule applies only where the file, its type and its name say nothing ("my Pegasus runs without a
    sub-sport are on the road"); other rules override everything.
    """

    surface: str
    name_contains: str | None = None
    gear: str | None = None
    type: str | None = None
    fallback: bool = False


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    timezone: str | None = None
    elevation: ElevationSettings = field(default_factory=ElevationSettings)
    shoes: tuple[Shoe, ...] = ()
    surface_rules: tuple[SurfaceRule, ...] = ()
    osm_extract: Path | None = None
    rules: Mapping[str, Mapping[str, float]] = field(default_factory=dict)  # per-rule threshold overrides
    units: Units = DEFAULT_UNITS  # distances a person reads: "km" or "mi" (flag > config > km)

    def zone(self) -> ZoneInfo:
        """The runner's time zone: the configured one, else the system's."""
        if self.timezone:
            try:
                return ZoneInfo(self.timezone)
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise ConfigError(f"{self.path}: unknown timezone {self.timezone!r} (use a name such as "
                                  f"'Europe/Zurich')") from exc
        return system_zone()


def system_zone() -> ZoneInfo:
    """The system's IANA zone: ``$TZ``, else the target of /etc/localtime, else UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    for name in candidates:
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def user_config_path() -> Path:
    return platformdirs.user_config_path("stridewise", appauthor=False) / CONFIG_FILENAME


def find_config(explicit: Path | None = None, log_paths: Iterable[Path] = ()) -> Path | None:
    """The config file that applies, or None (defaults)."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"config file {explicit} not found")
        return explicit
    env = os.environ.get(CONFIG_ENV)
    if env:
        if not Path(env).is_file():
            raise ConfigError(f"config file {env} (from ${CONFIG_ENV}) not found")
        return Path(env)
    for path in log_paths:
        folder = path if path.is_dir() else path.parent
        if (folder / CONFIG_FILENAME).is_file():
            return folder / CONFIG_FILENAME
    user = user_config_path()
    return user if user.is_file() else None


def load_config(explicit: Path | None = None, log_paths: Iterable[Path] = ()) -> Config:
    path = find_config(explicit, log_paths)
    if path is None:
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    return parse_config(data, path)


def parse_config(data: Mapping[str, Any], path: Path | None = None) -> Config:
    where = str(path) if path else "config"
    known = {"timezone", "units", "elevation", "shoes", "shoe_limits", "surface_rules", "osm", "rules"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"{where}: unknown setting {unknown[0]!r} (known: {', '.join(sorted(known))})")
    timezone = data.get("timezone")
    if timezone is not None and not isinstance(timezone, str):
        raise ConfigError(f"{where}: timezone must be a string such as 'Europe/Zurich'")
    try:
        units = as_units(data.get("units", DEFAULT_UNITS))
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    limits = _table(data, "shoe_limits", where)
    notice = _number(limits, "notice_km", SHOE_NOTICE_KM, where)
    replace = _number(limits, "replace_km", SHOE_REPLACE_KM, where)
    osm = _table(data, "osm", where).get("extract")
    config = Config(
        path=path,
        timezone=timezone,
        units=units,
        elevation=_elevation(_table(data, "elevation", where), where),
        shoes=tuple(_shoe(item, where, notice, replace) for item in _list(data, "shoes", where)),
        surface_rules=tuple(_surface_rule(item, where) for item in _list(data, "surface_rules", where)),
        osm_extract=(path.parent / osm if path else Path(osm)) if isinstance(osm, str) else None,
        rules={name: {k: float(v) for k, v in table.items()} for name, table in _table(data, "rules", where).items()
               if isinstance(table, dict)},
    )
    config.zone()  # fail early on an unknown zone
    return config


def _table(data: Mapping[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: [{key}] must be a table")
    return value


def _list(data: Mapping[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ConfigError(f"{where}: {key} must be a list of tables ([[{key}]])")
    return value


def _number(table: Mapping[str, Any], key: str, default: float, where: str) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{where}: {key} must be a number, not {value!r}")
    return float(value)


def _elevation(table: dict[str, Any], where: str) -> ElevationSettings:
    names = {f.name for f in fields(ElevationSettings)}
    unknown = sorted(set(table) - names)
    if unknown:
        raise ConfigError(f"{where}: unknown [elevation] setting {unknown[0]!r}")
    values = {k: _number(table, k, 0.0, where) for k in table}
    settings = ElevationSettings(**values)
    if settings.grade_window_m < 50:
        raise ConfigError(f"{where}: [elevation] grade_window_m must be at least 50 (EVIDENCE.md)")
    if not settings.steep_grade_pct <= settings.downhill_grade_pct < 0:
        raise ConfigError(f"{where}: [elevation] needs steep_grade_pct <= downhill_grade_pct < 0")
    return settings


def _date(value: object, key: str, where: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ConfigError(f"{where}: {key} must be a date like 2026-03-01, not {value!r}")


def _shoe(item: dict[str, Any], where: str, notice: float, replace: float) -> Shoe:
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where}: every [[shoes]] needs a name")
    default_for = item.get("default_for", [])
    if isinstance(default_for, str):
        default_for = [default_for]
    return Shoe(
        name=name.strip(),
        first_use=_date(item.get("first_use"), f"shoe {name!r} first_use", where),
        retire=_date(item.get("retire"), f"shoe {name!r} retire", where),
        initial_km=_number(item, "initial_km", 0.0, where),
        notice_km=_number(item, "notice_km", notice, where),
        replace_km=_number(item, "replace_km", replace, where),
        default_for=tuple(str(x).lower() for x in default_for),
    )


def _surface_rule(item: dict[str, Any], where: str) -> SurfaceRule:
    surface = item.get("surface")
    if surface not in SURFACES:
        raise ConfigError(f"{where}: surface rule needs surface = one of {', '.join(SURFACES)}")
    unknown = sorted(set(item) - {"surface", "name_contains", "gear", "type", "fallback"})
    if unknown:
        raise ConfigError(f"{where}: unknown surface rule setting {unknown[0]!r}")
    rule = SurfaceRule(surface, item.get("name_contains"), item.get("gear"), item.get("type"),
                       bool(item.get("fallback", False)))
    if rule.name_contains is None and rule.gear is None and rule.type is None:
        raise ConfigError(f"{where}: surface rule for {surface!r} needs name_contains, gear or type")
    return rule
