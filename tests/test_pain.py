"""The pain journal's core: CSV reading, episodes, flags before an episode, the runner's own evidence, the store."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from stridewise.errors import InputError, StoreError
from stridewise.risk.model import Evidence, Flag, Severity
from stridewise.risk.pain import (
    SEE_A_PROFESSIONAL,
    Episode,
    RuleEvidence,
    episodes,
    flags_before,
    personal_evidence,
)
from stridewise.store import Store
from stridewise.store.pain import PainEntry
from stridewise.store.pain_csv import PainRow, import_pain_csv, read_pain_csv

D = date.fromisoformat


def entry(day: str, level: int, location: str | None = None, entry_id: int = 0) -> PainEntry:
    return PainEntry(entry_id, D(day), level, location)


def flag(rule: str, day: str) -> Flag:
    return Flag(rule=rule, severity=Severity.ELEVATED, evidence=Evidence.WEAK, week="", day=D(day), value=1.4,
                threshold=1.3, message="", advice="", source="")


def episode(start: str, end: str | None = None) -> Episode:
    return Episode(start=D(start), end=D(end or start), max_level=3, location=None, pain_days=1)


# --- episodes -------------------------------------------------------------------------------------------------
def test_three_pain_free_days_keep_one_episode_four_split_it() -> None:
    found = episodes([
        entry("2026-03-02", 2, "lower back"),
        entry("2026-03-06", 5, "lower back"),  # 3, 4, 5 March pain-free: a gap of 3 days, same episode
        entry("2026-03-11", 1, "calf"),  # 7-10 March pain-free: a gap of 4 days, a new episode
    ])
    assert found == [
        Episode(start=D("2026-03-02"), end=D("2026-03-06"), max_level=5, location="lower back", pain_days=2),
        Episode(start=D("2026-03-11"), end=D("2026-03-11"), max_level=1, location="calf", pain_days=1),
    ]
    assert [e.days for e in found] == [5, 1]


def test_level_zero_days_are_pain_free_and_a_day_counts_its_worst_entry() -> None:
    found = episodes([
        entry("2026-03-03", 0),
        entry("2026-03-01", 2, "hip", entry_id=1),
        entry("2026-03-01", 6, "lower back", entry_id=2),
        entry("2026-03-02", 3, "lower back", entry_id=3),
        entry("2026-03-07", 0),  # level 0 never starts an episode
    ])
    assert found == [Episode(start=D("2026-03-01"), end=D("2026-03-02"), max_level=6, location="lower back",
                             pain_days=2)]


def test_the_first_named_place_wins_a_tie_and_no_place_gives_none() -> None:
    assert episodes([entry("2026-03-01", 2, "hip"), entry("2026-03-02", 2, "knee")])[0].location == "hip"
    assert episodes([entry("2026-03-01", 2)])[0].location is None
    assert episodes([]) == []


# --- flags before an episode ----------------------------------------------------------------------------------
def test_flags_before_counts_14_days_back_but_not_15_nor_the_first_day() -> None:
    flags = [
        flag("weekly_progression", "2026-03-08"),
        flag("single_run_spike", "2026-02-24"),  # 14 days before 10 March: in
        flag("single_run_spike", "2026-02-23"),  # 15 days before: out
        flag("downhill", "2026-03-10"),  # the start day itself: out
        flag("downhill", "2026-03-09"),  # the day before: in
    ]
    found = flags_before(episode("2026-03-10", "2026-03-14"), flags)
    assert [(f.rule, f.day.isoformat()) for f in found] == [
        ("single_run_spike", "2026-02-24"), ("weekly_progression", "2026-03-08"), ("downhill", "2026-03-09")]
    assert [f.day.isoformat() for f in flags_before(episode("2026-03-10"), flags, days=1)] == ["2026-03-09"]


# --- the runner's own evidence --------------------------------------------------------------------------------
HISTORY = (D("2026-01-01"), D("2026-04-30"))  # 31 + 28 + 31 + 30 = 120 days
EPISODES = [episode("2026-01-05"), episode("2026-03-10", "2026-03-16"), episode("2026-04-25")]
FLAGS = [
    flag("weekly_progression", "2026-03-01"),  # episode 9 days later: followed
    flag("weekly_progression", "2026-03-08"),  # 2 days later: followed
    flag("weekly_progression", "2026-03-08"),  # the same day again: counted once
    flag("weekly_progression", "2026-03-22"),  # next start 25 April, 34 days later: not followed
    flag("weekly_progression", "2026-04-12"),  # 13 days later: followed
    flag("single_run_spike", "2026-02-24"),  # exactly 14 days before 10 March: followed
    flag("single_run_spike", "2026-02-23"),  # 15 days before: not followed
    flag("single_run_spike", "2026-03-10"),  # the start day itself; next start 46 days later: not followed
    flag("monotony", "2025-12-31"),  # before the history: ignored
    flag("monotony", "2026-01-05"),
]


def test_personal_evidence_counts_flag_days_followed_by_an_episode_start() -> None:
    found = personal_evidence(FLAGS, EPISODES, *HISTORY)
    # Days followed by a start within 14 days: 1-4 Jan (4: the history starts on 1 Jan), 24 Feb-9 Mar (14) and
    # 11-24 Apr (14) = 32 of 120 days = 26.7%. The monotony flag of 5 Jan is the start day itself: not followed.
    assert found == [
        RuleEvidence("monotony", 14, n_flag_days=1, n_followed=0, n_days=120, n_days_followed=32, n_episodes=3),
        RuleEvidence("single_run_spike", 14, n_flag_days=3, n_followed=1, n_days=120, n_days_followed=32,
                     n_episodes=3),
        RuleEvidence("weekly_progression", 14, n_flag_days=4, n_followed=3, n_days=120, n_days_followed=32,
                     n_episodes=3),
    ]
    assert found[2].share_followed == 0.75
    assert found[2].base_rate == pytest.approx(32 / 120)
    assert found[2].sentence == ("Pain began within 14 days after 3 of 4 weekly_progression flags (75%), "
                                 "against 27% of all days.")
    assert found[1].sentence == ("Pain began within 14 days after 1 of 3 single_run_spike flags (33%), "
                                 "against 27% of all days.")
    assert found[0].share_followed == 0.0
    assert found[0].sentence == "Too few to tell: monotony flagged on 1 day (at least 3 are needed)."


def test_a_shorter_window_and_no_episodes() -> None:
    # Window of 7 days: 1-4 Jan, 3-9 Mar and 18-24 Apr = 18 of 120 days; of the progression flags only 8 Mar.
    (progression,) = personal_evidence([f for f in FLAGS if f.rule == "weekly_progression"], EPISODES, *HISTORY,
                                       window_days=7)
    assert (progression.n_followed, progression.n_flag_days, progression.n_days_followed) == (1, 4, 18)
    assert progression.sentence == ("Pain began within 7 days after 1 of 4 weekly_progression flags (25%), "
                                    "against 15% of all days.")
    (spike,) = personal_evidence([flag("single_run_spike", "2026-05-01")], EPISODES, *HISTORY)
    assert (spike.n_flag_days, spike.share_followed) == (0, None)
    assert spike.sentence == "Too few to tell: single_run_spike flagged on 0 days (at least 3 are needed)."
    (alone,) = personal_evidence(FLAGS[:1], [], *HISTORY)
    assert (alone.base_rate, alone.enough) == (0.0, False)
    assert alone.sentence == ("Too few episodes to tell: 0 pain episodes recorded (at least 3 are needed to compare "
                              "them with your flags).")


def test_a_base_rate_under_1_percent_is_said_as_it_is_not_as_0() -> None:
    # Three one-day episodes in 3 years (1,096 days) of history; with a window of 1 day only the 3 days before a
    # start are followed: 3 / 1,096 = 0.27%, which "0%" would hide. Of the 7 acwr flag days only 31 May 2023 is.
    history = (D("2023-01-01"), D("2025-12-31"))
    starts = ["2023-06-01", "2024-06-01", "2025-06-01"]
    flags = [flag("acwr", "2023-05-31")] + [flag("acwr", f"2024-0{m}-01") for m in range(1, 7)]
    (item,) = personal_evidence(flags, [episode(s) for s in starts], *history, window_days=1)
    assert (item.n_days, item.n_days_followed, item.n_followed, item.n_flag_days) == (1096, 3, 1, 7)
    assert item.sentence == "Pain began within 1 day after 1 of 7 acwr flags (14%), against 0.3% of all days."


def test_personal_evidence_rejects_a_reversed_history() -> None:
    with pytest.raises(ValueError, match=r"history ends \(2026-01-01\) before it starts \(2026-02-01\)"):
        personal_evidence([], [], D("2026-02-01"), D("2026-01-01"))


def test_see_a_professional_keeps_the_evidence_md_signs() -> None:
    assert len(SEE_A_PROFESSIONAL) == 7
    assert "back pain lasting longer than 8 weeks" in SEE_A_PROFESSIONAL
    assert "bladder or bowel changes: seek medical care promptly" in SEE_A_PROFESSIONAL
    assert SEE_A_PROFESSIONAL[-1] == "severe or constant pain"


# --- CSV ------------------------------------------------------------------------------------------------------
def write(tmp_path: Path, text: str, name: str = "pain.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_read_pain_csv_with_optional_columns_quotes_and_blank_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "\ufeffDate, Level ,where,note\n2026-03-01,3,lower back,\"stiff, after hills\"\n"
                           "\n2026-03-02, 0 ,,\n2026-03-03,2\n\n")
    assert read_pain_csv(path) == [
        PainRow(D("2026-03-01"), 3, "lower back", "stiff, after hills"),
        PainRow(D("2026-03-02"), 0, None, None),
        PainRow(D("2026-03-03"), 2, None, None),
    ]
    assert read_pain_csv(write(tmp_path, "level,date\n4,2026-03-05\n", "b.csv")) == [
        PainRow(D("2026-03-05"), 4, None, None)]


@pytest.mark.parametrize(("text", "reason"), [
    ("date,level\n2026-03-01,1\n2026-03-02,2\n2026-03-03,12\n", "line 4: level must be 0-10, got 12"),
    ("date,level\n2026-03-01,-1\n", "line 2: level must be 0-10, got -1"),
    ("date,level\n2026-03-01,mild\n", "line 2: level must be a whole number 0-10, got 'mild'"),
    ("date,level\n2026-03-01,2.5\n", "line 2: level must be a whole number 0-10, got '2.5'"),
    ("date,level\n2026-03-01,\n", "line 2: level must be a whole number 0-10, got ''"),
    ("date,level\n2026-03-01,1\n03/02/2026,1\n", "line 3: date must be YYYY-MM-DD, got '03/02/2026'"),
    ("date,level\n2026-02-30,1\n", "line 2: date must be YYYY-MM-DD, got '2026-02-30'"),
    ("date,level,where,note\n2026-03-01,1,back,ok,extra\n", "line 2: 5 fields, but the header names 4"),
    ("date,level,where,note\n2026-03-01,1,back,\"two\nlines\"\n2026-03-02,11\n", "line 4: level must be 0-10, got 11"),
    ("day,level\n2026-03-01,1\n",
     "line 1: the header must be date,level,where,note (where and note optional), got day,level"),
    ("date,where\n2026-03-01,back\n",
     "line 1: the header must be date,level,where,note (where and note optional), got date,where"),
    ("", "line 1: the header must be date,level,where,note (where and note optional), got nothing"),
])
def test_a_bad_csv_names_its_line(tmp_path: Path, text: str, reason: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        read_pain_csv(path)
    assert (caught.value.source, caught.value.reason) == (str(path), reason)
    assert str(caught.value) == f"{path}: {reason}"


def test_a_missing_or_binary_csv_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as missing:
        read_pain_csv(tmp_path / "nope.csv")
    assert str(missing.value) == f"{tmp_path / 'nope.csv'}: no such file"
    (tmp_path / "bin.csv").write_bytes(b"date,level\n2026-03-01,\xff\n")
    with pytest.raises(InputError) as binary:
        read_pain_csv(tmp_path / "bin.csv")
    assert str(binary.value) == f"{tmp_path / 'bin.csv'}: not UTF-8 text at byte 22"


# --- the store ------------------------------------------------------------------------------------------------
def test_the_store_keeps_pain_entries_in_day_order(fresh_store: Store) -> None:
    assert fresh_store.add_pain(D("2026-03-05"), 4, "lower back", "after hills") == 1
    assert fresh_store.add_pain(D("2026-03-01"), 0, None, None) == 2
    assert fresh_store.pain_entries() == [PainEntry(2, D("2026-03-01"), 0), PainEntry(1, D("2026-03-05"), 4,
                                                                                      "lower back", "after hills")]


def test_the_store_refuses_a_level_above_10_and_stores_nothing_of_that_batch(fresh_store: Store) -> None:
    with pytest.raises(StoreError, match="CHECK constraint failed"):
        fresh_store.add_pain(D("2026-03-01"), 11, None, None)
    with pytest.raises(StoreError):
        fresh_store.add_pain_entries([(D("2026-03-01"), 3, None, None), (D("2026-03-02"), -1, None, None)])
    assert fresh_store.pain_entries() == []


def test_import_skips_rows_already_recorded_and_stores_nothing_from_a_bad_file(fresh_store: Store,
                                                                               tmp_path: Path) -> None:
    good = write(tmp_path, "date,level,where\n2026-03-01,3,back\n2026-03-01,3,back\n2026-03-02,2,back\n")
    first = import_pain_csv(fresh_store, good)
    assert (first.added, first.skipped) == (3, 0)
    again = import_pain_csv(fresh_store, good)
    assert (again.added, again.skipped) == (0, 3)
    bad = write(tmp_path, "date,level\n2026-04-01,3\n2026-04-02,12\n", "bad.csv")
    with pytest.raises(InputError, match="line 3: level must be 0-10, got 12"):
        import_pain_csv(fresh_store, bad)
    assert [e.day for e in fresh_store.pain_entries()] == [D("2026-03-01"), D("2026-03-01"), D("2026-03-02")]
