"""Tell the runner about new flags, once: one short message per week with new flags, through Apprise.

Apprise (https://github.com/caronc/apprise) turns one URL into a sender for ntfy, e-mail, Telegram, Signal, Slack,
Matrix, desktop and about 100 more services, so no sender is written here. What is ours:

- which URLs: ``--notify`` > ``$STRIDEWISE_NOTIFY`` (URLs separated by spaces) > ``[notify] urls`` in the config;
- which flags: at or above ``--notify-on`` (default elevated), never one the store says was sent to that
  destination; a destination's first run sends at most the newest week's flags, never the whole history;
- a failed send is kept with its message and retried on the next run; it never fails the batch.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

from stridewise.config import NotifyConfig
from stridewise.errors import NotifyError
from stridewise.risk import Flag, Severity
from stridewise.store import Store
from stridewise.store.notified import FlagKey
from stridewise.weekcheck import verdict

NOTIFY_ENV: Final = "STRIDEWISE_NOTIFY"
# Info flags (ACWR, monotony) are descriptive only (EVIDENCE.md): a message for them would teach the runner to
# ignore messages. Elevated is the lowest severity a study or a convention ties to a change of training.
DEFAULT_NOTIFY_ON: Final = Severity.ELEVATED

# A sender: (url, title, body, severity) -> None when delivered, else the one-line reason it was not.
Sender = Callable[[str, str, str, Severity], "str | None"]


@dataclass(frozen=True)
class NotifySettings:
    urls: tuple[str, ...] = ()
    on: Severity = DEFAULT_NOTIFY_ON
    report_url: str | None = None  # base web address of the report folder; None: the message gives the file path
    origin: str = "--notify"  # where the URLs came from, for error messages


def notify_settings(flag_urls: Sequence[str] = (), flag_on: str | None = None, config: NotifyConfig | None = None,
                    environ: Mapping[str, str] | None = None) -> NotifySettings:
    """The URLs and severity that apply: flag > environment variable > config file > default."""
    config = config or NotifyConfig()
    environ = os.environ if environ is None else environ
    from_env = tuple(environ.get(NOTIFY_ENV, "").split())
    if flag_urls:
        urls, origin = tuple(flag_urls), "--notify"
    elif from_env:
        urls, origin = from_env, f"${NOTIFY_ENV}"
    else:
        urls, origin = config.urls, "[notify] urls"
    on = Severity(flag_on or config.on or DEFAULT_NOTIFY_ON.value)
    return NotifySettings(urls, on, config.report_url, origin)


def check_urls(settings: NotifySettings) -> None:
    """Raise :class:`NotifyError` for the first URL Apprise cannot use."""
    for url in settings.urls:
        if _plugin(url) is None:
            raise NotifyError(url, settings.origin)


def destination_id(url: str) -> str:
    """How the store knows a destination without keeping its URL (which may hold a password)."""
    return hashlib.sha256(url.encode()).hexdigest()


def shown(url: str) -> str:
    """The URL as Apprise prints it with secrets hidden, without its options: ``mailto://user:****@host``."""
    plugin = _plugin(url)
    return str(plugin.url(privacy=True)).split("?", 1)[0] if plugin is not None else urlsplit(url).scheme + "://..."


@dataclass
class Sent:
    destination: str  # as shown()
    week: str
    flags: int
    failure: str | None = None  # None: delivered
    retry: bool = False  # a message that had failed before


@dataclass
class NotifyOutcome:
    messages: list[Sent] = field(default_factory=list)

    @property
    def failures(self) -> list[Sent]:
        return [m for m in self.messages if m.failure is not None]


def flag_key(flag: Flag) -> FlagKey:
    subject = str(flag.activity_id) if flag.activity_id is not None else (flag.shoe or "")
    return (flag.rule, flag.week, subject)


def notify(store: Store, settings: NotifySettings, flags: Sequence[Flag] | None, *, newest_week: str | None,
           report_dir: Path, athlete: str | None = None, send: Sender | None = None) -> NotifyOutcome:
    """Retry failed messages, then send each destination the new flags (``flags`` None: retries only)."""
    send = send or send_apprise
    outcome = NotifyOutcome()
    configured = {destination_id(url): url for url in settings.urls}
    for pending in store.failed_notifications():
        url = configured.get(pending.destination)
        if url is None:
            store.forget_notifications(pending.destination)  # the runner removed that destination
            continue
        failure = send(url, pending.title, pending.body, Severity(pending.severity))
        store.record_notification(pending.destination, pending.keys, title=pending.title, body=pending.body,
                                  severity=pending.severity, failure=failure)
        outcome.messages.append(Sent(shown(url), pending.keys[0][1], len(pending.keys), failure, retry=True))
    if flags is None:
        return outcome
    for destination, url in configured.items():
        first_week = store.notify_from_week(destination)
        if first_week is None:
            if newest_week is None:
                continue  # nothing recorded yet: this destination starts with the first week that has data
            first_week = newest_week
            store.set_notify_from_week(destination, first_week)
        known = store.notified_keys(destination)
        new = [f for f in flags if f.severity.rank >= settings.on.rank and f.week >= first_week
               and flag_key(f) not in known]
        for week in sorted({f.week for f in new}):
            of_week = [f for f in new if f.week == week]
            title, body = message(week, flags, of_week, _link(settings, report_dir, week), athlete=athlete)
            severity = max((f.severity for f in of_week), key=lambda s: s.rank)
            failure = send(url, title, body, severity)
            store.record_notification(destination, [flag_key(f) for f in of_week], title=title, body=body,
                                      severity=severity.value, failure=failure)
            outcome.messages.append(Sent(shown(url), week, len(of_week), failure))
    return outcome


def message(week: str, all_flags: Sequence[Flag], new: Sequence[Flag], link: str, *,
            athlete: str | None = None) -> tuple[str, str]:
    """Title and body: the week's verdict, each new flag's sentence, and where the report is."""
    of_week = sorted((f for f in all_flags if f.week == week), key=lambda f: (-f.severity.rank, f.day, f.rule))
    top = of_week[0].severity if of_week else Severity.INFO
    lines = [f"Verdict for {week}: {verdict([f.to_json() for f in of_week])}"]
    lines += [f"New ({f.severity.value}): {f.message}" for f in sorted(new, key=lambda f: (f.day, f.rule))]
    lines.append(f"Report: {link}")
    who = f" {athlete}" if athlete else ""
    return f"stridewise{who} {week}: {top.value} flag", "\n".join(lines)


def _link(settings: NotifySettings, report_dir: Path, week: str) -> str:
    """The week's report, or the index when the week has none (no runs in it, or before --since)."""
    name = f"report-{week}.html" if (report_dir / f"report-{week}.html").is_file() else "index.html"
    if settings.report_url:
        return settings.report_url.rstrip("/") + "/" + name
    return str(report_dir.resolve() / name)


_NOTIFY_TYPES: Final = {Severity.INFO: "info", Severity.ELEVATED: "warning", Severity.HIGH: "failure"}


def _plugin(url: str) -> Any:
    """Apprise's sender object for ``url``, or None when Apprise does not understand it."""
    import apprise  # loaded only when a batch notifies: it registers ~100 services

    # Apprise logs why it cannot parse a URL; our caller says it in one line, so its log is captured, not printed.
    with apprise.LogCapture(level=logging.ERROR):  # type: ignore[no-untyped-call]
        return apprise.Apprise.instantiate(url)


def send_apprise(url: str, title: str, body: str, severity: Severity) -> str | None:
    """Send one message to one Apprise URL; None when delivered, else why not (one line, secrets hidden)."""
    import apprise

    sender = apprise.Apprise()
    if not sender.add(url):
        return "not a notify URL Apprise understands"
    with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as captured:  # type: ignore[no-untyped-call]
        delivered = bool(sender.notify(body=body, title=title, notify_type=_NOTIFY_TYPES[severity],
                                       body_format="text"))  # plain lines: e-mail keeps its line breaks
    if delivered:
        return None
    lines = [line.strip() for line in captured.getvalue().splitlines() if line.strip()]
    reason = lines[-1] if lines else "the service did not accept the message"
    password = urlsplit(url).password
    return reason.replace(password, "****") if password else reason
