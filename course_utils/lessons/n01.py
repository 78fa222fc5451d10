"""Exercises and questionnaire answers of notebook 01."""
from typing import Any

import numpy as np
import torch

from ..exercises import AnswerProblem, Exercise, Question, call_learner
from ..graders import expect_int, expect_set, expect_text

# Texts the learner does not see: different lengths, so one batch of them needs padding. The course's
# stand-in labels each of them with a clear margin, so padding noise cannot flip a label.
_HIDDEN_TWEETS = [
    "Worst airline ever, they cancelled my flight and kept my money.",
    "Going to the store later.",
    "Thank you so much, the staff were amazing and so kind :)",
    "Lost my luggage again, third time this year. Never flying with them again!!",
    "I love this airline, best service ever!",
]
_HIDDEN_SENTENCES = [
    "Delayed again.",
    "The crew found my lost bag and brought it to the hotel on the same evening.",
    "Nice view from seat 12A!",
]


def _grade_labels_by_hand(answer: Any, *, classifier: Any, **_: Any) -> str:
    """Compare the learner's labels for a hidden batch with the pipeline's, text by text."""
    labels = call_learner(answer, list(_HIDDEN_TWEETS))
    if not isinstance(labels, (list, tuple)):
        raise AnswerProblem(f"expected a list of labels, got {type(labels).__name__}")
    if len(labels) != len(_HIDDEN_TWEETS):
        return (f"{len(labels)} labels for {len(_HIDDEN_TWEETS)} texts. Hint: one label per text: "
                f"argmax over the last axis of logits, which has shape (texts, labels)")
    expected = [result["label"] for result in classifier(list(_HIDDEN_TWEETS))]
    for text, given, wanted in zip(_HIDDEN_TWEETS, labels, expected):
        if not isinstance(given, str):
            return (f"for {text!r} you returned {given!r} ({type(given).__name__}), not a label name. "
                    f"Hint: model.config.id2label turns a class id into its name")
        if given != wanted:
            return f"for {text!r} you say {given!r}, the pipeline says {wanted!r}. Hint: argmax of the logits, then id2label"
    return ""


def _grade_batch_embeddings(answer: Any, *, extractor: Any, **_: Any) -> str:
    """Compare each row of the learner's batched embeddings with the mean of that sentence's token vectors alone."""
    result = call_learner(answer, list(_HIDDEN_SENTENCES))
    try:
        embeddings = result.detach().float().cpu() if isinstance(result, torch.Tensor) else torch.from_numpy(
            np.asarray(result, dtype=np.float32))
    except (TypeError, ValueError):
        raise AnswerProblem(f"expected a tensor (or array) of embeddings, got {type(result).__name__}") from None
    hidden_size = extractor.model.config.hidden_size
    if tuple(embeddings.shape) != (len(_HIDDEN_SENTENCES), hidden_size):
        return (f"shape {tuple(embeddings.shape)}, expected ({len(_HIDDEN_SENTENCES)}, {hidden_size}): one vector "
                f"per sentence. Hint: pool over the token axis (dim=1) of the last hidden state")
    for row, sentence in enumerate(_HIDDEN_SENTENCES):
        alone = extractor(sentence, return_tensors=True)[0].mean(0)
        if torch.allclose(embeddings[row], alone, atol=1e-3):
            continue
        if torch.allclose(embeddings[row], torch.nn.functional.normalize(alone, dim=-1), atol=1e-3):
            return "your vectors are normalised. Hint: return the plain mean; the caller normalises if it wants to"
        difference = (embeddings[row] - alone).abs().max().item()
        return (f"row {row} ({sentence!r}) differs from the mean of its token vectors by up to {difference:.3f}. "
                f"Hint: average over the real tokens only: weight by the attention mask and divide by its sum")
    return ""


EXERCISES = [
    Exercise(
        name='01.aggregation_strategy',
        kind='recall',
        question=(
            "The aggregation_strategy of the token-classification pipeline that merges B-/I- runs into "
            "entities."
        ),
        grade=expect_text(
            "simple", "it is the simplest of none, simple, first, average and max", case=False
        ),
        solution="""\
answer = "simple"
check("01.aggregation_strategy", answer)
""",
        explanation=(
            "`aggregation_strategy=\"simple\"` merges consecutive tokens of one entity (B-PER, I-PER, "
            "...) into one entry with `entity_group`, `word`, `start`, `end` and the mean score. "
            "`first`, `average` and `max` also decide how to label a word whose sub-word pieces "
            "disagree."
        ),
    ),
    Exercise(
        name='01.default_model',
        kind='compute',
        question=(
            "The Hub id of the model that pipeline('sentiment-analysis') downloads when no model is "
            "given."
        ),
        grade=expect_text(
            "distilbert/distilbert-base-uncased-finetuned-sst-2-english",
            "check_task('sentiment-analysis') returns the task's entry; its 'default' names the model",
        ),
        solution="""\
task, task_info, _ = check_task("sentiment-analysis")
answer = task_info["default"]["model"][0]
check("01.default_model", answer)
""",
        explanation=(
            "'sentiment-analysis' is an alias of 'text-classification', so it is not a key of "
            "`SUPPORTED_TASKS`; `check_task` resolves the alias and returns the task's entry, whose "
            "`default` names the model and its revision. It is an English DistilBERT fine-tuned on movie "
            "reviews (SST-2): pin your own model instead."
        ),
    ),
    Exercise(
        name='01.removed_tasks',
        kind='compute',
        question=(
            "Which of text-classification, summarization, fill-mask, translation, question-answering "
            "and zero-shot-classification are no longer pipeline tasks in transformers 5?"
        ),
        grade=expect_set(
            {"summarization", "translation", "question-answering"},
            "a removed task is not a key of transformers.pipelines.SUPPORTED_TASKS",
        ),
        solution="""\
candidates = ["text-classification", "summarization", "fill-mask", "translation", "question-answering", "zero-shot-classification"]
answer = {name for name in candidates if name not in SUPPORTED_TASKS}
check("01.removed_tasks", answer)
""",
        explanation=(
            "summarization and translation: use an instruct LLM through `text-generation` or "
            "`AutoModelForSeq2SeqLM` + `generate`; question-answering: `AutoModelForQuestionAnswering` "
            "directly."
        ),
    ),
    Exercise(
        name='01.padding_tokens',
        kind='compute',
        question=(
            "Padding positions in one batch of 'Great flight!' (5 tokens) and 'The flight was delayed "
            "by two hours.' (10 tokens)."
        ),
        grade=expect_int(5, "every text is padded to the longest one in the batch"),
        solution="""\
batch = extractor.tokenizer(["Great flight!", "The flight was delayed by two hours."], padding=True)
answer = sum(mask.count(0) for mask in batch["attention_mask"])
check("01.padding_tokens", answer)
""",
        explanation=(
            "The batch is padded to the longest text, 10 tokens: the short one gets 10 - 5 = 5 `[PAD]` "
            "tokens, which the attention mask marks with 0."
        ),
    ),
    Exercise(
        name='01.labels_by_hand',
        kind='build',
        question=(
            "Write labels_by_hand(texts): the sentiment label of each text, computed with `tokenizer` and "
            "`model` (section 1) in one padded batch, without a pipeline. Graded against the pipeline on "
            "texts you do not see."
        ),
        grade=_grade_labels_by_hand,
        solution="""\
def labels_by_hand(texts: list[str]) -> list[str]:
    \"\"\"The sentiment label of each text, from `tokenizer` and `model` (section 1) in one padded batch: no pipeline.\"\"\"
    batch = tokenizer(texts, padding=True, truncation=True, return_tensors="pt").to(model.device)
    with torch.no_grad():
        logits = model(**batch).logits  # (texts, labels)
    return [model.config.id2label[i] for i in logits.argmax(dim=-1).tolist()]


check("01.labels_by_hand", labels_by_hand, classifier=classifier)
""",
        explanation=(
            "These are the pipeline's three steps done by hand: the tokenizer pads the texts to one "
            "tensor (the attention mask keeps the padding out of the result), the model gives one row of "
            "logits per text, and the argmax of each row, named by `id2label`, is the label the pipeline's "
            "softmax would pick. `.to(model.device)` keeps it working when the model is on a GPU."
        ),
    ),
    Exercise(
        name='01.batch_embeddings',
        kind='build',
        question=(
            "Write batch_embeddings(sentences): one mean-pooled embedding per sentence from a single "
            "padded batch through extractor.tokenizer and extractor.model, averaging over the real "
            "tokens only (not normalised)."
        ),
        grade=_grade_batch_embeddings,
        solution="""\
def batch_embeddings(sentences: list[str]) -> torch.Tensor:
    \"\"\"(sentences, hidden size): each sentence's token vectors averaged over its real tokens, all in one batch.\"\"\"
    batch = extractor.tokenizer(sentences, padding=True, return_tensors="pt").to(extractor.model.device)
    with torch.no_grad():
        hidden = extractor.model(**batch).last_hidden_state  # (sentences, tokens, hidden size)
    mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)  # 1 for a real token, 0 for padding
    return ((hidden * mask).sum(dim=1) / mask.sum(dim=1)).cpu()


check("01.batch_embeddings", batch_embeddings, extractor=extractor)
""",
        explanation=(
            "A plain `.mean(dim=1)` would average the padding positions too and move every sentence "
            "shorter than the longest one. Multiplying by the attention mask zeroes them, and dividing "
            "by the mask's sum counts only real tokens, so each row equals the embedding of its sentence "
            "alone, as section 6 computed it one sentence at a time."
        ),
    ),
]

QUESTIONS = [
    Question(
        question='Why is `pipeline("sentiment-analysis")` fine in a demo and a bad idea in code you keep?',
        answer=(
            "With a task only, the pipeline downloads the task's default model (here an English DistilBERT "
            "fine-tuned on movie reviews), which can change between transformers versions, knows only "
            "English, makes transformers warn, and cannot load offline at all. Code you keep should pin "
            "its model: `pipeline(\"text-classification\", model=...)`."
        ),
    ),
    Question(
        question="What does the zero-shot pipeline do with each candidate label, and which model label does it read?",
        answer=(
            "It turns each candidate label into a hypothesis, \"This example is {label}.\", and asks a "
            "natural-language-inference model whether the text (the premise) entails it; the label whose "
            "hypothesis is most entailed wins. It reads the model label whose name starts with `entail` "
            "(`zero_shot.entailment_id`); with `multi_label=True` each label is scored on its own, "
            "entailment against not-entailment, so the scores no longer sum to 1."
        ),
    ),
    Question(
        question='What is the difference between `aggregation_strategy="none"` and `"simple"`?',
        answer=(
            "`\"none\"` returns one entry per token with its own tag (`B-PER`, `I-LOC`, ...). `\"simple\"` "
            "merges consecutive tokens of one entity into a single entry with its `entity_group`, its "
            "character span (`start`, `end`) and the mean score of its tokens."
        ),
    ),
    Question(
        question="Why can a larger batch be *slower* per text on a CPU, and what does sorting by length change?",
        answer=(
            "One text already keeps a CPU's cores fairly busy, and every text of a batch is padded to the "
            "longest one, so short texts pay for the long one: on the 192 benchmark tweets, padding grew "
            "from 27% of the positions at batch 4 to 43% at batch 64, and throughput stopped growing after "
            "a small batch. Sorting by length puts similar tweets together (padding 1% at batch 4, 6% at "
            "batch 16), so larger batches pay again; put the results back in input order afterwards."
        ),
    ),
    Question(
        question="How do you summarise a text in transformers 5 without the `summarization` pipeline?",
        answer=(
            "Give an instruct LLM a chat message such as \"Summarise this news in one sentence: ...\" "
            "through the `text-generation` pipeline, as section 8 did. Or use a seq2seq model (T5, BART) "
            "with `AutoModelForSeq2SeqLM` and `generate`, e.g. T5 with the `summarize: ` prefix."
        ),
    ),
]
