"""Model resolution: which real Hub model or offline provider serves each course role."""
import importlib
import importlib.util
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import tomllib

from .errors import CourseError, MissingPackageError, UnknownNameError
from .hub import hub_status
from .paths import PACKAGE_DIR, build_dir, cache_dir

CATALOGUE_FILE = PACKAGE_DIR / "catalogue.toml"


def catalogue() -> dict[str, Any]:
    """The parsed ``catalogue.toml``: ``roles``, ``providers`` and ``datasets`` tables."""
    with CATALOGUE_FILE.open("rb") as file:
        return tomllib.load(file)


def course_roles() -> list[str]:
    """Names of every model role in the catalogue, in catalogue order."""
    return list(catalogue()["roles"])


@dataclass(frozen=True)
class Resolution:
    """What serves a role: ``path`` is what to pass to ``pipeline(model=...)`` or ``from_pretrained``.

    ``source`` is ``"hub"`` (the Hub model, downloaded), ``"hub-cache"`` (the Hub model from the local
    Hub cache, e.g. prefetched before class, while the Hub is unreachable) or ``"offline"`` (the offline
    provider).
    """

    role: str
    path: str
    hub_id: str
    provider: str
    kind: str
    source: str
    reason: str
    task: str
    auto_class: str

    @property
    def online(self) -> bool:
        """True when the Hub model serves (downloaded now or earlier), not the offline provider."""
        return self.source != "offline"

    def describe(self) -> str:
        """One line for a learner: which model served (the reason is announced once, by :func:`announce`)."""
        if self.source == "hub":
            return f"[course] {self.role}: {self.hub_id} from the Hub"
        if self.source == "hub-cache":
            return f"[course] {self.role}: {self.hub_id} from the Hub cache (downloaded earlier)"
        return f"[course] {self.role}: offline {self.kind} {self.provider!r}; online you would get {self.hub_id}"


_announced_reasons: set[str] = set()


def announce(resolution: Resolution) -> None:
    """Print which model serves a role; why the course is online or offline only the first time."""
    if resolution.reason not in _announced_reasons:
        _announced_reasons.add(resolution.reason)
        where = "online" if resolution.source == "hub" else "offline: local models serve the course roles"
        print(f"[course] {where} ({resolution.reason})")
    print(resolution.describe())


def _role_entry(role: str) -> dict[str, Any]:
    roles = catalogue()["roles"]
    if role not in roles:
        raise UnknownNameError("role", role, list(roles))
    return roles[role]


def hub_model_problem(hub_id: str) -> str | None:
    """Why the Hub cannot serve ``hub_id`` (gated, missing, timed out, ...) in one line, or ``None`` if it can.

    Fetches the model's ``config.json`` (cached after the first time), which every model role has.
    """
    import httpx
    from huggingface_hub import hf_hub_download
    from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError

    try:
        hf_hub_download(hub_id, "config.json")
    except (HfHubHTTPError, LocalEntryNotFoundError, httpx.HTTPError, OSError) as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        return f"{type(error).__name__}: {first_line}"[:160]
    return None


def cached_hub_model(hub_id: str) -> str | None:
    """The folder of ``hub_id`` in the local Hub cache if its config and weights are there, else ``None``."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        folder = Path(snapshot_download(hub_id, local_files_only=True))
    except (LocalEntryNotFoundError, OSError, ValueError):
        return None
    weights = [*folder.glob("*.safetensors"), *folder.glob("*.bin")]
    return str(folder) if (folder / "config.json").is_file() and weights else None


def resolve_role(role: str, *, build: bool = True) -> Resolution:
    """Decide, without printing, what serves ``role``; build its offline provider if needed and ``build``.

    The order fits a classroom: the Hub when it is reachable and serves the model; else the real model
    from the local Hub cache (prefetched); else the offline provider. A Hub model that cannot be
    fetched (gated, missing, timed out) falls back with its reason, instead of a traceback later.
    """
    entry = _role_entry(role)
    online, reason = hub_status()
    provider = entry["offline"]
    kind = catalogue()["providers"][provider]["kind"]
    hub_id, source, path = entry["hub_id"], "offline", ""
    if online:
        problem = hub_model_problem(hub_id)
        if problem is None:
            source, path = "hub", hub_id
        else:
            reason = f"{hub_id} could not be fetched: {problem}"
    if source == "offline" and (cached := cached_hub_model(hub_id)):
        source, path = "hub-cache", cached
    if source == "offline":
        path = str(offline_model_dir(provider, build=build))
    return Resolution(
        role=role,
        path=path,
        hub_id=hub_id,
        provider=provider,
        kind=kind,
        source=source,
        reason=reason,
        task=entry["task"],
        auto_class=entry["auto_class"],
    )


def course_model_path(role: str) -> str:
    """Return the Hub id (online) or local directory (offline) that serves ``role``, and say which.

    Pass the result to ``pipeline(task, model=...)`` or ``AutoModel….from_pretrained(...)``.
    """
    resolution = resolve_role(role)
    announce(resolution)
    return resolution.path


def load_course_model(role: str, **from_pretrained_kwargs: Any) -> tuple[Any, Any]:
    """Load ``role`` with its catalogue Auto class and return ``(model, preprocessor)``.

    ``AutoProcessor`` gives the tokenizer for text roles and the processor for image and speech roles.
    Extra keyword arguments go to the model's ``from_pretrained`` (``dtype``, ``device_map``, ...).
    """
    import transformers

    resolution = resolve_role(role)
    announce(resolution)
    model = getattr(transformers, resolution.auto_class).from_pretrained(
        resolution.path, **from_pretrained_kwargs
    )
    return model, transformers.AutoProcessor.from_pretrained(resolution.path)


def _load_function(spec: str) -> Callable[..., Any]:
    module_name, function_name = spec.split(":")
    return getattr(importlib.import_module(module_name), function_name)


def offline_model_dir(provider: str, *, build: bool = True) -> Path:
    """Directory of an offline provider; stand-ins and conversions are built once and cached."""
    providers = catalogue()["providers"]
    if provider not in providers:
        raise UnknownNameError("provider", provider, list(providers))
    entry = providers[provider]
    if entry["kind"] == "package":
        spec = importlib.util.find_spec(entry["module"])
        if spec is None or spec.origin is None:
            raise MissingPackageError(entry["pip"], f"the offline model {provider!r}")
        return Path(spec.origin).parent / entry["subdir"]
    target = cache_dir() / provider
    if (target / "course_provider.json").is_file() or not build:
        return target
    build_provider(provider)
    return target


def build_provider(provider: str) -> dict[str, float]:
    """(Re)build a converted model or stand-in into the cache; return what the build measured."""
    entry = catalogue()["providers"][provider]
    if entry["kind"] == "package":
        raise CourseError(f"{provider!r} is carried by a package and needs no build")
    target = cache_dir() / provider
    scratch = cache_dir() / f".{provider}.building"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    print(f"[course] building {provider!r}: {entry['what']} (once; cached in {target})")
    start = time.perf_counter()
    measured = _load_function(entry["builder"])(scratch)
    seconds = time.perf_counter() - start
    measured = {**measured, "build_seconds": round(seconds, 1)}
    info_file = scratch / "course_provider.json"
    info = json.loads(info_file.read_text()) if info_file.is_file() else {"name": provider}
    info["measured"] = {**info.get("measured", {}), **measured}
    info_file.write_text(json.dumps(info, indent=2))
    shutil.rmtree(target, ignore_errors=True)
    scratch.rename(target)
    print(f"[course] built {provider!r} in {seconds:.0f} s")
    return measured


def provider_info(provider: str) -> dict[str, Any]:
    """The provenance a built provider wrote (name, real model, measurements); empty if not built."""
    info_file = offline_model_dir(provider, build=False) / "course_provider.json"
    return json.loads(info_file.read_text()) if info_file.is_file() else {}


def saved_tweet_classifier() -> Path | None:
    """The folder where notebook 07 saved its fine-tuned tweet classifier, or ``None`` if 07 has not run here.

    Later notebooks (LoRA, quantization, export) start from that model when it exists; on a fresh
    machine (a new Colab runtime) they fall back to what they say they use instead.
    """
    folder = build_dir() / "07_trainer" / "minilm-tweet-sentiment"
    return folder if (folder / "config.json").is_file() else None
