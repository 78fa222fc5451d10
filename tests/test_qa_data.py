"""The course QA passages: answers are where their offsets say, and no passage is in both splits."""
import pytest

from course_utils.qa_data import load_chinese_qa_passages, load_qa_passages, squad_scores

BOTH_LANGUAGES = pytest.mark.parametrize("load", [load_qa_passages, load_chinese_qa_passages], ids=["en", "zh"])
# held-out passages each file must keep: 12 of the 60 English ones, 4 of the 24 Chinese ones (every fifth)
MIN_VALIDATION_PASSAGES = {load_qa_passages: 10, load_chinese_qa_passages: 4}


@BOTH_LANGUAGES
def test_every_answer_start_points_at_the_answer(load) -> None:
    passages = load()
    for split in passages.values():
        for row in split:
            (text,), (start,) = row["answers"]["text"], row["answers"]["answer_start"]
            assert row["context"][start : start + len(text)] == text, row["id"]


@BOTH_LANGUAGES
def test_splits_share_no_passage_and_ids_are_unique(load) -> None:
    passages = load()
    assert set(passages["train"]["context"]).isdisjoint(passages["validation"]["context"])
    ids = [*passages["train"]["id"], *passages["validation"]["id"]]
    assert len(ids) == len(set(ids))
    assert len(set(passages["validation"]["context"])) >= MIN_VALIDATION_PASSAGES[load]
    assert set(passages["train"].column_names) == {"id", "title", "context", "question", "answers"}


def test_squad_scores_normalise_case_punctuation_and_articles() -> None:
    assert squad_scores(["The Volga."], ["volga"]) == {"exact_match": 1.0, "f1": 1.0}
    scores = squad_scores(["in Germany"], ["in the Black Forest in Germany"])
    assert scores["exact_match"] == 0.0 and 0.5 < scores["f1"] < 0.7
