"""On sample_logs/: every rule fires somewhere, and the calm block W27-W34 raises nothing above info."""

from __future__ import annotations

from pathlib import Path

import pytest

import stridewise
from conftest import SAMPLE_LOGS, sample_store_copy
from stridewise.api import TrainingLog
from stridewise.risk import RULES, Severity
from stridewise.risk.breaks import find_returns

CALM_WEEKS = [f"2026-W{n}" for n in range(27, 35)]

# (rule, week) pairs the plan in sample_logs/README.md builds in.
EXPECTED = [
    ("weekly_progression", "2026-W35"),
    ("single_run_spike", "2026-W35"),
    ("surface_change", "2026-W37"),
    ("downhill_novelty", "2026-W37"),
    ("downhill_share", "2026-W37"),
    ("downhill_share", "2026-W38"),
    ("single_run_spike", "2026-W39"),
    ("acwr", "2026-W39"),
    ("monotony", "2026-W42"),
    ("worn_shoes", "2026-W43"),
    ("hard_surface", "2026-W43"),
]


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory, sample_store: Path) -> TrainingLog:
    return stridewise.load([SAMPLE_LOGS], db=sample_store_copy(sample_store, tmp_path_factory.mktemp("risk")))


def test_every_rule_fires_at_least_once(log: TrainingLog) -> None:
    # The sample season has no break of 14 days (tests/test_rules_break.py covers that rule on its own).
    assert find_returns(log.activities) == []
    assert {flag.rule for flag in log.flags} == set(RULES) - {"return_after_break"}


@pytest.mark.parametrize(("rule", "week"), EXPECTED, ids=[f"{r}@{w}" for r, w in EXPECTED])
def test_the_planned_events_are_flagged_in_their_week(log: TrainingLog, rule: str, week: str) -> None:
    assert any(flag.rule == rule and flag.week == week for flag in log.flags)


def test_the_w39_ultra_is_a_high_spike(log: TrainingLog) -> None:
    (spike,) = [f for f in log.flags if f.rule == "single_run_spike" and f.week == "2026-W39"]
    assert spike.severity is Severity.HIGH
    assert spike.value == pytest.approx(34 / 16, rel=0.01)


def test_the_calm_block_raises_nothing_above_info(log: TrainingLog) -> None:
    calm = [f for f in log.flags if f.week in CALM_WEEKS]
    assert [(f.rule, f.week, f.severity.value) for f in calm if f.severity is not Severity.INFO] == []
    # What it does raise is the Pegasus nearing and passing its 500 km notice (it started at 350 km).
    assert {f.rule for f in calm} == {"worn_shoes"}


def test_the_pegasus_passes_800_km_in_w43(log: TrainingLog) -> None:
    replace = [f for f in log.flags if f.rule == "worn_shoes" and f.severity is Severity.ELEVATED]
    assert replace[0].week == "2026-W43" and replace[0].shoe == "Pegasus 40"


def test_docs_rules_md_is_the_registry(tmp_path: Path) -> None:
    from stridewise.risk.render import rules_markdown

    docs = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
    assert docs.read_text() == rules_markdown(), "regenerate with: stridewise rules --markdown > docs/rules.md"
