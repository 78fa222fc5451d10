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


def _expect_set(expected: set[str], hint: str) -> Callable[[Any], str]:
    """A grader for a collection of names whose order does not matter; ``hint`` is shown when wrong."""

    def grade(answer: Any) -> str:
        if isinstance(answer, str) or not hasattr(answer, "__iter__"):
            return f"expected a set (or list) of names, got {type(answer).__name__}"
        given = {str(item).strip() for item in answer}
        if given == expected:
            return ""
        missing, extra = sorted(expected - given), sorted(given - expected)
        return f"missing {missing}, should not be there {extra}. Hint: {hint}"

    return grade


def _expect_int(expected: int, hint: str) -> Callable[[Any], str]:
    """A grader for a whole-number answer; ``hint`` is shown when it is wrong."""

    def grade(answer: Any) -> str:
        if isinstance(answer, bool) or not hasattr(answer, "__index__"):
            return f"expected a whole number, got {type(answer).__name__}"
        return "" if int(answer) == expected else f"{answer!r} is not it. Hint: {hint}"

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
    "01.default_model": Exercise(
        question="The Hub id of the model that pipeline('sentiment-analysis') downloads when no model is given.",
        grade=_expect_text(
            "distilbert/distilbert-base-uncased-finetuned-sst-2-english",
            "check_task('sentiment-analysis') returns the task's entry; its 'default' names the model",
        ),
        solution=(
            "'sentiment-analysis' is an alias of 'text-classification'; the task's entry names its default:\n\n"
            "```python\nfrom transformers.pipelines import check_task\n"
            "task, task_info, _ = check_task('sentiment-analysis')\n"
            "answer = task_info['default']['model'][0]  # (model id, revision)\n```\n\n"
            "An English DistilBERT fine-tuned on movie reviews (SST-2): pin your own model instead."
        ),
    ),
    "01.removed_tasks": Exercise(
        question=(
            "Which of text-classification, summarization, fill-mask, translation, question-answering and "
            "zero-shot-classification are no longer pipeline tasks in transformers 5?"
        ),
        grade=_expect_set(
            {"summarization", "translation", "question-answering"},
            "a removed task is not a key of transformers.pipelines.SUPPORTED_TASKS",
        ),
        solution=(
            "```python\nfrom transformers.pipelines import SUPPORTED_TASKS\n"
            "answer = {name for name in candidates if name not in SUPPORTED_TASKS}\n```\n\n"
            "summarization and translation: use an instruct LLM through `text-generation` or "
            "`AutoModelForSeq2SeqLM` + `generate`; question-answering: `AutoModelForQuestionAnswering` directly."
        ),
    ),
    "01.aggregation_strategy": Exercise(
        question="The aggregation_strategy of the token-classification pipeline that merges B-/I- runs into entities.",
        grade=_expect_text(
            "simple", "it is the simplest of none, simple, first, average and max", case=False
        ),
        solution=(
            "`aggregation_strategy=\"simple\"` merges consecutive tokens of one entity (B-PER, I-PER, ...) "
            "into one entry with `entity_group`, `word`, `start`, `end` and the mean score. "
            "`first`, `average` and `max` also decide how to label a word whose sub-word pieces disagree."
        ),
    ),
    "01.padding_tokens": Exercise(
        question=(
            "Padding positions in one batch of 'Great flight!' (5 tokens) and "
            "'The flight was delayed by two hours.' (10 tokens)."
        ),
        grade=_expect_int(5, "every text is padded to the longest one in the batch"),
        solution=(
            "The batch is padded to the longest text, 10 tokens: the short one gets 10 - 5 = 5 `[PAD]` "
            "tokens (attention mask 0):\n\n```python\n"
            "batch = tokenizer(['Great flight!', 'The flight was delayed by two hours.'], padding=True)\n"
            "answer = sum(mask.count(0) for mask in batch['attention_mask'])\n```"
        ),
    ),
    "02.sampling_rate": Exercise(
        question="The sampling rate (samples per second) that the speech recogniser's feature extractor expects.",
        grade=_expect_int(16000, "read feature_extractor.sampling_rate; Whisper and wav2vec2 both want the same"),
        solution=(
            "```python\nfeature_extractor = AutoFeatureExtractor.from_pretrained(asr_path)\n"
            "answer = feature_extractor.sampling_rate\n```\n\n"
            "16,000 Hz. Audio recorded at another rate (espeak-ng writes 22,050 Hz, CDs are 44,100 Hz) must be "
            "resampled first, or passed as `{\"raw\": array, \"sampling_rate\": rate}` so the pipeline can do it."
        ),
    ),
    "02.box_keys": Exercise(
        question="The keys of the 'box' dictionary in each result of the object-detection pipeline.",
        grade=_expect_set(
            {"xmin", "ymin", "xmax", "ymax"}, "take detections[0]['box'] and list its keys"
        ),
        solution=(
            "```python\nanswer = set(detections[0][\"box\"])\n```\n\n"
            "`xmin`, `ymin`, `xmax`, `ymax`: the corners in pixels of the input image (the image processor's "
            "`post_process_object_detection` scales the model's relative centre/size boxes back)."
        ),
    ),
    "02.clip_logits_shape": Exercise(
        question="The shape of CLIP's logits_per_image for 4 images scored against 10 candidate captions.",
        grade=lambda answer: ""
        if isinstance(answer, (tuple, list)) and tuple(answer) == (4, 10)
        else f"{answer!r} is not it. Hint: one row per image, one column per caption",
        solution=(
            "```python\ninputs = processor(text=captions, images=images[:4], padding=True, return_tensors='pt')\n"
            "answer = tuple(model(**inputs).logits_per_image.shape)  # (4, 10)\n```\n\n"
            "One row per image and one column per caption; `logits_per_text` is its transpose. A softmax "
            "over each row gives the zero-shot pipeline's scores."
        ),
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
