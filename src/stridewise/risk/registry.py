"""The one place rules are registered: id, evidence grade, source, advice, thresholds with their defaults.

``stridewise rules`` and docs/rules.md are both rendered from ``RULES``, so they cannot drift apart.
Thresholds are overridden per rule in the config file: ``[rules.single_run_spike] elevated_ratio = 1.2``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from stridewise.config import Shoe, number_range
from stridewise.errors import ConfigError
from stridewise.risk.model import Evidence, Flag, Severity
from stridewise.units import DEFAULT_UNITS, Units, distance_text


@dataclass(frozen=True)
class RuleInput:
    """What every rule reads: the tables of :class:`stridewise.log.TrainingLog`."""

    activities: pd.DataFrame
    daily: pd.DataFrame
    weekly: pd.DataFrame
    runs: pd.DataFrame
    shoes: tuple[Shoe, ...]
    today: date | None = None  # projections (shoes) are made from this day; default the last day of data
    units: Units = DEFAULT_UNITS  # the unit of the distances in flag messages (values stay in their own units)

    def distance(self, metres: float, digits: int = 1) -> str:
        """A distance for a flag message, in the runner's units."""
        return distance_text(metres, self.units, digits)


# Counts of days and weeks a rule looks back or ahead: ten years is longer than any training history needs.
MAX_DAYS = 3650
MAX_WEEKS = 520


@dataclass(frozen=True)
class Threshold:
    """A rule's tunable number: its default, what it means, and the values the config may set it to."""

    default: float
    meaning: str
    low: float = 0.0  # allowed: more than low (or equal where low_inclusive), at most high
    high: float = math.inf
    low_inclusive: bool = False
    whole: bool = False  # a count (weeks, days)

    def allowed(self) -> str:
        return number_range(self.low, self.high, low_inclusive=self.low_inclusive, whole=self.whole)

    def accepts(self, value: float) -> bool:
        above = value >= self.low if self.low_inclusive else value > self.low
        return math.isfinite(value) and above and value <= self.high and (not self.whole or value.is_integer())


RuleCheck = Callable[[RuleInput, Mapping[str, float], "Rule"], list[Flag]]


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    evidence: Evidence
    severities: tuple[Severity, ...]
    source: str
    advice: str
    thresholds: Mapping[str, Threshold] = field(default_factory=dict)
    check: RuleCheck | None = None

    def params(self, overrides: Mapping[str, float] | None = None, *, where: str = "config") -> dict[str, float]:
        """The thresholds with the config's overrides; an unknown name or a value out of range is a ConfigError."""
        values = {name: t.default for name, t in self.thresholds.items()}
        for name, value in (overrides or {}).items():
            if name not in values:
                known = ", ".join(values) or "none"
                raise ConfigError(f"{where}: [rules.{self.id}] unknown threshold {name!r} (known: {known})")
            threshold = self.thresholds[name]
            if isinstance(value, bool) or not isinstance(value, int | float) or not threshold.accepts(float(value)):
                shown = f"{value:.0f}" if isinstance(value, float) and value.is_integer() else repr(value)
                raise ConfigError(f"{where}: [rules.{self.id}] {name} = {shown}: must be {threshold.allowed()}")
            values[name] = float(value)
        return values

    def flag(self, severity: Severity, *, week: str, day: date, value: float, threshold: float, message: str,
             activity_id: int | None = None, shoe: str | None = None, advice: str | None = None) -> Flag:
        """A flag of this rule; ``advice`` replaces the rule's own where a severity calls for other words."""
        return Flag(rule=self.id, severity=severity, evidence=self.evidence, week=week, day=day, value=value,
                    threshold=threshold, message=message, advice=advice or self.advice, source=self.source,
                    activity_id=activity_id, shoe=shoe)


RULES: dict[str, Rule] = {}


def register(rule: Rule) -> Callable[[RuleCheck], RuleCheck]:
    """Decorator: register ``rule`` with the decorated function as its check."""

    def attach(check: RuleCheck) -> RuleCheck:
        if rule.id in RULES:
            raise ValueError(f"rule {rule.id} registered twice")
        RULES[rule.id] = Rule(rule.id, rule.title, rule.evidence, rule.severities, rule.source, rule.advice,
                              rule.thresholds, check)
        return check

    return attach


def validate_overrides(overrides: Mapping[str, Mapping[str, float]], *, where: str = "config") -> None:
    """Every [rules.*] table names a rule, and every value a threshold of it within its range."""
    unknown = sorted(set(overrides) - set(RULES))
    if unknown:
        raise ConfigError(f"{where}: [rules.{unknown[0]}] no such rule (known: {', '.join(sorted(RULES))}; "
                          "see `stridewise rules`)")
    for rule_id, values in overrides.items():
        RULES[rule_id].params(values, where=where)
