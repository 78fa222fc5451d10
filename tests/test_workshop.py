"""Workshop agendas come from the notebooks' content and their measured run times."""
import json
import re

import pytest

from course_utils.errors import CourseError
from course_utils.paths import course_notebooks
from course_utils.workshop import ONE_DAY, agenda, slot_minutes


@pytest.fixture
def measured(tmp_build):
    tmp_build.mkdir(parents=True, exist_ok=True)
    timings = {path.stem: 90.0 for path in course_notebooks()}
    (tmp_build / "timings.json").write_text(json.dumps(timings))
    return timings


def test_slot_adds_reading_code_exercises_and_the_measured_run(measured):
    path = course_notebooks()[0]
    slot = slot_minutes(path, 90.0)
    assert slot["running"] == 2 and slot["exercises"] >= 12  # two write-code exercises alone take 20 minutes
    assert slot["total"] == slot["reading"] + slot["code"] + slot["exercises"] + slot["running"] > 10


def test_three_day_agenda_lists_every_notebook_once_in_order_with_breaks(measured):
    text = agenda(3)
    names = [path.stem for path in course_notebooks()]
    rows = [name for line in text.splitlines() for name in names if f"[{name}]" in line]
    assert rows == names
    assert text.count("**Day ") == 3 and "*lunch*" in text.split("**Day 2**")[0]


def test_one_day_agenda_is_the_core_path(measured):
    text = agenda(1)
    assert "**Day 2**" not in text
    shown = [path.name[:2] for path in course_notebooks() if f"[{path.stem}]" in text]
    assert shown == [prefix for prefix in ONE_DAY if any(p.name.startswith(prefix) for p in course_notebooks())]


def test_agenda_without_measured_times_says_how_to_measure(tmp_build):
    with pytest.raises(CourseError, match="pytest notebooks"):
        agenda(3)


def test_workshop_kit_has_both_agendas_and_a_note_for_every_notebook():
    from pathlib import Path

    kit = (Path(__file__).parents[1] / "notebooks" / "README.md").read_text(encoding="utf-8")
    one_day, three_days = kit.split("### One day", 1)[1].split("### Three days", 1)
    three_days, notes = three_days.split("## Instructor's notes", 1)
    for path in course_notebooks():
        assert f"[{path.stem}]({path.name})" in three_days, f"{path.name} missing from the three-day agenda"
        assert re.search(rf"^### \[{path.name[:2]} — .+\]\({path.name}\)$", notes, re.M), f"no note for {path.name}"
    assert "**Day 1**" in one_day and "**Day 2**" not in one_day and "*lunch*" in one_day
    assert all(f"[{p.stem}]" in one_day for p in course_notebooks() if p.name[:2] in ONE_DAY)
    for section in ["python -m course_utils doctor", "python -m course_utils prefetch", "## The five failures"]:
        assert section in kit
