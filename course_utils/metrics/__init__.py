"""Metrics that work offline: ``evaluate`` modules from the Hub online, the course's own copies offline."""
import functools
from typing import Any

import numpy as np

from ..errors import UnknownNameError
from ..hub import is_online
from ..paths import PACKAGE_DIR

COURSE_METRICS = ("accuracy", "f1")


@functools.cache
def load_metric(name: str) -> Any:
    """``evaluate.load(name)`` online; offline, the course module of the same name (accuracy, f1)."""
    import evaluate

    if name not in COURSE_METRICS:
        raise UnknownNameError("metric", name, list(COURSE_METRICS))
    if is_online():
        evaluate.utils.logging.disable_progress_bar()  # its download bar would stay frozen in a saved notebook
        return evaluate.load(name)
    return evaluate.load(str(PACKAGE_DIR / "metrics" / name))


def classification_metrics(eval_pred: Any) -> dict[str, float]:
    """``compute_metrics`` for ``Trainer``: accuracy and macro-F1 from ``(logits, labels)``."""
    logits, labels = eval_pred
    predictions = np.argmax(logits, axis=-1)
    accuracy = load_metric("accuracy").compute(predictions=predictions, references=labels)
    f1 = load_metric("f1").compute(predictions=predictions, references=labels, average="macro")
    return {"accuracy": accuracy["accuracy"], "macro_f1": f1["f1"]}
