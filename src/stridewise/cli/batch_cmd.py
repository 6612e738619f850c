"""``stridewise batch`` and ``stridewise schedule``."""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path
from typing import Annotated

import typer

from stridewise.cli.common import EXIT_FLAGGED, ConfigOption, DbOption, JobsOption
from stridewise.cli.report_cmd import UnitsChoice
from stridewise.cli.risk_cmd import FailOn

_RANK = {"ok": -1, "info": 0, "elevated": 1, "high": 2}

LogDir = Annotated[Path, typer.Argument(help="The folder your watch software syncs into.", exists=True,
                                        file_okay=False, resolve_path=True)]
OutDir = Annotated[Path, typer.Option("--out", help="Folder for the reports (index.html, latest.html, one per "
                                                    "week).", file_okay=False, resolve_path=True)]


def batch(
    log_dir: LogDir,
    out: OutDir,
    athletes: Annotated[bool, typer.Option("--athletes", help="Each subfolder of LOG_DIR is one athlete, with its "
                                                              "own store, config and report folder.")] = False,
    weeks: Annotated[int, typer.Option("--weeks", min=4, max=260, help="Weeks shown in each report's charts.")] = 16,
    units: Annotated[UnitsChoice, typer.Option("--units", help="Distances in km or mi.")] = UnitsChoice.km,
    fail_on: Annotated[FailOn | None, typer.Option("--fail-on", help="Exit 3 when the latest week has a flag at or "
                                                                     "above this severity.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Render weekly reports from this ISO week on, e.g. "
                                                              "2025-W01 (older weeks still count).")] = None,
    db: DbOption = None,
    config: ConfigOption = None,
    jobs: JobsOption = None,
) -> None:
    """Unattended run over a log folder: ingest new or changed files, re-render only the weeks that changed.

    Writes report-<week>.html/.png/.json, index.html (every week, newest first), latest.html and problems.json.
    Exit codes: 0 ok, 1 files failed in this run (listed in problems.json), 3 with --fail-on, 75 when another batch
    holds the lock.

    Example:

        stridewise batch ~/Garmin/Activities --out ~/stridewise-reports
    """
    from stridewise.batch import (
        ATHLETE_DB_NAME,
        BatchResult,
        athlete_folders,
        run_batch,
        write_athletes_index,
    )
    from stridewise.weeks import parse_week

    interactive = sys.stderr.isatty()

    def show(step: object) -> None:
        done, total, stage = step.done, step.total, step.stage  # type: ignore[attr-defined]
        label = "Parsing files" if stage == "parse" else "Rendering weeks"
        typer.echo(f"\r{label}: {done}/{total}", err=True, nl=done == total)

    if since is not None:
        parse_week(since)  # a malformed week is a usage error before anything runs
    results: list[tuple[str, BatchResult]] = []
    if athletes:
        for folder in athlete_folders(log_dir):
            if interactive:
                typer.echo(f"{folder.name}:", err=True)
            results.append((folder.name, run_batch(
                folder, out / folder.name, db=out / folder.name / ATHLETE_DB_NAME, config_path=config, jobs=jobs,
                weeks=weeks, units=units.value, since=since, progress=show if interactive else None)))
        write_athletes_index(out, results)
    else:
        results.append(("", run_batch(log_dir, out, db=db, config_path=config, jobs=jobs, weeks=weeks,
                                      units=units.value, since=since, progress=show if interactive else None)))

    new_failures = 0
    for name, result in results:
        prefix = f"{name}: " if name else ""
        if result.took_over:
            typer.echo(f"{prefix}took over the lock of a run that did not finish ({result.took_over})")
        parsed = result.ingest.files_parsed
        weeks_text = ("no change since the last run" if result.nothing_changed else
                      f"{len(result.rendered)} week(s) rendered, {result.unchanged_weeks} unchanged")
        typer.echo(f"{prefix}{parsed} file(s) read, {result.ingest.files_unchanged} unchanged; {weeks_text}.")
        if result.latest_week:
            typer.echo(f"{prefix}{result.latest_week}: {result.latest_verdict}")
        fresh = [f for f in result.ingest.failures if not f.unchanged]
        new_failures += len(fresh)
        for failure in fresh:
            typer.echo(f"{prefix}could not read {failure.key}: {failure.reason}")
        if result.problems and not fresh:
            where = result.report_dir / "problems.json"
            typer.echo(f"{prefix}{len(result.problems)} known problem file(s), see {where}")
    typer.echo(f"Reports: {out / 'index.html'}")
    if new_failures:
        raise typer.Exit(code=1)
    if fail_on is not None and any(_RANK[r.latest_severity] >= _RANK[fail_on.value] for _, r in results):
        raise typer.Exit(code=EXIT_FLAGGED)


def schedule(
    log_dir: LogDir,
    out: OutDir,
    cron: Annotated[bool, typer.Option("--cron", help="Print a crontab line.")] = False,
    systemd: Annotated[bool, typer.Option("--systemd", help="Print a systemd service and timer.")] = False,
    at: Annotated[str, typer.Option("--at", help="Time of day, HH:MM.")] = "03:15",
) -> None:
    """Print ready-to-install scheduler lines for a nightly batch over LOG_DIR (see docs/scheduling.md).

    Example:

        stridewise schedule ~/Garmin/Activities --out ~/stridewise-reports --cron >> mycron && crontab mycron
    """
    if cron == systemd:
        raise typer.BadParameter("choose one of --cron or --systemd")
    try:
        hour, minute = (int(part) for part in at.split(":"))
        if not (0 <= hour < 24 and 0 <= minute < 60):
            raise ValueError
    except ValueError:
        raise typer.BadParameter(f"{at!r} is not a time such as 03:15", param_hint="--at") from None
    executable = shutil.which("stridewise") or str(Path(sys.argv[0]).resolve())
    command = " ".join(shlex.quote(p) for p in (executable, "batch", str(log_dir), "--out", str(out)))
    if cron:
        log = shlex.quote(str(out / "batch.log"))
        typer.echo(f"{minute} {hour} * * * {command} >> {log} 2>&1")
        return
    typer.echo(f"""# ~/.config/systemd/user/stridewise.service
[Unit]
Description=stridewise: nightly training-log check and weekly reports

[Service]
Type=oneshot
ExecStart={command}
# 75 = another run holds the lock: not a failure
SuccessExitStatus=75

# ~/.config/systemd/user/stridewise.timer
[Unit]
Description=Run stridewise every night

[Timer]
OnCalendar=*-*-* {hour:02d}:{minute:02d}:00
Persistent=true

[Install]
WantedBy=timers.target

# Install: systemctl --user daemon-reload && systemctl --user enable --now stridewise.timer""")
