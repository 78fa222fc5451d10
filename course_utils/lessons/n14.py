"""Exercises and questionnaire answers of notebook 14."""
from typing import Any

import numpy as np
import pandas as pd

from ..exercises import AnswerProblem, Exercise, Question, call_learner
from ..graders import expect_int, expect_number, expect_set, expect_text

MAX_BATCH_TEXTS = 32  # the most texts one /classify_batch request may carry (exercise 14.batch_endpoint)
_LATENCY_COLUMNS = ["p50_ms", "p95_ms", "p99_ms", "max_ms"]


class _FakeClassifier:
    """Stands in for serving.Classifier: a label and a score that depend on the text, and a log of its calls."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def predict(self, texts: list[str]) -> list[tuple[str, float]]:
        self.calls.append(list(texts))
        return [("positive" if "love" in text else "negative", round(0.5 + len(text) / 1000, 4)) for text in texts]


def _post(client: Any, body: Any) -> Any:
    """POST ``body`` to /classify_batch; an error raised inside the learner's endpoint becomes the grader's answer."""
    try:
        return client.post("/classify_batch", json=body)
    except Exception as error:  # noqa: BLE001 - the learner's endpoint failed: say how, in one line
        raise AnswerProblem(f"your endpoint raised {type(error).__name__}: {error}") from None


def _grade_batch_endpoint(answer: Any, **_: Any) -> str:
    """Add the learner's route to a fresh app whose classifier is fake, and call it in-process (no server, no port)."""
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    app = FastAPI()
    app.state.classifier = classifier = _FakeClassifier()
    call_learner(answer, app)
    client = TestClient(app)
    texts = ["I love this airline", "  my bag is lost  ", "the flight leaves at 9"]
    response = _post(client, {"texts": texts})
    if response.status_code == 404:
        return "POST /classify_batch answers 404. Hint: inside the function, decorate an endpoint with @app.post(\"/classify_batch\")"
    if response.status_code != 200:
        return f"a valid body of 3 texts got {response.status_code}: {response.text[:120]}"
    if len(classifier.calls) != 1:
        return (f"one request of 3 texts called predict {len(classifier.calls)} times. Hint: one forward pass for the "
                f"whole batch: app.state.classifier.predict(texts)")
    expected = {"results": [{"label": label, "score": score}
                            for label, score in _FakeClassifier().predict(classifier.calls[0])]}
    if response.json() != expected:
        return (f"for texts {texts} the answer was {response.json()}, expected {expected}. Hint: one "
                f"{{'label', 'score'}} per text, in the texts' order, under the key 'results'")
    bad_bodies = {
        "no texts": {"texts": []},
        f"{MAX_BATCH_TEXTS + 1} texts": {"texts": ["ok"] * (MAX_BATCH_TEXTS + 1)},
        "an empty text": {"texts": ["fine", ""]},
        "a text of spaces": {"texts": ["fine", "   "]},
        "a text of 1,001 characters": {"texts": ["x" * 1001]},
        "a number instead of a text": {"texts": ["fine", 42]},
        "one string instead of a list": {"texts": "fine"},
        "an unknown field": {"texts": ["fine"], "language": "en"},
    }
    for name, body in bad_bodies.items():
        status = _post(client, body).status_code
        if status != 422:
            return (f"a body with {name} got {status}, expected 422. Hint: texts: list[serving.Text] with "
                    f"Field(min_length=1, max_length={MAX_BATCH_TEXTS}) in a strict model with extra=\"forbid\"")
    if len(classifier.calls) != 1:
        return "predict ran for an invalid body. Hint: let pydantic validate the body before the model runs"
    full = _post(client, {"texts": ["ok"] * MAX_BATCH_TEXTS})
    if full.status_code != 200:
        return f"a body of {MAX_BATCH_TEXTS} texts got {full.status_code}, expected 200: {MAX_BATCH_TEXTS} is allowed"
    return ""


def _hidden_runs() -> dict[str, list[float]]:
    """Latencies in seconds the learner does not see: two runs of different lengths, each with a slow tail."""
    rng = np.random.default_rng(14)
    return {
        "batched": list(np.concatenate([rng.uniform(0.05, 0.09, 45), [0.4, 0.65]])),
        "unbatched": list(np.concatenate([rng.uniform(0.2, 0.3, 57), [1.1, 1.3, 2.0]])),
    }


def _grade_latency_table(answer: Any, **_: Any) -> str:
    """Run the learner's function on hidden latencies and compare every cell with NumPy's percentiles."""
    runs = _hidden_runs()
    table = call_learner(answer, runs)
    if not isinstance(table, pd.DataFrame):
        raise AnswerProblem(f"expected a pandas DataFrame, got {type(table).__name__}")
    if list(table.index) != list(runs):
        return f"rows {list(table.index)}, expected {list(runs)}. Hint: one row per run, the run's name as the index"
    missing = [column for column in _LATENCY_COLUMNS if column not in table.columns]
    if missing:
        return f"no column {missing[0]!r} (columns: {list(table.columns)}). Hint: columns {_LATENCY_COLUMNS}"
    for run, seconds in runs.items():
        milliseconds = 1000 * np.array(seconds)
        expected = dict(zip(_LATENCY_COLUMNS, [*np.percentile(milliseconds, [50, 95, 99]), milliseconds.max()]))
        for column, wanted in expected.items():
            given = float(table.loc[run, column])
            if abs(given - wanted) <= 1e-6 * wanted:
                continue
            if abs(1000 * given - wanted) <= 1e-6 * wanted:
                return f"{run} {column} = {given:.4f}: that is seconds. Hint: the latencies are in seconds; multiply by 1000"
            return (f"{run} {column} = {given:.3f}, expected {wanted:.3f}. Hint: np.percentile with its default "
                    f"(linear) method, on the latencies in ms")
    return ""


EXERCISES = [
    Exercise(
        name='14.onnx_inputs',
        kind='compute',
        question=(
            "The names of the inputs of the exported ONNX classifier, as a set (ask the "
            "InferenceSession)."
        ),
        grade=expect_set(
            {"input_ids", "attention_mask"},
            "session.get_inputs() lists them; we exported with input_ids and attention_mask only",
        ),
        solution="""\
answer = {model_input.name for model_input in session.get_inputs()}
check("14.onnx_inputs", answer)
""",
        explanation=(
            "The export passed only these two keyword arguments, so `token_type_ids` is not an input: "
            "BERT then uses its default, all zeros, which is what the tokenizer gives for a single "
            "text. Feeding `session.run` a dict with an extra `token_type_ids` entry fails with an "
            "*invalid input name* error."
        ),
    ),
    Exercise(
        name='14.validation_error_type',
        kind='compute',
        question=(
            "The pydantic error type that serving.ClassifyRequest gives a text of 1,001 characters."
        ),
        grade=expect_text("string_too_long", "catch pydantic.ValidationError and read error.errors()[0]['type']"),
        solution="""\
try:
    serving.ClassifyRequest.model_validate({"text": "x" * 1001})
except pydantic.ValidationError as error:
    answer = error.errors()[0]["type"]
check("14.validation_error_type", answer)
""",
        explanation=(
            "`StringConstraints(max_length=MAX_TEXT_CHARS)` is checked by pydantic before the endpoint "
            "runs; FastAPI turns the error into a 422 whose `msg` says 'String should have at most 1000 "
            "characters'."
        ),
    ),
    Exercise(
        name='14.forward_passes',
        kind='compute',
        question=(
            "The fewest forward passes a micro-batcher with batch_size=16 needs for 200 requests that "
            "arrive together."
        ),
        grade=expect_int(13, "each pass takes at most 16 requests; the last pass takes what is left"),
        solution="""\
import math

requests, batch_size = 200, 16
answer = math.ceil(requests / batch_size)
check("14.forward_passes", answer)
""",
        explanation=(
            "Twelve full batches answer 192 requests and a thirteenth answers the last 8. `200 // 16 = "
            "12` forgets them: round up, not down. Without batching it would be 200 passes."
        ),
    ),
    Exercise(
        name='14.p95_latency',
        kind='compute',
        question=(
            "The p95 (numpy.percentile, default linear interpolation) of the 20 latencies in the "
            "notebook, in ms."
        ),
        grade=expect_number(102.75, "np.percentile(latencies_ms, 95); it lies between the two largest values", tolerance=0.01),
        solution="""\
latencies_ms = [12, 15, 11, 14, 13, 95, 12, 16, 13, 14, 12, 15, 13, 11, 250, 14, 13, 12, 15, 14]
print("p50:", np.percentile(latencies_ms, 50))
answer = float(np.percentile(latencies_ms, 95))
check("14.p95_latency", answer)
""",
        explanation=(
            "Sorted, the 95th percentile sits at position 0.95 x 19 = 18.05, between the 19th value (95 "
            "ms) and the 20th (250 ms): 95 + 0.05 x 155 = 102.75 ms. The median is 13.5 ms: two slow "
            "requests of twenty barely move the p50 but dominate the p95, which is why services promise "
            "a p95 or p99."
        ),
    ),
    Exercise(
        name='14.latency_table',
        kind='build',
        question=(
            "Write latency_table(runs): from {run name: latencies in seconds}, a DataFrame with one row "
            "per run (index: the name) and columns p50_ms, p95_ms, p99_ms and max_ms."
        ),
        grade=_grade_latency_table,
        solution="""\
def latency_table(runs: dict[str, list[float]]) -> pd.DataFrame:
    \"\"\"One row per run (index: its name), columns p50_ms, p95_ms, p99_ms, max_ms; latencies in seconds, table in ms.\"\"\"
    rows = {}
    for name, seconds in runs.items():
        milliseconds = 1000 * np.array(seconds)
        p50, p95, p99 = np.percentile(milliseconds, [50, 95, 99])
        rows[name] = {"p50_ms": p50, "p95_ms": p95, "p99_ms": p99, "max_ms": milliseconds.max()}
    return pd.DataFrame.from_dict(rows, orient="index")


check("14.latency_table", latency_table)
""",
        explanation=(
            "`np.percentile` takes several percentiles at once; converting to milliseconds first keeps "
            "every column in one unit. `DataFrame.from_dict(..., orient=\"index\")` makes each run a row, "
            "which is the table section 3 printed for the two load tests. The p99 and the maximum show the "
            "tail that the p50 hides: a few slow requests move them and leave the median alone."
        ),
    ),
    Exercise(
        name='14.batch_endpoint',
        kind='build',
        question=(
            "Write add_batch_endpoint(app): it adds POST /classify_batch, whose body {\"texts\": [...]} holds 1 "
            "to 32 texts valid as serving.Text (strict, no extra fields, else 422), and which answers "
            "{\"results\": [{\"label\", \"score\"}, ...]} from one call of app.state.classifier.predict."
        ),
        grade=_grade_batch_endpoint,
        solution="""\
from fastapi import FastAPI, Request

MAX_BATCH_TEXTS = 32


class BatchClassifyRequest(pydantic.BaseModel):
    \"\"\"The body of POST /classify_batch: 1 to MAX_BATCH_TEXTS texts, each one valid as in /classify.\"\"\"

    model_config = pydantic.ConfigDict(strict=True, extra="forbid")
    texts: list[serving.Text] = pydantic.Field(min_length=1, max_length=MAX_BATCH_TEXTS)


def add_batch_endpoint(app: FastAPI) -> None:
    \"\"\"Add POST /classify_batch: {"texts": [...]} -> {"results": [{"label": ..., "score": ...}, ...]}, one forward pass.\"\"\"

    @app.post("/classify_batch")
    async def classify_batch(body: BatchClassifyRequest, request: Request) -> dict:
        predictions = await asyncio.to_thread(request.app.state.classifier.predict, body.texts)
        return {"results": [{"label": label, "score": score} for label, score in predictions]}


check("14.batch_endpoint", add_batch_endpoint)
""",
        explanation=(
            "The pydantic model does all the validation before the endpoint runs: `serving.Text` strips "
            "and bounds each text, `Field(min_length=1, max_length=32)` bounds the list, and `strict` with "
            "`extra=\"forbid\"` refuses numbers and unknown fields, so bad input is a 422 and never reaches "
            "the model. A client that already holds many texts then needs no micro-batcher: the request "
            "is the batch, one `predict` call in a worker thread (`asyncio.to_thread`) so the event loop "
            "keeps serving."
        ),
    ),
]

QUESTIONS = [
    Question(
        question="Why give the ONNX export dynamic axes, and what happens to a batch of another size without them?",
        answer=(
            "Without dynamic axes the graph is fixed to the shape of the export's example (2 texts of its "
            "padded length), and ONNX Runtime refuses any other batch size or sequence length with an "
            "invalid-dimensions error at `run`. `torch.export.Dim` names the batch and sequence axes as "
            "symbols, so the file exported from a 2-text example runs the 66 x 64 benchmark batch and any other."
        ),
    ),
    Question(
        question="The ONNX logits differ from PyTorch's by 3e-7. Is the export wrong? And at 0.3?",
        answer=(
            "At 3e-7, no: ONNX Runtime fuses operations and adds floats in another order, float32 addition is "
            "not associative, and the notebook measured differences of about a millionth that never change a "
            "label. At 0.3 the export is wrong (a missed input such as a mask, or a shape fixed at export), "
            "and the notebook's `assert max_diff < 1e-3` would stop it."
        ),
    ),
    Question(
        question="Why must input validation happen before the model runs, and why is a 422 better than a 500 for an empty text?",
        answer=(
            "The pydantic request model rejects an empty, over-long, wrongly typed or unknown input before it "
            "costs a tokenizer call and a forward pass, or crashes the model code, and the server goes on "
            "serving. A 422 tells the client that its request is wrong and where (`loc`) and what (`msg`), so "
            "it can fix it; a 500 says the server broke, hides the cause and counts as a server failure."
        ),
    ),
    Question(
        question="What does `max_wait_ms` trade, and when would you set it to 0?",
        answer=(
            "It trades the latency of a request that arrives at a quiet moment, which waits up to "
            "`max_wait_ms` for company, against larger batches and more requests per second under load. Set "
            "it to 0 when requests rarely overlap (one user, a sequential client) and each one's latency "
            "matters most: the course's `MicroBatcher` then runs every request alone, batching off."
        ),
    ),
    Question(
        question="Why is p95 latency a better promise to users than the mean?",
        answer=(
            "The mean blends many fast requests with a few slow ones and describes none of them: in exercise "
            "4, eighteen of twenty requests took at most 16 ms, two took 95 and 250 ms, the mean is 29.2 ms "
            "and the p95 102.75 ms. The p95 is the wait that only 1 request in 20 exceeds, which is what users "
            "notice, and a few slow requests cannot hide in it."
        ),
    ),
    Question(
        question="Your chat model must serve 200 users on one GPU. Your FastAPI server, or vLLM? Why?",
        answer=(
            "vLLM. Our server generates one reply at a time behind a lock, so 200 users would queue; vLLM's "
            "continuous batching decides the batch at every decoding step (finished replies leave, waiting "
            "ones join) and PagedAttention stores the KV cache in small blocks so many more sequences fit on "
            "the GPU, behind an OpenAI-compatible API. Your own server suits classifiers, small models and few users."
        ),
    ),
]
