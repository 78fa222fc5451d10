"""Exercises: automatic checks that say what is wrong, worked solutions on request, local progress."""
import json
from dataclasses import dataclass
from typing import Any, Callable

from .errors import UnknownNameError
from .paths import cache_dir


@dataclass(frozen=True)
class Exercise:
    """One exercise: ``grade(answer)`` returns ``""`` when right, else what is wrong."""

    question: str
    grade: Callable[[Any], str]
    solution: str


def _expect_text(expected: str, hint: str, *, case: bool = True) -> Callable[[Any], str]:
    """A grader for a string answer; ``hint`` is shown when it is wrong."""

    def grade(answer: Any) -> str:
        if not isinstance(answer, str):
            return f"expected a string, got {type(answer).__name__}"
        given, wanted = answer.strip(), expected
        if not case:
            given, wanted = given.lower(), wanted.lower()
        return "" if given == wanted else f"{answer!r} is not it. Hint: {hint}"

    return grade


def _expect_set(expected: set[str], hint: str) -> Callable[[Any], str]:
    """A grader for a collection of names whose order does not matter; ``hint`` is shown when wrong."""

    def grade(answer: Any) -> str:
        if isinstance(answer, str) or not hasattr(answer, "__iter__"):
            return f"expected a set (or list) of names, got {type(answer).__name__}"
        given = {str(item).strip() for item in answer}
        if given == expected:
            return ""
        missing, extra = sorted(expected - given), sorted(given - expected)
        return f"missing {missing}, should not be there {extra}. Hint: {hint}"

    return grade


def _expect_int(expected: int, hint: str) -> Callable[[Any], str]:
    """A grader for a whole-number answer; ``hint`` is shown when it is wrong."""

    def grade(answer: Any) -> str:
        if isinstance(answer, bool) or not hasattr(answer, "__index__"):
            return f"expected a whole number, got {type(answer).__name__}"
        return "" if int(answer) == expected else f"{answer!r} is not it. Hint: {hint}"

    return grade


def _expect_number(expected: float, hint: str, *, tolerance: float = 0.005) -> Callable[[Any], str]:
    """A grader for a number within ``tolerance`` of ``expected``; ``hint`` is shown when it is wrong."""

    def grade(answer: Any) -> str:
        if isinstance(answer, bool) or not isinstance(answer, (int, float)) and not hasattr(answer, "__float__"):
            return f"expected a number, got {type(answer).__name__}"
        if abs(float(answer) - expected) <= tolerance:
            return ""
        return f"{float(answer):.4f} is not it. Hint: {hint}"

    return grade


def _expect_json_object(expected: dict[str, Any], hint: str) -> Callable[[Any], str]:
    """A grader for a dict that must equal ``expected`` once written as JSON; ``hint`` is shown when wrong."""

    def grade(answer: Any) -> str:
        if not isinstance(answer, dict):
            return f"expected a dict, got {type(answer).__name__}"
        return "" if json.loads(json.dumps(answer)) == expected else f"{answer!r} is not it. Hint: {hint}"

    return grade


EXERCISES: dict[str, Exercise] = {
    "00.cache_folder": Exercise(
        question="Name of the cache folder that holds the Hub repo sentence-transformers/all-MiniLM-L6-v2.",
        grade=_expect_text(
            "models--sentence-transformers--all-MiniLM-L6-v2",
            "the folder is '<type>s--' followed by the repo id with '/' replaced by '--'",
        ),
        solution=(
            "The cache keeps one folder per repo: its type in the plural, then the repo id with "
            "`/` replaced by `--`:\n\n"
            "```python\nanswer = 'models--' + 'sentence-transformers/all-MiniLM-L6-v2'.replace('/', '--')\n```"
        ),
    ),
    "00.offline_variable": Exercise(
        question="The environment variable that makes huggingface_hub and transformers work offline.",
        grade=_expect_text("HF_HUB_OFFLINE", "it starts with HF_HUB_ and you set it to 1"),
        solution="`HF_HUB_OFFLINE=1` (set it before importing transformers): `answer = 'HF_HUB_OFFLINE'`.",
    ),
    "00.model_card_licence": Exercise(
        question="The licence that the encoder's model card declares in its metadata.",
        grade=_expect_text(
            "apache-2.0", "load the card with ModelCard.load(path) and read card.data.license", case=False
        ),
        solution=(
            "```python\nfrom huggingface_hub import ModelCard\n"
            "card = ModelCard.load(Path(encoder_path) / 'README.md')\nanswer = card.data.license\n```"
        ),
    ),
    "00.safe_format": Exercise(
        question="The weight format that cannot run code when it is loaded.",
        grade=_expect_text(
            "safetensors", "pickle-based .bin files can execute code; the other one cannot", case=False
        ),
        solution="`answer = 'safetensors'`: it stores only tensors and a JSON header, no Python objects.",
    ),
    "01.default_model": Exercise(
        question="The Hub id of the model that pipeline('sentiment-analysis') downloads when no model is given.",
        grade=_expect_text(
            "distilbert/distilbert-base-uncased-finetuned-sst-2-english",
            "check_task('sentiment-analysis') returns the task's entry; its 'default' names the model",
        ),
        solution=(
            "'sentiment-analysis' is an alias of 'text-classification'; the task's entry names its default:\n\n"
            "```python\nfrom transformers.pipelines import check_task\n"
            "task, task_info, _ = check_task('sentiment-analysis')\n"
            "answer = task_info['default']['model'][0]  # (model id, revision)\n```\n\n"
            "An English DistilBERT fine-tuned on movie reviews (SST-2): pin your own model instead."
        ),
    ),
    "01.removed_tasks": Exercise(
        question=(
            "Which of text-classification, summarization, fill-mask, translation, question-answering and "
            "zero-shot-classification are no longer pipeline tasks in transformers 5?"
        ),
        grade=_expect_set(
            {"summarization", "translation", "question-answering"},
            "a removed task is not a key of transformers.pipelines.SUPPORTED_TASKS",
        ),
        solution=(
            "```python\nfrom transformers.pipelines import SUPPORTED_TASKS\n"
            "answer = {name for name in candidates if name not in SUPPORTED_TASKS}\n```\n\n"
            "summarization and translation: use an instruct LLM through `text-generation` or "
            "`AutoModelForSeq2SeqLM` + `generate`; question-answering: `AutoModelForQuestionAnswering` directly."
        ),
    ),
    "01.aggregation_strategy": Exercise(
        question="The aggregation_strategy of the token-classification pipeline that merges B-/I- runs into entities.",
        grade=_expect_text(
            "simple", "it is the simplest of none, simple, first, average and max", case=False
        ),
        solution=(
            "`aggregation_strategy=\"simple\"` merges consecutive tokens of one entity (B-PER, I-PER, ...) "
            "into one entry with `entity_group`, `word`, `start`, `end` and the mean score. "
            "`first`, `average` and `max` also decide how to label a word whose sub-word pieces disagree."
        ),
    ),
    "01.padding_tokens": Exercise(
        question=(
            "Padding positions in one batch of 'Great flight!' (5 tokens) and "
            "'The flight was delayed by two hours.' (10 tokens)."
        ),
        grade=_expect_int(5, "every text is padded to the longest one in the batch"),
        solution=(
            "The batch is padded to the longest text, 10 tokens: the short one gets 10 - 5 = 5 `[PAD]` "
            "tokens (attention mask 0):\n\n```python\n"
            "batch = tokenizer(['Great flight!', 'The flight was delayed by two hours.'], padding=True)\n"
            "answer = sum(mask.count(0) for mask in batch['attention_mask'])\n```"
        ),
    ),
    "02.sampling_rate": Exercise(
        question="The sampling rate (samples per second) that the speech recogniser's feature extractor expects.",
        grade=_expect_int(16000, "read feature_extractor.sampling_rate; Whisper and wav2vec2 both want the same"),
        solution=(
            "```python\nfeature_extractor = AutoFeatureExtractor.from_pretrained(asr_path)\n"
            "answer = feature_extractor.sampling_rate\n```\n\n"
            "16,000 Hz. Audio recorded at another rate (espeak-ng writes 22,050 Hz, CDs are 44,100 Hz) must be "
            "resampled first, or passed as `{\"raw\": array, \"sampling_rate\": rate}` so the pipeline can do it."
        ),
    ),
    "02.box_keys": Exercise(
        question="The keys of the 'box' dictionary in each result of the object-detection pipeline.",
        grade=_expect_set(
            {"xmin", "ymin", "xmax", "ymax"}, "take detections[0]['box'] and list its keys"
        ),
        solution=(
            "```python\nanswer = set(detections[0][\"box\"])\n```\n\n"
            "`xmin`, `ymin`, `xmax`, `ymax`: the corners in pixels of the input image (the image processor's "
            "`post_process_object_detection` scales the model's relative centre/size boxes back)."
        ),
    ),
    "02.clip_logits_shape": Exercise(
        question="The shape of CLIP's logits_per_image for 4 images scored against 10 candidate captions.",
        grade=lambda answer: ""
        if isinstance(answer, (tuple, list)) and tuple(answer) == (4, 10)
        else f"{answer!r} is not it. Hint: one row per image, one column per caption",
        solution=(
            "```python\ninputs = processor(text=captions, images=images[:4], padding=True, return_tensors='pt')\n"
            "answer = tuple(model(**inputs).logits_per_image.shape)  # (4, 10)\n```\n\n"
            "One row per image and one column per caption; `logits_per_text` is its transpose. A softmax "
            "over each row gives the zero-shot pipeline's scores."
        ),
    ),
    # 03 tokenizers
    "03.special_tokens": Exercise(
        question="The special tokens that all-MiniLM-L6-v2's tokenizer adds around a single sentence.",
        grade=_expect_set(
            {"[CLS]", "[SEP]"},
            "encode a sentence, convert the ids back to tokens and keep those in tokenizer.all_special_tokens",
        ),
        solution=(
            "```python\nids = tokenizer('Where is my bag?')['input_ids']\n"
            "answer = {t for t in tokenizer.convert_ids_to_tokens(ids) if t in tokenizer.all_special_tokens}\n```\n\n"
            "`[CLS]` in front (its hidden state is what BERT-style classifiers read) and `[SEP]` at the end "
            "(it also separates the two texts of a pair). `[PAD]`, `[MASK]` and `[UNK]` are special too, but "
            "only appear when padding, masking or an unknown piece calls for them."
        ),
    ),
    "03.unk_count": Exercise(
        question="The number of [UNK] tokens all-MiniLM-L6-v2's tokenizer produces for 我喜欢这家航空公司的服务。",
        grade=_expect_int(6, "tokenize the sentence and count tokenizer.unk_token in the list"),
        solution=(
            "```python\nanswer = tokenizer.tokenize('我喜欢这家航空公司的服务。').count(tokenizer.unk_token)\n```\n\n"
            "6 of its 13 tokens: the normalizer makes every CJK character a word of its own, and the English "
            "vocabulary holds only a few hundred of them (我, 家, 空, 公, 司, 的 and 。 are known). A model "
            "cannot tell the six `[UNK]` apart: use a tokenizer that covers Chinese."
        ),
    ),
    "03.max_length_95": Exercise(
        question="The smallest max_length that truncates at most 5% of the training tweets (MiniLM tokens).",
        grade=_expect_int(
            54, "find the first n for which (lengths > n).mean() <= 0.05; it is the 95th percentile, rounded up"
        ),
        solution=(
            "```python\nanswer = next(n for n in range(lengths.max() + 1) if (lengths > n).mean() <= 0.05)\n```\n\n"
            "54 tokens: about 4.4% of the 29,757 training tweets are longer. `int(np.ceil(np.percentile(lengths, "
            "95)))` gives the same number here; counting directly avoids any doubt about how the percentile "
            "interpolates."
        ),
    ),
    "03.embedding_rows": Exercise(
        question=(
            "Rows the MiniLM embedding matrix needs after adding '@jetblue', 'flight' and '#fail' to a fresh copy "
            "of its tokenizer."
        ),
        grade=_expect_int(
            30524,
            "'flight' already has an id, so only two new ids exist whatever add_tokens returns: use len(tokenizer)",
        ),
        solution=(
            "```python\nreturned = tokenizer.add_tokens(['@jetblue', 'flight', '#fail'])  # 3 in transformers 5\n"
            "answer = len(tokenizer)  # 30,522 + 2 = 30,524\n"
            "model.resize_token_embeddings(len(tokenizer))\n```\n\n"
            "'flight' is already in the vocabulary (id 3462): it becomes an added token that keeps its old id, "
            "so only '@jetblue' and '#fail' get new ids (30522 and 30523). `vocab_size + returned` would give an "
            "embedding row that no id uses; `len(tokenizer)` always counts the ids that exist."
        ),
    ),
    # 04 Auto classes
    "04.token_classification_class": Exercise(
        question="The class that AutoModelForTokenClassification builds for the encoder's config (model_type 'bert').",
        grade=_expect_text(
            "BertForTokenClassification",
            "build it with AutoModelForTokenClassification.from_config(config) and take type(model).__name__",
        ),
        solution=(
            "The Auto class looks `config.model_type` up in its table and builds that family's class:\n\n"
            "```python\nanswer = type(AutoModelForTokenClassification.from_config(encoder_config)).__name__\n"
            "# or, without building anything:\n"
            "from transformers.models.auto import modeling_auto\n"
            "answer = modeling_auto.MODEL_FOR_TOKEN_CLASSIFICATION_MAPPING_NAMES['bert']\n```\n\n"
            "`BertForTokenClassification`: a `BertModel` plus a linear layer giving one score per label per token."
        ),
    ),
    "04.hidden_states_count": Exercise(
        question="The number of tensors in hidden_states when all-MiniLM-L6-v2 runs with output_hidden_states=True.",
        grade=_expect_int(7, "one tensor for the embeddings, plus one per layer (config.num_hidden_layers)"),
        solution=(
            "```python\nencoder_outputs = encoder(**inputs, output_hidden_states=True)\n"
            "answer = len(encoder_outputs.hidden_states)  # == encoder.config.num_hidden_layers + 1\n```\n\n"
            "7: the output of the embedding layer, then the output of each of the 6 transformer layers. "
            "`hidden_states[-1]` equals `last_hidden_state`."
        ),
    ),
    "04.default_dtype": Exercise(
        question="The dtype transformers 5 loads the Gemma 3 270M checkpoint in when from_pretrained gets no dtype.",
        grade=lambda answer: ""
        if str(answer).strip().lower().removeprefix("torch.") == "bfloat16"
        else (
            f"{answer!r} is not it. Hint: in transformers 5 the default is dtype='auto', which reads the "
            "dtype recorded in the checkpoint's config.json"
        ),
        solution=(
            "```python\nanswer = AutoConfig.from_pretrained(bf16_path).dtype\n"
            "# or load it: AutoModelForCausalLM.from_pretrained(bf16_path).dtype\n```\n\n"
            "`torch.bfloat16`: transformers 5 defaults to `dtype=\"auto\"`, the dtype the checkpoint was saved "
            "in. transformers 4 defaulted to float32; pass `dtype=torch.float32` to get that."
        ),
    ),
    "04.bf16_bytes": Exercise(
        question="The number of bytes one parameter takes in bfloat16.",
        grade=_expect_int(2, "bfloat16 is a 16-bit format; tensor.element_size() gives the bytes per element"),
        solution=(
            "```python\nanswer = torch.zeros(1, dtype=torch.bfloat16).element_size()\n```\n\n"
            "2 bytes (16 bits: 1 sign, 8 exponent, 7 mantissa bits), against 4 for float32: the memory "
            "footprint halves, as the notebook measured with `get_memory_footprint()`."
        ),
    ),
    # 05 generation
    "05.generation_prompt": Exercise(
        question=(
            "The text that add_generation_prompt=True appends to SmolLM2's chat prompt "
            "(surrounding whitespace and newlines ignored)."
        ),
        grade=_expect_text(
            "<|im_start|>assistant",
            "render the same messages with and without it (tokenize=False) and take what the longer string adds",
        ),
        solution=(
            "```python\nwith_prompt = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)\n"
            "without = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=False)\n"
            "answer = with_prompt[len(without):]  # '<|im_start|>assistant\\n'\n```\n\n"
            "The template opens the assistant's turn, so the model's most likely continuation is the answer "
            "itself, not another user message. Without it a chat model may continue the user's text."
        ),
    ),
    "05.top_p_kept": Exercise(
        question=(
            "How many of the five tokens with probabilities 0.5, 0.2, 0.15, 0.1 and 0.05 does top-p "
            "(nucleus) filtering with top_p=0.8 keep?"
        ),
        grade=_expect_int(
            3,
            "keep the most likely tokens until their probabilities add up to at least top_p; "
            "TopPLogitsWarper sets the others to -inf",
        ),
        solution=(
            "```python\nlogits = torch.tensor([[0.5, 0.2, 0.15, 0.1, 0.05]]).log()\n"
            "filtered = TopPLogitsWarper(top_p=0.8)(None, logits)\n"
            "answer = int(torch.isfinite(filtered).sum())  # 3\n```\n\n"
            "0.5 + 0.2 = 0.7 is not yet 0.8; adding 0.15 gives 0.85, so three tokens form the nucleus and "
            "sampling picks among them after renormalising (0.5/0.85, 0.2/0.85, 0.15/0.85)."
        ),
    ),
    "05.no_cache_positions": Exercise(
        question=(
            "Without a KV cache, how many token positions does the model process in total to generate "
            "5 new tokens after a 10-token prompt?"
        ),
        grade=_expect_int(
            60,
            "step 1 reads the 10 prompt tokens, step 2 reads 11, ...; the 5th new token needs no step of its own after it",
        ),
        solution=(
            "Every step feeds the whole sequence so far: 10 + 11 + 12 + 13 + 14 positions.\n\n"
            "```python\nanswer = sum(10 + step for step in range(5))  # 60\n```\n\n"
            "With the cache: 10 (the prompt, once) + 1 + 1 + 1 + 1 = 14. Without it the total grows with the "
            "square of the length, with it only linearly: that is why `use_cache=True` is the default."
        ),
    ),
    "05.eos_token": Exercise(
        question="The token at which SmolLM2-135M-Instruct's generate stops an answer (its end-of-sequence token).",
        grade=_expect_text(
            "<|im_end|>", "decode model.generation_config.eos_token_id with the tokenizer"
        ),
        solution=(
            "```python\nanswer = tokenizer.decode(model.generation_config.eos_token_id)  # '<|im_end|>'\n```\n\n"
            "The chat template closes every turn with `<|im_end|>`, so the model learned to emit it when its "
            "answer is complete; `generate` stops there (or at `max_new_tokens`)."
        ),
    ),
    # 06 datasets
    "06.neutral_in_validation": Exercise(
        question="The number of tweets labelled neutral in the validation split of the course tweets.",
        grade=_expect_int(1443, "filter the validation split on label == 1 (neutral) and take num_rows"),
        solution=(
            "```python\nneutral = tweets['validation'].features['label'].str2int('neutral')\n"
            "answer = tweets['validation'].filter(lambda row: row['label'] == neutral).num_rows  # 1443\n```\n\n"
            "`collections.Counter(tweets['validation']['label'])[1]` gives the same without a new data set."
        ),
    ),
    "06.stratify_argument": Exercise(
        question="The train_test_split argument that keeps class proportions equal in both parts.",
        grade=_expect_text("stratify_by_column", "it names the column to stratify by"),
        solution=(
            "`answer = 'stratify_by_column'`: `split = ds.train_test_split(test_size=0.2, "
            "stratify_by_column='label', seed=0)`. The column must be a `ClassLabel`."
        ),
    ),
    "06.dynamic_padding_positions": Exercise(
        question="Padding positions when texts of 12, 31, 7 and 18 tokens are padded dynamically in one batch.",
        grade=_expect_int(56, "every row is padded to the batch's longest text; count positions minus real tokens"),
        solution=(
            "Dynamic padding pads every row to the longest in the batch, 31: 4 × 31 = 124 positions, of "
            "which 12 + 31 + 7 + 18 = 68 are real tokens.\n\n```python\nlengths = [12, 31, 7, 18]\n"
            "answer = len(lengths) * max(lengths) - sum(lengths)  # 56\n```\n\n"
            "Padded to `max_length=128` it would be 4 × 128 − 68 = 444."
        ),
    ),
    "06.csv_label_dtype": Exercise(
        question="The dtype of the label feature after reading the normalised tweets back from CSV.",
        grade=_expect_text("int64", "read from_csv.features['label'].dtype"),
        solution=(
            "```python\nanswer = from_csv.features['label'].dtype  # 'int64'\n```\n\n"
            "CSV stores numbers, not names: the `ClassLabel` became a plain `Value('int64')`. "
            "`cast_column('label', ClassLabel(names=label_names))` restores it. (The broken CSV, "
            "before normalising, gave `float64`: pandas makes a float column when values are missing.)"
        ),
    ),
    # 07 Trainer
    "07.optimizer_steps": Exercise(
        question=(
            "Optimizer steps of a run on one device: 1,024 training examples, per_device_train_batch_size=16, "
            "gradient_accumulation_steps=4, num_train_epochs=3."
        ),
        grade=_expect_int(48, "batches per epoch = examples / batch size; one optimizer step every 4 batches"),
        solution=(
            "1,024 / 16 = 64 batches per epoch; with `gradient_accumulation_steps=4` the optimizer steps once "
            "every 4 batches, so 64 / 4 = 16 steps per epoch and 3 × 16 = 48 steps in all. The effective "
            "batch is 16 × 4 = 64 examples (times the number of devices).\n\n"
            "```python\nanswer = (1024 // 16) // 4 * 3\n```"
        ),
    ),
    "07.warmup_steps": Exercise(
        question="Warm-up steps of that 48-step run with warmup_steps=0.1 (transformers 5).",
        grade=_expect_int(5, "a float below 1 is a ratio of the total steps, rounded up"),
        solution=(
            "In transformers 5 `warmup_ratio` is gone: a float `warmup_steps` below 1 is a ratio of the "
            "total training steps, rounded up: ceil(48 × 0.1) = ceil(4.8) = 5.\n\n"
            "```python\nanswer = TrainingArguments(output_dir='tmp', warmup_steps=0.1).get_warmup_steps(48)\n```"
        ),
    ),
    "07.removed_arguments": Exercise(
        question=(
            "Which of learning_rate, warmup_ratio, warmup_steps, evaluation_strategy, eval_strategy, no_cuda "
            "and use_cpu are not TrainingArguments fields in transformers 5?"
        ),
        grade=_expect_set(
            {"warmup_ratio", "evaluation_strategy", "no_cuda"},
            "dataclasses.fields(TrainingArguments) lists every argument the installed version accepts",
        ),
        solution=(
            "```python\nimport dataclasses\nfields = {f.name for f in dataclasses.fields(TrainingArguments)}\n"
            "answer = {name for name in candidates if name not in fields}\n```\n\n"
            "`warmup_ratio` became a float `warmup_steps`, `evaluation_strategy` became `eval_strategy`, "
            "`no_cuda` became `use_cpu`. Old tutorials that pass them now fail with a TypeError."
        ),
    ),
    "07.majority_macro_f1": Exercise(
        question=(
            "Macro-F1 on the tweet test split of a 'classifier' that answers negative for every tweet "
            "(negative is the most frequent label)."
        ),
        grade=_expect_number(0.2001, "F1 of negative with precision = its share and recall 1; the other two F1 are 0"),
        solution=(
            "Negative is 1,595 of the 3,720 test tweets, so accuracy = 0.429 (the share of the majority "
            "class). Negative's precision is 0.429 and its recall 1, so its F1 = 2pr/(p+r) = 0.600; neutral "
            "and positive are never predicted, F1 = 0. Macro-F1 averages the three: 0.600 / 3 = 0.200. "
            "Accuracy flatters a model that ignores small classes; macro-F1 does not.\n\n"
            "```python\nfrom sklearn.metrics import f1_score\n"
            "answer = f1_score(test_labels, [0] * len(test_labels), average='macro', zero_division=0)\n```"
        ),
    ),
    # 08 custom loops
    "08.backward_call": Exercise(
        question="The Accelerator method that replaces loss.backward().",
        grade=_expect_text("backward", "it has the same name as the tensor method it replaces", case=False),
        solution=(
            "`answer = 'backward'`: `accelerator.backward(loss)`. It scales the loss under fp16 mixed "
            "precision, and under DeepSpeed it calls the engine's own backward."
        ),
    ),
    "08.rank1_shard": Exercise(
        question="The numbers that rank 1 of 2 sees from a prepared DataLoader of 0..7 in batches of 2.",
        grade=lambda answer: ""
        if isinstance(answer, (set, list, tuple)) and {int(n) for n in answer} == {2, 3, 6, 7}
        else f"{answer!r} is not it. Hint: flatten ranks[1]['shard_of_0_to_7'] into a set",
        solution=(
            "```python\nrank1 = next(r for r in ranks if r['rank'] == 1)\n"
            "answer = {n for batch in rank1['shard_of_0_to_7'] for n in batch}  # {2, 3, 6, 7}\n```\n\n"
            "Batches are dealt out in turn: rank 0 gets [0, 1] and [4, 5], rank 1 gets [2, 3] and [6, 7]."
        ),
    ),
    "08.zero3_gigabytes": Exercise(
        question="GB of model states per GPU for an 8B-parameter model under ZeRO-3 on 8 GPUs (16 bytes/parameter).",
        grade=_expect_int(16, "16 bytes per parameter, divided over the GPUs: bytes_per_gpu(8e9, 8)['ZeRO-3 / FSDP'] / 1e9"),
        solution=(
            "```python\nanswer = round(bytes_per_gpu(8e9, 8)['ZeRO-3 / FSDP'] / 1e9)  # 16\n```\n\n"
            "16 bytes × 8e9 parameters = 128 GB in all, sharded over 8 GPUs. Plain data parallelism "
            "would need all 128 GB on every GPU."
        ),
    ),
    # 09 LoRA
    "09.lora_parameters": Exercise(
        question="Parameters of a rank-16 LoRA update of MiniLM's bert.encoder.layer.0.intermediate.dense (384 -> 1536).",
        grade=_expect_int(30720, "B is out_features x r and A is r x in_features: r * (in_features + out_features)"),
        solution=(
            "LoRA learns B (d × r) and A (r × k) instead of the d × k update: r · (d + k) numbers.\n\n"
            "```python\nlayer = base_classifier.get_submodule('bert.encoder.layer.0.intermediate.dense').base_layer\n"
            "answer = 16 * (layer.in_features + layer.out_features)  # 16 * (384 + 1536) = 30,720\n```\n\n"
            "The full matrix has 384 × 1536 = 589,824 weights: the update costs 5% of it."
        ),
    ),
    "09.chat_lora_parameters": Exercise(
        question="Trainable parameters of LoRA r=8 on q_proj and v_proj of SmolLM2-135M, from its config.",
        grade=_expect_int(
            460800, "per layer r*(576+576) for q_proj plus r*(576+192) for v_proj (3 key/value heads of 64), times 30 layers"
        ),
        solution=(
            "SmolLM2-135M: hidden size 576, 9 query heads and 3 key/value heads of 64 dimensions, 30 layers. "
            "q_proj is 576 → 576, v_proj 576 → 192 (grouped-query attention).\n\n"
            "```python\nhead_dim = config.hidden_size // config.num_attention_heads\n"
            "q_out = config.num_attention_heads * head_dim  # 576\n"
            "v_out = config.num_key_value_heads * head_dim  # 192\n"
            "answer = config.num_hidden_layers * 8 * ((576 + q_out) + (576 + v_out))  # 30 * (9,216 + 6,144) = 460,800\n```"
        ),
    ),
    "09.target_field": Exercise(
        question="The LoraConfig field that names the layers that get a LoRA update.",
        grade=_expect_text("target_modules", "a list of module-name suffixes such as ['q_proj', 'v_proj']"),
        solution=(
            "`answer = 'target_modules'`: names (or suffixes, or a regex, or `'all-linear'`) of the modules to "
            "wrap with LoRA. `modules_to_save` is the other list: modules trained and saved in full, such as a new head."
        ),
    ),
    "09.merged_class": Exercise(
        question="The class name of what merge_and_unload() returns for SmolLM2.",
        grade=_expect_text("LlamaForCausalLM", "type(merged).__name__: the plain transformers class, no PEFT wrapper"),
        solution=(
            "`answer = type(merged).__name__  # 'LlamaForCausalLM'`: `merge_and_unload` adds each "
            "(lora_alpha / r) · B·A into its weight, replaces the LoRA layers by plain `nn.Linear` and returns "
            "the underlying transformers model (SmolLM2 is a Llama architecture)."
        ),
    ),
    # 10 quantization
    "10.int4_7b_gigabytes": Exercise(
        question="GB (10^9 bytes) taken by the weights of a 7-billion-parameter model in int4, scales not counted.",
        grade=_expect_number(3.5, "parameters x bits per parameter / 8 bits per byte / 1e9", tolerance=0.01),
        solution=(
            "```python\nanswer = 7e9 * 4 / 8 / 1e9  # 3.5\n```\n\n"
            "3.5 GB, against 14 GB in bfloat16 and 28 GB in float32. With one float32 scale and shift per "
            "group of 128 weights (quanto's int4) it is 4.5 bits per weight, about 3.9 GB."
        ),
    ),
    "10.int8_scale": Exercise(
        question="The symmetric int8 absmax scale of the tensor [0.5, -2.54, 1.0, 0.02] (one scale for the tensor).",
        grade=_expect_number(0.02, "the largest absolute value, divided by 127", tolerance=1e-5),
        solution=(
            "```python\ntoy = torch.tensor([0.5, -2.54, 1.0, 0.02])\n"
            "answer = (toy.abs().max() / 127).item()  # 2.54 / 127 = 0.02\n```\n\n"
            "The integers are `round(toy / 0.02)` = [25, -127, 50, 1]: the largest value lands on -127, and "
            "0.02 becomes 1, one step of the scale."
        ),
    ),
    "10.overflow_format": Exercise(
        question="Which of float16 and bfloat16 turns 70,000 into infinity?",
        grade=_expect_text(
            "float16", "convert torch.tensor(70000.0) to each dtype and test torch.isinf", case=False
        ),
        solution=(
            "```python\noverflowing = [d for d in (torch.float16, torch.bfloat16) "
            "if torch.isinf(torch.tensor(70000.0).to(d))]\n"
            "answer = str(overflowing[0]).removeprefix('torch.')  # 'float16'\n```\n\n"
            "float16 has 5 exponent bits: its largest finite value is 65,504 "
            "(`torch.finfo(torch.float16).max`). bfloat16 has float32's 8 exponent bits, so 70,000 is only "
            "rounded (to 70,144): range for precision."
        ),
    ),
    "10.int4_group_bytes": Exercise(
        question="Bytes quanto's int4 uses for one group of 128 weights in a float32 model (packed values, scale, shift).",
        grade=_expect_int(72, "128 values at 4 bits, plus one float32 scale and one float32 shift"),
        solution=(
            "```python\nint4_weight = int4_layer[0].weight\ngroups = int4_weight._scale.numel()\n"
            "answer = (tensor_bytes(int4_weight._data) + tensor_bytes(int4_weight._scale)\n"
            "          + tensor_bytes(int4_weight._shift)) // groups  # 64 + 4 + 4 = 72\n```\n\n"
            "72 bytes for 128 weights = 4.5 bits per weight, 0.14 of their 512 float32 bytes."
        ),
    ),
    # 11 RAG
    "11.top_passage_title": Exercise(
        question=(
            "The title of the passage that the MiniLM embeddings (mean pooling, L2-normalised, cosine) rank "
            "first for the question 'Who wrote the first web browser?'."
        ),
        grade=_expect_text(
            "World Wide Web",
            "embed the question, take the dot product with every normalised passage embedding and look up "
            "the title of the largest",
            case=False,
        ),
        solution=(
            "```python\nscores = doc_embeddings @ embed(['Who wrote the first web browser?'])[0]\n"
            "answer = titles[int(scores.argmax())]  # 'World Wide Web'\n```\n\n"
            "`retrieve(question, k=1)` does the same. The passage says Tim Berners-Lee 'wrote the first web "
            "browser', so it shares both meaning and words with the question; its cosine is far above the "
            "runner-up's."
        ),
    ),
    "11.cosine_of_unit_vectors": Exercise(
        question="The cosine similarity of the vectors (3, 4) and (4, 3).",
        grade=_expect_number(0.96, "divide each vector by its length (5), then take the dot product"),
        solution=(
            "Both vectors have length 5, so the unit vectors are (0.6, 0.8) and (0.8, 0.6), and their dot "
            "product is 0.48 + 0.48 = 0.96.\n\n"
            "```python\na = F.normalize(torch.tensor([3.0, 4.0]), dim=0)\n"
            "b = F.normalize(torch.tensor([4.0, 3.0]), dim=0)\nanswer = float(a @ b)  # 0.96\n```\n\n"
            "That is why the notebook normalises the embeddings once: afterwards cosine similarity is a plain "
            "dot product, and comparing every question with every passage is one matrix product."
        ),
    ),
    "11.hit_rate_at_2_toy": Exercise(
        question=(
            "Hit rate at 2 of a retriever whose rankings (best first) for four questions are [2, 0, 1], "
            "[1, 2, 0], [0, 1, 2] and [2, 1, 0], when the source passages are 0, 2, 1 and 0."
        ),
        grade=_expect_number(
            0.75, "a question is a hit when its source passage is among the first 2 of its ranking; take the share"
        ),
        solution=(
            "Top 2 of each ranking: {2, 0} holds 0 (hit), {1, 2} holds 2 (hit), {0, 1} holds 1 (hit), "
            "{2, 1} lacks 0 (miss): 3 hits of 4.\n\n"
            "```python\nanswer = float((toy_rankings[:, :2] == toy_gold[:, None]).any(axis=1).mean())  # 0.75\n```\n\n"
            "The hit rate at 1 of the same rankings is 0: no source passage is ranked first. Hit rate at k "
            "can only grow with k."
        ),
    ),
    # 12 troubleshooting
    "12.evaluation_strategy_new_name": Exercise(
        question="The transformers 5 name of the TrainingArguments argument evaluation_strategy.",
        grade=_expect_text("eval_strategy", "look for a field of TrainingArguments that ends in _strategy and starts with eval"),
        solution=(
            "```python\nfields = [f.name for f in dataclasses.fields(TrainingArguments)]\n"
            "answer = next(n for n in fields if n.endswith('_strategy') and n.startswith('eval'))  # 'eval_strategy'\n```\n\n"
            "The values are the same (`'no'`, `'steps'`, `'epoch'`). `TrainingArguments(evaluation_strategy=...)` "
            "fails with `TypeError: ... unexpected keyword argument 'evaluation_strategy'`."
        ),
    ),
    "12.window_count": Exercise(
        question=(
            "Windows for a 1,200-token text with truncation=True, max_length=512, stride=128, "
            "return_overflowing_tokens=True (MiniLM: 2 special tokens per window)."
        ),
        grade=_expect_int(3, "each window holds 510 text tokens and starts 510 - 128 = 382 tokens after the previous one"),
        solution=(
            "Each window holds 512 - 2 = 510 text tokens; consecutive windows share 128, so each starts "
            "382 tokens after the last: windows start at 0, 382 and 764, and the third one (764 to 1,200) "
            "reaches the end. In general 1 + ceil((n - 510) / 382) = 1 + ceil(690 / 382) = 3.\n\n"
            "```python\nwindows = tokenizer(long_text, truncation=True, max_length=512, stride=128, "
            "return_overflowing_tokens=True)\nanswer = len(windows['input_ids'])  # 3\n```"
        ),
    ),
    "12.effective_batch": Exercise(
        question="Examples per optimizer step with per_device_train_batch_size=4, gradient_accumulation_steps=8, one device.",
        grade=_expect_int(32, "per-device batch x accumulation steps x number of devices"),
        solution=(
            "```python\nanswer = args.per_device_train_batch_size * args.gradient_accumulation_steps * args.world_size  # 32\n```\n\n"
            "Each optimizer step adds up the gradients of 8 micro-batches of 4. On 4 GPUs it would be 128: "
            "the accumulation count stays, the devices multiply."
        ),
    ),
    # 14 serving
    "14.onnx_inputs": Exercise(
        question="The names of the inputs of the exported ONNX classifier, as a set (ask the InferenceSession).",
        grade=_expect_set(
            {"input_ids", "attention_mask"},
            "session.get_inputs() lists them; we exported with input_ids and attention_mask only",
        ),
        solution=(
            "```python\nanswer = {model_input.name for model_input in session.get_inputs()}  # {'input_ids', 'attention_mask'}\n```\n\n"
            "The export passed only these two keyword arguments, so `token_type_ids` is not an input: BERT then "
            "uses its default, all zeros, which is what the tokenizer gives for a single text. Feeding "
            "`session.run` a dict with an extra `token_type_ids` entry fails with an *invalid input name* error."
        ),
    ),
    "14.validation_error_type": Exercise(
        question="The pydantic error type that serving.ClassifyRequest gives a text of 1,001 characters.",
        grade=_expect_text("string_too_long", "catch pydantic.ValidationError and read error.errors()[0]['type']"),
        solution=(
            "```python\ntry:\n    serving.ClassifyRequest.model_validate({'text': 'x' * 1001})\n"
            "except pydantic.ValidationError as error:\n    answer = error.errors()[0]['type']  # 'string_too_long'\n```\n\n"
            "`StringConstraints(max_length=MAX_TEXT_CHARS)` is checked by pydantic before the endpoint runs; "
            "FastAPI turns the error into a 422 whose `msg` says 'String should have at most 1000 characters'."
        ),
    ),
    "14.forward_passes": Exercise(
        question="The fewest forward passes a micro-batcher with batch_size=16 needs for 200 requests that arrive together.",
        grade=_expect_int(13, "each pass takes at most 16 requests; the last pass takes what is left"),
        solution=(
            "```python\nanswer = math.ceil(200 / 16)  # 13\n```\n\n"
            "Twelve full batches answer 192 requests and a thirteenth answers the last 8. `200 // 16 = 12` "
            "forgets them: round up, not down. Without batching it would be 200 passes."
        ),
    ),
    "14.p95_latency": Exercise(
        question="The p95 (numpy.percentile, default linear interpolation) of the 20 latencies in the notebook, in ms.",
        grade=_expect_number(102.75, "np.percentile(latencies_ms, 95); it lies between the two largest values", tolerance=0.01),
        solution=(
            "```python\nanswer = float(np.percentile(latencies_ms, 95))  # 102.75\n```\n\n"
            "Sorted, the 95th percentile sits at position 0.95 x 19 = 18.05, between the 19th value (95 ms) and "
            "the 20th (250 ms): 95 + 0.05 x 155 = 102.75 ms. The median is 13.5 ms: two slow requests of twenty "
            "barely move the p50 but dominate the p95, which is why services promise a p95 or p99."
        ),
    ),
    # 13 prompting and evaluation
    "13.parsed_label": Exercise(
        question="The label the notebook's parsing rule gives to the answer 'Neutral, though a bit negative'.",
        grade=_expect_text(
            "neutral", "the rule lower-cases the answer and takes the FIRST label word that occurs in it", case=False
        ),
        solution=(
            "The rule lower-cases the text and searches for the first whole word among negative, neutral and "
            "positive; 'neutral' comes before 'negative':\n\n"
            "```python\nanswer = label_names[parse_label('Neutral, though a bit negative')]  # 'neutral'\n```\n\n"
            "Any rule is a choice (first word, last word, only exact answers); what matters is that it is fixed "
            "before the evaluation and that answers it cannot parse are counted as wrong."
        ),
    ),
    "13.few_shot_turns": Exercise(
        question=(
            "The number of <|im_start|> markers in SmolLM2's few-shot prompt with a system message, three "
            "examples and the question, rendered with add_generation_prompt=True."
        ),
        grade=_expect_int(
            9, "count the system turn, a user and an assistant turn per example, the question, and the opened answer"
        ),
        solution=(
            "1 system turn + 3 × (user + assistant) + 1 user turn with the question + 1 assistant turn opened by "
            "`add_generation_prompt=True` = 9.\n\n"
            "```python\ntext = tokenizer.apply_chat_template(few_shot_messages('I love it', shots[:3]), tokenize=False,\n"
            "                                     add_generation_prompt=True)\nanswer = text.count('<|im_start|>')  # 9\n```\n\n"
            "Every example is paid for in every prompt: that is why the few-shot prompt is slower per tweet."
        ),
    ),
    "13.wilson_lower": Exercise(
        question="The lower end of the 95% Wilson interval for 30 correct answers out of 60.",
        grade=_expect_number(0.377, "use wilson_interval(30, 60) and take its first value", tolerance=0.002),
        solution=(
            "```python\nlower, upper = wilson_interval(30, 60)  # about 0.377 and 0.623\nanswer = lower\n```\n\n"
            "An accuracy of 0.5 on 60 examples is compatible with anything from about 38% to 62%: a 5-point "
            "difference between two prompts on such a set means nothing. The interval shrinks roughly as "
            "1 / sqrt(n): four times the examples halve it."
        ),
    ),
    # capstone (projects/capstone_sentiment_analyser.ipynb)
    "capstone.jsonl_line": Exercise(
        question="The predictions-file line, as a dict, saying that test tweet number 7 is positive.",
        grade=_expect_json_object(
            {"id": 7, "prediction": "positive"}, "two keys: 'id' (the row of the test split, a number) and 'prediction'"
        ),
        solution=(
            "```python\nanswer = {'id': 7, 'prediction': 'positive'}\n"
            "file.write(json.dumps(answer) + '\\n')  # one line of the JSON Lines file\n```\n\n"
            "The id is the tweet's row in the course's test split, the prediction the label's name. The scorer "
            "looks the reference up by id, so the order of the lines does not matter, but every test tweet must "
            "have exactly one line."
        ),
    ),
    "capstone.macro_f1": Exercise(
        question="The macro-F1 of a model with F1 0.80 on negative, 0.70 on neutral and 0.30 on positive.",
        grade=_expect_number(0.6, "macro means the plain mean over the classes, whatever their size", tolerance=0.001),
        solution=(
            "```python\nanswer = np.mean([0.80, 0.70, 0.30])  # 0.6\n```\n\n"
            "Every class counts the same, so the weak `positive` class pulls the score down to 0.60: below this "
            "project's criterion of 0.70. A mean weighted by class size (the 'weighted' average) would hide the weak "
            "class behind the large ones: about 0.67 with this corpus's class shares (42%, 40%, 18%)."
        ),
    ),
    "capstone.exit_code": Exercise(
        question="The exit code of `python -m course_utils project-score` when the criterion is not met.",
        grade=_expect_int(1, "0 means success to a shell or a CI job; anything else is a failure"),
        solution=(
            "```python\nanswer = 1\n```\n\n"
            "The command prints the score and exits with 0 when the criterion is met and 1 when it is not (or when "
            "the file is incomplete), so `python -m course_utils project-score sentiment-analyser predictions.jsonl "
            "&& echo shipped` or a CI step can gate on it."
        ),
    ),
}


def _exercise(name: str) -> Exercise:
    if name not in EXERCISES:
        raise UnknownNameError("exercise", name, list(EXERCISES))
    return EXERCISES[name]


def load_progress() -> dict[str, bool]:
    """Exercise name -> passed, as ``check()`` stored it in ``progress.json`` of the course cache."""
    path = cache_dir() / "progress.json"
    return json.loads(path.read_text()) if path.is_file() else {}


def _save_progress(name: str, passed: bool) -> None:
    progress = load_progress()
    progress[name] = progress.get(name, False) or passed
    (cache_dir() / "progress.json").write_text(json.dumps(progress, indent=2, sort_keys=True))


def check(name: str, answer: Any) -> None:
    """Grade ``answer`` to exercise ``name``, print what is right or wrong, and remember a pass."""
    problem = _exercise(name).grade(answer)
    _save_progress(name, not problem)
    print(f"✅ {name}: correct" if not problem else f"❌ {name}: {problem}")


def show_solution(name: str) -> None:
    """Show the worked solution of exercise ``name`` (as Markdown in Jupyter, as text elsewhere)."""
    exercise = _exercise(name)
    text = f"**{name}** — {exercise.question}\n\n{exercise.solution}"
    try:
        from IPython.display import Markdown, display

        display(Markdown(text))
    except ImportError:
        print(text)
