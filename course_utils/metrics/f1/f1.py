"""F1 as an ``evaluate`` metric module that loads offline: ``evaluate.load(<this folder>)``."""
import datasets
import evaluate
from sklearn.metrics import f1_score


class F1(evaluate.Metric):
    """F1 score; ``average="macro"`` weighs every class equally (same interface as the Hub's ``f1``)."""

    def _info(self) -> evaluate.MetricInfo:
        return evaluate.MetricInfo(
            description="F1: the harmonic mean of precision and recall.",
            citation="",
            inputs_description="predictions and references: lists of integer class ids; average: binary, macro, micro or weighted",
            features=datasets.Features(
                {"predictions": datasets.Value("int32"), "references": datasets.Value("int32")}
            ),
        )

    def _compute(self, predictions, references, labels=None, pos_label=1, average="binary", sample_weight=None):
        score = f1_score(references, predictions, labels=labels, pos_label=pos_label, average=average, sample_weight=sample_weight)
        return {"f1": float(score)}
