"""Which flags were sent to which destination, so that a flag reaches the runner once.

A flag is known by its key: rule, ISO week and subject (the activity id, the shoe, or "" for a whole-week flag).
A destination is known by the SHA-256 of its notify URL (the URL may hold a password; the store never does).
A failed send keeps its message, so the next run retries it without rebuilding anything.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

DDL: Final = """
CREATE TABLE IF NOT EXISTS notified_flags (
    rule TEXT NOT NULL,
    week TEXT NOT NULL,                   -- ISO week label, 2026-W30
    subject TEXT NOT NULL,                -- activity id, shoe name, or '' for a flag on the whole week
    destination TEXT NOT NULL,            -- SHA-256 of the notify URL
    status TEXT NOT NULL CHECK (status IN ('sent', 'failed')),
    title TEXT NOT NULL,                  -- the message, kept so that a failed send can be retried as it was
    body TEXT NOT NULL,
    severity TEXT NOT NULL,
    reason TEXT,                          -- why the last send failed
    updated_utc TEXT NOT NULL,
    PRIMARY KEY (rule, week, subject, destination)
);
"""
# meta key prefix: the first week whose flags a destination receives (set on its first run, see notify.py).
_FROM_WEEK_KEY: Final = "notify_from_week:"

FlagKey = tuple[str, str, str]  # (rule, week, subject)


@dataclass(frozen=True)
class PendingMessage:
    """A message whose send failed: where it goes, what it says, and the flags it carries."""

    destination: str
    title: str
    body: str
    severity: str
    reason: str
    keys: tuple[FlagKey, ...]


class NotifiedFlags:
    """The part of the store that remembers notifications (mixed into :class:`stridewise.store.Store`)."""

    _conn: sqlite3.Connection

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def notify_from_week(self, destination: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (_FROM_WEEK_KEY + destination,)).fetchone()
        return str(row[0]) if row else None

    def set_notify_from_week(self, destination: str, week: str) -> None:
        with self._transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (_FROM_WEEK_KEY + destination, week))

    def notified_keys(self, destination: str) -> set[FlagKey]:
        """Every flag already sent to ``destination`` or waiting for a retry there."""
        rows = self._conn.execute("SELECT rule, week, subject FROM notified_flags WHERE destination = ?",
                                  (destination,)).fetchall()
        return {(str(r[0]), str(r[1]), str(r[2])) for r in rows}

    def record_notification(self, destination: str, keys: Iterable[FlagKey], *, title: str, body: str,
                            severity: str, failure: str | None) -> None:
        """Record one message's flags as sent (``failure`` None) or as failed, to retry."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO notified_flags VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(rule, week, subject, destination, "failed" if failure else "sent", title, body, severity, failure,
                  now) for rule, week, subject in keys])

    def failed_notifications(self) -> list[PendingMessage]:
        """Messages whose last send failed, one per (destination, message), oldest week first."""
        rows = self._conn.execute("SELECT destination, title, body, severity, reason, rule, week, subject "
                                  "FROM notified_flags WHERE status = 'failed' "
                                  "ORDER BY destination, week, title, rule, subject").fetchall()
        return list(_group(rows))

    def forget_notifications(self, destination: str) -> None:
        """Drop the failed messages of a destination that is no longer configured."""
        with self._transaction() as conn:
            conn.execute("DELETE FROM notified_flags WHERE destination = ? AND status = 'failed'", (destination,))


def _group(rows: list[tuple[str, ...]]) -> Iterator[PendingMessage]:
    messages: dict[tuple[str, str, str, str, str], list[FlagKey]] = {}
    for destination, title, body, severity, reason, rule, week, subject in rows:
        messages.setdefault((destination, title, body, severity, reason or "unknown"), []).append(
            (rule, week, subject))
    for (destination, title, body, severity, reason), keys in messages.items():
        yield PendingMessage(destination, title, body, severity, reason, tuple(keys))
