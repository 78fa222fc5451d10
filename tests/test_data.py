"""Course data sets load offline, with stable splits; shipped files are checksum-verified."""
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
