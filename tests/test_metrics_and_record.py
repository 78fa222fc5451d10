"""Offline metric modules and measured claims (the exercises are tested in test_exercises.py)."""
import json
import math

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, f1_score

from course_utils import (
    classification_metrics,
    paired_difference,
    rate_against_chance,
    ratio_verdict,
    show_recorded,
    wilson_interval,
    load_metric,
    record,
    recorded,
    saved_tweet_classifier,
)
from course_utils.errors import UnknownNameError

PREDICTIONS = [0, 1, 2, 2, 1, 0, 0, 2]
REFERENCES = [0, 1, 1, 2, 1, 2, 0, 2]


def test_offline_metric_modules_match_scikit_learn(monkeypatch):
    monkeypatch.setattr("course_utils.metrics.is_online", lambda: False)
    load_metric.cache_clear()
    accuracy = load_metric("accuracy").compute(predictions=PREDICTIONS, references=REFERENCES)
    f1 = load_metric("f1").compute(predictions=PREDICTIONS, references=REFERENCES, average="macro")
    assert accuracy["accuracy"] == pytest.approx(accuracy_score(REFERENCES, PREDICTIONS))
    assert f1["f1"] == pytest.approx(f1_score(REFERENCES, PREDICTIONS, average="macro"))


def test_classification_metrics_for_trainer():
    logits = np.eye(3)[PREDICTIONS] + 0.1
    scores = classification_metrics((logits, np.array(REFERENCES)))
    assert scores == pytest.approx(
        {"accuracy": 0.75, "macro_f1": f1_score(REFERENCES, PREDICTIONS, average="macro")}
    )


def test_unknown_metric_lists_valid_names():
    with pytest.raises(UnknownNameError, match="accuracy"):
        load_metric("bleu")


def test_record_writes_metrics_json_quietly_and_show_recorded_prints_one_table(tmp_build, capsys):
    assert record("99.speed_up", 1.75, "x") == 1.75
    record("99.accuracy", 0.5)
    metrics = json.loads((tmp_build / "metrics.json").read_text())
    assert metrics["99.speed_up"]["value"] == 1.75 and metrics["99.speed_up"]["unit"] == "x"
    assert "99.accuracy" in metrics
    assert capsys.readouterr().out == ""
    show_recorded("99")
    table = capsys.readouterr().out.splitlines()
    assert table[0].startswith("Measured in this run (2 numbers")
    assert table[1].split() == ["99.speed_up", "1.75", "x"] and table[2].split() == ["99.accuracy", "0.5"]
    show_recorded("98")
    assert "Nothing recorded under 98.*" in capsys.readouterr().out


def test_claims_are_worded_by_the_numbers():
    low, high = wilson_interval(8, 20)
    assert (round(low, 2), round(high, 2)) == (0.22, 0.61)
    assert "not distinguishable from guessing" in rate_against_chance(8, 20, 1 / 3)
    assert "above chance" in rate_against_chance(18, 20, 1 / 3)
    assert "inside the noise" in paired_difference(6, 3, 20) and "p = 0.51" in paired_difference(6, 3, 20)
    assert ": helped, beyond the noise" in paired_difference(15, 1, 20)
    assert "about the same" in ratio_verdict(1.04, 0.1) and "faster, beyond" in ratio_verdict(1.8, 0.1)
    assert "slower, beyond" in ratio_verdict(0.5, 0.1)


def test_recorded_reads_back_what_an_earlier_run_recorded(tmp_build):
    assert recorded("99.not_measured") is None
    record("99.speed_up", 2.5, "x")
    assert recorded("99.speed_up") == 2.5


def test_saved_tweet_classifier_is_found_only_once_notebook_07_saved_it(tmp_build):
    assert saved_tweet_classifier() is None
    folder = tmp_build / "07_trainer" / "minilm-tweet-sentiment"
    folder.mkdir(parents=True)
    (folder / "config.json").write_text("{}")
    assert saved_tweet_classifier() == folder


def test_record_refuses_nan(tmp_build):
    with pytest.raises(ValueError, match="finite"):
        record("99.broken", math.nan)
