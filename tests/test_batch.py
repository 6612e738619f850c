"""`stridewise batch`: incremental, one at a time, crash-safe, and honest about bad files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from batch_logs import make_logs, write_run
from conftest import cli_runner
from stridewise.batch import KILL_AFTER_WEEKS_ENV, LOCK_NAME, batch_lock
from stridewise.cli import app

runner = cli_runner()


def _batch(logs: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["batch", str(logs), "--out", str(out / "reports"), "--db", str(out / "s.sqlite3"),
                                 "--jobs", "1", *extra])
    return result.exit_code, result.stdout, result.stderr


def _report_times(reports: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in sorted(reports.iterdir()) if p.name.startswith("report-")}


def test_a_second_batch_over_an_unchanged_folder_parses_nothing_and_rewrites_nothing(tmp_path: Path) -> None:
    logs = make_logs(tmp_path)
    code, out, _ = _batch(logs, tmp_path)
    assert code == 0, out
    assert "9 file(s) read, 0 unchanged; 3 week(s) rendered, 0 unchanged." in out
    reports = tmp_path / "reports"
    assert sorted(p.name for p in reports.iterdir() if not p.name.startswith(".")) == [
        "index.html", "latest.html", "problems.json",
        *[f"report-2026-W{w}.{k}" for w in (28, 29, 30) for k in ("html", "json", "png")]]
    before = _report_times(reports)
    code, out, _ = _batch(logs, tmp_path)
    assert code == 0
    assert "0 file(s) read, 9 unchanged; no change since the last run." in out
    assert _report_times(reports) == before


def test_one_new_file_reparses_one_file_and_renders_only_the_weeks_it_changes(tmp_path: Path) -> None:
    logs = make_logs(tmp_path)
    _batch(logs, tmp_path)
    before = _report_times(tmp_path / "reports")
    write_run(logs, 7 * 2 + 4, 5)  # a Friday run in the last week, W30
    code, out, _ = _batch(logs, tmp_path)
    assert code == 0
    assert "1 file(s) read, 9 unchanged; 1 week(s) rendered, 0 unchanged." in out
    after = _report_times(tmp_path / "reports")
    changed = sorted(name for name in after if after[name] != before[name])
    assert changed == ["report-2026-W30.html", "report-2026-W30.json", "report-2026-W30.png"]
    week = json.loads((tmp_path / "reports" / "report-2026-W30.json").read_text())
    assert week["weekly"][-1]["runs"] == 4


def test_a_second_batch_waits_for_no_one_it_exits_75(tmp_path: Path) -> None:
    logs = make_logs(tmp_path, weeks=1)
    with batch_lock(tmp_path / "reports"):
        code, _, err = _batch(logs, tmp_path)
    assert code == 75
    assert err.startswith(f"Error: another batch is running on {tmp_path / 'reports'} (pid {os.getpid()} on ")


def test_a_stale_lock_from_a_killed_run_is_taken_over(tmp_path: Path) -> None:
    logs = make_logs(tmp_path, weeks=1)
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / LOCK_NAME).write_text("pid 999999 on somewhere since 2026-11-01 03:15:00Z")
    code, out, _ = _batch(logs, tmp_path)
    assert code == 0
    assert "took over the lock of a run that did not finish (pid 999999 on somewhere since 2026-11-01 03:15:00Z)" in out
    assert (tmp_path / "reports" / LOCK_NAME).read_text() == ""


def test_a_corrupt_file_is_reported_and_blocks_nothing(tmp_path: Path) -> None:
    logs = make_logs(tmp_path, weeks=2)
    (logs / "broken.fit").write_bytes(b"\x0e\x10\x00\x00" + b"\x00" * 20)
    code, out, _ = _batch(logs, tmp_path)
    assert code == 1
    assert f"could not read {logs / 'broken.fit'}: " in out
    problems = json.loads((tmp_path / "reports" / "problems.json").read_text())
    assert [p["file"] for p in problems] == [str(logs / "broken.fit")]
    assert (tmp_path / "reports" / "report-2026-W29.html").is_file()
    code, out, _ = _batch(logs, tmp_path)  # not retried until it changes
    assert code == 0
    assert "1 known problem file(s)" in out


def test_a_batch_killed_mid_run_then_rerun_equals_an_uninterrupted_run(tmp_path: Path) -> None:
    logs = make_logs(tmp_path, weeks=4)
    clean = tmp_path / "clean"
    assert _batch(logs, clean)[0] == 0
    killed = tmp_path / "killed"
    command = [sys.executable, "-m", "stridewise", "batch", str(logs), "--out", str(killed / "reports"),
               "--db", str(killed / "s.sqlite3"), "--jobs", "1"]
    done = subprocess.run(command, capture_output=True, env={**os.environ, KILL_AFTER_WEEKS_ENV: "2"}, check=False)
    assert done.returncode == -signal.SIGKILL
    rendered = sorted(p.name for p in (killed / "reports").glob("report-*.json"))
    assert rendered == ["report-2026-W30.json", "report-2026-W31.json"]  # newest first, killed after the second
    leftover = killed / "reports" / ".report-2026-W29.html.k1ll3d.tmp"  # as write_atomic leaves one mid-write
    leftover.write_text("half a page")
    code, out, _ = _batch(logs, killed)
    assert code == 0, out
    assert "took over the lock" in out
    assert "2 week(s) rendered, 2 unchanged." in out
    for week in (28, 29, 30, 31):
        name = f"report-2026-W{week}.json"
        assert json.loads((killed / "reports" / name).read_text()) == json.loads((clean / "reports" / name).read_text())
    assert not list((killed / "reports").glob(".*.tmp"))
    clean_json = json.loads((clean / "reports" / "report-2026-W31.json").read_text())
    assert clean_json["weekly"][-1]["runs"] == 3  # no activity counted twice


@pytest.mark.parametrize(("flag", "expected"), [("--cron", "15 3 * * * "), ("--systemd", "OnCalendar=*-*-* 03:15:00")])
def test_schedule_prints_ready_to_install_lines(tmp_path: Path, flag: str, expected: str) -> None:
    logs = make_logs(tmp_path, weeks=1)
    result = runner.invoke(app, ["schedule", str(logs), "--out", str(tmp_path / "reports"), flag])
    assert result.exit_code == 0
    assert expected in result.stdout
    assert f"batch {logs} --out {tmp_path / 'reports'}" in result.stdout
    assert runner.invoke(app, ["schedule", str(logs), "--out", str(tmp_path), "--cron", "--systemd"]).exit_code == 2


def test_schedule_passes_every_batch_option_and_adds_the_line_without_replacing_the_crontab(tmp_path: Path) -> None:
    logs = make_logs(tmp_path, weeks=1)
    options = ["--athletes", "--weeks", "8", "--units", "mi", "--fail-on", "high", "--since", "2025-W01",
               "--notify", "ntfy://my-topic", "--notify", "json://127.0.0.1:8080/a%20b", "--notify-on", "high",
               "--db", str(tmp_path / "s.sqlite3"), "--config", str(logs / "stridewise.toml"), "--jobs", "2"]
    result = runner.invoke(app, ["schedule", str(logs), "--out", str(tmp_path / "reports"), "--cron", *options])
    assert result.exit_code == 0, result.output
    line, comment, install = result.stdout.splitlines()
    # cron turns a bare % into a line break, so the URL's %20 must reach crontab as \%20
    assert line.startswith("15 3 * * * ") and line.endswith(f" >> {tmp_path / 'reports' / 'batch.log'} 2>&1")
    assert (f"batch {logs} --out {tmp_path / 'reports'} " + " ".join(options).replace("%", "\\%")) in line
    assert comment == "# Add it, keeping your other crontab entries (run this once):"
    assert install == f"#   (crontab -l 2>/dev/null; printf '%s\\n' '{line}') | crontab -"
    assert "mycron" not in result.stdout


def test_schedule_rejects_what_batch_would_reject(tmp_path: Path) -> None:
    logs = make_logs(tmp_path, weeks=1)
    base = ["schedule", str(logs), "--out", str(tmp_path / "reports"), "--cron"]
    bad_week = runner.invoke(app, [*base, "--since", "2025-1"])
    assert bad_week.exit_code == 2
    assert bad_week.stderr == "Error: week '2025-1' is not an ISO week such as 2026-W47\n"
    bad_url = runner.invoke(app, [*base, "--notify", "nosuchservice://x"])
    assert bad_url.exit_code == 2
    assert bad_url.stderr == ("Error: --notify: nosuchservice://... is not a notify URL Apprise understands (see "
                              "docs/scheduling.md, e.g. ntfy://my-topic or mailtos://...)\n")


def test_athletes_each_get_their_own_store_and_reports_and_an_index(tmp_path: Path) -> None:
    root = tmp_path / "team"
    root.mkdir()
    for name, weeks in (("ana", 1), ("ben", 2)):
        folder = make_logs(tmp_path / name, weeks=weeks)
        folder.rename(root / name)
    result = runner.invoke(app, ["batch", str(root), "--out", str(tmp_path / "reports"), "--athletes", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "ana: 3 file(s) read" in result.stdout and "ben: 6 file(s) read" in result.stdout
    assert (tmp_path / "reports" / "ana" / "stridewise.sqlite3").is_file()
    assert sorted(p.name for p in (tmp_path / "reports" / "ben").glob("report-*.json")) == [
        "report-2026-W28.json", "report-2026-W29.json"]
    index = (tmp_path / "reports" / "index.html").read_text()
    assert 'href="./ana/latest.html"' in index and 'href="./ben/index.html"' in index


def test_schedule_writes_in_the_store_and_config_the_shell_names_in_environment_variables(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    logs = make_logs(tmp_path, weeks=1)
    monkeypatch.setenv("STRIDEWISE_DB", str(tmp_path / "mine.sqlite3"))
    monkeypatch.setenv("STRIDEWISE_CONFIG", str(logs / "stridewise.toml"))
    monkeypatch.setenv("STRIDEWISE_NOTIFY", "ntfy://secret-topic")
    result = runner.invoke(app, ["schedule", str(logs), "--out", str(tmp_path / "reports"), "--systemd"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# $STRIDEWISE_NOTIFY is not set under cron or systemd: put the URLs in "
                                    "[notify] urls of the config\n")
    assert (f"batch {logs} --out {tmp_path / 'reports'} --db {tmp_path / 'mine.sqlite3'} "
            f"--config {logs / 'stridewise.toml'}\n") in result.stdout
    assert "secret-topic" not in result.stdout
