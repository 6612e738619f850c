"""What the risk engine produces: flags, with their severity and the strength of the evidence behind them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    INFO = "info"
    ELEVATED = "elevated"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.INFO: 0, Severity.ELEVATED: 1, Severity.HIGH: 2}


class Evidence(StrEnum):
    """EVIDENCE.md's three grades."""

    COHORT = "cohort"  # a prospective cohort study of runners measured the association
    WEAK = "weak"  # measured, but borderline, small, or in another sport
    CONVENTION = "convention"  # articles, coaches or manufacturers say it; no injury study gives the number


@dataclass(frozen=True)
class Flag:
    """One warning. ``day`` is the local date it concerns (a run's day, or the last day of the week)."""

    rule: str
    severity: Severity
    evidence: Evidence
    week: str  # ISO week label, "2026-W43"
    day: date
    value: float
    threshold: float
    message: str  # one sentence in plain words, with the numbers
    advice: str
    source: str
    activity_id: int | None = None
    shoe: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule, "severity": self.severity.value, "evidence": self.evidence.value, "week": self.week,
            "date": self.day.isoformat(), "activity_id": self.activity_id, "shoe": self.shoe,
            "value": round(self.value, 4), "threshold": round(self.threshold, 4), "message": self.message,
            "advice": self.advice, "source": self.source,
        }
