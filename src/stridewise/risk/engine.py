"""Evaluate every registered rule over a training log."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from stridewise.risk import rules_break, rules_load, rules_shoes, rules_terrain  # noqa: F401  (registration by import)
from stridewise.risk.model import Flag, Severity
from stridewise.risk.registry import RULES, RuleInput, validate_overrides


def evaluate(data: RuleInput, overrides: Mapping[str, Mapping[str, float]] | None = None) -> list[Flag]:
    """All flags over the whole history, by day, then severity (highest first), then rule id."""
    overrides = overrides or {}
    validate_overrides(overrides)
    flags: list[Flag] = []
    for rule in RULES.values():
        assert rule.check is not None
        flags.extend(rule.check(data, rule.params(overrides.get(rule.id)), rule))
    return sorted(flags, key=lambda x: (x.day, -x.severity.rank, x.rule))


def in_week(flags: Sequence[Flag], week: str) -> list[Flag]:
    return sorted((x for x in flags if x.week == week), key=lambda x: (-x.severity.rank, x.day, x.rule))


def at_or_above(flags: Sequence[Flag], severity: Severity) -> list[Flag]:
    return [x for x in flags if x.severity.rank >= severity.rank]
