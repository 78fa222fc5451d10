"""Exercises and questionnaire answers of notebook 00."""
import json
import struct
import tempfile
from pathlib import Path
from typing import Any, Callable

import torch
from huggingface_hub import try_to_load_from_cache
from safetensors import safe_open
from safetensors.torch import save_file

from ..exercises import AnswerProblem, Exercise, Question, call_learner
from ..graders import expect_text

# (repo type, repo id) -> {file in the snapshot that refs/main points to: contents}; the grader's fake cache.
_FAKE_CACHE = {
    ("model", "course-org/tiny-encoder"): {"config.json": "{}", "model.safetensors": "weights"},
    ("dataset", "course-org/tiny-tweets"): {"data/train.csv": "text,label", "README.md": "# tweets"},
    ("space", "course-org/demo"): {"app.py": "print('hi')"},
}
_OLD_COMMIT, _MAIN_COMMIT = "a" * 40, "b" * 40
# (repo id, file name, repo type): cached, not cached, a repo cached only as another type, a nested name, a repo
# never downloaded, and a file that only an older snapshot holds.
_CACHE_QUERIES = [
    ("course-org/tiny-encoder", "config.json", "model"),
    ("course-org/tiny-encoder", "tokenizer.json", "model"),
    ("course-org/tiny-tweets", "data/train.csv", "dataset"),
    ("course-org/tiny-tweets", "README.md", "model"),
    ("course-org/demo", "app.py", "space"),
    ("course-org/never-downloaded", "config.json", "model"),
    ("course-org/tiny-encoder", "only_in_old.txt", "model"),
]


def _write_fake_cache(root: Path) -> None:
    """A cache with two snapshots per repo: an old one holding every file, and the one refs/main names."""
    for (repo_type, repo_id), files in _FAKE_CACHE.items():
        repo = root / f"{repo_type}s--{repo_id.replace('/', '--')}"
        (repo / "refs").mkdir(parents=True)
        (repo / "refs" / "main").write_text(_MAIN_COMMIT)
        for commit in (_OLD_COMMIT, _MAIN_COMMIT):
            for name, text in files.items():
                path = repo / "snapshots" / commit / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
        (repo / "snapshots" / _OLD_COMMIT / "only_in_old.txt").write_text("old")


def _grade_cached_file(function: Callable[..., Any], **_: Any) -> str:
    with tempfile.TemporaryDirectory() as folder:
        _write_fake_cache(Path(folder))
        for repo_id, filename, repo_type in _CACHE_QUERIES:
            expected = try_to_load_from_cache(repo_id, filename, cache_dir=folder, repo_type=repo_type)
            call = f"cached_file(<cache>, {repo_id!r}, {filename!r}, {repo_type!r})"
            try:
                given = call_learner(function, folder, repo_id, filename, repo_type)
            except AnswerProblem as problem:
                raise AnswerProblem(f"{call}: {problem}. Hint: return None when the repo folder, refs/main "
                                    "or the file is missing") from None
            shown = None if given is None else str(given).replace(folder, "<cache>")
            if expected is None and given is not None:
                return (f"{call} returned {shown!r}, but that file is not in the snapshot refs/main names. "
                        "Hint: read the commit from refs/main and look only in snapshots/<that commit>/")
            if expected is not None and (given is None or Path(given).resolve() != Path(expected).resolve()):
                return (f"{call} returned {shown!r}, expected {expected.replace(folder, '<cache>')!r}. Hint: the "
                        "folder is '<repo_type>s--' + the id with '/' replaced by '--', then snapshots/<commit in "
                        "refs/main>/")
        if call_learner(function, folder, "course-org/tiny-encoder", "config.json") is None:
            return "with no repo_type given, your function must look for a model repo (repo_type='model' by default)"
    return ""


# The grader's small files: tensor name -> tensor, with shapes that catch a swapped or flattened shape.
_HIDDEN_TENSORS = {
    "encoder.layer.0.weight": torch.zeros(3, 5),
    "encoder.layer.0.bias": torch.zeros(5, dtype=torch.float16),
    "embeddings.weight": torch.zeros(7, 2, 4, dtype=torch.bfloat16),
    "step": torch.tensor(12),
}
# A header whose tensors are not in the file: only a reader that stops after the header can handle it.
_HEADER_ONLY = {
    "__metadata__": {"format": "pt"},
    "lm_head.weight": {"dtype": "F32", "shape": [50000, 1024], "data_offsets": [0, 204800000]},
    "norm.weight": {"dtype": "F32", "shape": [1024], "data_offsets": [204800000, 204804096]},
}


def _compare_shapes(given: Any, expected: dict[str, list[int]], where: str) -> str:
    if not isinstance(given, dict):
        return f"expected a dict of tensor name -> shape, got {type(given).__name__}"
    if "__metadata__" in given:
        return f"{where}: '__metadata__' is not a tensor: leave that entry of the header out"
    missing, extra = sorted(set(expected) - set(given)), sorted(set(given) - set(expected))
    if missing or extra:
        return f"{where}: missing tensors {missing}, unexpected names {extra}. Hint: one entry per key of the JSON header"
    for name, shape in expected.items():
        if not hasattr(given[name], "__iter__") or [int(size) for size in given[name]] != shape:
            return f"{where}: {name} has shape {shape}, you returned {given[name]!r}. Hint: read the 'shape' field"
    return ""


def _grade_safetensors_shapes(function: Callable[..., Any], **_: Any) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "small.safetensors")
        save_file(_HIDDEN_TENSORS, path, metadata={"format": "pt", "note": "written by the grader"})
        with safe_open(path, framework="pt") as file:
            expected = {name: list(file.get_slice(name).get_shape()) for name in file.keys()}
        try:
            given = call_learner(function, path)
        except AnswerProblem as problem:
            raise AnswerProblem(f"{problem}. Hint: the first 8 bytes are the header's length as an unsigned "
                                "little-endian integer, then that many bytes of JSON") from None
        problem = _compare_shapes(given, expected, "on a file written by save_file")
        if problem:
            return problem
        header = json.dumps(_HEADER_ONLY).encode()
        header_only = Path(folder) / "header_only.safetensors"
        header_only.write_bytes(struct.pack("<Q", len(header)) + header)
        try:
            given = call_learner(function, str(header_only))
        except AnswerProblem as problem:
            raise AnswerProblem(f"{problem} (on a file whose tensor bytes are cut off). Hint: read the 8-byte "
                                "length and the JSON header yourself; do not load (or open) the tensors") from None
        expected = {name: entry["shape"] for name, entry in _HEADER_ONLY.items() if name != "__metadata__"}
        return _compare_shapes(given, expected, "on a file holding only a header")


EXERCISES = [
    Exercise(
        name='00.offline_variable',
        kind='recall',
        question=(
            "The environment variable that makes huggingface_hub and transformers work offline."
        ),
        grade=expect_text("HF_HUB_OFFLINE", "it starts with HF_HUB_ and you set it to 1"),
        solution="""\
answer = "HF_HUB_OFFLINE"
check("00.offline_variable", answer)
""",
        explanation=(
            "`HF_HUB_OFFLINE=1` (set it before importing transformers): `answer = 'HF_HUB_OFFLINE'`."
        ),
    ),
    Exercise(
        name='00.safe_format',
        kind='recall',
        question=(
            "The weight format that cannot run code when it is loaded."
        ),
        grade=expect_text(
            "safetensors", "pickle-based .bin files can execute code; the other one cannot", case=False
        ),
        solution="""\
answer = "safetensors"
check("00.safe_format", answer)
""",
        explanation=(
            "`answer = 'safetensors'`: it stores only tensors and a JSON header, no Python objects."
        ),
    ),
    Exercise(
        name='00.cache_folder',
        kind='compute',
        question=(
            "Name of the cache folder that holds the Hub repo sentence-transformers/all-MiniLM-L6-v2."
        ),
        grade=expect_text(
            "models--sentence-transformers--all-MiniLM-L6-v2",
            "the folder is '<type>s--' followed by the repo id with '/' replaced by '--'",
        ),
        solution="""\
answer = "models--" + REPO_ID.replace("/", "--")
check("00.cache_folder", answer)
""",
        explanation=(
            "The cache keeps one folder per repo: its type in the plural, then the repo id with `/` "
            "replaced by `--`."
        ),
    ),
    Exercise(
        name='00.model_card_licence',
        kind='compute',
        question=(
            "The licence that the encoder's model card declares in its metadata."
        ),
        grade=expect_text(
            "apache-2.0", "load the card with ModelCard.load(path) and read card.data.license", case=False
        ),
        solution="""\
answer = card.data.license
check("00.model_card_licence", answer)
""",
        explanation=(
            "A model card is the repo's README.md: YAML metadata (licence, language, tags, data sets) "
            "between --- lines, then prose. ModelCard.load parses it; card.data holds the metadata, so the "
            "licence is read, not guessed. Check it before you ship a model in a product."
        ),
    ),
    Exercise(
        name="00.cached_file",
        kind="build",
        question=(
            "Write cached_file(cache_dir, repo_id, filename, repo_type='model'): the path of filename in the "
            "cached snapshot that refs/main points to, or None when it is not cached (no network, no huggingface_hub)."
        ),
        grade=_grade_cached_file,
        solution="""\
def cached_file(cache_dir: str, repo_id: str, filename: str, repo_type: str = "model") -> str | None:
    \"\"\"Path of ``filename`` in the cached snapshot that refs/main points to, or None when it is not cached.\"\"\"
    repo = Path(cache_dir) / (f"{repo_type}s--" + repo_id.replace("/", "--"))
    ref = repo / "refs" / "main"
    if not ref.is_file():
        return None
    path = repo / "snapshots" / ref.read_text().strip() / filename
    return str(path) if path.is_file() else None


check("00.cached_file", cached_file)
""",
        explanation=(
            "The cache is plain folders: `<type>s--<owner>--<name>`, a branch name resolved through `refs/main` to a "
            "commit, and `snapshots/<commit>/` holding the files. Looking only in the snapshot `refs/main` names "
            "matters: an older snapshot may still hold a file the current revision no longer has. This is what "
            "`huggingface_hub.try_to_load_from_cache` does, and what `local_files_only=True` relies on."
        ),
    ),
    Exercise(
        name="00.safetensors_shapes",
        kind="build",
        question=(
            "Write safetensors_shapes(path): tensor name -> shape, read from the file's header by hand "
            "(8-byte little-endian length, then that many bytes of JSON), without the safetensors library."
        ),
        grade=_grade_safetensors_shapes,
        solution="""\
def safetensors_shapes(path: str) -> dict[str, list[int]]:
    \"\"\"Tensor name -> shape, read from the file's header only (8-byte little-endian length, then JSON).\"\"\"
    with open(path, "rb") as file:
        length = int.from_bytes(file.read(8), "little")
        header = json.loads(file.read(length))
    return {name: entry["shape"] for name, entry in header.items() if name != "__metadata__"}


check("00.safetensors_shapes", safetensors_shapes)
""",
        explanation=(
            "A safetensors file is an unsigned 64-bit little-endian header length, a JSON header (name -> dtype, "
            "shape, byte offsets, plus an optional `__metadata__` entry), then raw tensor bytes. Reading 8 bytes and "
            "the JSON tells you every shape without touching the weights, which is why `safe_open` could list "
            "the encoder's 104 tensors instantly, and why nothing in the file can run code."
        ),
    ),
]

QUESTIONS = [
    Question(
        question="Why is the second `hf_hub_download` of the same file instant, and where does the file live?",
        answer=(
            "The first call stored the file in the cache (`HF_HUB_CACHE`, by default ~/.cache/huggingface/hub), so "
            "the second finds it there and returns the same path without downloading it again. The contents live "
            "once in the repo folder's `blobs/<sha256>`; `snapshots/<commit>/<filename>` links to that blob, and "
            "`refs/main` records which commit \"main\" pointed to."
        ),
    ),
    Question(
        question="What happens when a download is attempted with no network and no `HF_HUB_OFFLINE`?",
        answer=(
            "It does not fail at once: `huggingface_hub` retries with back-off for about 25 seconds before it gives "
            "up and answers from the cache or raises `LocalEntryNotFoundError` (a `FileNotFoundError`). Setting "
            "`HF_HUB_OFFLINE=1` before importing, or passing `local_files_only=True`, makes it answer from the "
            "cache immediately."
        ),
    ),
    Question(
        question=(
            "Which three things does a model card's metadata tell you that you should check before deploying a model?"
        ),
        answer=(
            "Its licence (Apache-2.0 and MIT allow commercial use; Llama or Gemma come with their own terms, and "
            "gated repos need accepted terms and a token), what it is for (the pipeline tag and tags: "
            "sentence-similarity for the course's encoder), and what it was trained on (data sets and languages), "
            "which bounds where it can be trusted. `ModelCard.load` parses them into `card.data`; the prose below "
            "adds the limits."
        ),
    ),
    Question(
        question="Why does pinning `revision=` matter more when `trust_remote_code=True`?",
        answer=(
            "`trust_remote_code=True` imports Python files from the repo and runs them with your permissions. "
            "Without a pinned commit, the next download takes whatever `main` points to then, so the code you read "
            "can be replaced by code you never saw; `revision=<commit hash>` fixes it to the version you reviewed."
        ),
    ),
    Question(
        question="Name a task for which you would *not* reach for transformers, and what you would use instead.",
        answer=(
            "Tabular data, where gradient-boosted trees win; likewise a regular expression for a pattern it already "
            "solves, a keyword search where that is good enough, or simple code on tiny devices with hard real-time "
            "limits. A 100M-parameter model is a heavy answer to a light question."
        ),
    ),
]
