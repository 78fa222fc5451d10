"""The course's extractive question-answering data and the span extraction a QA model needs.

``course_utils/data_files/qa/passages.jsonl`` (English) and ``passages_zh.jsonl`` (Chinese) hold short encyclopedic
passages written for the course, one JSON object a line: ``title``, ``context`` and ``qas`` (``id``, ``question``,
``answer``, ``answer_start``), where every answer is the exact substring
``context[answer_start:answer_start + len(answer)]``.
"""
import json
import re
import string
from collections import Counter
from typing import Any

import torch
from datasets import Dataset, DatasetDict

from .data import verified_data_file

QA_FILE = "qa/passages.jsonl"
CHINESE_QA_FILE = "qa/passages_zh.jsonl"
VALIDATION_EVERY = 5  # every fifth passage, with all its questions, is held out for validation
MAX_ANSWER_TOKENS = 30


def load_qa_passages() -> DatasetDict:
    """The course QA data as a SQuAD-like ``DatasetDict`` with ``train`` and ``validation`` splits.

    Columns: ``id``, ``title``, ``context``, ``question``, ``answers`` (``{"text": [...],
    "answer_start": [...]}``). The split is by passage, so no validation context is seen in training.
    """
    return _passages(QA_FILE)


def load_chinese_qa_passages() -> DatasetDict:
    """The Chinese QA passages (24 passages, 72 questions), in the same layout and split as :func:`load_qa_passages`."""
    return _passages(CHINESE_QA_FILE)


def _passages(relative_path: str) -> DatasetDict:
    path = verified_data_file(relative_path)
    rows: dict[str, list[dict[str, Any]]] = {"train": [], "validation": []}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        passage = json.loads(line)
        split = "validation" if number % VALIDATION_EVERY == VALIDATION_EVERY - 1 else "train"
        for qa in passage["qas"]:
            rows[split].append(
                {
                    "id": qa["id"],
                    "title": passage["title"],
                    "context": passage["context"],
                    "question": qa["question"],
                    "answers": {"text": [qa["answer"]], "answer_start": [qa["answer_start"]]},
                }
            )
    return DatasetDict({split: Dataset.from_list(split_rows) for split, split_rows in rows.items()})


def answer_question(
    model: Any, tokenizer: Any, question: str, context: str, max_answer_tokens: int = MAX_ANSWER_TOKENS
) -> dict[str, Any]:
    """Extract the best answer span to ``question`` from ``context`` with a question-answering model.

    The model scores every token as a possible start and end; only context tokens count, the end may
    not come before the start, and a span is at most ``max_answer_tokens`` long. ``score`` is the
    probability of the start times that of the end; ``start``/``end`` are character offsets, found
    through the fast tokenizer's offset mapping, so ``answer == context[start:end]``.
    """
    inputs = tokenizer(
        question, context, truncation="only_second", return_offsets_mapping=True, return_tensors="pt"
    )
    offsets = inputs.pop("offset_mapping")[0].tolist()
    in_context = torch.tensor([sequence == 1 for sequence in inputs.sequence_ids(0)])
    with torch.no_grad():
        outputs = model(**inputs)
    start_probs = outputs.start_logits[0].masked_fill(~in_context, -torch.inf).softmax(-1)
    end_probs = outputs.end_logits[0].masked_fill(~in_context, -torch.inf).softmax(-1)
    # scores[i, j]: the span from token i to token j; keep j in [i, i + max_answer_tokens - 1]
    scores = (start_probs[:, None] * end_probs[None, :]).triu().tril(max_answer_tokens - 1)
    start_token, end_token = divmod(int(scores.argmax()), scores.shape[1])
    start, end = offsets[start_token][0], offsets[end_token][1]
    return {"answer": context[start:end], "score": float(scores[start_token, end_token]), "start": start, "end": end}


def normalize_answer(text: str) -> list[str]:
    """SQuAD normalisation: lower case, no punctuation, no articles; the remaining words."""
    text = "".join(char for char in text.lower() if char not in string.punctuation)
    return re.sub(r"\b(a|an|the)\b", " ", text).split()


def squad_scores(predictions: list[str], references: list[str]) -> dict[str, float]:
    """SQuAD-style ``exact_match`` and token ``f1`` (both 0-1) of predicted against reference answers."""
    exact, f1 = 0.0, 0.0
    for prediction, reference in zip(predictions, references, strict=True):
        predicted, expected = normalize_answer(prediction), normalize_answer(reference)
        exact += predicted == expected
        common = sum((Counter(predicted) & Counter(expected)).values())
        if common:
            precision, recall = common / len(predicted), common / len(expected)
            f1 += 2 * precision * recall / (precision + recall)
    return {"exact_match": exact / len(references), "f1": f1 / len(references)}
