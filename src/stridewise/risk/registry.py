"""The one place rules are registered: id, evidence grade, source, advice, thresholds with their defaults.

``stridewise rules`` and docs/rules.md are both rendered from ``RULES``, so they cannot drift apart.
Thresholds are overridden per rule in the config file: ``[rules.single_run_spike] elevated_ratio = 1.2``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from stridewise.config import Shoe
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


@dataclass(frozen=True)
class Threshold:
    default: float
    meaning: str


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

    def params(self, overrides: Mapping[str, float] | None = None) -> dict[str, float]:
        values = {name: t.default for name, t in self.thresholds.items()}
        for name, value in (overrides or {}).items():
            if name not in values:
                known = ", ".join(values) or "none"
                raise ConfigError(f"[rules.{self.id}]: unknown threshold {name!r} (known: {known})")
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


def validate_overrides(overrides: Mapping[str, Mapping[str, float]]) -> None:
    unknown = sorted(set(overrides) - set(RULES))
    if unknown:
        raise ConfigError(f"[rules.{unknown[0]}]: no such rule (see `stridewise rules`)")
    for rule_id, values in overrides.items():
        RULES[rule_id].params(values)
