"""The configuration file (TOML): time zone, elevation thresholds, shoes, surface rules, rule thresholds.

Where it is found, first match wins: ``--config PATH``; ``$STRIDEWISE_CONFIG``; ``stridewise.toml`` in a log
folder given on the command line; ``stridewise.toml`` in the user config directory. No file means the defaults.
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
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
# No shoe lasts this long (the longest-lived pairs reported reach a few thousand km): a larger limit is a typo.
MAX_SHOE_KM: Final = 100_000.0
# Elevation lengths (windows, smoothing) above this are typos, and would make the filters allocate without bound.
MAX_ELEVATION_LENGTH_M: Final = 10_000.0
# EVIDENCE.md: grade over windows of at least 50 m (GPS and barometer noise over shorter ones reads as grade).
MIN_GRADE_WINDOW_M: Final = 50.0
# A -100% grade is 45 degrees: steeper than any runnable slope.
STEEPEST_GRADE_PCT: Final = -100.0
# Grade settings in percent points (noise, dead band): 100 points is 45 degrees, beyond any road or trail.
MAX_GRADE_PCT: Final = 100.0
DEFAULT_FOR_RUNNING: Final = "running"  # a shoe's default_for that applies to every run without a named shoe


@dataclass(frozen=True)
class ElevationSettings:
    """Tunable numbers; the defaults are EVIDENCE.md's, each overridable in the config file ([elevation])."""

    downhill_grade_pct: float = -5.0  # EVIDENCE.md: grade <= -5% counts as descent
    steep_grade_pct: float = -10.0  # EVIDENCE.md: grade <= -10% counts as steep
    grade_window_m: float = 50.0  # EVIDENCE.md: grade over windows of at least 50 m
    # Spike filter on the resampled trace (running median). Barometric: 25 m keeps short ramps intact; GPS: 50 m.
    barometric_median_m: float = 25.0
    gps_median_m: float = 50.0
    # The grade is filtered until its noise, measured on the track, is about this (standard deviation, grade
    # points): 1 point keeps a flat road 5 standard deviations clear of -5%. Chosen on the TUNE seeds of the
    # generated hilly tracks (tests/terrain.py) and the HILLY profile: 1.5 gets more rolling GPS tracks within 3
    # points (22 of 39 against 10) but lets 4-5 m of GPS noise push HILLY 3.5-4.4 points over; 0.75 changed nothing.
    target_grade_noise_pct: float = 1.0
    # The longest grade filter for GPS altitude, which usually needs all of it. A median loses stretches shorter
    # than half of it. On the TUNE seeds (GPS, long climbs and steep descents) 400 m put 158 of 161 resolvable
    # tracks within 3 points; 300 m did as well there but let the sample logs' phone noise through (13 of 19 within
    # 3 against 16), 500 m lost short descents (149 of 161).
    gps_max_grade_filter_m: float = 400.0
    # The longest grade filter for a barometer. Its own noise (0.1-0.3 m, 0.2 m steps) makes under 1 point of grade
    # noise over 50 m; a larger spread on a barometric trace is terrain that changes grade every few dozen metres (a
    # trail; 2.4 points on a real Forerunner 945 trail run), which the filter must not smooth away.
    barometric_max_grade_filter_m: float = 100.0
    # Threshold of the zigzag whose swings make barometric ascent/descent, on the despiked trace. GoldenCheetah
    # uses 3 m. On the tune half of the barometric sessions in ../shared/real_logs (tests/real_split.py), 2.5 m put
    # the most sessions within 15% of the devices' own totals (descent 11 of 14, ascent 12 of 14; 2 m: 11 and 11;
    # 3 m: 10 and 11).
    barometric_hysteresis_m: float = 2.5
    # GPS totals add up the filtered grade where it is steeper than this (either way): the filter leaves about 1
    # point of noise, which would otherwise add 5 m of "descent" per kilometre of flat road.
    gps_totals_dead_band_pct: float = 1.0


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
class NotifyConfig:
    """``[notify]``: where ``batch`` sends new flags (Apprise URLs), from which severity, the reports' address."""

    urls: tuple[str, ...] = ()
    on: str | None = None  # "info", "elevated" or "high"
    report_url: str | None = None  # e.g. "https://example.org/runs/": the message links report-<week>.html under it


NOTIFY_SEVERITIES: Final = ("info", "elevated", "high")


@dataclass(frozen=True)
class RunnerProfile:
    """What the runner says about themselves (``[runner]``): shown as context in the report, never a threshold."""

    birth_year: int | None = None
    previous_back_pain: bool | None = None
    previous_running_injury: bool | None = None
    years_running: float | None = None


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    timezone: str | None = None
    elevation: ElevationSettings = field(default_factory=ElevationSettings)
    shoes: tuple[Shoe, ...] = ()
    surface_rules: tuple[SurfaceRule, ...] = ()
    osm_extract: Path | None = None
    runner: RunnerProfile = field(default_factory=RunnerProfile)
    rules: Mapping[str, Mapping[str, float]] = field(default_factory=dict)  # per-rule threshold overrides
    units: Units = DEFAULT_UNITS  # distances a person reads: "km" or "mi" (flag > config > km)
    notify: NotifyConfig = field(default_factory=NotifyConfig)

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
        try:
            folder = path if path.is_dir() else path.parent
            if (folder / CONFIG_FILENAME).is_file():
                return folder / CONFIG_FILENAME
        except OSError:  # a folder that cannot be searched: ingest lists the path as unreadable
            continue
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
    known = {"timezone", "units", "elevation", "shoes", "shoe_limits", "surface_rules", "osm", "runner", "rules",
             "notify"}
    _known_keys(data, known, "setting", where)
    timezone = data.get("timezone")
    if timezone is not None and not isinstance(timezone, str):
        raise ConfigError(f"{where}: timezone must be a string such as 'Europe/Zurich'")
    try:
        units = as_units(data.get("units", DEFAULT_UNITS))
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    limits = _table(data, "shoe_limits", where)
    _known_keys(limits, {"notice_km", "replace_km"}, "[shoe_limits] setting", where)
    notice = _km(limits, "notice_km", SHOE_NOTICE_KM, where, "[shoe_limits] ")
    replace = _km(limits, "replace_km", SHOE_REPLACE_KM, where, "[shoe_limits] ")
    osm_table = _table(data, "osm", where)
    _known_keys(osm_table, {"extract"}, "[osm] setting", where)
    osm = osm_table.get("extract")
    if osm is not None and (not isinstance(osm, str) or not osm.strip()):
        raise ConfigError(f"{where}: [osm] extract = {_shown(osm)}: must be the path of an .osm.pbf file, as text")
    config = Config(
        path=path,
        timezone=timezone,
        units=units,
        elevation=_elevation(_table(data, "elevation", where), where),
        shoes=tuple(_shoe(item, where, notice, replace) for item in _list(data, "shoes", where)),
        surface_rules=tuple(_surface_rule(item, where) for item in _list(data, "surface_rules", where)),
        osm_extract=(path.parent / osm if path else Path(osm)) if isinstance(osm, str) else None,
        runner=_runner(_table(data, "runner", where), where),
        rules=_rules(_table(data, "rules", where), where),
        notify=_notify(_table(data, "notify", where), where),
    )
    config.zone()  # fail early on an unknown zone
    return config


def _runner(table: dict[str, Any], where: str) -> RunnerProfile:
    unknown = sorted(set(table) - {f.name for f in fields(RunnerProfile)})
    if unknown:
        raise ConfigError(f"{where}: unknown [runner] setting {unknown[0]!r}")
    year = table.get("birth_year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)
                             or not 1900 <= year <= date.today().year):
        raise ConfigError(f"{where}: [runner] birth_year must be a year such as 1970, not {year!r}")
    for key in ("previous_back_pain", "previous_running_injury"):
        if key in table and not isinstance(table[key], bool):
            raise ConfigError(f"{where}: [runner] {key} must be true or false, not {table[key]!r}")
    years = _number(table, "years_running", 0.0, where) if "years_running" in table else None
    if years is not None and years < 0:
        raise ConfigError(f"{where}: [runner] years_running must be 0 or more, not {years:g}")
    return RunnerProfile(year, table.get("previous_back_pain"), table.get("previous_running_injury"), years)


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


def _shown(value: object) -> str:
    """A config value as the runner wrote it, cut to one short line."""
    text = repr(value) if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _known_keys(table: Mapping[str, Any], known: set[str], what: str, where: str) -> None:
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"{where}: unknown {what} {unknown[0]!r} (known: {', '.join(sorted(known))})")


def _number(table: Mapping[str, Any], key: str, default: float, where: str, *, low: float = -math.inf,
            high: float = math.inf, low_inclusive: bool = False, section: str = "") -> float:
    """``table[key]`` as a finite float in (low, high] (or [low, high]); one line naming key, value and range."""
    value = table.get(key, default)
    allowed = number_range(low, high, low_inclusive=low_inclusive)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ConfigError(f"{where}: {section}{key} = {_shown(value)}: must be {allowed}")
    if value > high or value < low or (value == low and not low_inclusive):
        raise ConfigError(f"{where}: {section}{key} = {_shown(value)}: must be {allowed}")
    return float(value)


# [elevation] settings of earlier versions: the smoothing is now chosen from each track's own noise.
RETIRED_ELEVATION_SETTINGS: Final = frozenset({
    "barometric_smoothing_m", "gps_smoothing_m", "gps_totals_smoothing_m", "gps_hysteresis_m",
    "barometric_min_descent_m", "gps_min_descent_m"})


def _km(table: Mapping[str, Any], key: str, default: float, where: str, section: str, *,
        zero_ok: bool = False) -> float:
    """A shoe distance: more than 0 (0 allowed where ``zero_ok``), at most MAX_SHOE_KM."""
    return _number(table, key, default, where, low=0.0, high=MAX_SHOE_KM, low_inclusive=zero_ok, section=section)


def number_range(low: float, high: float, *, low_inclusive: bool = False, whole: bool = False) -> str:
    """The words for an allowed range: "a number > 0", "a whole number from 1 to 52"..."""
    kind = "a whole number" if whole else "a number"
    if math.isinf(low) and math.isinf(high):
        return kind
    if math.isinf(high):
        return f"{kind} {'>=' if low_inclusive else '>'} {low:g}"
    if math.isinf(low):
        return f"{kind} <= {high:g}"
    return f"{kind} from {low:g} to {high:g}" if low_inclusive else f"{kind} > {low:g} and <= {high:g}"


# Range of each [elevation] setting: (low, high, low inclusive).
_ELEVATION_RANGES: Final[dict[str, tuple[float, float, bool]]] = {
    "downhill_grade_pct": (STEEPEST_GRADE_PCT, 0.0, True),
    "steep_grade_pct": (STEEPEST_GRADE_PCT, 0.0, True),
    "grade_window_m": (MIN_GRADE_WINDOW_M, MAX_ELEVATION_LENGTH_M, True),
    "barometric_median_m": (0.0, MAX_ELEVATION_LENGTH_M, True),
    "gps_median_m": (0.0, MAX_ELEVATION_LENGTH_M, True),
    "target_grade_noise_pct": (0.0, MAX_GRADE_PCT, False),
    "gps_max_grade_filter_m": (MIN_GRADE_WINDOW_M, MAX_ELEVATION_LENGTH_M, True),
    "barometric_max_grade_filter_m": (MIN_GRADE_WINDOW_M, MAX_ELEVATION_LENGTH_M, True),
    "barometric_hysteresis_m": (0.0, MAX_ELEVATION_LENGTH_M, True),
    "gps_totals_dead_band_pct": (0.0, MAX_GRADE_PCT, True),
}
# A setting added later without a range of its own: more than 0, at most MAX_ELEVATION_LENGTH_M.
_LENGTH_RANGE: Final = (0.0, MAX_ELEVATION_LENGTH_M, False)


def _elevation(table: dict[str, Any], where: str) -> ElevationSettings:
    names = {f.name for f in fields(ElevationSettings)}
    retired = sorted(set(table) & RETIRED_ELEVATION_SETTINGS)
    if retired:
        raise ConfigError(f"{where}: [elevation] {retired[0]} is no longer used (the smoothing now follows each "
                          "track's own noise); remove it, or set target_grade_noise_pct / gps_max_grade_filter_m")
    unknown = sorted(set(table) - names)
    if unknown:
        raise ConfigError(f"{where}: unknown [elevation] setting {unknown[0]!r} (known: {', '.join(sorted(names))})")
    values = {}
    for name in table:
        low, high, inclusive = _ELEVATION_RANGES.get(name, _LENGTH_RANGE)
        values[name] = _number(table, name, 0.0, where, low=low, high=high, low_inclusive=inclusive,
                               section="[elevation] ")
    settings = ElevationSettings(**values)
    if not settings.steep_grade_pct <= settings.downhill_grade_pct < 0:
        raise ConfigError(f"{where}: [elevation] steep_grade_pct = {settings.steep_grade_pct:g}, downhill_grade_pct = "
                          f"{settings.downhill_grade_pct:g}: needs steep_grade_pct <= downhill_grade_pct < 0")
    if min(settings.gps_max_grade_filter_m, settings.barometric_max_grade_filter_m) < settings.grade_window_m:
        raise ConfigError(f"{where}: [elevation] gps_max_grade_filter_m = {settings.gps_max_grade_filter_m:g}, "
                          f"barometric_max_grade_filter_m = {settings.barometric_max_grade_filter_m:g}: both must be "
                          f"at least grade_window_m ({settings.grade_window_m:g})")
    return settings


def _notify(table: dict[str, Any], where: str) -> NotifyConfig:
    unknown = sorted(set(table) - {"urls", "on", "report_url"})
    if unknown:
        raise ConfigError(f"{where}: unknown [notify] setting {unknown[0]!r} (known: on, report_url, urls)")
    urls = table.get("urls", [])
    if isinstance(urls, str):
        urls = [urls]
    if not isinstance(urls, list) or not all(isinstance(u, str) and u.strip() for u in urls):
        raise ConfigError(f"{where}: [notify] urls must be a list of Apprise URLs such as [\"ntfy://my-topic\"]")
    on = table.get("on")
    if on is not None and on not in NOTIFY_SEVERITIES:
        raise ConfigError(f"{where}: [notify] on must be one of {', '.join(NOTIFY_SEVERITIES)}, not {on!r}")
    report_url = table.get("report_url")
    if report_url is not None and not isinstance(report_url, str):
        raise ConfigError(f"{where}: [notify] report_url must be a web address such as \"https://example.org/runs/\"")
    return NotifyConfig(tuple(u.strip() for u in urls), on, report_url)


def _rules(table: dict[str, Any], where: str) -> dict[str, dict[str, float]]:
    """[rules.<id>] tables of numbers. Which ids and thresholds exist, and their ranges, the risk stage checks
    (:func:`stridewise.risk.registry.validate_overrides`, called when the config is loaded for analysis)."""
    rules: dict[str, dict[str, float]] = {}
    for rule_id, values in table.items():
        if not isinstance(values, dict):
            raise ConfigError(f"{where}: rules.{rule_id} = {_shown(values)}: must be a table [rules.{rule_id}] "
                              "of thresholds (see `stridewise rules`)")
        rules[rule_id] = {name: _number(values, name, 0.0, where, section=f"[rules.{rule_id}] ") for name in values}
    return rules


def _date(value: object, key: str, where: str) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if value is None or isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ConfigError(f"{where}: {key} = {_shown(value)}: must be a date like 2026-03-01")


def _shoe(item: dict[str, Any], where: str, notice: float, replace: float) -> Shoe:
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where}: every [[shoes]] needs a name")
    _known_keys(item, {"name", "first_use", "retire", "initial_km", "notice_km", "replace_km", "default_for"},
                f"setting of shoe {name!r}:", where)
    default_for = item.get("default_for", [])
    if isinstance(default_for, str):
        default_for = [default_for]
    allowed = (*SURFACES, DEFAULT_FOR_RUNNING)
    if not isinstance(default_for, list) or not all(isinstance(x, str) and x.lower() in allowed for x in default_for):
        raise ConfigError(f"{where}: shoe {name!r} default_for = {_shown(item.get('default_for'))}: must be one of "
                          f"{', '.join(allowed)}, or a list of them")
    section = f"shoe {name!r} "
    return Shoe(
        name=name.strip(),
        first_use=_date(item.get("first_use"), f"shoe {name!r} first_use", where),
        retire=_date(item.get("retire"), f"shoe {name!r} retire", where),
        initial_km=_km(item, "initial_km", 0.0, where, section, zero_ok=True),
        notice_km=_km(item, "notice_km", notice, where, section),
        replace_km=_km(item, "replace_km", replace, where, section),
        default_for=tuple(x.lower() for x in default_for),
    )


def _surface_rule(item: dict[str, Any], where: str) -> SurfaceRule:
    surface = item.get("surface")
    if surface not in SURFACES:
        raise ConfigError(f"{where}: surface rule needs surface = one of {', '.join(SURFACES)}")
    unknown = sorted(set(item) - {"surface", "name_contains", "gear", "type", "fallback"})
    if unknown:
        raise ConfigError(f"{where}: unknown surface rule setting {unknown[0]!r}")
    for key in ("name_contains", "gear", "type"):
        value = item.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ConfigError(f"{where}: surface rule for {surface!r} {key} = {_shown(value)}: must be text")
    fallback = item.get("fallback", False)
    if not isinstance(fallback, bool):
        raise ConfigError(f"{where}: surface rule for {surface!r} fallback = {_shown(fallback)}: must be true or false")
    rule = SurfaceRule(surface, item.get("name_contains"), item.get("gear"), item.get("type"), fallback)
    if rule.name_contains is None and rule.gear is None and rule.type is None:
        raise ConfigError(f"{where}: surface rule for {surface!r} needs name_contains, gear or type")
    return rule
