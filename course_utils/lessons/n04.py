"""Exercises and questionnaire answers of notebook 04."""
from collections import OrderedDict
from numbers import Real
from typing import Any, Callable

import torch

from ..exercises import AnswerProblem, Exercise, Question, call_learner
from ..graders import expect_int, expect_text

# Texts of different lengths (the batch needs padding), with a mention, a URL and an emoji like real tweets.
_HIDDEN_TEXTS = [
    "@united lost my bag AGAIN. Third time this year. Never flying with you again!!",
    "ok",
    "The concert last night was absolutely wonderful, thank you all 🎶 https://t.co/x1",
    "Meeting moved to 3pm, room 204.",
]


def _grade_classify(function: Callable[..., Any], *, tokenizer: Any, model: Any, classifier: Any, **_: Any) -> str:
    """Run the learner's classify on hidden texts and compare it with the pipeline's labels and scores."""
    expected = classifier(_HIDDEN_TEXTS)
    with torch.no_grad():
        given = call_learner(function, _HIDDEN_TEXTS, tokenizer, model)
    if not isinstance(given, list) or len(given) != len(_HIDDEN_TEXTS):
        return (f"expected a list of {len(_HIDDEN_TEXTS)} dicts for {len(_HIDDEN_TEXTS)} texts, got "
                f"{type(given).__name__}{f' of length {len(given)}' if isinstance(given, list) else ''}")
    for number, (result, wanted) in enumerate(zip(given, expected)):
        if not isinstance(result, dict) or not {"label", "score"} <= set(result):
            return f"text {number}: expected a dict with keys 'label' and 'score', got {result!r}"
        if result["label"] != wanted["label"]:
            return (f"text {number}: label {result['label']!r}, the pipeline says {wanted['label']!r}. "
                    "Hint: the label is model.config.id2label[index of the largest logit]")
        score = result["score"]
        if isinstance(score, torch.Tensor) and score.numel() == 1:
            score = score.item()
        if isinstance(score, bool) or not isinstance(score, Real):
            return f"text {number}: the score is a {type(score).__name__}, not a number. Hint: .item() or .tolist()"
        if abs(score - wanted["score"]) > 1e-4:
            return (f"text {number}: score {score:.4f}, the pipeline says {wanted['score']:.4f}. Hint: the score is "
                    "the largest softmax probability of the logits, not the logit itself")
    return ""


def _hidden_models(model: torch.nn.Module) -> list[tuple[str, torch.nn.Module]]:
    """The notebook's classifier, a tiny random token classifier, and a model with a frozen and an empty child."""
    from transformers import AutoConfig, AutoModelForTokenClassification

    tiny_config = AutoConfig.for_model("bert", vocab_size=100, hidden_size=16, num_hidden_layers=1,
                                       num_attention_heads=2, intermediate_size=32, max_position_embeddings=32,
                                       num_labels=3)
    partly_frozen = torch.nn.Sequential(OrderedDict(
        embed=torch.nn.Embedding(10, 4), frozen=torch.nn.Linear(4, 4), act=torch.nn.ReLU(), head=torch.nn.Linear(4, 2)))
    partly_frozen.frozen.requires_grad_(False)
    return [("the notebook's classifier", model),
            ("a tiny random token classifier", AutoModelForTokenClassification.from_config(tiny_config)),
            ("a Sequential with a frozen Linear and a ReLU", partly_frozen)]


def _grade_parameters_per_child(function: Callable[..., Any], *, model: torch.nn.Module, **_: Any) -> str:
    """Run the learner's count on three models and compare with the parameters of each named child."""
    for description, hidden in _hidden_models(model):
        expected = {name: sum(p.numel() for p in child.parameters()) for name, child in hidden.named_children()}
        given = call_learner(function, hidden)
        if not isinstance(given, dict):
            raise AnswerProblem(f"expected a dict of module name -> parameter count, got {type(given).__name__}")
        missing, extra = sorted(set(expected) - set(given)), sorted(set(given) - set(expected))
        if missing or extra:
            shown = extra[:4] + [f"... {len(extra) - 4} more"] * (len(extra) > 4)
            return (f"on {description}: missing {missing}, not top-level modules {shown}. Hint: one entry per "
                    "model.named_children(), even a module without parameters (0)")
        for name, count in expected.items():
            if given[name] != count:
                return (f"on {description}: {name!r} has {count:,} parameters, you counted {given[name]!r}. Hint: "
                        "add p.numel() over all of child.parameters() (it walks the sub-modules too), "
                        "trainable or frozen")
    return ""


EXERCISES = [
    Exercise(
        name='04.token_classification_class',
        kind='compute',
        question=(
            "The class that AutoModelForTokenClassification builds for the encoder's config (model_type "
            "'bert')."
        ),
        grade=expect_text(
            "BertForTokenClassification",
            "build it with AutoModelForTokenClassification.from_config(config) and take type(model).__name__",
        ),
        solution="""\
encoder_config = AutoConfig.from_pretrained(encoder_path)
answer = type(AutoModelForTokenClassification.from_config(encoder_config)).__name__
check("04.token_classification_class", answer)
""",
        explanation=(
            "The Auto class looks `config.model_type` up in its table and builds that family's class:\n\n"
            "`BertForTokenClassification`: a `BertModel` plus a linear layer giving one score per label "
            "per token."
        ),
    ),
    Exercise(
        name='04.hidden_states_count',
        kind='compute',
        question=(
            "The number of tensors in hidden_states when all-MiniLM-L6-v2 runs with "
            "output_hidden_states=True."
        ),
        grade=expect_int(7, "one tensor for the embeddings, plus one per layer (config.num_hidden_layers)"),
        solution="""\
encoder = AutoModel.from_pretrained(encoder_path)
encoder_tokenizer = AutoTokenizer.from_pretrained(encoder_path)
encoder_outputs = encoder(**encoder_tokenizer("Hello there", return_tensors="pt"), output_hidden_states=True)
answer = len(encoder_outputs.hidden_states)
check("04.hidden_states_count", answer)
""",
        explanation=(
            "7: the output of the embedding layer, then the output of each of the 6 transformer layers. "
            "`hidden_states[-1]` equals `last_hidden_state`."
        ),
    ),
    Exercise(
        name='04.default_dtype',
        kind='compute',
        question=(
            "The dtype transformers 5 loads the Gemma 3 270M checkpoint in when from_pretrained gets no "
            "dtype."
        ),
        grade=lambda answer, **_: ""
        if str(answer).strip().lower().removeprefix("torch.") == "bfloat16"
        else (
            f"{answer!r} is not it. Hint: in transformers 5 the default is dtype='auto', which reads the "
            "dtype recorded in the checkpoint's config.json"
        ),
        solution="""\
answer = AutoConfig.from_pretrained(bf16_path).dtype  # "auto" reads the config's dtype; no need to load the weights again
check("04.default_dtype", answer)
""",
        explanation=(
            "`torch.bfloat16`: transformers 5 defaults to `dtype=\"auto\"`, the dtype the checkpoint was "
            "saved in. transformers 4 defaulted to float32; pass `dtype=torch.float32` to get that."
        ),
    ),
    Exercise(
        name='04.bf16_bytes',
        kind='compute',
        question=(
            "The number of bytes one parameter takes in bfloat16."
        ),
        grade=expect_int(2, "bfloat16 is a 16-bit format; tensor.element_size() gives the bytes per element"),
        solution="""\
answer = torch.zeros(1, dtype=torch.bfloat16).element_size()
check("04.bf16_bytes", answer)
""",
        explanation=(
            "2 bytes (16 bits: 1 sign, 8 exponent, 7 mantissa bits), against 4 for float32: the memory "
            "footprint halves, as the notebook measured with `get_memory_footprint()`."
        ),
    ),
    Exercise(
        name='04.classify_by_hand',
        kind='build',
        question=(
            "A function classify(texts, tokenizer, model) that returns the text-classification pipeline's answer "
            "(one {'label': name, 'score': probability} per text) by calling the tokenizer and the model itself."
        ),
        grade=_grade_classify,
        solution="""\
def classify(texts: list[str], tokenizer, model) -> list[dict]:
    \"\"\"The pipeline's answer by hand: one {"label": name, "score": probability} per text.\"\"\"
    batch = tokenizer(texts, padding=True, truncation=True, return_tensors="pt")
    probabilities = model(**batch).logits.softmax(dim=-1)
    scores, label_ids = probabilities.max(dim=-1)
    return [{"label": model.config.id2label[i], "score": s} for i, s in zip(label_ids.tolist(), scores.tolist())]


check("04.classify_by_hand", classify, tokenizer=tokenizer, model=model, classifier=classifier)
""",
        explanation=(
            "Texts of different lengths need `padding=True` to become one tensor; the attention mask keeps the "
            "padding out of the answer. The score is the largest softmax probability and the label its index "
            "looked up in `model.config.id2label`: section 4's steps, now checked against the pipeline on texts "
            "you did not see."
        ),
    ),
    Exercise(
        name='04.parameters_per_child',
        kind='build',
        question=(
            "A function parameters_per_child(model) that returns {name: number of parameters} for each top-level "
            "module of a model (model.named_children())."
        ),
        grade=_grade_parameters_per_child,
        solution="""\
def parameters_per_child(model: torch.nn.Module) -> dict[str, int]:
    \"\"\"Parameters of each top-level module, by its name in model.named_children(); 0 for a module without any.\"\"\"
    return {name: sum(p.numel() for p in child.parameters()) for name, child in model.named_children()}


check("04.parameters_per_child", parameters_per_child, model=model)
""",
        explanation=(
            "`named_children()` gives the top-level modules only (the base model, dropout, the classifier head); "
            "`child.parameters()` walks everything inside one of them. Count frozen parameters too: "
            "`requires_grad` says whether a weight is trained, not whether it takes memory. In the sentiment "
            "model almost every parameter sits in the base model and a few thousand in the head, as "
            "`num_parameters()` showed in section 3."
        ),
    ),
]

QUESTIONS = [
    Question(
        question="What three things does a checkpoint folder hold, and which Auto class loads each?",
        answer=(
            "A configuration (`config.json`: the architecture and the label names), loaded by `AutoConfig` into a "
            "`PreTrainedConfig` subclass; the weights (`model.safetensors`), loaded by `AutoModel` or an "
            "`AutoModelFor<Task>` class into a `PreTrainedModel`; and a pre-processor (`tokenizer.json`, "
            "`tokenizer_config.json`), loaded by `AutoTokenizer`, or by `AutoProcessor` when a processor bundles a "
            "feature extractor or image processor with a tokenizer."
        ),
    ),
    Question(
        question=(
            "How does `AutoModelForSequenceClassification.from_pretrained` know to build a "
            "`BertForSequenceClassification`?"
        ),
        answer=(
            "It reads `config.json` first and looks `config.model_type` (`\"bert\"`) up in its table from model "
            "types to classes (`MODEL_FOR_SEQUENCE_CLASSIFICATION_MAPPING_NAMES`), then hands over to that class. "
            "A family without the head is refused at once with a `ValueError`, before any weight is read."
        ),
    ),
    Question(
        question=(
            "You load a base checkpoint with `AutoModelForTokenClassification`. What does the loading report say, "
            "and what must you do before the model is useful?"
        ),
        answer=(
            "The head's weights (`classifier.weight`, `classifier.bias`) are *missing*, so transformers creates "
            "them with random values, and weights of the file the model does not use (the encoder's pooler) are "
            "*unexpected*. The random head must be trained (fine-tuning, notebook 07) before its labels mean "
            "anything."
        ),
    ),
    Question(
        question=(
            "Why did we compare the pipeline's scores with `torch.allclose` and the round trip's logits with "
            "`torch.equal`?"
        ),
        answer=(
            "The pipeline runs one text at a time while we ran a padded batch: the attention mask keeps the padding "
            "out, but sums over different shapes can differ in the last bits of a float. The round trip runs the "
            "same batch through the same weights, which safetensors stores bit for bit, so the logits are "
            "identical."
        ),
    ),
    Question(
        question=(
            "A model stored in bfloat16 is loaded with no `dtype` argument, in transformers 4 and in "
            "transformers 5. What do you get in each?"
        ),
        answer=(
            "transformers 4 loads float32 unless told otherwise, twice the memory. transformers 5 defaults to "
            "`dtype=\"auto\"`, the dtype the checkpoint records: Gemma 3 270M came back in `torch.bfloat16`, half "
            "the `get_memory_footprint()` of its float32 load. Pass `dtype=torch.float32` for the old behaviour."
        ),
    ),
    Question(
        question="What happens to the layers that do not fit in `max_memory`, and what does it cost?",
        answer=(
            "accelerate puts them on the next device and last on the disk: disk-offloaded weights stay on the "
            "`meta` device and are read from the safetensors file at every forward pass. The answers stay the "
            "same; the cost is time, small here because the file sat in the operating system's cache, large from "
            "a cold disk with a model of billions of parameters."
        ),
    ),
    Question(
        question="A Hub model's `config.json` has an `auto_map`. What does it point to, and what happens on your machine when you load it with `trust_remote_code=True`?",
        answer=(
            "`auto_map` maps Auto classes to classes in Python files of the same repository (for example "
            "`\"AutoModelForSequenceClassification\": \"bag_of_embeddings.BagOfEmbeddingsForSequenceClassification\"`): "
            "the architecture is not in your transformers. Without `trust_remote_code=True` `from_pretrained` refuses "
            "with a ValueError; with it, transformers downloads those files into its modules cache, imports them "
            "(as modules of `transformers_modules`) and runs them, which is arbitrary code from the repository. "
            "Read it first and pin `revision=` to the commit you read."
        ),
    ),
]
