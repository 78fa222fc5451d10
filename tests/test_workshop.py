"""Workshop agendas come from the notebooks' content and their measured run times."""
import json

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
    assert slot["running"] == 2 and slot["exercises"] >= 12  # at least 3 checks, 4 minutes each
    assert slot["total"] == slot["reading"] + slot["code"] + slot["exercises"] + slot["running"] > 10


def test_two_day_agenda_lists_every_notebook_once_in_order_with_breaks(measured):
    text = agenda(2)
    names = [path.stem for path in course_notebooks()]
    rows = [name for line in text.splitlines() for name in names if f"[{name}]" in line]
    assert rows == names
    assert text.count("**Day ") == 2 and "*lunch*" in text.split("**Day 2**")[0]


def test_one_day_agenda_is_the_core_path(measured):
    text = agenda(1)
    assert "**Day 2**" not in text
    shown = [path.name[:2] for path in course_notebooks() if f"[{path.stem}]" in text]
    assert shown == [prefix for prefix in ONE_DAY if any(p.name.startswith(prefix) for p in course_notebooks())]


def test_agenda_without_measured_times_says_how_to_measure(tmp_build):
    with pytest.raises(CourseError, match="pytest notebooks"):
        agenda(2)
