"""Exercises and questionnaire answers of notebook 12."""
from typing import Any

import torch

from ..exercises import AnswerProblem, Exercise, Question, call_learner
from ..graders import expect_int, expect_text

# (what the bytes are, the text): the UTF-8 one is also valid GB18030 (mojibake), the last one is not GBK.
ENCODED_TEXTS = [
    ("UTF-8", "服务很好价格便宜".encode("utf-8"), "服务很好价格便宜"),
    ("GBK", "座位很舒服，空姐也很热情！".encode("gbk"), "座位很舒服，空姐也很热情！"),
    ("GB18030", "𠮷野家的饭菜很好吃".encode("gb18030"), "𠮷野家的饭菜很好吃"),
    ("ASCII", b"Flight BA123 was late.", "Flight BA123 was late."),
]
QUESTIONS_FOR_BATCH = ["Why is the sky blue?", "Name two rivers in Europe and say which one is longer.", "Hi!"]
LONG_COMPLAINT = "The queue at check-in was long, the gate changed twice and boarding took forever. " * 45
LONG_REVIEW = LONG_COMPLAINT + "In the end the crew gave me a better seat, apologised warmly and we landed early."


def _grade_decode_text(answer: Any, **_: Any) -> str:
    for encoding, data, text in ENCODED_TEXTS:
        given = call_learner(answer, data)
        if given != text:
            return (f"for the {encoding} bytes of {text!r} you returned {given!r}. Hint: decode strictly as UTF-8 "
                    "first; on UnicodeDecodeError decode as gb18030 (a superset of GBK); never errors='replace'")
    return ""


def _grade_chat_batch(answer: Any, *, tokenizer: Any, **_: Any) -> str:
    batch = call_learner(answer, QUESTIONS_FOR_BATCH)
    if not all(hasattr(batch, "keys") and key in batch for key in ("input_ids", "attention_mask")):
        raise AnswerProblem("return the tokenizer's whole output: generate needs input_ids and the attention_mask")
    ids, mask = torch.as_tensor(batch["input_ids"]), torch.as_tensor(batch["attention_mask"])
    if ids.shape != mask.shape or ids.dim() != 2 or len(ids) != len(QUESTIONS_FOR_BATCH):
        raise AnswerProblem(f"expected one padded row per question ({len(QUESTIONS_FOR_BATCH)} rows, return_tensors='pt'), "
                            f"got input_ids of shape {tuple(ids.shape)}")
    for row, question in enumerate(QUESTIONS_FOR_BATCH):
        text = tokenizer.apply_chat_template([{"role": "user", "content": question}], add_generation_prompt=True,
                                             tokenize=False)
        if ids[row][mask[row].bool()].tolist() != tokenizer(text, add_special_tokens=False)["input_ids"]:
            return (f"row {row} is not {question!r} in the chat template with the generation prompt. Hint: "
                    "apply_chat_template(..., add_generation_prompt=True, tokenize=False), then tokenize the texts "
                    "with add_special_tokens=False")
        if not mask[row, -1]:
            return (f"row {row} ({question!r}) ends in padding, so generate would continue after the pads. Hint: a "
                    "decoder pads on the left: padding_side='left'")
    return ""


def _window_probabilities(text: str, tokenizer: Any, model: Any, stride: int) -> torch.Tensor:
    """The reference: the model's class probabilities for every window of ``text`` (one row per window)."""
    windows = tokenizer(text, truncation=True, max_length=tokenizer.model_max_length, stride=stride,
                        return_overflowing_tokens=True, padding=True, return_tensors="pt")
    inputs = {key: windows[key] for key in ("input_ids", "attention_mask", "token_type_ids") if key in windows}
    with torch.no_grad():
        return model(**inputs).logits.softmax(-1)


def _grade_mean_window_probabilities(answer: Any, *, tokenizer: Any, model: Any, stride: int, **_: Any) -> str:
    for text in ["The flight was fine.", LONG_REVIEW]:
        per_window = _window_probabilities(text, tokenizer, model, stride)
        expected = per_window.mean(0)
        given = call_learner(answer, text)
        try:
            given = torch.as_tensor(given, dtype=torch.float32).detach()
        except (TypeError, ValueError, RuntimeError):
            raise AnswerProblem(f"expected a tensor of {len(expected)} probabilities, got {type(given).__name__}") from None
        if given.shape != expected.shape:
            return f"expected shape {tuple(expected.shape)} (one probability per label), got {tuple(given.shape)}"
        if torch.allclose(given, expected, atol=1e-4):
            continue
        tokens = len(tokenizer(text, add_special_tokens=False)["input_ids"])
        if torch.allclose(given, per_window[0], atol=1e-4):
            return (f"for a review of {tokens} tokens you returned the first window's probabilities only: its end "
                    f"is lost. Hint: return_overflowing_tokens=True keeps all {len(per_window)} windows")
        return (f"for a text of {tokens} tokens ({len(per_window)} windows) you returned {given.tolist()}, the mean "
                f"over its windows is {expected.tolist()}. Hint: max_length=model_max_length, stride={stride}, "
                "each window's attention_mask, then the mean of the softmax over windows")
    return ""


EXERCISES = [
    Exercise(
        name='12.evaluation_strategy_new_name',
        kind='compute',
        question=(
            "The transformers 5 name of the TrainingArguments argument evaluation_strategy."
        ),
        grade=expect_text("eval_strategy", "look for a field of TrainingArguments that ends in _strategy and starts with eval"),
        solution="""\
fields = [field.name for field in dataclasses.fields(TrainingArguments)]
answer = next(name for name in fields if name.endswith("_strategy") and name.startswith("eval"))
check("12.evaluation_strategy_new_name", answer)
""",
        explanation=(
            "The values are the same (`'no'`, `'steps'`, `'epoch'`). "
            "`TrainingArguments(evaluation_strategy=...)` fails with `TypeError: ... unexpected keyword "
            "argument 'evaluation_strategy'`."
        ),
    ),
    Exercise(
        name='12.window_count',
        kind='compute',
        question=(
            "Windows for a 1,200-token text with truncation=True, max_length=512, stride=128, "
            "return_overflowing_tokens=True (MiniLM: 2 special tokens per window)."
        ),
        grade=expect_int(3, "each window holds 510 text tokens and starts 510 - 128 = 382 tokens after the previous one"),
        solution="""\
long_text = " ".join(["hello"] * 1200)  # "hello" is one token
print("tokens without special tokens:", len(encoder_tokenizer(long_text, add_special_tokens=False)["input_ids"]))
windows = encoder_tokenizer(long_text, truncation=True, max_length=512, stride=128, return_overflowing_tokens=True)
answer = len(windows["input_ids"])
check("12.window_count", answer)
""",
        explanation=(
            "Each window holds 512 - 2 = 510 text tokens; consecutive windows share 128, so each starts "
            "382 tokens after the last: windows start at 0, 382 and 764, and the third one (764 to "
            "1,200) reaches the end. In general 1 + ceil((n - 510) / 382) = 1 + ceil(690 / 382) = 3."
        ),
    ),
    Exercise(
        name='12.effective_batch',
        kind='compute',
        question=(
            "Examples per optimizer step with per_device_train_batch_size=4, "
            "gradient_accumulation_steps=8, one device."
        ),
        grade=expect_int(32, "per-device batch x accumulation steps x number of devices"),
        solution="""\
exercise_args = TrainingArguments(args_dir, per_device_train_batch_size=4, gradient_accumulation_steps=8, use_cpu=True)
answer = exercise_args.per_device_train_batch_size * exercise_args.gradient_accumulation_steps * exercise_args.world_size
check("12.effective_batch", answer)
""",
        explanation=(
            "Each optimizer step adds up the gradients of 8 micro-batches of 4. On 4 GPUs it would be "
            "128: the accumulation count stays, the devices multiply."
        ),
    ),
    Exercise(
        name="12.decode_text",
        kind="build",
        question=(
            "Repair a reader that assumes UTF-8: write decode_text(data) that returns the right text for bytes "
            "written in UTF-8, GBK or GB18030."
        ),
        grade=_grade_decode_text,
        solution="""\
def decode_text(data: bytes) -> str:
    \"\"\"The text of ``data``, written in UTF-8 or in GB18030 (GBK, GB2312): never a replacement character.\"\"\"
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


check("12.decode_text", decode_text)
""",
        explanation=(
            "UTF-8 is strict: Chinese text in GBK almost never decodes as UTF-8, so a UnicodeDecodeError is a "
            "reliable sign to fall back. The other order fails: UTF-8 bytes often decode as GB18030 without an "
            "error, into mojibake. GB18030 is a superset of GBK, so it also reads characters GBK lacks (𠮷), and "
            "errors='replace' would silently turn every character into �."
        ),
    ),
    Exercise(
        name="12.chat_batch",
        kind="build",
        question=(
            "Repair batched generation: write chat_batch(questions) that returns SmolLM2's inputs for "
            "chat_model.generate, one chat-formatted row per question, padded on the side a decoder needs, "
            "attention mask included."
        ),
        grade=_grade_chat_batch,
        solution="""\
def chat_batch(questions: list[str]) -> transformers.BatchEncoding:
    \"\"\"One batch for chat_model.generate: each question in the chat template, left-padded, with its mask.\"\"\"
    texts = [chat_tokenizer.apply_chat_template([{"role": "user", "content": question}], add_generation_prompt=True,
                                                tokenize=False) for question in questions]
    return chat_tokenizer(texts, return_tensors="pt", padding=True, padding_side="left", add_special_tokens=False)


check("12.chat_batch", chat_batch, tokenizer=chat_tokenizer)
""",
        explanation=(
            "generate appends new tokens after the last column, so every row must end with its own prompt: pads go "
            "on the left, and the attention mask tells the model to ignore them (SmolLM2's pad token is its "
            "end-of-turn token, so the mask cannot be inferred). The chat template with the generation prompt is "
            "what the instruct model was trained on; the template already holds the special tokens."
        ),
    ),
    Exercise(
        name="12.mean_window_probabilities",
        kind="build",
        question=(
            "Repair silent truncation: write mean_window_probabilities(text) that returns classifier's class "
            "probabilities for a text of any length, the mean over windows of at most model_max_length tokens that "
            "share CHUNK_STRIDE tokens."
        ),
        grade=_grade_mean_window_probabilities,
        solution="""\
def mean_window_probabilities(text: str) -> torch.Tensor:
    \"\"\"classifier's probabilities for every window of ``text`` (sharing CHUNK_STRIDE tokens), averaged: shape (labels,).\"\"\"
    windows = clf_tokenizer(text, truncation=True, max_length=clf_tokenizer.model_max_length, stride=CHUNK_STRIDE,
                            return_overflowing_tokens=True, padding=True, return_tensors="pt")
    return class_probabilities(windows).mean(0)


check("12.mean_window_probabilities", mean_window_probabilities, tokenizer=clf_tokenizer, model=classifier,
      stride=CHUNK_STRIDE)
""",
        explanation=(
            "return_overflowing_tokens=True keeps every window instead of the first, so the end of a long review "
            "(where its verdict often is) reaches the model. Padding makes the windows one tensor; "
            "class_probabilities passes the attention mask, so the shorter last window is not read with its pads."
        ),
    ),
]

QUESTIONS = [
    Question(
        question=(
            "A training run fails with an allocation error at batch 64. Name three fixes in the order you would try "
            "them, and what each costs."
        ),
        answer=(
            "First a smaller per-device batch with gradient accumulation: the same gradients (verified above up to "
            "rounding) for more, smaller steps, slower on a GPU the full batch kept busy. Then mixed precision "
            "(bf16) and gradient (activation) checkpointing, which recomputes each layer in the backward pass: about "
            "one extra forward pass of compute. When the weights and optimizer state themselves do not fit, LoRA "
            "on a quantized base (QLoRA): far less memory, but only small adapters are trained."
        ),
    ),
    Question(
        question=(
            "Why are accumulated gradients equal to full-batch gradients only up to rounding, and why must the loss "
            "be divided by the number of micro-batches?"
        ),
        answer=(
            "The sums are taken in a different order, and float addition is not associative: the notebook measured "
            "a largest difference of about 1e-8 against gradients of about 1e-2. The loss is a mean over its batch, "
            "and backward() adds the micro-batches' gradients up in .grad; dividing each loss by the number of "
            "micro-batches turns that sum back into the mean over the whole batch."
        ),
    ),
    Question(
        question=(
            "A batch of two prompts gives a good answer for the longer prompt and nonsense for the shorter. What do "
            "you check first?"
        ),
        answer=(
            "The padding side and the attention mask: the shorter prompt is the padded one. With right padding its "
            "row ends in pads and generation continues after them; without the mask the model reads the pads as "
            "text. Pad on the left (padding_side='left') and pass the whole encoding, mask included; the fixed "
            "batch row then equals the prompt generated alone."
        ),
    ),
    Question(
        question=(
            "Your classifier calls long reviews positive although they end with a complaint. How do you find out "
            "whether truncation is the cause, and how do you fix it?"
        ),
        answer=(
            "Count the tokens against model_max_length and decode what truncation=True keeps: in the notebook the "
            "585-token review lost its last 73 tokens, verdict included, and classifying the verdict alone gave "
            "another answer. Fix it by chunking: return_overflowing_tokens=True with a stride, classify every "
            "window and pool (the mean, or the most confident window)."
        ),
    ),
    Question(
        question=(
            "A Chinese CSV file loads, but the model's accuracy is at chance level. Name two causes this notebook "
            "showed and how to detect each."
        ),
        answer=(
            "The tokenizer does not cover Chinese: measure the share of [UNK] tokens (63% for MiniLM's English "
            "WordPiece on the reviews, 0% for Gemma 3). The file was decoded with the wrong encoding (errors='replace' "
            "or latin-1 on GB18030 bytes): print a few rows and look for � or mojibake, then read it with "
            "encoding='gb18030'. Full-width characters that become [UNK] until NFKC-normalized are a third cause."
        ),
    ),
    Question(
        question=(
            "Code from a 2023 tutorial fails with `TypeError: ... unexpected keyword argument`. What do you do?"
        ),
        answer=(
            "Read the argument the error names and compare versions: the tutorial was written for transformers 4, "
            "and transformers 5 renamed or removed arguments (evaluation_strategy became eval_strategy, "
            "Trainer(tokenizer=) became processing_class=). Look the new name up among the installed class's "
            "fields or in the migration guide, and pin the versions your fixed code works with."
        ),
    ),
]
