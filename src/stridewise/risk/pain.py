"""The pain journal: pain episodes, and the runner's own evidence linking flags to pain.

Nothing here diagnoses. It counts how often pain began after a flagged load pattern, which is an association in one
person's small history, not a cause, and it lists the signs for which a professional should look (EVIDENCE.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from stridewise.risk.model import Flag
from stridewise.store.pain import PainEntry

# Two pain days belong to one episode when at most this many days without recorded pain lie between them
# (Monday and Friday: one episode; Monday and Saturday: two). A convention of stridewise, not from a study: runners
# rarely log every day, and a pain that pauses over a long weekend is usually the same pain.
EPISODE_MAX_GAP_DAYS: Final = 3
# How far back from the first day of an episode a flag counts as "before" it, and how far ahead of a flag day an
# episode start counts as "after" it. No study gives the lag between a load error and pain; two training weeks is
# this tool's convention.
WINDOW_DAYS: Final = 14
# Below this many flag days a share says nothing (1 of 1 is "100%"): the sentence says "too few to tell".
MIN_FLAG_DAYS: Final = 3
# Below this many pain episodes in the history the comparison says "too few episodes to tell": with one or two, every
# share is about one or two events, and any rule that happened to flag before them looks linked. The same minimum
# as MIN_FLAG_DAYS, a convention of stridewise (no study gives one for a personal journal).
MIN_EPISODES: Final = 3

# EVIDENCE.md, "When to see a professional": shown as written there, never turned into a diagnosis.
SEE_A_PROFESSIONAL_HEADING: Final = "When to see a professional (stridewise does not diagnose):"
SEE_A_PROFESSIONAL: Final[tuple[str, ...]] = (
    "back pain lasting longer than 8 weeks",
    "back pain not improving with stretching",
    "back pain moving into the calf or foot",
    "numbness or tingling in the legs: seek medical care promptly",
    "leg or groin weakness: seek medical care promptly",
    "bladder or bowel changes: seek medical care promptly",
    "severe or constant pain",
)

@dataclass(frozen=True)
class Episode:
    """Pain days (level >= 1) no more than ``EPISODE_MAX_GAP_DAYS`` pain-free days apart."""

    start: date
    end: date
    max_level: int
    location: str | None  # the place named most often (the first named, on a tie); None if never named
    pain_days: int  # days with pain recorded, out of ``days``

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class RuleEvidence:
    """How often pain began within ``window_days`` after a rule's flags, beside how often it began after any day."""

    rule: str
    window_days: int
    n_flag_days: int  # distinct days the rule flagged, within the history
    n_followed: int  # of those, days with an episode start 1 to window_days days later
    n_days: int  # days of history
    n_days_followed: int  # of those, days with an episode start 1 to window_days days later
    n_episodes: int  # pain episodes that began within the history

    @property
    def share_followed(self) -> float | None:
        return self.n_followed / self.n_flag_days if self.n_flag_days > 0 else None

    @property
    def base_rate(self) -> float:
        return self.n_days_followed / self.n_days

    @property
    def enough(self) -> bool:
        return self.n_flag_days >= MIN_FLAG_DAYS and self.n_episodes >= MIN_EPISODES

    @property
    def sentence(self) -> str:
        if self.n_episodes < MIN_EPISODES:
            return too_few_episodes(self.n_episodes)
        if self.share_followed is None or not self.enough:
            days = "day" if self.n_flag_days == 1 else "days"
            return (f"Too few to tell: {self.rule} flagged on {self.n_flag_days} {days} "
                    f"(at least {MIN_FLAG_DAYS} are needed).")
        days = "day" if self.window_days == 1 else "days"
        return (f"Pain began within {self.window_days} {days} after {self.n_followed} of {self.n_flag_days} "
                f"{self.rule} flags ({share_text(self.share_followed)}), against {share_text(self.base_rate)} of "
                f"all days.")


def share_text(share: float) -> str:
    """A share as it is: whole percent from 1% up, but 0.4% (or 0.04%) below it, never a rounded "0%"."""
    if share == 0 or share >= 0.01:
        return f"{share:.0%}"
    return f"{share:.1%}" if share >= 0.001 else f"{share:.2%}"


def too_few_episodes(n_episodes: int) -> str:
    episodes_word = "episode" if n_episodes == 1 else "episodes"
    return (f"Too few episodes to tell: {n_episodes} pain {episodes_word} recorded (at least {MIN_EPISODES} are "
            f"needed to compare them with your flags).")


def episodes(entries: Iterable[PainEntry], *, max_gap_days: int = EPISODE_MAX_GAP_DAYS) -> list[Episode]:
    """Group the days with pain (level >= 1) into episodes, oldest first. A day's level is its highest entry."""
    levels: dict[date, int] = {}
    places: dict[date, list[str]] = {}
    for entry in sorted(entries, key=lambda e: (e.day, e.id)):
        if entry.level >= 1:
            levels[entry.day] = max(levels.get(entry.day, 0), entry.level)
            if entry.location:
                places.setdefault(entry.day, []).append(entry.location)
    groups: list[list[date]] = []
    for day in sorted(levels):
        if groups and (day - groups[-1][-1]).days - 1 <= max_gap_days:
            groups[-1].append(day)
        else:
            groups.append([day])
    return [_episode(days, levels, places) for days in groups]


def _episode(days: list[date], levels: dict[date, int], places: dict[date, list[str]]) -> Episode:
    named = Counter(place for day in days for place in places.get(day, []))
    location = named.most_common(1)[0][0] if named else None  # most_common keeps first-seen order on ties
    return Episode(start=days[0], end=days[-1], max_level=max(levels[d] for d in days), location=location,
                   pain_days=len(days))


def flags_before(episode: Episode, flags: Iterable[Flag], days: int = WINDOW_DAYS) -> list[Flag]:
    """The flags from ``days`` days before the episode's first day up to the day before it, oldest first."""
    first = episode.start - timedelta(days=days)
    return sorted((f for f in flags if first <= f.day < episode.start), key=lambda f: (f.day, f.rule))


def personal_evidence(flags: Iterable[Flag], episodes: Sequence[Episode], history_start: date, history_end: date,
                      window_days: int = WINDOW_DAYS) -> list[RuleEvidence]:
    """For each rule flagged: the share of its flag days followed by a new episode, and the share of all days.

    A day counts as followed when an episode starts 1 to ``window_days`` days after it, the mirror of
    :func:`flags_before`. Only days in [history_start, history_end] count, flag days included. Rules sorted by id.
    """
    if history_end < history_start:
        raise ValueError(f"history ends ({history_end}) before it starts ({history_start})")
    if window_days < 1:
        raise ValueError(f"window_days must be at least 1, got {window_days}")
    starts = {e.start for e in episodes}
    n_episodes = sum(1 for start in starts if history_start <= start <= history_end)

    def followed(day: date) -> bool:
        return any(day + timedelta(days=k) in starts for k in range(1, window_days + 1))

    n_days = (history_end - history_start).days + 1
    n_days_followed = sum(followed(history_start + timedelta(days=k)) for k in range(n_days))
    flag_days: dict[str, set[date]] = {}
    for flag in flags:
        days = flag_days.setdefault(flag.rule, set())
        if history_start <= flag.day <= history_end:
            days.add(flag.day)
    return [RuleEvidence(rule=rule, window_days=window_days, n_flag_days=len(days),
                         n_followed=sum(followed(d) for d in days), n_days=n_days, n_days_followed=n_days_followed,
                         n_episodes=n_episodes)
            for rule, days in sorted(flag_days.items())]
