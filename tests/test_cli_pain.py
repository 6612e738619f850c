"""``stridewise pain``: exit codes, messages, the list and its JSON, the see-a-professional signs."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.main import get_command

from conftest import cli_runner
from stridewise.cli import app
from stridewise.risk.pain import SEE_A_PROFESSIONAL

runner = cli_runner()

SIGNS = "\n".join(["When to see a professional (stridewise does not diagnose):",
                   *(f"  - {sign}" for sign in SEE_A_PROFESSIONAL)])


@pytest.fixture
def db(tmp_path: Path) -> list[str]:
    return ["--db", str(tmp_path / "s.sqlite3")]


def pain(*args: str) -> list[str]:
    return ["pain", *args]


def test_every_pain_command_has_help_with_an_example() -> None:
    group = get_command(app).commands["pain"]  # type: ignore[attr-defined]
    names = sorted(group.commands)
    assert names == ["add", "import", "list"]
    for name in [None, *names]:
        result = runner.invoke(app, pain(*([name] if name else []), "--help"))
        assert result.exit_code == 0
        assert "Example" in result.stdout, name


def test_add_then_list_shows_entries_episodes_and_the_signs(db: list[str]) -> None:
    result = runner.invoke(app, pain("add", "2026-03-02", "4", "--where", "lower back", "--note", "after hills", *db))
    assert result.exit_code == 0, result.output
    assert result.stdout == "Recorded pain 4/10 (lower back) on 2026-03-02 (entry 1).\n"
    assert runner.invoke(app, pain("add", "2026-03-05", "6", "--where", "lower back", *db)).exit_code == 0
    assert runner.invoke(app, pain("add", "2026-03-20", "0", *db)).stdout == "Recorded pain 0/10 on 2026-03-20 " \
                                                                             "(entry 3).\n"
    result = runner.invoke(app, pain("list", *db))
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Entries:\n"
        "    1  2026-03-02   4/10  lower back       after hills\n"
        "    2  2026-03-05   6/10  lower back\n"
        "    3  2026-03-20   0/10  -\n"
        "\n"
        "Episodes: 1\n"
        "  2026-03-02 to 2026-03-05: 4 days, pain on 2, worst 6/10, lower back\n"
        "\n" + SIGNS + "\n")


def test_today_is_the_local_date(db: list[str]) -> None:
    result = runner.invoke(app, pain("add", "today", "2", *db))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Recorded pain 2/10 on {date.today().isoformat()} (entry 1).\n"


@pytest.mark.parametrize("args", [
    ("2026-03-02", "11"), ("2026-03-02", "-1"), ("2026-03-02", "three"), ("2026-02-30", "3"), ("3/2/2026", "3"),
    ((date.today() + timedelta(days=1)).isoformat(), "3"), ("2026-03-02",),
])
def test_a_bad_date_or_level_is_a_usage_error(db: list[str], args: tuple[str, ...]) -> None:
    result = runner.invoke(app, pain("add", *args, *db))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert runner.invoke(app, pain("list", "--json", *db)).stdout.count('"id"') == 0


def test_only_pain_free_days_give_no_episode_and_no_signs(db: list[str]) -> None:
    runner.invoke(app, pain("add", "2026-03-02", "0", *db))
    result = runner.invoke(app, pain("list", *db))
    assert result.stdout == ("Entries:\n    1  2026-03-02   0/10  -\n\nEpisodes: 0 (no day with pain above 0)\n")


def test_an_empty_journal_says_how_to_start(db: list[str]) -> None:
    result = runner.invoke(app, pain("list", *db))
    assert result.exit_code == 0
    assert result.stdout == "No pain recorded. Record some with: stridewise pain add today 3 --where \"lower back\"\n"


def test_import_reports_added_and_skipped_rows(db: list[str], tmp_path: Path) -> None:
    csv_path = tmp_path / "pain.csv"
    csv_path.write_text("date,level,where,note\n2026-03-01,3,lower back,\n2026-03-03,5,lower back,long run\n"
                        "2026-03-12,2,calf,\n", encoding="utf-8")
    result = runner.invoke(app, pain("import", str(csv_path), *db))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Imported 3 pain entries from {csv_path}.\n"
    result = runner.invoke(app, pain("import", str(csv_path), *db))
    assert result.stdout == f"Imported 0 pain entries from {csv_path} (3 already recorded, skipped).\n"
    document = json.loads(runner.invoke(app, pain("list", "--json", *db)).stdout)
    assert document["entries"][1] == {"id": 2, "date": "2026-03-03", "level": 5, "location": "lower back",
                                      "note": "long run"}
    assert document["episodes"] == [
        {"start": "2026-03-01", "end": "2026-03-03", "days": 3, "pain_days": 2, "max_level": 5,
         "location": "lower back"},
        {"start": "2026-03-12", "end": "2026-03-12", "days": 1, "pain_days": 1, "max_level": 2, "location": "calf"},
    ]
    assert document["see_a_professional"] == list(SEE_A_PROFESSIONAL)


def test_a_bad_csv_row_exits_1_naming_the_line_and_stores_nothing(db: list[str], tmp_path: Path) -> None:
    csv_path = tmp_path / "pain.csv"
    csv_path.write_text("date,level\n2026-03-01,1\n2026-03-02,2\n2026-03-03,12\n", encoding="utf-8")
    result = runner.invoke(app, pain("import", str(csv_path), *db))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {csv_path}: line 4: level must be 0-10, got 12\n"
    assert result.stdout == ""
    assert json.loads(runner.invoke(app, pain("list", "--json", *db)).stdout) == {
        "entries": [], "episodes": [], "see_a_professional": []}


def test_a_missing_csv_or_an_unusable_store_exits_1(db: list[str], tmp_path: Path) -> None:
    result = runner.invoke(app, pain("import", str(tmp_path / "nope.csv"), *db))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'nope.csv'}: no such file\n"
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = runner.invoke(app, pain("list", "--db", str(blocker / "s.sqlite3")))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: store {blocker / 's.sqlite3'}: cannot open")
