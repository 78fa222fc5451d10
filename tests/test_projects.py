"""The project scorer: perfect predictions pass, wrong ones fail, incomplete files are refused."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from course_utils.errors import CourseError, UnknownNameError
from course_utils.projects import PROJECTS, score_predictions

PROJECTS_DIR = Path(__file__).parents[1] / "projects"


def write(path, rows):
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def shipped_references(name):
    return PROJECTS[name].references()


@pytest.mark.parametrize("name", ["sentiment-analyser", "chinese-review-sentiment", "extractive-qa", "dialogue-assistant",
                                  "multimodal-search"])
def test_the_references_themselves_score_one_and_pass(tmp_path, name):
    references = shipped_references(name)
    rows = [{"id": i, "prediction": sorted(ref) if isinstance(ref, set) else ref} for i, ref in references.items()]
    if name == "multimodal-search":  # a ranking of at least 10 ids; every digit has more than 10 test images
        assert all(len(row["prediction"]) >= 10 for row in rows)
    score = score_predictions(name, write(tmp_path / "p.jsonl", rows))
    assert score.value == pytest.approx(1.0) and score.passed and score.examples == len(references)


def test_sentiment_constant_prediction_fails_the_criterion(tmp_path):
    rows = [{"id": i, "prediction": "negative"} for i in shipped_references("sentiment-analyser")]
    score = score_predictions("sentiment-analyser", write(tmp_path / "p.jsonl", rows))
    assert not score.passed and score.value < 0.3 and "NOT met" in str(score)


def test_chinese_reviews_constant_prediction_fails_and_a_tweet_label_is_refused(tmp_path):
    ids = list(shipped_references("chinese-review-sentiment"))
    score = score_predictions("chinese-review-sentiment", write(tmp_path / "p.jsonl", [{"id": i, "prediction": "positive"} for i in ids]))
    assert not score.passed and score.value < 0.5 and score.examples == 1737
    with pytest.raises(CourseError, match="line 1: prediction 'neutral' is not one of negative, positive"):
        score_predictions("chinese-review-sentiment", write(tmp_path / "n.jsonl", [{"id": 0, "prediction": "neutral"}]))


def test_dialogue_answer_counts_when_the_reply_contains_it(tmp_path):
    references = shipped_references("dialogue-assistant")
    rows = [{"id": i, "prediction": f"I believe it is {answer.upper()}, as the passage says."}
            for i, answer in references.items()]
    assert score_predictions("dialogue-assistant", write(tmp_path / "p.jsonl", rows)).value == pytest.approx(1.0)


def test_a_missing_example_is_refused(tmp_path):
    rows = [{"id": i, "prediction": label} for i, label in shipped_references("sentiment-analyser").items()][1:]
    with pytest.raises(CourseError, match="1 of the .* evaluation ids have no prediction"):
        score_predictions("sentiment-analyser", write(tmp_path / "p.jsonl", rows))


def test_own_data_projects_need_references_and_enough_examples(tmp_path):
    with pytest.raises(CourseError, match="needs a 'reference'"):
        score_predictions("topic-classifier", write(tmp_path / "a.jsonl", [{"id": 1, "prediction": "sports"}]))
    few = [{"id": i, "prediction": "sports", "reference": "sports"} for i in range(10)]
    with pytest.raises(CourseError, match="at least 500"):
        score_predictions("topic-classifier", write(tmp_path / "b.jsonl", few))
    rows = [{"id": i, "prediction": "world" if i % 10 else "sports", "reference": "world"} for i in range(500)]
    score = score_predictions("topic-classifier", write(tmp_path / "c.jsonl", rows))
    assert score.value == pytest.approx(0.9) and score.passed


def test_summaries_are_scored_with_rouge_l(tmp_path):
    rows = [{"id": i, "prediction": "the cat sat on the mat", "reference": "the cat sat on the mat"} for i in range(50)]
    rows += [{"id": 50 + i, "prediction": "stock prices fell", "reference": "the cat sat on the mat"} for i in range(50)]
    score = score_predictions("summariser", write(tmp_path / "p.jsonl", rows))
    assert score.value == pytest.approx(0.5) and score.passed


def test_bad_files_and_names_are_clear_errors(tmp_path):
    with pytest.raises(CourseError, match="line 1: expected an object with 'id' and 'prediction'"):
        score_predictions("sentiment-analyser", write(tmp_path / "a.jsonl", [{"label": "x"}]))
    with pytest.raises(CourseError, match="more than once"):
        score_predictions("topic-classifier", write(tmp_path / "b.jsonl", [{"id": 1, "prediction": 1, "reference": 1}] * 2))
    with pytest.raises(UnknownNameError, match="valid projects: "):
        score_predictions("chess-engine", tmp_path / "a.jsonl")


def test_bad_lines_are_named_with_their_line_number(tmp_path):
    ids = list(shipped_references("sentiment-analyser"))
    bad_json = tmp_path / "bad.jsonl"
    bad_json.write_text('{"id": "0", "prediction": "negative"}\n{"id": "1", "prediction": negative}\n')
    with pytest.raises(CourseError, match=r"line 2: not valid JSON"):
        score_predictions("sentiment-analyser", bad_json)
    for prediction, hint in [(2, "a label name, not its number"), ("Positive", "labels are lower case"), ("good", "")]:
        rows = [{"id": i, "prediction": "negative"} for i in ids]
        rows[2]["prediction"] = prediction
        with pytest.raises(CourseError, match=rf"line 3: prediction {prediction!r} is not one of negative, "
                                              rf"neutral, positive{' .' + hint if hint else '$'}".replace(" .", ".*")):
            score_predictions("sentiment-analyser", write(tmp_path / "p.jsonl", rows))


def test_an_echoed_passage_does_not_count_as_an_answer(tmp_path):
    from course_utils.qa_data import load_qa_passages

    validation = load_qa_passages()["validation"]
    rows = [{"id": row["id"], "prediction": row["context"]} for row in validation]
    assert score_predictions("dialogue-assistant", write(tmp_path / "p.jsonl", rows)).value == 0.0


def test_cli_exit_code_follows_the_criterion(tmp_path):
    references = shipped_references("extractive-qa")
    good = write(tmp_path / "good.jsonl", [{"id": i, "prediction": a} for i, a in references.items()])
    bad = write(tmp_path / "bad.jsonl", [{"id": i, "prediction": "no idea"} for i in references])
    run = [sys.executable, "-m", "course_utils", "project-score", "extractive-qa"]
    passed = subprocess.run([*run, str(good)], capture_output=True, text=True)
    failed = subprocess.run([*run, str(bad)], capture_output=True, text=True)
    assert passed.returncode == 0 and "criterion met" in passed.stdout
    assert failed.returncode == 1 and "criterion NOT met" in failed.stdout


def test_every_project_has_a_brief_that_states_its_criterion():
    index = (PROJECTS_DIR / "README.md").read_text(encoding="utf-8")
    for name, project in PROJECTS.items():
        brief = PROJECTS_DIR / f"{name}.md"
        assert brief.is_file(), f"no brief for {name}"
        text = brief.read_text(encoding="utf-8")
        assert f"project-score {name}" in text and f"{project.threshold}" in text, f"{name}: criterion not stated"
        for section in ["## Builds on", "## Model and data", "## Success criterion", "## Rubric"]:
            assert section in text, f"{name}: no '{section}'"
        assert f"]({name}.md)" in index, f"projects/README.md does not link {name}"
