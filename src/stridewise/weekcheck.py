"""One week's verdict and flags: the object ``stridewise check --json`` prints and the report builds on."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Final

from stridewise import frames as f
from stridewise.log import TrainingLog
from stridewise.risk import Severity, in_week
from stridewise.risk.advice import ADVICE_ALWAYS
from stridewise.risk.breaks import Return, find_returns, return_covering
from stridewise.risk.pain import (
    MIN_EPISODES,
    SEE_A_PROFESSIONAL,
    SEE_A_PROFESSIONAL_HEADING,
    episodes,
    flags_before,
    personal_evidence,
)
from stridewise.weeks import parse_week, week_label

# What the week held, in the check object's "status": flags of some severity, nothing to flag, no counted run,
# or a week that has not begun. The report colours the last two neutrally: nothing recorded is not "safe".
STATUS_FLAGGED: Final = "flagged"
STATUS_CLEAR: Final = "clear"
STATUS_NO_RUNS: Final = "no_runs"
STATUS_FUTURE: Final = "future"


def week_sunday(monday: date) -> date:
    return monday + timedelta(days=6)

_VERDICT_WORDS = {Severity.HIGH: "High", Severity.ELEVATED: "Elevated", Severity.INFO: "For information"}


def verdict(flags: list[dict[str, Any]]) -> str:
    """One line: how many flags, the highest severity, and the most severe flag's message."""
    if not flags:
        return "No warnings this week."
    top = flags[0]
    more = f" (+{len(flags) - 1} more)" if len(flags) > 1 else ""
    return f"{_VERDICT_WORDS[Severity(top['severity'])]}: {top['message']}{more}"


def day_text(day: date) -> str:
    """``Sun 2 Sep 2023``: the day as the check and the report write it."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def _week_runs(log: TrainingLog, monday: date) -> tuple[int, float, date | None]:
    """Counted runs in the week, their distance in metres, and the last run's local day up to the week's end."""
    runs = log.activities[log.activities[f.IS_RUN]]
    days = runs[f.LOCAL_DATE]
    inside = (days >= monday) & (days <= week_sunday(monday))
    before = days[days <= week_sunday(monday)]
    last: date | None = max(before) if len(before) else None
    return int(inside.sum()), float(runs.loc[inside, f.DISTANCE_M].fillna(0.0).sum()), last


def empty_week_verdict(week: str, monday: date, today: date, last_run: date | None,
                       first_run: date | None) -> tuple[str, str]:
    """(status, sentence) for a week without a counted run: a future week, or nothing recorded."""
    if monday > today:
        since = f" (last run {day_text(last_run)})" if last_run else ""
        return STATUS_FUTURE, f"{week} is in the future: nothing recorded yet{since}"
    so_far = " so far" if today <= week_sunday(monday) else ""
    if last_run is not None:
        return STATUS_NO_RUNS, f"No runs recorded in {week}{so_far} (last run {day_text(last_run)})"
    if first_run is not None:
        return STATUS_NO_RUNS, f"No runs recorded in {week} (the first run recorded is on {day_text(first_run)})"
    return STATUS_NO_RUNS, f"No runs recorded in {week}"


def week_report(log: TrainingLog, week: str, *, today: date | None = None) -> dict[str, Any]:
    """The check object for ``week``: flags sorted by severity, the verdict, the week's runs and distance.

    A week without a counted run says so ("No runs recorded in 2026-W30 (last run Sun 2 Sep 2023).") rather than
    "no warnings"; a week after ``today`` (default: today in the runner's zone) says it has not begun.
    """
    monday = parse_week(week)
    today = today or datetime.now(log.zone).date()
    flags = [flag.to_json() for flag in in_week(log.flags, week)]
    counts = {s.value: sum(1 for f in flags if f["severity"] == s.value) for s in Severity}
    runs, distance_m, last_run = _week_runs(log, monday)
    status, line = (STATUS_FLAGGED if flags else STATUS_CLEAR), verdict(flags)
    if runs == 0 and not flags:
        all_runs = log.activities.loc[log.activities[f.IS_RUN], f.LOCAL_DATE]
        status, line = empty_week_verdict(week, monday, today, last_run, min(all_runs) if len(all_runs) else None)
    pain = pain_summary(log)
    notes = [*pain["lines"], SEE_A_PROFESSIONAL_HEADING, *(f"- {s}" for s in pain["signs"])] if pain else []
    returns = find_returns(log.activities)
    back = return_covering(returns, week_sunday(monday)) or return_covering(returns, monday)
    if back is not None:
        notes.insert(0, not_meaningful(week, back))
    left_out = not_counted(log, week)
    return {
        "week": week,
        "status": status,
        "verdict": line,
        "runs": runs,
        "distance_m": round(distance_m, 1),
        "counts": counts,
        "flags": flags,
        "always": ADVICE_ALWAYS,
        "pain": pain,
        "not_counted": left_out,
        "notes": [*not_counted_lines(left_out), *notes],
    }


def not_counted(log: TrainingLog, week: str) -> list[dict[str, Any]]:
    """The week's stored activities that the series and the rules leave out (duplicates, implausible values)."""
    left_out = []
    for record in log.records:
        local = record.start_utc.astimezone(log.zone)
        if record.counted or week_label(local.date()) != week:
            continue
        left_out.append({"id": record.id, "source": record.source, "sport": record.sport,
                         "start_local": local.isoformat(), "reason": record.not_counted_because})
    return left_out


def not_counted_lines(left_out: list[dict[str, Any]]) -> list[str]:
    """One line saying how many activities this week were left out, then one line per activity with the reason."""
    if not left_out:
        return []
    lines = [f"{len(left_out)} stored activit{'y' if len(left_out) == 1 else 'ies'} of this week "
             f"{'is' if len(left_out) == 1 else 'are'} not counted:"]
    for item in left_out:
        start = datetime.fromisoformat(item["start_local"])
        lines.append(f"- {start:%a %d %b %H:%M} {item['sport']} ({Path(item['source']).name}): {item['reason']}")
    return lines


def not_meaningful(week: str, back: Return) -> str:
    """Why the load indices are not shown as flags in one of the first weeks back after a break."""
    return (f"The acute:chronic load ratio and monotony are not meaningful in {week}: it is one of your first "
            f"{back.return_weeks} weeks back after {back.days_off} days without running.")


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
        items = personal_evidence(log.flags, found, start, end)
        if items and not items[0].n_episodes >= MIN_EPISODES:
            lines.append(items[0].sentence)  # one "too few episodes" line, not one per rule
        for item in items:
            if item.n_episodes >= MIN_EPISODES:
                lines.append(item.sentence)
            evidence.append({"rule": item.rule, "flag_days": item.n_flag_days, "followed": item.n_followed,
                             "share_followed": item.share_followed, "base_rate": item.base_rate,
                             "enough": item.enough})
    return {"episodes": listed, "evidence": evidence, "lines": lines, "signs": list(SEE_A_PROFESSIONAL)}
