"""``stridewise schedule``: print the lines that run ``stridewise batch`` every night, with the same options."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path
from typing import Annotated

import typer

from stridewise.cli.batch_cmd import (
    AthletesOption,
    FailOnOption,
    LogDir,
    NotifyOnOption,
    NotifyOption,
    OutDir,
    SinceOption,
    WeeksOption,
    check_notify,
    check_since,
)
from stridewise.cli.common import ConfigOption, DbOption, JobsOption, UnitsOption

# The environment variables an interactive shell may set that cron and systemd do not pass on: their values are
# written into the line, so that the nightly run uses the same store and config as the runner's own commands.
_BAKED_ENV = {"--db": "STRIDEWISE_DB", "--config": "STRIDEWISE_CONFIG"}


def schedule(
    log_dir: LogDir,
    out: OutDir,
    cron: Annotated[bool, typer.Option("--cron", help="Print a crontab line and how to add it.")] = False,
    systemd: Annotated[bool, typer.Option("--systemd", help="Print a systemd service and timer.")] = False,
    at: Annotated[str, typer.Option("--at", help="Time of day, HH:MM.")] = "03:15",
    athletes: AthletesOption = False,
    weeks: WeeksOption = 16,
    units: UnitsOption = None,
    fail_on: FailOnOption = None,
    since: SinceOption = None,
    notify: NotifyOption = None,
    notify_on: NotifyOnOption = None,
    db: DbOption = None,
    config: ConfigOption = None,
    jobs: JobsOption = None,
) -> None:
    """Print ready-to-install scheduler lines for a nightly batch over LOG_DIR, with every batch option given
    (see docs/scheduling.md).

    Example (adds the line and keeps your other crontab entries):

        stridewise schedule ~/Garmin/Activities --out ~/stridewise-reports --cron --notify ntfy://my-topic
    """
    if cron == systemd:
        raise typer.BadParameter("choose one of --cron or --systemd")
    try:
        hour, minute = (int(part) for part in at.split(":"))
        if not (0 <= hour < 24 and 0 <= minute < 60):
            raise ValueError
    except ValueError:
        raise typer.BadParameter(f"{at!r} is not a time such as 03:15", param_hint="--at") from None
    check_since(since)
    check_notify(notify)
    executable = shutil.which("stridewise") or str(Path(sys.argv[0]).resolve())
    args = [executable, "batch", str(log_dir), "--out", str(out)]
    args += ["--athletes"] if athletes else []
    args += ["--weeks", str(weeks)] if weeks != 16 else []
    args += ["--units", units.value] if units else []
    args += ["--fail-on", fail_on.value] if fail_on else []
    args += ["--since", since] if since else []
    for url in notify or []:
        args += ["--notify", url]
    args += ["--notify-on", notify_on.value] if notify_on else []
    for option, given in (("--db", db), ("--config", config)):
        path = given or (Path(os.environ[_BAKED_ENV[option]]) if os.environ.get(_BAKED_ENV[option]) else None)
        args += [option, str(path.expanduser().resolve())] if path else []
    args += ["--jobs", str(jobs)] if jobs else []
    command = " ".join(shlex.quote(a) for a in args)
    unsent = "" if notify or not os.environ.get("STRIDEWISE_NOTIFY") else (
        "# $STRIDEWISE_NOTIFY is not set under cron or systemd: put the URLs in [notify] urls of the config\n")
    if cron:
        # cron reads % as a line break: a literal % (in a URL-encoded notify URL) must be written \%
        line = f"{minute} {hour} * * * {command} >> {shlex.quote(str(out / 'batch.log'))} 2>&1".replace("%", "\\%")
        typer.echo(f"{unsent}{line}\n# Add it, keeping your other crontab entries (run this once):\n"
                   f"#   (crontab -l 2>/dev/null; printf '%s\\n' {shlex.quote(line)}) | crontab -")
        return
    typer.echo(f"""{unsent}# ~/.config/systemd/user/stridewise.service
[Unit]
Description=stridewise: nightly training-log check and weekly reports

[Service]
Type=oneshot
ExecStart={command.replace("%", "%%")}
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
