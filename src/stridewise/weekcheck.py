"""One week's verdict and flags: the object ``stridewise check --json`` prints and the report builds on."""

from __future__ import annotations

from typing import Any

from stridewise.api import TrainingLog
from stridewise.risk import Severity, in_week
from stridewise.risk.advice import ADVICE_ALWAYS

_VERDICT_WORDS = {Severity.HIGH: "High", Severity.ELEVATED: "Elevated", Severity.INFO: "For information"}


def verdict(flags: list[dict[str, Any]]) -> str:
    """One line: how many flags, the highest severity, and the most severe flag's message."""
    if not flags:
        return "No warnings this week."
    top = flags[0]
    more = f" (+{len(flags) - 1} more)" if len(flags) > 1 else ""
    return f"{_VERDICT_WORDS[Severity(top['severity'])]}: {top['message']}{more}"


def week_report(log: TrainingLog, week: str) -> dict[str, Any]:
    """The check object for ``week``: flags sorted by severity, the verdict, and the always-advice."""
    flags = [flag.to_json() for flag in in_week(log.flags, week)]
    counts = {s.value: sum(1 for f in flags if f["severity"] == s.value) for s in Severity}
    return {
        "week": week,
        "verdict": verdict(flags),
        "counts": counts,
        "flags": flags,
        "always": ADVICE_ALWAYS,
        "notes": [],
    }
