"""Exercises and questionnaire answers of the capstone."""
import json
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..exercises import AnswerProblem, Exercise, Question, call_learner
from ..graders import expect_int, expect_json_object, expect_number, expect_set, expect_text


def _read_back(path: Path, ids: Sequence[int], label_ids: Sequence[int], label_names: list[str]) -> str:
    """What is wrong with the predictions file at ``path`` for these pairs, or ""."""
    if not path.is_file():
        return "no file at the path you were given. Hint: open(path, 'w') and write one line per pair"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if len(lines) != len(ids):
        return (f"{len(lines)} lines for {len(ids)} predictions. Hint: one line per pair, ending in a newline; "
                f"open with 'w' so that a second call replaces the file instead of adding to it")
    expected = {int(row): label_names[int(label)] for row, label in zip(ids, label_ids)}
    for number, line in enumerate(lines, start=1):
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            return f"line {number} is not JSON: {line[:60]!r}. Hint: json.dumps(one dict) per line"
        if not isinstance(row, dict) or set(row) != {"id", "prediction"}:
            return f"line {number} is {line[:60]!r}. Hint: exactly two keys, 'id' and 'prediction'"
        if isinstance(row["id"], bool) or not isinstance(row["id"], int) or row["id"] not in expected:
            return f"line {number} has id {row['id']!r}, not one of the ids given. Hint: the id as a JSON number"
        if row["prediction"] != expected[row["id"]]:
            return (f"id {row['id']}: prediction {row['prediction']!r}, expected {expected[row['id']]!r}. "
                    f"Hint: the label's name, label_names[label id]")
        del expected[row["id"]]
    return ""


def _grade_prediction_lines(answer: Any, *, label_names: list[str], **_: Any) -> str:
    """Call the learner's writer with hidden ids and label ids (lists, then NumPy arrays) and read the file back."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "predictions.jsonl"
        cases = [([12, 3, 7, 0, 25], [2, 0, 1, 1, 0]), (np.array([40, 1, 2]), np.array([1, 2, 0]))]
        for ids, label_ids in cases:
            try:
                call_learner(answer, path, ids, label_ids)
            except AnswerProblem as problem:
                if isinstance(ids, np.ndarray):
                    raise AnswerProblem(f"with NumPy arrays (what argsort and argmax return) {problem}. "
                                        f"Hint: int(...) each id and label id before json.dumps") from None
                raise
            problem = _read_back(path, ids, label_ids, label_names)
            if problem:
                return f"after writing {len(ids)} predictions: {problem}"
    return ""


def _bootstrap_reference(truth: np.ndarray, predicted: np.ndarray, resamples: int, seed: int) -> np.ndarray:
    """The 2.5th and 97.5th percentiles of macro-F1 over the exercise's resamples (vectorised)."""
    rows = np.random.default_rng(seed).integers(0, len(truth), size=(resamples, len(truth)))
    true, guess = truth[rows], predicted[rows]
    scores = []
    for label in np.union1d(truth, predicted):
        hits = ((true == label) & (guess == label)).sum(axis=1)
        errors = ((true == label) != (guess == label)).sum(axis=1)
        scores.append(np.divide(2 * hits, 2 * hits + errors, out=np.zeros(resamples), where=2 * hits + errors > 0))
    return np.percentile(np.mean(scores, axis=0), [2.5, 97.5])


def _grade_macro_f1_interval(answer: Any, **_: Any) -> str:
    """Compare the learner's bootstrap interval with the reference on hidden labels, then on perfect predictions."""
    rng = np.random.default_rng(11)
    truth = rng.choice(3, size=200, p=[0.43, 0.39, 0.18])
    predicted = np.where(rng.random(200) < 0.7, truth, rng.choice(3, size=200, p=[0.6, 0.3, 0.1]))
    cases = [(truth, predicted, 200, 0, "200 hidden predictions, resamples=200, seed=0"),
             (truth, truth, 20, 3, "every prediction right, resamples=20, seed=3")]
    for labels, guesses, resamples, seed, case in cases:
        result = call_learner(answer, labels, guesses, resamples=resamples, seed=seed)
        if isinstance(result, (str, bytes)) or not hasattr(result, "__len__") or len(result) != 2:
            return f"expected a pair (low, high), got {result!r}"
        low, high = (float(value) for value in result)
        want_low, want_high = _bootstrap_reference(labels, guesses, resamples, seed)
        if abs(low - want_low) > 1e-6 or abs(high - want_high) > 1e-6:
            hint = ("a zero-width interval: draw the rows with replacement" if high - low < 1e-9 else
                    "score each resample with f1_score(..., average='macro'), then np.percentile(scores, [2.5, 97.5])")
            return (f"{case}: ({low:.4f}, {high:.4f}), expected ({want_low:.4f}, {want_high:.4f}). Hint: {hint}; "
                    f"draw every resample at once, np.random.default_rng(seed).integers(0, n, size=(resamples, n))")
    return ""


EXERCISES = [
    Exercise(
        name='capstone.jsonl_line',
        kind='recall',
        question=(
            "The predictions-file line, as a dict, saying that test tweet number 7 is positive."
        ),
        grade=expect_json_object(
            {"id": 7, "prediction": "positive"}, "two keys: 'id' (the row of the test split, a number) and 'prediction'"
        ),
        solution="""\
answer = {"id": 7, "prediction": "positive"}
check("capstone.jsonl_line", answer)
""",
        explanation=(
            "The id is the tweet's row in the course's test split, the prediction the label's name. The "
            "scorer looks the reference up by id, so the order of the lines does not matter, but every "
            "test tweet must have exactly one line."
        ),
    ),
    Exercise(
        name='capstone.exit_code',
        kind='recall',
        question=(
            "The exit code of `python -m course_utils project-score` when the criterion is not met."
        ),
        grade=expect_int(1, "0 means success to a shell or a CI job; anything else is a failure"),
        solution="""\
answer = 1
check("capstone.exit_code", answer)
""",
        explanation=(
            "The command prints the score and exits with 0 when the criterion is met and 1 when it is "
            "not (or when the file is incomplete), so `python -m course_utils project-score "
            "sentiment-analyser predictions.jsonl && echo shipped` or a CI step can gate on it."
        ),
    ),
    Exercise(
        name='capstone.macro_f1',
        kind='compute',
        question=(
            "The macro-F1 of a model with F1 0.80 on negative, 0.70 on neutral and 0.30 on positive."
        ),
        grade=expect_number(0.6, "macro means the plain mean over the classes, whatever their size", tolerance=0.001),
        solution="""\
answer = np.mean([0.80, 0.70, 0.30])
print(f"macro-F1 {answer:.3f}: criterion {'met' if answer >= project.threshold else 'not met'}")
check("capstone.macro_f1", answer)
""",
        explanation=(
            "Every class counts the same, so the weak `positive` class pulls the score down to 0.60: "
            "below this project's criterion of 0.70. A mean weighted by class size (the 'weighted' "
            "average) would hide the weak class behind the large ones: about 0.67 with this corpus's "
            "class shares (42%, 40%, 18%)."
        ),
    ),
    Exercise(
        name='capstone.prediction_lines',
        kind='build',
        question=(
            "A function write_prediction_lines(path, ids, label_ids) that writes the predictions file for any ids "
            "(rows of the test split) and label ids (indexes into label_names), one JSON line per pair."
        ),
        grade=_grade_prediction_lines,
        solution="""\
from collections.abc import Sequence
from pathlib import Path


def write_prediction_lines(path: Path, ids: Sequence[int], label_ids: Sequence[int]) -> None:
    \"\"\"One line {"id": <row of the test split>, "prediction": <label name>} per (id, label id) pair.\"\"\"
    with open(path, "w", encoding="utf-8") as file:
        for row, label in zip(ids, label_ids):
            file.write(json.dumps({"id": int(row), "prediction": label_names[int(label)]}) + "\\n")


shortest_first = OUTPUT_DIR / "minilm_shortest_first.jsonl"
write_prediction_lines(shortest_first, order, prediction.predictions.argmax(-1))  # no putting rows back in order
print(score_predictions(PROJECT, shortest_first))
check("capstone.prediction_lines", write_prediction_lines, label_names=label_names)
""",
        explanation=(
            "`argsort` and `argmax` return NumPy integers, which `json.dumps` refuses: `int(...)` makes them plain "
            "numbers. Opening with `'w'` replaces an old file instead of adding to it. Since the scorer looks each "
            "reference up by id, the predictions made shortest-first score exactly the same without being put back "
            "in order."
        ),
    ),
    Exercise(
        name='capstone.macro_f1_interval',
        kind='build',
        question=(
            "A function macro_f1_interval(truth, predicted, resamples=1000, seed=0) returning the 95% percentile "
            "bootstrap interval (low, high) of macro-F1."
        ),
        grade=_grade_macro_f1_interval,
        solution="""\
from sklearn.metrics import f1_score


def macro_f1_interval(truth: np.ndarray, predicted: np.ndarray,
                      resamples: int = 1000, seed: int = 0) -> tuple[float, float]:
    \"\"\"95% percentile bootstrap interval of macro-F1: score resamples of the examples drawn with replacement.\"\"\"
    truth, predicted = np.asarray(truth), np.asarray(predicted)
    rows = np.random.default_rng(seed).integers(0, len(truth), size=(resamples, len(truth)))
    scores = [f1_score(truth[sample], predicted[sample], average="macro") for sample in rows]
    low, high = np.percentile(scores, [2.5, 97.5])
    return float(low), float(high)


low, high = macro_f1_interval(truth, predicted)
print(f"fine-tuned macro-F1 {model_f1:.3f}, 95% interval [{low:.3f}, {high:.3f}]; "
      f"criterion {project.threshold}, baseline {baseline_f1:.3f}")
check("capstone.macro_f1_interval", macro_f1_interval)
""",
        explanation=(
            "Each resample draws as many test tweets as there are, with replacement, and scores macro-F1 on them; "
            "the spread of those scores shows how much the number would move on another test set of the same size. "
            "When the interval holds the threshold or the baseline's score, a pass or a win of that size is not "
            "established by this test set alone."
        ),
    ),
]

QUESTIONS = [
    Question(
        question="Why does the scorer refuse a predictions file that leaves out some test tweets?",
        answer=(
            "Because a score on a subset is not the project's score: leaving out the hard tweets would raise "
            "macro-F1 without making the model any better, and two files scored on different subsets cannot be "
            "compared. The evaluation set is fixed, the whole test split of 3,720 tweets, so the scorer refuses a "
            "file that misses, repeats or invents an id."
        ),
    ),
    Question(
        question=(
            "The fine-tuned model and a baseline differ by a point or two on one seed. How do you tell a real gain "
            "from noise, and what would you report?"
        ),
        answer=(
            "Put numbers on the noise before wording the result. Resample the test tweets (the paired bootstrap of "
            "section 6) for an interval on the difference, and rerun with other `SEEDS` for the spread over "
            "training seeds. This run's numbers are in the table above the recap: `capstone.gain_over_baseline` "
            "and `capstone.gain_over_full_train_baseline` with their `_low` and `_high` bounds, and "
            "`capstone.seed_macro_f1_min` to `capstone.seed_macro_f1_max`. When the difference's interval holds 0, "
            "or the seed spread is as wide as the difference, report it as inside the noise, not as a gain; report "
            "the score, the seeds, the data used and the intervals, and name the strongest baseline compared (here "
            "TF-IDF + logistic regression on the whole train split, which trains in seconds). To widen a real gain, "
            "try more training tweets (`TRAIN_SAMPLES` up to the whole train split) and more `EPOCHS`, on a GPU if "
            "there is one."
        ),
    ),
    Question(
        question="Why macro-F1 rather than accuracy for this data set?",
        answer=(
            "The classes are unbalanced: positive is only about 18% of the test tweets, negative and neutral about "
            "43% and 39%. Accuracy is dominated by the two large classes, so a model can score well while failing "
            "the positive tweets; macro-F1 is the plain mean of the three per-class F1 scores, so the rare class "
            "counts as much as the others (exercise 3: 0.80, 0.70 and 0.30 give 0.60, below the criterion)."
        ),
    ),
    Question(
        question=(
            "The p95 latency is far above the p50. What could cause it, and why does p95 matter to users more "
            "than the mean?"
        ),
        answer=(
            "Slow requests in the tail: longer tweets (more tokens to run through the model), the first requests "
            "after start-up, and pauses from the machine itself (other processes on a shared CPU, garbage "
            "collection). One request in twenty waits at least the p95, so a user who sends several requests meets "
            "it often; the mean mixes the tail into the typical case and hides how slow the slow requests are."
        ),
    ),
    Question(
        question=(
            "Which other project brief in [`README.md`](README.md) would you take next, and which notebooks does it "
            "build on?"
        ),
        answer=(
            "There is no single right answer; the projects table of README.md lists each brief with its level and "
            "notebooks. The natural next step from this beginner project is the topic classifier (beginner; builds "
            "on 01, 03, 06, 07 and 09, with accuracy ≥ 0.85 on at least 500 of your own held-out texts) or, for "
            "more, extractive question answering (intermediate; 01, 03, 04, 06, 07 and 12)."
        ),
    ),
]
