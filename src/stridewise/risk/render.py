"""The rule registry as text: ``stridewise rules`` and docs/rules.md come from here, so they cannot drift."""

from __future__ import annotations

from stridewise.risk import engine  # noqa: F401  (importing the engine registers every rule)
from stridewise.risk.registry import RULES, Rule


def _fmt(value: float) -> str:
    return f"{value:g}"


def rules_markdown() -> str:
    lines = [
        "# Risk rules",
        "",
        "Generated from the rule registry (`src/stridewise/risk/`) by `stridewise rules --markdown`; a test keeps",
        "this file and the code in step. Evidence grades and sources come from `../shared/EVIDENCE.md`:",
        "**cohort** (a prospective cohort study of runners measured it), **weak** (measured, but borderline, small",
        "or in another sport), **convention** (articles and coaches say it; no injury study gives the number).",
        "Thresholds are overridden per rule in the config file, e.g. `[rules.single_run_spike]`",
        "`elevated_ratio = 1.2`. A rule fires when the measured value is at or above its threshold.",
        "",
        "| rule | what it flags | severity | evidence |",
        "|---|---|---|---|",
    ]
    lines += [f"| `{r.id}` | {r.title} | {', '.join(s.value for s in r.severities)} | {r.evidence.value} |"
              for r in RULES.values()]
    for rule in RULES.values():
        lines += ["", f"## `{rule.id}`: {rule.title}", "",
                  f"- Evidence: **{rule.evidence.value}**. {rule.source}.",
                  f"- Severity: {', '.join(s.value for s in rule.severities)}.",
                  f"- Advice shown: {rule.advice}", "", "| threshold | default | meaning |", "|---|---|---|"]
        lines += [f"| `{name}` | {_fmt(t.default)} | {t.meaning} |" for name, t in rule.thresholds.items()]
        if rule.check is not None and rule.check.__doc__:
            lines += ["", " ".join(rule.check.__doc__.split())]
    return "\n".join(lines) + "\n"


def rule_lines(rule: Rule) -> list[str]:
    """A few terminal lines for one rule."""
    thresholds = ", ".join(f"{name} = {_fmt(t.default)}" for name, t in rule.thresholds.items())
    return [f"{rule.id}  [{rule.evidence.value}; {', '.join(s.value for s in rule.severities)}]  {rule.title}",
            f"    thresholds: {thresholds}", f"    source: {rule.source}", f"    advice: {rule.advice}"]
