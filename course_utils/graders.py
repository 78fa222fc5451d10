"""Graders for exercises that ask for one value: each returns ``grade(answer, **context) -> str``.

``""`` means right; any other string says what is wrong and ends with the hint. Exercises that ask
the learner to write code have their own graders beside them in ``course_utils.lessons``.
"""
import json
from typing import Any, Callable

Grader = Callable[..., str]


def expect_text(expected: str, hint: str, *, case: bool = True) -> Grader:
    """A grader for a string answer; ``hint`` is shown when it is wrong."""

    def grade(answer: Any, **_: Any) -> str:
        if not isinstance(answer, str):
            return f"expected a string, got {type(answer).__name__}"
        given, wanted = answer.strip(), expected
        if not case:
            given, wanted = given.lower(), wanted.lower()
        return "" if given == wanted else f"{answer!r} is not it. Hint: {hint}"

    return grade


def expect_set(expected: set[str], hint: str) -> Grader:
    """A grader for a collection of names whose order does not matter; ``hint`` is shown when wrong."""

    def grade(answer: Any, **_: Any) -> str:
        if isinstance(answer, str) or not hasattr(answer, "__iter__"):
            return f"expected a set (or list) of names, got {type(answer).__name__}"
        given = {str(item).strip() for item in answer}
        if given == expected:
            return ""
        missing, extra = sorted(expected - given), sorted(given - expected)
        return f"missing {missing}, should not be there {extra}. Hint: {hint}"

    return grade


def expect_int(expected: int, hint: str) -> Grader:
    """A grader for a whole-number answer; ``hint`` is shown when it is wrong."""

    def grade(answer: Any, **_: Any) -> str:
        if isinstance(answer, bool) or not hasattr(answer, "__index__"):
            return f"expected a whole number, got {type(answer).__name__}"
        return "" if int(answer) == expected else f"{answer!r} is not it. Hint: {hint}"

    return grade


def expect_number(expected: float, hint: str, *, tolerance: float = 0.005) -> Grader:
    """A grader for a number within ``tolerance`` of ``expected``; ``hint`` is shown when it is wrong."""

    def grade(answer: Any, **_: Any) -> str:
        if isinstance(answer, bool) or not isinstance(answer, (int, float)) and not hasattr(answer, "__float__"):
            return f"expected a number, got {type(answer).__name__}"
        if abs(float(answer) - expected) <= tolerance:
            return ""
        return f"{float(answer):.4f} is not it. Hint: {hint}"

    return grade


def expect_json_object(expected: dict[str, Any], hint: str) -> Grader:
    """A grader for a dict that must equal ``expected`` once written as JSON; ``hint`` is shown when wrong."""

    def grade(answer: Any, **_: Any) -> str:
        if not isinstance(answer, dict):
            return f"expected a dict, got {type(answer).__name__}"
        return "" if json.loads(json.dumps(answer)) == expected else f"{answer!r} is not it. Hint: {hint}"

    return grade
