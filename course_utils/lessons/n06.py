"""Exercises and questionnaire answers of notebook 06."""
import copy
from collections.abc import Mapping
from typing import Any

from ..exercises import Exercise, Question, call_learner
from ..graders import expect_int, expect_json_object, expect_number, expect_set, expect_text

# Texts the learner does not see: an empty one, an emoji, and one longer than max_length.
_HIDDEN_TEXTS = [
    "@united thanks, the crew was lovely!",
    "",
    "Flight 837 delayed again 🙄 #fail",
    " ".join(["delayed"] * 300),
    "ok",
]


def _grade_tokenize_with_length(answer: Any, *, tokenizer: Any, max_length: int, **_: Any) -> str:
    """Run ``Dataset.map(answer, batched=True)`` on hidden tweets; compare with the tokenizer's own output."""
    from datasets import Dataset

    if not callable(answer):
        return f"expected a function, got {type(answer).__name__}"
    data = Dataset.from_dict({"text": _HIDDEN_TEXTS, "label": list(range(len(_HIDDEN_TEXTS)))})
    mapped = call_learner(data.map, answer, batched=True, batch_size=2)
    missing = [name for name in ("input_ids", "attention_mask", "length") if name not in mapped.column_names]
    if missing:
        return (f"the mapped data set has no column {missing}: return the tokenizer's output "
                "plus a 'length' list with one number per text")
    expected = tokenizer(_HIDDEN_TEXTS, truncation=True, max_length=max_length)["input_ids"]
    for row, (text, wanted) in enumerate(zip(_HIDDEN_TEXTS, expected)):
        ids, length = mapped[row]["input_ids"], mapped[row]["length"]
        if ids != wanted:
            return (f"text {row} ({text[:30]!r}) has {len(ids)} input_ids, expected {len(wanted)}: "
                    f"tokenizer(batch['text'], truncation=True, max_length={max_length}), "
                    "no padding (the collator pads)")
        if length != len(ids):
            return (f"text {row} ({text[:30]!r}) has length {length!r} but {len(ids)} tokens: "
                    "count the input_ids after truncation, not words or characters")
    return ""


def _grade_pad_batch(answer: Any, *, tokenizer: Any, **_: Any) -> str:
    """Collate hidden batches of tokenized rows; compare with DataCollatorWithPadding."""
    from transformers import DataCollatorWithPadding

    rows = [{"input_ids": encoded["input_ids"], "attention_mask": encoded["attention_mask"], "label": label}
            for label, encoded in enumerate(tokenizer(text) for text in _HIDDEN_TEXTS[:3] + _HIDDEN_TEXTS[4:])]
    reference = DataCollatorWithPadding(tokenizer)
    for batch in (rows[:3], [rows[0], rows[0]], rows[3:]):
        expected = reference(copy.deepcopy(batch))
        problem = _batch_problem(call_learner(answer, copy.deepcopy(batch)), expected, tokenizer.pad_token_id)
        if problem:
            return f"a batch of {len(batch)} rows of {[len(row['input_ids']) for row in batch]} tokens: {problem}"
    return ""


def _batch_problem(result: Any, expected: Mapping[str, Any], pad_token_id: int) -> str:
    """What is wrong with one collated batch, or ``""``."""
    import torch

    if not isinstance(result, Mapping):
        return f"expected a dict of tensors, got {type(result).__name__}"
    for name in ("input_ids", "attention_mask", "labels"):
        if name not in result:
            return f"no {name!r} in {sorted(result)}: the model's forward takes input_ids, attention_mask and labels"
        got, wanted = result[name], expected[name]
        if not isinstance(got, torch.Tensor):
            return f"{name!r} is a {type(got).__name__}: return torch tensors (torch.tensor(...))"
        if got.dtype != torch.long:
            return f"{name!r} has dtype {got.dtype}: token ids, masks and class labels are torch.long"
        if got.shape != wanted.shape:
            return (f"{name!r} has shape {tuple(got.shape)}, expected {tuple(wanted.shape)}: "
                    "pad every row to the longest row of this batch, not to max_length")
        if not torch.equal(got, wanted):
            if name == "labels":
                return f"labels are {got.tolist()}, expected {wanted.tolist()}: take each row's 'label' in order"
            row, position = (got != wanted).nonzero()[0].tolist()
            filler = f"tokenizer.pad_token_id ({pad_token_id})" if name == "input_ids" else "0"
            return (f"{name}[{row}][{position}] is {got[row, position].item()}, expected "
                    f"{wanted[row, position].item()}: keep the row's values, then pad on the right with {filler}")
    return ""


EXERCISES = [
    Exercise(
        name='06.stratify_argument',
        kind='recall',
        question=(
            "The train_test_split argument that keeps class proportions equal in both parts."
        ),
        grade=expect_text("stratify_by_column", "it names the column to stratify by"),
        solution="""\
answer = 'stratify_by_column'
check("06.stratify_argument", answer)
""",
        explanation=(
            "`answer = 'stratify_by_column'`: `split = ds.train_test_split(test_size=0.2, "
            "stratify_by_column='label', seed=0)`. The column must be a `ClassLabel`."
        ),
    ),
    Exercise(
        name='06.neutral_in_validation',
        kind='compute',
        question=(
            "The number of tweets labelled neutral in the validation split of the course tweets."
        ),
        grade=expect_int(1443, "filter the validation split on label == 1 (neutral) and take num_rows"),
        solution="""\
neutral = tweets['validation'].features['label'].str2int('neutral')
answer = tweets['validation'].filter(lambda row: row['label'] == neutral).num_rows  # 1443
check("06.neutral_in_validation", answer)
""",
        explanation=(
            "`collections.Counter(tweets['validation']['label'])[1]` gives the same without a new data "
            "set."
        ),
    ),
    Exercise(
        name='06.dynamic_padding_positions',
        kind='compute',
        question=(
            "Padding positions when texts of 12, 31, 7 and 18 tokens are padded dynamically in one "
            "batch."
        ),
        grade=expect_int(56, "every row is padded to the batch's longest text; count positions minus real tokens"),
        solution="""\
lengths = [12, 31, 7, 18]
answer = len(lengths) * max(lengths) - sum(lengths)  # 56
check("06.dynamic_padding_positions", answer)
""",
        explanation=(
            "Dynamic padding pads every row to the longest in the batch, 31: 4 × 31 = 124 positions, of "
            "which 12 + 31 + 7 + 18 = 68 are real tokens.\n\nPadded to `max_length=128` it would be 4 × "
            "128 − 68 = 444."
        ),
    ),
    Exercise(
        name='06.csv_label_dtype',
        kind='compute',
        question=(
            "The dtype of the label feature after reading the normalised tweets back from CSV."
        ),
        grade=expect_text("int64", "read from_csv.features['label'].dtype"),
        solution="""\
answer = from_csv.features['label'].dtype  # 'int64'
check("06.csv_label_dtype", answer)
""",
        explanation=(
            "CSV stores numbers, not names: the `ClassLabel` became a plain `Value('int64')`. "
            "`cast_column('label', ClassLabel(names=label_names))` restores it. (The broken CSV, before "
            "normalising, gave `float64`: pandas makes a float column when values are missing.)"
        ),
    ),
    Exercise(
        name='06.tokenize_with_length',
        kind='build',
        question=(
            "A function for map(batched=True) that tokenizes the texts (truncated to MAX_LENGTH) and adds a "
            "'length' column: the number of tokens of each text."
        ),
        grade=_grade_tokenize_with_length,
        solution="""\
def tokenize_with_length(batch: dict[str, list]) -> dict[str, list]:
    \"\"\"For map(batched=True): tokenize batch["text"] (truncated to MAX_LENGTH) and add a "length" column.\"\"\"
    encoded = tokenizer(batch["text"], truncation=True, max_length=MAX_LENGTH)
    encoded["length"] = [len(ids) for ids in encoded["input_ids"]]
    return encoded

check("06.tokenize_with_length", tokenize_with_length, tokenizer=tokenizer, max_length=MAX_LENGTH)
""",
        explanation=(
            "A batched function gets a dictionary of lists and returns a dictionary of lists, one value per "
            "row for every column. The tokenizer already returns that shape, so the length column is one "
            "more list, counted after truncation. Sorting by this column is how section 6 made the "
            "'dynamic, sorted by length' batches."
        ),
    ),
    Exercise(
        name='06.pad_batch',
        kind='build',
        question=(
            "A collate function that pads a list of tokenized rows to the batch's longest row and returns "
            "the tensors input_ids, attention_mask and labels, as DataCollatorWithPadding(tokenizer) does."
        ),
        grade=_grade_pad_batch,
        solution="""\
def pad_batch(features: list[dict]) -> dict[str, torch.Tensor]:
    \"\"\"Pad input_ids (with tokenizer.pad_token_id) and attention_mask (with 0) on the right to the batch's
    longest row; return tensors "input_ids", "attention_mask" and "labels" (each row's "label").\"\"\"
    longest = max(len(row["input_ids"]) for row in features)
    input_ids = [row["input_ids"] + [tokenizer.pad_token_id] * (longest - len(row["input_ids"])) for row in features]
    attention_mask = [row["attention_mask"] + [0] * (longest - len(row["attention_mask"])) for row in features]
    return {
        "input_ids": torch.tensor(input_ids),
        "attention_mask": torch.tensor(attention_mask),
        "labels": torch.tensor([row["label"] for row in features]),
    }

check("06.pad_batch", pad_batch, tokenizer=tokenizer)
""",
        explanation=(
            "Dynamic padding is only this: find the longest row of the batch, fill the others with the "
            "pad id, and mark the filler with 0 in the attention mask so the model ignores it in the result. "
            "`tokenizer.pad(features, return_tensors='pt')` does the padding for you; "
            "`DataCollatorWithPadding` adds the rename of 'label' to 'labels', the name the model's forward takes."
        ),
    ),
]

QUESTIONS: list[Question] = [
    Question(
        question="Why does indexing `dataset[\"label\"]` no longer return a list, and how do you get one?",
        answer=(
            "Since datasets 4 a column indexed by name is a lazy `Column`: it reads values from the Arrow "
            "table only when you index it, instead of copying the whole column into Python. Index or slice it "
            "(`column[:5]`), or wrap it in `list()` when you need a real list."
        ),
    ),
    Question(
        question=(
            "You saved tweets as CSV and reloaded them: you got more rows than you wrote. Why, and what are two "
            "fixes? What else did CSV lose?"
        ),
        answer=(
            "Some tweets contain carriage returns (`\\r`) in their text, and the CSV reader took them for line "
            "ends, splitting those tweets into broken rows (1,035 rows from 1,000, with float labels because "
            "some were missing). Fixes: write parquet or JSON Lines, which round-trip exactly, or normalise the "
            "whitespace before writing CSV. CSV also lost the `ClassLabel` (labels came back as plain `int64`); "
            "`cast_column` restores it."
        ),
    ),
    Question(
        question="When is `batched=True` faster, and what must the function return?",
        answer=(
            "When the function can work on many rows at once, as a fast tokenizer does: it gets a dictionary of "
            "lists (1,000 rows by default), and tokenizing 4,000 tweets this way was about twice as fast as one "
            "row at a time. It must return a dictionary of columns, each a list with one value per row."
        ),
    ),
    Question(
        question="Why does padding to `max_length` cost time even though the attention mask hides the padding?",
        answer=(
            "The mask only keeps the padding out of the result; the model still runs its matrix multiplications "
            "over every position. Padding 128 tweets to 128 tokens processed 16,384 positions, 26% of them real "
            "tokens, against 7,264 with dynamic padding, and took about 2.7 times as long."
        ),
    ),
    Question(
        question="Why should training batches not be sorted by length, and what does `group_by_length` do instead?",
        answer=(
            "Sorted batches are the same every epoch and each holds only texts of one length, so the gradient "
            "steps are no longer a random sample of the data; training batches should stay shuffled. Trainer's "
            "`group_by_length=True` packs texts of similar length together within random buckets, cutting "
            "most of the padding while the order stays random."
        ),
    ),
]
