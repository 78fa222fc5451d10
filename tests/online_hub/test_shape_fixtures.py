"""Every shape fixture builds with the real repo's file layout and runs through the code that loads the real model."""
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import torch

from .shape_fixtures import LABELS, SHAPE_FIXTURES, build_shape_fixture

MAX_MB_EACH = 12  # tiny dimensions: the fixtures stand in for shapes, not for quality


def _image():
    from PIL import Image

    pixels = np.random.default_rng(0).integers(0, 256, size=(48, 64, 3), dtype=np.uint8)
    return Image.fromarray(pixels)


def _pipe(task: str, folder: Path, **kwargs):
    from transformers import pipeline

    return pipeline(task, model=str(folder), **kwargs)


def _twitter_roberta(folder: Path) -> str:
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(folder)
    assert type(tokenizer).__name__ == "RobertaTokenizer", type(tokenizer)
    assert tokenizer.model_max_length > 10**9, tokenizer.model_max_length
    assert tokenizer.mask_token == "<mask>" and tokenizer.pad_token_id == 1
    model = AutoModelForSequenceClassification.from_pretrained(folder)
    assert type(model).__name__ == "RobertaForSequenceClassification"
    result = _pipe("text-classification", folder)("I love this!")[0]
    assert result["label"] in {"negative", "neutral", "positive"}, result
    return result["label"]


def _qwen_instruct(folder: Path) -> str:
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(folder)
    messages = [{"role": "user", "content": "Hi"}]
    prompt = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    assert prompt.startswith("<|im_start|>system\nYou are Qwen") and prompt.endswith("<|im_start|>assistant\n"), prompt
    generator = _pipe("text-generation", folder)
    assert type(generator.model).__name__ == "Qwen2ForCausalLM"
    assert tokenizer.convert_tokens_to_ids("<|im_end|>") in generator.model.generation_config.eos_token_id
    reply = generator(messages, max_new_tokens=5)[0]["generated_text"][-1]
    assert reply["role"] == "assistant", reply
    return f"reply {reply['content']!r}"


def _cluener(folder: Path) -> str:
    tagger = _pipe("token-classification", folder, aggregation_strategy="simple")
    assert type(tagger.model).__name__ == "BertForTokenClassification" and len(tagger.model.config.id2label) == 32
    assert tagger.tokenizer.unk_token_id not in tagger.tokenizer("李明在北京工作")["input_ids"]
    entities = tagger("李明在北京工作")
    assert all(isinstance(e["word"], str) for e in entities), entities
    return f"{len(entities)} entities"


def _distilbert_squad(folder: Path) -> str:
    from transformers import AutoModelForQuestionAnswering, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForQuestionAnswering.from_pretrained(folder)
    assert type(model).__name__ == "DistilBertForQuestionAnswering"
    inputs = tokenizer("Where is Paris?", "Paris is in France.", return_tensors="pt")
    with torch.no_grad():
        outputs = model(**inputs)
    start, end = int(outputs.start_logits.argmax()), int(outputs.end_logits.argmax())
    assert outputs.start_logits.shape == inputs["input_ids"].shape
    return f"span {start}-{end}"


def _vit(folder: Path) -> str:
    result = _pipe("image-classification", folder)(_image())
    assert all(r["label"] in LABELS["imagenet-1k"] for r in result), result
    return result[0]["label"]


def _deberta_zeroshot(folder: Path) -> str:
    classifier = _pipe("zero-shot-classification", folder)
    assert classifier.entailment_id == 0
    result = classifier("I love this film.", candidate_labels=["positive", "negative"])
    assert set(result["labels"]) == {"positive", "negative"}, result
    return result["labels"][0]


def _bert_uncased(folder: Path) -> str:
    result = _pipe("fill-mask", folder)("Paris is the [MASK] of France.")
    assert len(result) == 5, result
    return result[0]["token_str"]


def _yolos(folder: Path) -> str:
    boxes = _pipe("object-detection", folder, threshold=0.0)(_image())
    assert boxes and all(b["label"] in LABELS["coco-detection"] for b in boxes), boxes
    return f"{len(boxes)} boxes"


def _segformer(folder: Path) -> str:
    masks = _pipe("image-segmentation", folder)(_image())
    assert masks and all(m["label"] in LABELS["ade20k"] and m["mask"].size == (64, 48) for m in masks), masks
    return f"{len(masks)} masks"


def _wav2vec2_keywords(folder: Path) -> str:
    audio = np.random.default_rng(0).uniform(-0.1, 0.1, 16000).astype(np.float32)
    result = _pipe("audio-classification", folder)(audio)
    assert result[0]["label"] in {"yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go",
                                  "_unknown_", "_silence_"}, result
    return result[0]["label"]


def _clip(folder: Path) -> str:
    classifier = _pipe("zero-shot-image-classification", folder)
    assert type(classifier.tokenizer).__name__ == "CLIPTokenizer" and classifier.tokenizer.model_max_length == 77
    result = classifier(_image(), candidate_labels=["a cat", "a dog"])
    assert {r["label"] for r in result} == {"a cat", "a dog"}, result
    return result[0]["label"]


def _distilbert_sst2(folder: Path) -> str:
    result = _pipe("sentiment-analysis", folder)("What a great day!")[0]
    assert result["label"] in {"NEGATIVE", "POSITIVE"}, result
    return result["label"]


def _mms_tts_eng(folder: Path) -> str:
    from transformers import AutoModelForTextToWaveform, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(folder)
    assert type(tokenizer).__name__ == "VitsTokenizer", type(tokenizer)
    model = AutoModelForTextToWaveform.from_pretrained(folder)
    assert type(model).__name__ == "VitsModel" and model.config.sampling_rate == 16000
    speech = _pipe("text-to-speech", folder)("Hello there.")
    audio = np.asarray(speech["audio"])
    assert speech["sampling_rate"] == 16000, speech["sampling_rate"]
    assert audio.dtype.kind == "f" and (audio.ndim == 1 or (audio.ndim == 2 and audio.shape[0] == 1)), audio.shape
    assert audio.size > 0 and np.isfinite(audio).all()
    return f"{audio.size} samples"


def _smolvlm(folder: Path) -> str:
    from PIL import Image
    from transformers import AutoModelForImageTextToText, AutoProcessor

    processor = AutoProcessor.from_pretrained(folder)
    assert type(processor).__name__ == "Idefics3Processor", type(processor)
    assert type(processor.image_processor).__name__.startswith("Idefics3ImageProcessor"), processor.image_processor
    tokenizer = processor.tokenizer
    model = AutoModelForImageTextToText.from_pretrained(folder)
    assert type(model).__name__ == "Idefics3ForConditionalGeneration", type(model)
    config = model.config
    assert len(tokenizer) == config.text_config.vocab_size == 49280
    assert tokenizer.convert_tokens_to_ids("<image>") == config.image_token_id == 49190
    assert tokenizer.convert_tokens_to_ids(["<global-img>", "<row_1_col_1>", "<fake_token_around_image>"]) == [
        49152, 49153, 49189]
    assert tokenizer.eos_token == "<end_of_utterance>" and model.generation_config.eos_token_id == 49279
    vision = config.vision_config
    assert processor.image_seq_len == (vision.image_size // vision.patch_size) ** 2 // config.scale_factor**2
    assert processor.image_processor.max_image_size["longest_edge"] == vision.image_size
    messages = [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "Which digit is this?"}]}]
    prompt = processor.apply_chat_template(messages, add_generation_prompt=True)
    assert prompt == "<|im_start|>User:<image>Which digit is this?<end_of_utterance>\nAssistant:", prompt
    square = Image.fromarray(np.random.default_rng(1).integers(0, 256, size=(32, 32, 3), dtype=np.uint8))
    for image in (square, _image()):
        inputs = processor(text=prompt, images=[image], return_tensors="pt")
        tiles = inputs["pixel_values"].shape[1]
        assert tiles > 1, "the image should be split into tiles plus the global image"
        assert int((inputs["input_ids"] == config.image_token_id).sum()) == tiles * processor.image_seq_len
        generated = model.generate(**inputs, max_new_tokens=3)
        assert inputs["input_ids"].shape[1] < generated.shape[1] <= inputs["input_ids"].shape[1] + 3
    chat = [{"role": "user", "content": [{"type": "image", "image": _image()},
                                         {"type": "text", "text": "Which digit is this?"}]}]
    reply = _pipe("image-text-to-text", folder)(text=chat, max_new_tokens=3)[0]["generated_text"][-1]
    assert reply["role"] == "assistant" and isinstance(reply["content"], str), reply
    return f"reply {reply['content']!r}"


# What each check runs, and the files the real repo has (less weights in other frameworks and docs).
CHECKS: dict[str, tuple[Callable[[Path], str], set[str]]] = {
    "cardiffnlp/twitter-roberta-base-sentiment-latest": (
        _twitter_roberta, {"config.json", "vocab.json", "merges.txt", "special_tokens_map.json", "pytorch_model.bin"}),
    "Qwen/Qwen2.5-0.5B-Instruct": (
        _qwen_instruct, {"config.json", "generation_config.json", "model.safetensors", "tokenizer.json",
                         "tokenizer_config.json", "vocab.json", "merges.txt"}),
    "uer/roberta-base-finetuned-cluener2020-chinese": (
        _cluener, {"config.json", "pytorch_model.bin", "vocab.txt", "tokenizer_config.json",
                   "special_tokens_map.json"}),
    "distilbert/distilbert-base-cased-distilled-squad": (
        _distilbert_squad, {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                            "vocab.txt"}),
    "google/vit-base-patch16-224": (_vit, {"config.json", "model.safetensors", "preprocessor_config.json"}),
    "MoritzLaurer/deberta-v3-base-zeroshot-v2.0": (
        _deberta_zeroshot, {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"}),
    "google-bert/bert-base-uncased": (
        _bert_uncased, {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "vocab.txt"}),
    "hustvl/yolos-tiny": (_yolos, {"config.json", "model.safetensors", "preprocessor_config.json"}),
    "nvidia/segformer-b0-finetuned-ade-512-512": (
        _segformer, {"config.json", "model.safetensors", "preprocessor_config.json"}),
    "superb/wav2vec2-base-superb-ks": (
        _wav2vec2_keywords, {"config.json", "pytorch_model.bin", "preprocessor_config.json"}),
    "openai/clip-vit-base-patch32": (
        _clip, {"config.json", "model.safetensors", "preprocessor_config.json", "tokenizer.json",
                "tokenizer_config.json", "vocab.json", "merges.txt", "special_tokens_map.json"}),
    "distilbert/distilbert-base-uncased-finetuned-sst-2-english": (
        _distilbert_sst2, {"config.json", "model.safetensors", "tokenizer_config.json", "vocab.txt"}),
    "facebook/mms-tts-eng": (_mms_tts_eng, {"config.json", "model.safetensors", "tokenizer_config.json", "vocab.json"}),
    "HuggingFaceTB/SmolVLM-256M-Instruct": (
        _smolvlm, {"config.json", "generation_config.json", "model.safetensors", "preprocessor_config.json",
                   "processor_config.json", "chat_template.json", "tokenizer.json", "tokenizer_config.json",
                   "special_tokens_map.json", "added_tokens.json", "vocab.json", "merges.txt"}),
}


def test_every_fixture_has_a_check():
    assert set(CHECKS) == set(SHAPE_FIXTURES)


@pytest.mark.parametrize("hub_id", sorted(CHECKS))
def test_shape_fixture_has_the_real_layout_and_loads_like_the_real_model(hub_id, tmp_path):
    check, layout = CHECKS[hub_id]
    build_shape_fixture(hub_id, tmp_path)
    assert {p.name for p in tmp_path.iterdir()} - {"README.md"} == layout
    assert "Shape fixture for tests: random weights" in (tmp_path / "README.md").read_text()
    assert sum(p.stat().st_size for p in tmp_path.iterdir()) < MAX_MB_EACH * 1e6
    check(tmp_path)
