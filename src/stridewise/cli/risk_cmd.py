"""``stridewise check`` and ``stridewise rules``."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from stridewise.cli.common import (
    EXIT_FLAGGED,
    ConfigOption,
    DbOption,
    JobsOption,
    OptionalPaths,
    UnitsOption,
    apply_units,
)
from stridewise.cli.ingest_cmd import summary_text


class FailOn(StrEnum):
    elevated = "elevated"
    high = "high"



def check(
    paths: OptionalPaths = None,
    week: Annotated[str | None, typer.Option("--week", help="ISO week such as 2026-W47 (default: this week, "
                                                            "else the last week with data).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print {week, flags, ...} as JSON.")] = False,
    fail_on: Annotated[FailOn | None, typer.Option("--fail-on", help="Exit 3 when a flag at or above this "
                                                                     "severity is present.")] = None,
    units: UnitsOption = None,
    db: DbOption = None,
    config: ConfigOption = None,
    jobs: JobsOption = None,
) -> None:
    """Ingest what is new, then show the week's risk flags: what happened, how strong the evidence is, what to do.

    Exit codes: 0 ok, 1 a file or the store could not be read, 2 usage error, 3 a flag at or above --fail-on.

    Example:

        stridewise check ~/Garmin/Activities --week 2026-W47 --fail-on elevated
    """
    from stridewise.api import load
    from stridewise.jsontext import dumps
    from stridewise.risk import Severity, at_or_above, in_week
    from stridewise.weekcheck import week_report

    log = apply_units(load(paths or [], config=config, db=db, jobs=jobs), units)
    chosen = log.week_or_latest(week)
    report = week_report(log, chosen)
    failed = log.ingest_report is not None and not log.ingest_report.ok
    if log.ingest_report is not None and log.ingest_report.failures:
        typer.echo(summary_text(log.ingest_report), err=True)
    typer.echo(dumps(report) if as_json else "\n".join(report_lines(report)))
    if failed:
        raise typer.Exit(code=1)
    if fail_on is not None and at_or_above(in_week(log.flags, chosen), Severity(fail_on.value)):
        raise typer.Exit(code=EXIT_FLAGGED)


def report_lines(report: dict[str, Any]) -> list[str]:
    lines = [f"Week {report['week']}: {report['verdict']}"]
    for flag in report["flags"]:
        lines += ["", f"  {flag['severity'].upper():9s} {flag['rule']}  ({flag['evidence']} evidence)",
                  f"  {'':9s} {flag['message']}", f"  {'':9s} What to do: {flag['advice']}"]
    if report["flags"]:
        lines += ["", "Evidence: cohort = measured in a cohort study of runners; weak = borderline or from another "
                      "sport; convention = a rule of thumb. This is not a diagnosis.", report["always"]]
    lines += [str(line) for line in report["notes"]]
    return lines


def rules(
    markdown: Annotated[bool, typer.Option("--markdown", help="Print docs/rules.md (the same registry).")] = False,
    config: ConfigOption = None,
) -> None:
    """List the risk rules with their thresholds, evidence grades and sources.

    Example:

        stridewise rules
    """
    from stridewise.config import load_config
    from stridewise.risk.registry import RULES, validate_overrides
    from stridewise.risk.render import rule_lines, rules_markdown

    if markdown:
        typer.echo(rules_markdown(), nl=False)
        return
    loaded = load_config(config)
    overrides = loaded.rules
    validate_overrides(overrides, where=str(loaded.path or "config"))
    for rule in RULES.values():
        lines = rule_lines(rule)
        if rule.id in overrides:
            lines[1] += f"   (config: {', '.join(f'{k} = {v:g}' for k, v in overrides[rule.id].items())})"
        typer.echo("\n".join(lines))
