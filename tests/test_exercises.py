"""Exercises: graded by behaviour, committed unanswered, solutions proven by CI, progress counts only passes."""
import json
import re
from pathlib import Path

import nbformat
import pytest

from course_utils import check, show_answers, show_solution
from course_utils.errors import CourseError
from course_utils.exercises import (
    LESSONS,
    MINUTES_BY_KIND,
    MUST_PASS_VARIABLE,
    all_exercises,
    answer_key,
    is_unanswered,
    lesson_questions,
)
from course_utils.progress import progress_rows
from course_utils.solved import exercise_cells, with_solutions

ROOT = Path(__file__).parents[1]
EXERCISES = all_exercises()


def _notebook_path(lesson: str) -> Path:
    if lesson == "capstone":
        return next((ROOT / "projects").glob("capstone_*.ipynb"))
    return next((ROOT / "notebooks").glob(f"{lesson}_*.ipynb"))


def _questionnaire(path: Path) -> list[str]:
    """The numbered questions under the notebook's **Questionnaire** heading."""
    notebook = nbformat.read(path, as_version=4)
    text = next(cell.source for cell in notebook.cells if "**Questionnaire**" in cell.source)
    return re.findall(r"^\d+\. (.+)$", text.split("**Questionnaire**", 1)[1], re.M)


def test_check_grades_and_remembers_only_a_pass(tmp_progress, capsys):
    check("00.safe_format", "pickle")
    assert "❌" in capsys.readouterr().out
    assert not (tmp_progress / "progress.json").exists(), "a wrong answer must record nothing"
    check("00.safe_format", "safetensors")
    assert "✅" in capsys.readouterr().out
    check("00.safe_format", "pickle")  # a later wrong try does not undo the pass
    assert json.loads((tmp_progress / "progress.json").read_text()) == {"00.safe_format": True}


def test_unanswered_exercise_prints_one_neutral_line_and_records_nothing(tmp_progress, capsys):
    def stub(texts):
        """Return the labels."""
        ...

    assert check("00.safe_format", ...) is False
    assert check("00.safe_format", stub) is False
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all(line.startswith("✏️") and "❌" not in line for line in lines)
    assert 'show_solution("00.safe_format")' in lines[0]
    assert not (tmp_progress / "progress.json").exists()
    assert [row[1] for row in progress_rows()] == [0] * len(LESSONS)


def test_is_unanswered_tells_a_stub_from_a_function_that_works():
    def stub():
        raise NotImplementedError

    def works():
        return 1

    assert is_unanswered(...) and is_unanswered(stub) and not is_unanswered(works) and not is_unanswered(0)


def test_check_explains_a_wrong_type(tmp_progress, capsys):
    check("00.offline_variable", 1)
    assert "expected a string, got int" in capsys.readouterr().out


def test_unknown_exercise_prints_the_valid_names(capsys):
    assert check("00.nope", "x") is False
    out = capsys.readouterr().out
    assert out.startswith("⚠️") and "00.safe_format" in out and len(out.splitlines()) == 1


def test_ci_mode_turns_a_failed_check_into_an_error(tmp_progress, monkeypatch):
    monkeypatch.setenv(MUST_PASS_VARIABLE, "1")
    with pytest.raises(CourseError, match="00.safe_format"):
        check("00.safe_format", ...)
    with pytest.raises(CourseError, match="00.safe_format"):
        check("00.safe_format", "pickle")


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_every_exercise_has_a_runnable_solution_shown_on_request(name, monkeypatch):
    item = EXERCISES[name]
    assert item.kind in MINUTES_BY_KIND and item.question.strip() and item.explanation.strip()
    compile(item.solution, name, "exec")
    assert re.search(rf'^check\("{re.escape(name)}"', item.solution, re.M), "the solution must end in its check()"
    shown = []
    monkeypatch.setattr("IPython.display.display", shown.append)
    show_solution(name)
    assert item.solution.strip() in shown[0].data and name in shown[0].data


@pytest.mark.parametrize("lesson", LESSONS)
def test_notebook_ramps_to_at_least_two_build_exercises(lesson):
    kinds = [item.kind for name, item in EXERCISES.items() if name.split(".")[0] == lesson]
    assert kinds.count("build") >= 2, f"{lesson} has {kinds.count('build')} write-code exercises"
    order = [list(MINUTES_BY_KIND).index(kind) for kind in kinds]
    assert order == sorted(order), f"{lesson}: exercises must ramp recall -> compute -> build, got {kinds}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_exercise_cells_are_committed_unanswered(lesson):
    notebook = nbformat.read(_notebook_path(lesson), as_version=4)
    cells = exercise_cells(notebook)
    names = [name for name in EXERCISES if name.split(".")[0] == lesson]
    assert sorted(cells) == sorted(names), "each exercise needs exactly one cell that checks it"
    for name, index in cells.items():
        cell = notebook.cells[index]
        printed = "".join(output.get("text", "") for output in cell.outputs)
        assert "..." in cell.source and cell.source.strip() != EXERCISES[name].solution.strip()
        assert printed.startswith("✏️") and "✅" not in printed and "❌" not in printed, f"{name} committed answered"


@pytest.mark.parametrize("lesson", LESSONS)
def test_solved_copy_puts_every_solution_in_its_cell(lesson):
    notebook = with_solutions(nbformat.read(_notebook_path(lesson), as_version=4))
    for name, index in exercise_cells(notebook).items():
        assert notebook.cells[index].source == EXERCISES[name].solution.strip()


@pytest.mark.parametrize("lesson", LESSONS)
def test_questionnaire_answers_follow_the_notebook(lesson, monkeypatch):
    questions = lesson_questions(lesson)
    assert [item.question for item in questions] == _questionnaire(_notebook_path(lesson))
    assert all(len(item.answer.split()) >= 8 for item in questions), "answer in a sentence or more"
    shown = []
    monkeypatch.setattr("IPython.display.display", shown.append)
    show_answers(lesson)
    assert questions[0].answer in shown[0].data


def test_answer_key_holds_every_solution_and_answer():
    key = answer_key()
    assert all(f"**{name}**" in key for name in EXERCISES)
    assert all(item.answer in key for lesson in LESSONS for item in lesson_questions(lesson))
