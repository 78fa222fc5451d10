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
    # 10 quantization
    # 11 RAG
    # 12 troubleshooting
}


def _exercise(name: str) -> Exercise:
    if name not in EXERCISES:
        raise UnknownNameError("exercise", name, list(EXERCISES))
    return EXERCISES[name]


def _save_progress(name: str, passed: bool) -> None:
    path = cache_dir() / "progress.json"
    progress = json.loads(path.read_text()) if path.is_file() else {}
    progress[name] = progress.get(name, False) or passed
    path.write_text(json.dumps(progress, indent=2, sort_keys=True))


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
