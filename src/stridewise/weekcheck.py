"""One week's verdict and flags: the object ``stridewise check --json`` prints and the report builds on."""

from __future__ import annotations

from typing import Any

from stridewise.log import TrainingLog
from stridewise.risk import Severity, in_week
from stridewise.risk.advice import ADVICE_ALWAYS
from stridewise.risk.pain import (
    SEE_A_PROFESSIONAL,
    SEE_A_PROFESSIONAL_HEADING,
    episodes,
    flags_before,
    personal_evidence,
)

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
    pain = pain_summary(log)
    return {
        "week": week,
        "verdict": verdict(flags),
        "counts": counts,
        "flags": flags,
        "always": ADVICE_ALWAYS,
        "pain": pain,
        "notes": [*pain["lines"], SEE_A_PROFESSIONAL_HEADING, *(f"- {s}" for s in pain["signs"])] if pain else [],
    }


def pain_summary(log: TrainingLog) -> dict[str, Any] | None:
    """The pain journal against the flags: each episode's preceding flags, and the runner's own evidence.

    None when no pain was ever recorded. Whenever there is pain, the see-a-professional signs come with it.
    """
    if not any(entry.level > 0 for entry in log.pain):
        return None
    found = episodes(log.pain)
    lines = []
    listed = []
    for episode in found:
        before = flags_before(episode, log.flags)
        rules = sorted({flag.rule for flag in before})
        where = f" ({episode.location})" if episode.location else ""
        lines.append(f"Pain episode {episode.start:%d %b %Y}-{episode.end:%d %b %Y}{where}, up to "
                     f"{episode.max_level}/10: " + (f"in the 14 days before, {', '.join(rules)} flagged." if rules
                                                     else "no flag in the 14 days before."))
        listed.append({"start": episode.start.isoformat(), "end": episode.end.isoformat(),
                       "max_level": episode.max_level, "location": episode.location,
                       "flags_before": [flag.to_json() for flag in before]})
    evidence = []
    if not log.daily.empty:
        start, end = log.daily.index[0].date(), log.daily.index[-1].date()
        for item in personal_evidence(log.flags, found, start, end):
            lines.append(item.sentence)
            evidence.append({"rule": item.rule, "flag_days": item.n_flag_days, "followed": item.n_followed,
                             "share_followed": item.share_followed, "base_rate": item.base_rate,
                             "enough": item.enough})
    return {"episodes": listed, "evidence": evidence, "lines": lines, "signs": list(SEE_A_PROFESSIONAL)}
