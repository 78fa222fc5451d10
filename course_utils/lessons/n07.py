"""Exercises and questionnaire answers of notebook 07."""
from numbers import Real
from typing import Any, Callable

import numpy as np

from ..exercises import AnswerProblem, Exercise, Question, call_learner
from ..graders import expect_int, expect_json_object, expect_number, expect_set, expect_text


def _hidden_eval_cases() -> list[tuple[np.ndarray, np.ndarray]]:
    """(logits, labels) the learner does not see: 3 square logits (argmax over the wrong axis still gives 3
    predictions), then 60 examples of which the model never predicts the last class."""
    square = np.array([[0.2, 2.0, 0.1], [1.5, 0.3, 0.2], [0.4, 0.1, 0.3]], dtype=np.float32), np.array([1, 0, 2])
    rng = np.random.default_rng(7)
    labels = rng.choice(3, size=60, p=[0.45, 0.35, 0.2])
    logits = (rng.normal(size=(60, 3)) + 1.5 * np.eye(3)[labels]).astype(np.float32)
    logits[:, 2] -= 10.0
    return [square, (logits, labels)]


def _grade_class_metrics(answer: Any, *, label_names: list[str], **_: Any) -> str:
    """Run the learner's compute_metrics on hidden EvalPredictions and compare with sklearn's F1 scores."""
    from sklearn.metrics import f1_score
    from transformers import EvalPrediction

    for number, (logits, labels) in enumerate(_hidden_eval_cases(), start=1):
        metrics = call_learner(answer, EvalPrediction(predictions=logits, label_ids=labels))
        if not isinstance(metrics, dict):
            raise AnswerProblem(f"expected a dict of metrics, got {type(metrics).__name__}")
        per_class = f1_score(labels, logits.argmax(-1), labels=list(range(len(label_names))), average=None,
                             zero_division=0)
        expected = {"macro_f1": per_class.mean()} | {f"f1_{name}": f1 for name, f1 in zip(label_names, per_class)}
        for key, value in expected.items():
            if key not in metrics:
                return f"no key {key!r} in {sorted(metrics)}. Hint: one 'f1_<label name>' key per label of label_names"
            if isinstance(metrics[key], bool) or not isinstance(metrics[key], Real):
                return f"{key} is a {type(metrics[key]).__name__}, not a number. Hint: float(...) each score"
            if abs(metrics[key] - value) > 1e-6:
                return (f"hidden case {number} ({len(labels)} examples): {key} = {metrics[key]:.4f}, expected "
                        f"{value:.4f}. Hint: predictions = logits.argmax(axis=-1) (one per row), then "
                        f"f1_score(labels, predictions, average=None) gives one F1 per class; macro = their mean")
    return ""


def _grade_epoch_args(answer: Any, **_: Any) -> str:
    """Build the learner's TrainingArguments and check each setting the exercise asks for."""
    from transformers import TrainingArguments

    output_dir = "/tmp/course-07-epoch-args"
    args = call_learner(answer, output_dir)
    if not isinstance(args, TrainingArguments):
        return f"expected TrainingArguments, got {type(args).__name__}"
    checks: list[tuple[str, Callable[[TrainingArguments], bool], str]] = [
        ("output_dir", lambda a: a.output_dir == output_dir, "pass the function's output_dir through"),
        ("num_train_epochs", lambda a: a.num_train_epochs == 3, "3 epochs"),
        ("eval_strategy", lambda a: a.eval_strategy == "epoch", 'evaluate at the end of every epoch: "epoch"'),
        ("save_strategy", lambda a: a.save_strategy == "epoch", "save on the same schedule as evaluation"),
        ("load_best_model_at_end", lambda a: a.load_best_model_at_end, "reload the best checkpoint at the end"),
        ("metric_for_best_model", lambda a: a.metric_for_best_model in ("macro_f1", "eval_macro_f1"),
         'the key compute_metrics returns: "macro_f1"'),
        ("greater_is_better", lambda a: a.greater_is_better, "a higher macro-F1 is better"),
        ("warmup_steps", lambda a: a.get_warmup_steps(480) == 48 and a.get_warmup_steps(50) == 5,
         "10% of the steps whatever the run's length: a float below 1 is a ratio in transformers 5"),
        ("per_device_train_batch_size", lambda a: a.per_device_train_batch_size == 16, "16 examples per batch"),
        ("gradient_accumulation_steps", lambda a: a.gradient_accumulation_steps == 4,
         "effective batch = per-device batch x accumulation steps = 64"),
        ("report_to", lambda a: a.report_to in ([], ["none"]), 'no tracker: "none"'),
    ]
    for name, is_right, hint in checks:
        if not is_right(args):
            return f"{name} is {getattr(args, name)!r}. Hint: {hint}"
    return ""


EXERCISES = [
    Exercise(
        name='07.optimizer_steps',
        kind='compute',
        question=(
            "Optimizer steps of a run on one device: 1,024 training examples, "
            "per_device_train_batch_size=16, gradient_accumulation_steps=4, num_train_epochs=3."
        ),
        grade=expect_int(48, "batches per epoch = examples / batch size; one optimizer step every 4 batches"),
        solution="""\
examples, batch_size, accumulation, epochs = 1024, 16, 4, 3
answer = (examples // batch_size) // accumulation * epochs
check("07.optimizer_steps", answer)
""",
        explanation=(
            "1,024 / 16 = 64 batches per epoch; with `gradient_accumulation_steps=4` the optimizer "
            "steps once every 4 batches, so 64 / 4 = 16 steps per epoch and 3 × 16 = 48 steps in all. "
            "The effective batch is 16 × 4 = 64 examples (times the number of devices)."
        ),
    ),
    Exercise(
        name='07.warmup_steps',
        kind='compute',
        question=(
            "Warm-up steps of that 48-step run with warmup_steps=0.1 (transformers 5)."
        ),
        grade=expect_int(5, "a float below 1 is a ratio of the total steps, rounded up"),
        solution="""\
answer = TrainingArguments(output_dir=str(OUTPUT_DIR / "scratch"), warmup_steps=0.1).get_warmup_steps(48)
check("07.warmup_steps", answer)
""",
        explanation=(
            "In transformers 5 `warmup_ratio` is gone: a float `warmup_steps` below 1 is a ratio of the "
            "total training steps, rounded up: ceil(48 × 0.1) = ceil(4.8) = 5."
        ),
    ),
    Exercise(
        name='07.removed_arguments',
        kind='compute',
        question=(
            "Which of learning_rate, warmup_ratio, warmup_steps, evaluation_strategy, eval_strategy, "
            "no_cuda and use_cpu are not TrainingArguments fields in transformers 5?"
        ),
        grade=expect_set(
            {"warmup_ratio", "evaluation_strategy", "no_cuda"},
            "dataclasses.fields(TrainingArguments) lists every argument the installed version accepts",
        ),
        solution="""\
candidates = ["learning_rate", "warmup_ratio", "warmup_steps", "evaluation_strategy", "eval_strategy", "no_cuda", "use_cpu"]
answer = {name for name in candidates if name not in fields}
check("07.removed_arguments", answer)
""",
        explanation=(
            "`warmup_ratio` became a float `warmup_steps`, `evaluation_strategy` became "
            "`eval_strategy`, `no_cuda` became `use_cpu`. Old tutorials that pass them now fail with a "
            "TypeError."
        ),
    ),
    Exercise(
        name='07.majority_macro_f1',
        kind='compute',
        question=(
            "Macro-F1 on the tweet test split of a 'classifier' that answers negative for every tweet "
            "(negative is the most frequent label)."
        ),
        grade=expect_number(0.2001, "F1 of negative with precision = its share and recall 1; the other two F1 are 0"),
        solution="""\
from sklearn.metrics import accuracy_score, f1_score

all_test_labels = list(tweets["test"]["label"])
always_negative = [label_names.index("negative")] * len(all_test_labels)
print(f"accuracy {accuracy_score(all_test_labels, always_negative):.3f}")
answer = f1_score(all_test_labels, always_negative, average="macro", zero_division=0)
check("07.majority_macro_f1", answer)
""",
        explanation=(
            "Negative is 1,595 of the 3,720 test tweets, so accuracy = 0.429 (the share of the majority "
            "class). Negative's precision is 0.429 and its recall 1, so its F1 = 2pr/(p+r) = 0.600; "
            "neutral and positive are never predicted, F1 = 0. Macro-F1 averages the three: 0.600 / 3 = "
            "0.200. Accuracy flatters a model that ignores small classes; macro-F1 does not."
        ),
    ),
    Exercise(
        name='07.class_metrics',
        kind='build',
        question=(
            "A compute_metrics(eval_pred) for Trainer that returns macro_f1 and one f1_<label name> per label "
            "of label_names (f1_negative, f1_neutral, f1_positive)."
        ),
        grade=_grade_class_metrics,
        solution="""\
from sklearn.metrics import f1_score


def class_metrics(eval_pred: EvalPrediction) -> dict[str, float]:
    \"\"\"Macro-F1 and the F1 of each label, from the logits and labels of the whole evaluation set.\"\"\"
    logits, labels = eval_pred
    predictions = np.argmax(logits, axis=-1)
    per_class = f1_score(labels, predictions, labels=list(range(len(label_names))), average=None, zero_division=0)
    return {"macro_f1": float(per_class.mean())} | {f"f1_{name}": float(f1) for name, f1 in zip(label_names, per_class)}


print({name: round(value, 4) for name, value in class_metrics(toy).items()})
check("07.class_metrics", class_metrics, label_names=label_names)
""",
        explanation=(
            "`EvalPrediction` unpacks into the logits (one row per example) and the labels; the argmax over the "
            "last axis gives one prediction per example. `f1_score(..., average=None)` returns one F1 per class "
            "and macro-F1 is their plain mean, so the rare positive class weighs as much as the others. Logged "
            "per class, a collapsing class shows in the evaluation lines long before the macro score says why."
        ),
    ),
    Exercise(
        name='07.epoch_args',
        kind='build',
        question=(
            "A function epoch_args(output_dir) returning TrainingArguments for 3 epochs that evaluate and save "
            "every epoch, reload the best checkpoint by macro_f1, warm up over 10% of the steps, use batches of "
            "16 with an effective batch of 64 on one device, and report to no tracker."
        ),
        grade=_grade_epoch_args,
        solution="""\
def epoch_args(output_dir: str) -> TrainingArguments:
    \"\"\"3 epochs, evaluated and saved each epoch, best checkpoint by macro-F1, 10% warm-up, effective batch 64.\"\"\"
    return TrainingArguments(
        output_dir=output_dir,
        num_train_epochs=3,
        per_device_train_batch_size=16,
        gradient_accumulation_steps=4,
        warmup_steps=0.1,
        eval_strategy="epoch",
        save_strategy="epoch",
        load_best_model_at_end=True,
        metric_for_best_model="macro_f1",
        greater_is_better=True,
        report_to="none",
    )


print(epoch_args(str(OUTPUT_DIR / "scratch")).get_warmup_steps(480), "warm-up steps in a 480-step run")
check("07.epoch_args", epoch_args)
""",
        explanation=(
            "`eval_strategy` and `save_strategy` must match for `load_best_model_at_end`, which reloads the "
            "checkpoint with the best `metric_for_best_model` (a key of `compute_metrics`). A float "
            "`warmup_steps` below 1 is a ratio of all optimizer steps (48 of 480), where an int would be the same "
            "number of steps in every run. 16 examples × 4 accumulated batches = an effective batch of 64."
        ),
    ),
]

QUESTIONS = [
    Question(
        question=(
            "Which weights of the fine-tuned model start random, and why does that matter for the learning rate "
            "and warm-up?"
        ),
        answer=(
            "Only the classification head (`classifier.weight` and `classifier.bias`, a linear layer from the "
            "384-number [CLS] vector to 3 logits) is newly initialised; the whole body is pretrained. The random head "
            "makes the first gradients large and noisy, so warm-up (10% of the steps here) raises the learning rate "
            "from 0 instead of letting them wreck the pretrained weights at full rate, and the learning rate stays "
            "small (1e-4 for MiniLM, 1e-5 to 5e-5 for base models) because the body only needs adjusting."
        ),
    ),
    Question(
        question="Your GPU fits a batch of 8 but the recipe says 64. What do you set?",
        answer=(
            "`per_device_train_batch_size=8` and `gradient_accumulation_steps=8`: the gradients of 8 batches are "
            "added up before each optimizer step, so the effective batch is 8 × 8 = 64 on one device (divide the "
            "accumulation by the number of devices when there are several). The run then takes 8 times fewer "
            "optimizer steps per epoch than with batches of 8, which is what the recipe's learning rate and warm-up "
            "assume."
        ),
    ),
    Question(
        question=(
            "What do `load_best_model_at_end=True` and `EarlyStoppingCallback` need from `eval_strategy`, "
            "`save_strategy` and `metric_for_best_model`?"
        ),
        answer=(
            "Evaluation must happen (`eval_strategy` not \"no\") and `save_strategy` must match it (same "
            "\"steps\" schedule or \"epoch\", or \"best\"), otherwise `TrainingArguments` raises a ValueError: "
            "there has to be a checkpoint for each score. `metric_for_best_model` names a key that `compute_metrics` "
            "returns (\"macro_f1\"; `Trainer` adds the `eval_` prefix), with `greater_is_better=True`. "
            "`EarlyStoppingCallback` needs `load_best_model_at_end=True` and that metric, and stops after "
            "`early_stopping_patience` evaluations without improvement."
        ),
    ),
    Question(
        question="A model has 0.75 accuracy and 0.60 macro-F1 on the same data. What does the gap tell you?",
        answer=(
            "Accuracy weighs every example, macro-F1 every class: the model does well on the large classes and "
            "badly on at least one small one (here it would be the positive tweets, under one in five). In the "
            "extreme, always answering negative gets accuracy 0.429 but macro-F1 0.200 on this test split. Read "
            "the per-class F1 and the confusion matrix to see which class fails."
        ),
    ),
    Question(
        question=(
            "When is a TF-IDF baseline the better choice, even if a fine-tuned transformer scores a little higher?"
        ),
        answer=(
            "When the margin is within the noise (a difference of 0.01 on 3,720 tweets can come from the seed and "
            "the subset) and the costs differ a lot: the baseline trains in seconds on a CPU and predicts almost "
            "for free, while the fine-tune needed minutes of training and tens of seconds to predict the test split "
            "on this CPU. In this notebook the baseline given all the training tweets even beat the fine-tune "
            "trained on a 4,000-tweet subset for one epoch, so with this budget it is good enough."
        ),
    ),
    Question(
        question=(
            "Why can't fine-tuning MiniLM on Chinese reviews fix its `[UNK]` tokens, and what two things decide "
            "whether a model can learn Chinese text?"
        ),
        answer=(
            "The tokenizer runs before the model: every character missing from MiniLM's English vocabulary becomes "
            "the same `[UNK]` id, so the model never sees which character it was, and training only changes weights, "
            "not the vocabulary. What decides it is (1) a tokenizer whose vocabulary covers the script (Gemma 3's "
            "262k tokens do; check `tokenizer.tokenize` on your data, or train a tokenizer as in notebook 03) and "
            "(2) pretraining on text in that language, so the embeddings of those tokens mean something before "
            "fine-tuning starts."
        ),
    ),
]
