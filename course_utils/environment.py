"""The environment report behind ``python -m course_utils doctor``."""
import importlib.metadata
import importlib.util
import os
import platform
import sys
from pathlib import Path

from .hub import hub_status
from .models import catalogue, offline_model_dir, resolve_role
from .paths import cache_dir, readable_paths

LIBRARIES = (
    "torch",
    "transformers",
    "tokenizers",
    "datasets",
    "evaluate",
    "accelerate",
    "peft",
    "huggingface_hub",
    "safetensors",
)


def running_on_colab() -> bool:
    """True inside Google Colab."""
    return "google.colab" in sys.modules or "COLAB_RELEASE_TAG" in os.environ


def device_name() -> str:
    """``cuda (<GPU name>)``, ``mps`` or ``cpu (<n> cores)``: where torch will compute."""
    import torch

    if torch.cuda.is_available():
        return f"cuda ({torch.cuda.get_device_name(0)})"
    if torch.backends.mps.is_available():
        return "mps"
    return f"cpu ({os.cpu_count()} cores)"


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _offline_state(provider: str) -> str:
    entry = catalogue()["providers"][provider]
    if entry["kind"] == "package":
        found = importlib.util.find_spec(entry["module"]) is not None
        return "installed" if found else f"missing: pip install {entry['pip']}"
    built = (offline_model_dir(provider, build=False) / "course_provider.json").is_file()
    return "built" if built else "builds on first use (or: python -m course_utils prefetch)"


def _available(requirement: str) -> bool:
    """A data set's ``requires``: a Python module, a path (from a Debian package), or "" (shipped)."""
    if requirement.startswith("/"):
        return Path(requirement).exists()
    return not requirement or importlib.util.find_spec(requirement) is not None


def environment_report() -> str:
    """Versions, device, Colab or local, online or offline, caches, and what serves every role."""
    from huggingface_hub import constants

    online, reason = hub_status()
    lines = [
        f"python           {platform.python_version()} ({readable_paths(sys.executable)})",
        *(f"{name:<16} {_version(name)}" for name in LIBRARIES),
        f"device           {device_name()}",
        f"running on       {'Google Colab' if running_on_colab() else 'a local machine'}",
        f"Hub              {'online' if online else 'offline'} ({reason})",
        f"Hub cache        {readable_paths(constants.HF_HUB_CACHE)}",
        f"course cache     {readable_paths(cache_dir())}",
        "",
        f"{'role':<18} {'served by':<48} state",
    ]
    for role in catalogue()["roles"]:
        resolution = resolve_role(role, build=False)
        if resolution.source == "hub":
            lines.append(f"{role:<18} {resolution.hub_id:<48} Hub")
        elif resolution.source == "hub-cache":
            lines.append(f"{role:<18} {resolution.hub_id:<48} Hub cache")
        else:
            served_by = f"{resolution.provider} ({resolution.kind})"
            lines.append(f"{role:<18} {served_by:<48} {_offline_state(resolution.provider)}")
    lines += ["", f"{'data set':<18} {'source':<48} state"]
    for name, entry in catalogue()["datasets"].items():
        found = _available(entry["requires"])
        source = entry["requires"] or "ships with course_utils"
        lines.append(f"{name:<18} {source:<48} {'available' if found else 'missing: ' + entry['install']}")
    return "\n".join(lines)
