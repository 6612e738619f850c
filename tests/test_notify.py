"""`batch --notify`: a new flag reaches the runner once, through real receivers started here.

The history (``_history``): four weeks, 2026-W28 to W31, of three runs (8, 8 and 12 km), plus a 10 km run on the
Saturday of W30, which makes W30 38 km against 28 km the week before: +36%, an elevated weekly-progression flag
(limit +30%) that is history by the time of the first batch. W31 is calm again (28 km, less than the week before;
its longest run, 12 km, is never more than the longest of the previous 30 days).
A 21 km run added on Sunday 9 Aug 2026 (W32, 33 days after the first run, so the 30-day window is full) is
21 / 12 = 1.75 x the longest run of the previous 30 days: an elevated spike (1.1 <= 1.75 < 2.0), and W32's
distance (21 km) is below W31's, so the spike is its only flag at or above elevated.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from batch_logs import make_logs, write_run
from conftest import cli_runner
from receivers import free_port, json_receiver, smtp_receiver
from stridewise.batch import NOTIFY_ENV, notify_settings
from stridewise.batch.notify import flag_key, message
from stridewise.cli import app
from stridewise.config import NotifyConfig, parse_config
from stridewise.errors import ConfigError
from stridewise.risk import Evidence, Flag, Severity

runner = cli_runner()
SPIKE_DAY = 7 * 4 + 6  # Sunday of the fifth week, 2026-W32
SPIKE_SENTENCE = ("Your 21.0 km run on Sun 09 Aug was 1.75 x your longest run of the previous 30 days "
                  "(12.0 km).")


def _history(tmp_path: Path) -> Path:
    logs = make_logs(tmp_path, weeks=4)
    write_run(logs, 7 * 2 + 5, 10)  # Saturday of W30
    return logs


def _batch(tmp_path: Path, logs: Path, *extra: str, since: str | None = "2026-W32") -> tuple[int, str]:
    """One batch; by default only the spike's week is rendered (the test is about messages, not reports)."""
    result = runner.invoke(app, ["batch", str(logs), "--out", str(tmp_path / "reports"), "--db",
                                 str(tmp_path / "s.sqlite3"), "--jobs", "1", *extra,
                                 *(["--since", since] if since else [])])
    return result.exit_code, result.stdout


def _spike_message(tmp_path: Path) -> dict[str, str]:
    return {"title": "stridewise 2026-W32: elevated flag",
            "body": f"Verdict for 2026-W32: Elevated: {SPIKE_SENTENCE}\n"
                    f"New (elevated): {SPIKE_SENTENCE}\n"
                    f"Report: {tmp_path / 'reports' / 'report-2026-W32.html'}"}


@pytest.fixture(autouse=True)
def _no_notify_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(NOTIFY_ENV, raising=False)


def test_calm_week_then_a_spike_then_nothing_new_sends_exactly_one_message(tmp_path: Path) -> None:
    logs = _history(tmp_path)  # the history ends with a calm week, 2026-W31
    with json_receiver() as received:
        code, out = _batch(tmp_path, logs, "--notify", received.url, since="2026-W31")
        assert code == 0, out
        assert received.messages == []  # W30's flag is history: a first run sends the newest week's only
        write_run(logs, SPIKE_DAY, 21)
        code, out = _batch(tmp_path, logs, "--notify", received.url, since="2026-W31")
        assert code == 0, out
        assert received.messages == [_spike_message(tmp_path)]
        assert "notified json://127.0.0.1:" in out and ": 2026-W32 (1 new flag)" in out
        code, out = _batch(tmp_path, logs, "--notify", received.url, since="2026-W31")
        assert code == 0, out
        assert len(received.messages) == 1
        assert "notified" not in out


def test_an_email_names_the_spike_once(tmp_path: Path) -> None:
    logs = _history(tmp_path)
    write_run(logs, SPIKE_DAY, 21)
    with smtp_receiver() as received:
        assert _batch(tmp_path, logs, "--notify", received.url)[0] == 0
        assert _batch(tmp_path, logs, "--notify", received.url)[0] == 0
    expected = _spike_message(tmp_path)
    assert received.messages == [{**expected, "to": "runner@example.org"}]


def test_notify_on_high_leaves_an_elevated_spike_unsent(tmp_path: Path) -> None:
    logs = _history(tmp_path)
    write_run(logs, SPIKE_DAY, 21)
    with json_receiver() as received:
        assert _batch(tmp_path, logs, "--notify", received.url, "--notify-on", "high")[0] == 0
    assert received.messages == []


def test_a_failed_send_is_listed_never_fails_the_batch_and_is_retried_next_run(tmp_path: Path) -> None:
    logs = _history(tmp_path)
    write_run(logs, SPIKE_DAY, 21)
    port = free_port()  # nothing listens there yet
    url = f"json://127.0.0.1:{port}/stridewise"
    code, out = _batch(tmp_path, logs, "--notify", url)
    assert code == 0, out
    assert f"could not notify json://127.0.0.1:{port}/stridewise: " in out
    assert (tmp_path / "reports" / "report-2026-W32.html").is_file()
    problems = json.loads((tmp_path / "reports" / "problems.json").read_text())
    assert [(p["notify"], p["week"]) for p in problems] == [(f"json://127.0.0.1:{port}/stridewise", "2026-W32")]
    assert problems[0]["reason"].endswith("; retried on the next run")
    with json_receiver(port) as received:
        code, out = _batch(tmp_path, logs, "--notify", url)
        assert code == 0, out
        assert received.messages == [_spike_message(tmp_path)]
        assert json.loads((tmp_path / "reports" / "problems.json").read_text()) == []
        assert _batch(tmp_path, logs, "--notify", url)[0] == 0
        assert len(received.messages) == 1


def test_a_failed_email_never_shows_the_password(tmp_path: Path) -> None:
    logs = _history(tmp_path)
    write_run(logs, SPIKE_DAY, 21)
    url = f"mailto://runner:s3cr3t-pw@127.0.0.1:{free_port()}?from=stridewise@example.org&to=runner@example.org"
    code, out = _batch(tmp_path, logs, "--notify", url)
    assert code == 0
    assert "could not notify mailto://runner:****@127.0.0.1" in out
    assert "s3cr3t-pw" not in out + (tmp_path / "reports" / "problems.json").read_text()


def test_urls_come_from_the_flag_then_the_environment_then_the_config() -> None:
    config = NotifyConfig(urls=("ntfy://from-config",), on="high")
    environment = {NOTIFY_ENV: "ntfy://env-a  ntfy://env-b"}
    assert notify_settings(["ntfy://flag"], None, config, environment).urls == ("ntfy://flag",)
    assert notify_settings([], None, config, environment).urls == ("ntfy://env-a", "ntfy://env-b")
    from_config = notify_settings([], None, config, {})
    assert (from_config.urls, from_config.on) == (("ntfy://from-config",), Severity.HIGH)
    assert notify_settings([], "info", config, {}).on == Severity.INFO
    assert notify_settings([], None, None, {}).on == Severity.ELEVATED


def test_the_config_notify_table_is_read_and_checked(tmp_path: Path) -> None:
    config = parse_config({"notify": {"urls": ["ntfy://my-topic"], "on": "high",
                                      "report_url": "https://example.org/runs/"}})
    assert config.notify == NotifyConfig(("ntfy://my-topic",), "high", "https://example.org/runs/")
    with pytest.raises(ConfigError, match=r"^config: \[notify\] on must be one of info, elevated, high, not 'loud'$"):
        parse_config({"notify": {"on": "loud"}})
    with pytest.raises(ConfigError, match=r"^config: unknown \[notify\] setting 'url' "):
        parse_config({"notify": {"url": "ntfy://x"}})


def test_config_urls_and_report_url_are_used_without_a_flag(tmp_path: Path) -> None:
    logs = _history(tmp_path)
    write_run(logs, SPIKE_DAY, 21)
    with json_receiver() as received:
        (logs / "stridewise.toml").write_text(f'timezone = "UTC"\n[notify]\nurls = ["{received.url}"]\n'
                                              'report_url = "https://example.org/runs/"\n')
        assert _batch(tmp_path, logs)[0] == 0
    assert received.messages[0]["body"].endswith("\nReport: https://example.org/runs/report-2026-W32.html")


def _flag(rule: str, severity: Severity, day: int, message: str, **subject: object) -> Flag:
    return Flag(rule, severity, Evidence.COHORT, "2026-W32", date(2026, 8, day), 1.0, 1.0, message, "advice",
                "source", **subject)  # type: ignore[arg-type]


def test_one_message_per_week_names_the_athlete_the_verdict_and_every_new_flag() -> None:
    shoe = _flag("shoe_wear", Severity.ELEVATED, 9, "Your Pegasus 40 have 810 km on them.", shoe="Pegasus 40")
    spike = _flag("single_run_spike", Severity.HIGH, 8, "Your 30.0 km run was 2.50 x.", activity_id=7)
    week = _flag("monotony", Severity.INFO, 9, "Monotony reached 2.4.")
    title, body = message("2026-W32", [shoe, spike, week], [shoe, spike], "/r/report-2026-W32.html", athlete="ana")
    assert title == "stridewise ana 2026-W32: high flag"
    assert body.splitlines() == ["Verdict for 2026-W32: High: Your 30.0 km run was 2.50 x. (+2 more)",
                                 "New (high): Your 30.0 km run was 2.50 x.",
                                 "New (elevated): Your Pegasus 40 have 810 km on them.",
                                 "Report: /r/report-2026-W32.html"]
    assert [flag_key(f) for f in (shoe, spike, week)] == [("shoe_wear", "2026-W32", "Pegasus 40"),
                                                           ("single_run_spike", "2026-W32", "7"),
                                                           ("monotony", "2026-W32", "")]


def test_a_url_apprise_cannot_use_in_the_config_is_a_config_error_naming_only_its_scheme(tmp_path: Path) -> None:
    logs = make_logs(tmp_path, weeks=1)
    (logs / "stridewise.toml").write_text('[notify]\nurls = ["nosuch://user:pw@host/topic"]\n')
    result = runner.invoke(app, ["batch", str(logs), "--out", str(tmp_path / "reports"), "--db",
                                 str(tmp_path / "s.sqlite3")])
    assert result.exit_code == 1
    assert result.stderr == ("Error: [notify] urls: nosuch://... is not a notify URL Apprise understands (see "
                             "docs/scheduling.md, e.g. ntfy://my-topic or mailtos://...)\n")
    assert not (tmp_path / "s.sqlite3").exists()  # nothing ran
