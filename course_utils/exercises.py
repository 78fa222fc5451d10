"""The exercise engine: ``check()`` grades a learner's answer, ``show_solution()`` and ``show_answers()`` reveal.

The exercises themselves live beside their notebook, one module per notebook in
``course_utils.lessons`` (``n07.py`` for notebook 07, ``capstone.py`` for the capstone). Each holds
``EXERCISES`` (a list of :class:`Exercise`) and ``QUESTIONS`` (the questionnaire with its answers).

An exercise cell is committed unanswered: ``answer = ...`` or a function whose body is ``...``.
``check()`` then prints one neutral line and records nothing. The solution of an exercise is the
whole solved cell; CI runs every notebook with its solutions put in (``conftest.py``), and there a
``check()`` that does not pass fails the run (``COURSE_EXERCISES_MUST_PASS=1``).
"""
import ast
import importlib
import inspect
import json
import os
import textwrap
from dataclasses import dataclass
from functools import cache
from typing import Any, Callable, Literal

from .errors import CourseError, UnknownNameError
from .paths import cache_dir

Kind = Literal["recall", "compute", "build"]
# Minutes a workshop gives one exercise of each kind (read and answer / compute / write code).
MINUTES_BY_KIND: dict[str, int] = {"recall": 2, "compute": 4, "build": 10}
LESSONS = [f"{number:02d}" for number in range(17)] + ["capstone"]
MUST_PASS_VARIABLE = "COURSE_EXERCISES_MUST_PASS"


class AnswerProblem(Exception):
    """Raised inside a grader to say, in one line, what is wrong with the learner's answer."""


@dataclass(frozen=True)
class Exercise:
    """One exercise of a notebook.

    ``grade(answer, **context)`` returns ``""`` when the answer is right, else what is wrong (or raises
    :class:`AnswerProblem`). ``solution`` is the code of the solved cell, ``explanation`` why it works.
    """

    name: str
    kind: Kind
    question: str
    grade: Callable[..., str]
    solution: str
    explanation: str


@dataclass(frozen=True)
class Question:
    """One question of a notebook's questionnaire and the answer the notebook's text supports."""

    question: str
    answer: str


def _lesson_module(lesson: str):
    if lesson not in LESSONS:
        raise UnknownNameError("notebook", lesson, LESSONS)
    return importlib.import_module(f"course_utils.lessons.{'n' + lesson if lesson[0].isdigit() else lesson}")


@cache
def all_exercises() -> dict[str, Exercise]:
    """Every exercise of the course by name (``"07.optimizer_steps"``), in notebook order."""
    return {exercise.name: exercise for lesson in LESSONS for exercise in _lesson_module(lesson).EXERCISES}


def lesson_questions(lesson: str) -> list[Question]:
    """The questionnaire of a notebook (``"07"`` or ``"capstone"``) with its answers."""
    return list(_lesson_module(lesson).QUESTIONS)


def exercise(name: str) -> Exercise:
    """The exercise called ``name``; an unknown name raises an error that lists the valid ones."""
    exercises = all_exercises()
    if name not in exercises:
        raise UnknownNameError("exercise", name, list(exercises))
    return exercises[name]


def load_progress() -> dict[str, bool]:
    """Exercise name -> passed, as ``check()`` stored it in ``progress.json`` of the course cache."""
    path = cache_dir() / "progress.json"
    return json.loads(path.read_text()) if path.is_file() else {}


def _save_pass(name: str) -> None:
    progress = load_progress()
    progress[name] = True
    (cache_dir() / "progress.json").write_text(json.dumps(progress, indent=2, sort_keys=True))


def _is_stub(function: Callable) -> bool:
    """True for a function whose body is only a docstring, ``...``, ``pass`` or ``raise NotImplementedError``."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError):
        return False
    definition = tree.body[0]
    if not isinstance(definition, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    body = [node for node in definition.body
            if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))]
    return all(isinstance(node, ast.Pass) or _raises_not_implemented(node) for node in body)


def _raises_not_implemented(node: ast.stmt) -> bool:
    if not isinstance(node, ast.Raise) or node.exc is None:
        return False
    target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    return isinstance(target, ast.Name) and target.id == "NotImplementedError"


def is_unanswered(answer: Any) -> bool:
    """True for the placeholders an exercise cell is committed with: ``...`` or a stub function."""
    return answer is Ellipsis or (inspect.isfunction(answer) and _is_stub(answer))


def one_line(text: Any) -> str:
    """``text`` (an error, a message) collapsed to one line: what goes under a ❌ however long it is."""
    return " ".join(str(text).split())


def call_learner(function: Callable, *args: Any, **kwargs: Any) -> Any:
    """Call the learner's function; if it raises, the grader reports that in one line."""
    if not callable(function):
        raise AnswerProblem(f"expected a function, got {type(function).__name__}")
    try:
        return function(*args, **kwargs)
    except NotImplementedError:
        raise AnswerProblem("your function still raises NotImplementedError: fill in its body") from None
    except Exception as error:  # noqa: BLE001 - any error of the learner's code is reported, not raised
        raise AnswerProblem(f"your function raised {type(error).__name__}: {one_line(error)}") from None


def _grade(item: Exercise, answer: Any, context: dict[str, Any]) -> str:
    try:
        return item.grade(answer, **context)
    except AnswerProblem as problem:
        return str(problem)
    except Exception as error:  # noqa: BLE001 - a grader must never show the learner a traceback
        return f"could not grade this answer ({type(error).__name__}: {error})"


def check(name: str, answer: Any, **context: Any) -> bool:
    """Grade ``answer`` to exercise ``name`` and print one line: right, what is wrong, or not answered yet.

    ``context`` passes the notebook's objects a grader needs (``tokenizer=tokenizer``). A pass is
    remembered for ``python -m course_utils progress``; an unanswered exercise records nothing.
    Returns whether the answer passed.
    """
    try:
        item = exercise(name)
    except UnknownNameError as error:
        print(f"⚠️ {error}")
        return _must_pass(name, False, str(error))
    if is_unanswered(answer):
        print(f"✏️ {name}: not answered yet — fill in the cell above; "
              f'show_solution("{name}") shows a worked answer')
        return _must_pass(name, False, "not answered")
    problem = _grade(item, answer, context)
    if problem:
        print(f"❌ {name}: {problem}")
        return _must_pass(name, False, problem)
    _save_pass(name)
    print(f"✅ {name}: correct")
    return True


def _must_pass(name: str, passed: bool, problem: str) -> bool:
    """In CI's run of the solved notebooks every check must pass: a failing one stops the notebook."""
    if not passed and os.environ.get(MUST_PASS_VARIABLE) == "1":
        raise CourseError(f"solution of {name} did not pass: {problem}")
    return passed


def _show_markdown(text: str) -> None:
    try:
        from IPython.display import Markdown, display

        display(Markdown(text))
    except ImportError:
        print(text)


def solution_text(name: str) -> str:
    """The worked solution of exercise ``name`` as Markdown: the question, the code, the explanation."""
    item = exercise(name)
    return f"**{name}** ({item.kind}) — {item.question}\n\n```python\n{item.solution.strip()}\n```\n\n{item.explanation}"


def show_solution(name: str) -> None:
    """Show the worked solution of exercise ``name`` (as Markdown in Jupyter, as text elsewhere)."""
    try:
        _show_markdown(solution_text(name))
    except UnknownNameError as error:
        print(f"⚠️ {error}")


def answers_text(lesson: str) -> str:
    """A notebook's questionnaire with the answers, as Markdown."""
    return "\n\n".join(f"**{number}. {item.question}**\n\n{item.answer}"
                       for number, item in enumerate(lesson_questions(lesson), start=1))


def show_answers(lesson: str) -> None:
    """Show the answers to a notebook's questionnaire (``show_answers("07")``)."""
    try:
        _show_markdown(answers_text(lesson))
    except UnknownNameError as error:
        print(f"⚠️ {error}")


def answer_key() -> str:
    """Every exercise's worked solution and every questionnaire's answers, notebook by notebook (Markdown)."""
    exercises = all_exercises()
    parts = ["# Answer key\n\nFor instructors and for checking your own work after trying. "
             "Generated by `python -m course_utils answers`."]
    for lesson in LESSONS:
        parts.append(f"## {'Capstone' if lesson == 'capstone' else 'Notebook ' + lesson}")
        parts += [solution_text(name) for name in exercises if name.split(".")[0] == lesson]
        if lesson_questions(lesson):
            parts += ["### Questionnaire", answers_text(lesson)]
    return "\n\n".join(parts) + "\n"
