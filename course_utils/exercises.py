"""Exercises: automatic checks that say what is wrong, worked solutions on request, local progress."""
import json
from dataclasses import dataclass
from typing import Any, Callable

from .errors import UnknownNameError
from .paths import cache_dir


@dataclass(frozen=True)
class Exercise:
    """One exercise: ``grade(answer)`` returns ``""`` when right, else what is wrong."""

    question: str
    grade: Callable[[Any], str]
    solution: str


def _expect_text(expected: str, hint: str, *, case: bool = True) -> Callable[[Any], str]:
    """A grader for a string answer; ``hint`` is shown when it is wrong."""

    def grade(answer: Any) -> str:
        if not isinstance(answer, str):
            return f"expected a string, got {type(answer).__name__}"
        given, wanted = answer.strip(), expected
        if not case:
            given, wanted = given.lower(), wanted.lower()
        return "" if given == wanted else f"{answer!r} is not it. Hint: {hint}"

    return grade


EXERCISES: dict[str, Exercise] = {
    "00.cache_folder": Exercise(
        question="Name of the cache folder that holds the Hub repo sentence-transformers/all-MiniLM-L6-v2.",
        grade=_expect_text(
            "models--sentence-transformers--all-MiniLM-L6-v2",
            "the folder is '<type>s--' followed by the repo id with '/' replaced by '--'",
        ),
        solution=(
            "The cache keeps one folder per repo: its type in the plural, then the repo id with "
            "`/` replaced by `--`:\n\n"
            "```python\nanswer = 'models--' + 'sentence-transformers/all-MiniLM-L6-v2'.replace('/', '--')\n```"
        ),
    ),
    "00.offline_variable": Exercise(
        question="The environment variable that makes huggingface_hub and transformers work offline.",
        grade=_expect_text("HF_HUB_OFFLINE", "it starts with HF_HUB_ and you set it to 1"),
        solution="`HF_HUB_OFFLINE=1` (set it before importing transformers): `answer = 'HF_HUB_OFFLINE'`.",
    ),
    "00.model_card_licence": Exercise(
        question="The licence that the encoder's model card declares in its metadata.",
        grade=_expect_text(
            "apache-2.0", "load the card with ModelCard.load(path) and read card.data.license", case=False
        ),
        solution=(
            "```python\nfrom huggingface_hub import ModelCard\n"
            "card = ModelCard.load(Path(encoder_path) / 'README.md')\nanswer = card.data.license\n```"
        ),
    ),
    "00.safe_format": Exercise(
        question="The weight format that cannot run code when it is loaded.",
        grade=_expect_text(
            "safetensors", "pickle-based .bin files can execute code; the other one cannot", case=False
        ),
        solution="`answer = 'safetensors'`: it stores only tensors and a JSON header, no Python objects.",
    ),
}


def _exercise(name: str) -> Exercise:
    if name not in EXERCISES:
        raise UnknownNameError("exercise", name, list(EXERCISES))
    return EXERCISES[name]


def _save_progress(name: str, passed: bool) -> None:
    path = cache_dir() / "progress.json"
    progress = json.loads(path.read_text()) if path.is_file() else {}
    progress[name] = progress.get(name, False) or passed
    path.write_text(json.dumps(progress, indent=2, sort_keys=True))


def check(name: str, answer: Any) -> None:
    """Grade ``answer`` to exercise ``name``, print what is right or wrong, and remember a pass."""
    problem = _exercise(name).grade(answer)
    _save_progress(name, not problem)
    print(f"✅ {name}: correct" if not problem else f"❌ {name}: {problem}")


def show_solution(name: str) -> None:
    """Show the worked solution of exercise ``name`` (as Markdown in Jupyter, as text elsewhere)."""
    exercise = _exercise(name)
    text = f"**{name}** — {exercise.question}\n\n{exercise.solution}"
    try:
        from IPython.display import Markdown, display

        display(Markdown(text))
    except ImportError:
        print(text)
