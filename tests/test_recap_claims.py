"""A comparison in a recap ("faster", "better", "helped", 更快 …) is checked against the numbers the run measured.

Every such sentence must contain a phrase registered in ``CLAIMS`` (with the condition under which it is true)
or in ``NOT_MEASURED`` (a figure of speech or an instruction, with the reason). Each registered condition is
checked against the notebook's committed ``show_recorded`` table, the numbers a learner reads above the recap,
and, when this run's ``build/metrics.json`` holds them (pytest runs this file after nbval has re-executed the
notebooks: see ``conftest.py``), against those too, so a release that changes a measurement fails here.
"""
import json
import re
from pathlib import Path

import pytest

from course_utils.paths import build_dir

ROOT = Path(__file__).parents[1]
RECAPPED = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + sorted((ROOT / "projects").glob("capstone_*.ipynb"))

COMPARATIVE = re.compile(
    r"\b(faster|slower|better|worse|helped|hurts?|beats?|won|wins|improve[sd]?|outperform\w*|more often|less often"
    r"|far ahead|near chance|smaller|larger)\b|更快|更慢|更好|更差|优于|胜过|领先|提升|明显更|更多|更高|小于|帮助了",
    re.I,
)

# notebook → [(phrase in its recap, condition on the measured numbers)]
CLAIMS: dict[str, list[tuple[str, object]]] = {
    "01": [
        ("sorting by length wins it back", lambda m: m["01.sorted_batch_speedup"] > m["01.batch_speedup"] > 1.0),
    ],
    "03": [
        ("are slower", lambda m: m["03.fast_vs_python_speedup"] > 1.5),
    ],
    "09": [
        ("is smaller than full fine-tuning's", lambda m: m["09.lora_adamw_state_mb"] < m["09.full_adamw_state_mb"]),
        ("are smaller than full fine-tuning's", lambda m: m["09.lora_gradient_mb"] < m["09.full_gradient_mb"]),
        ("小于全量微调的", lambda m: (m["09.lora_adamw_state_mb"] < m["09.full_adamw_state_mb"]
                                   and m["09.lora_gradient_mb"] < m["09.full_gradient_mb"])),
    ],
    "11": [
        ("is level with or above a small embedding model", lambda m: m["11.tfidf_hit_rate_at_1"] >= m["11.hit_rate_at_1"]),
        ("the embeddings found the passage more often",
         lambda m: m["11.reworded_hit_rate_at_1"] > m["11.reworded_tfidf_hit_rate_at_1"]),
        ("持平或更高", lambda m: m["11.tfidf_hit_rate_at_1"] >= m["11.hit_rate_at_1"]),
        ("嵌入找到正确段落的次数更多", lambda m: m["11.reworded_hit_rate_at_1"] > m["11.reworded_tfidf_hit_rate_at_1"]),
        ("more often than MiniLM did", lambda m: m["11.zh_char_tfidf_hit_rate_at_1"] > m["11.zh_minilm_hit_rate_at_1"]),
        ("命中更多", lambda m: m["11.zh_char_tfidf_hit_rate_at_1"] > m["11.zh_minilm_hit_rate_at_1"]),
    ],
    "13": [
        ("is near chance", lambda m: max(m["13.zero_shot_accuracy"], m["13.few_shot_accuracy"]) < 0.5),
        ("is far ahead, faster and smaller", lambda m: (
            m["13.classifier_accuracy"] - max(m["13.zero_shot_accuracy"], m["13.few_shot_accuracy"]) > 0.2
            and m["13.classifier_seconds_per_tweet"] < m["13.zero_shot_seconds_per_tweet"]
            and m["13.classifier_peak_rss_mb"] < m["13.llm_peak_rss_mb"]
        )),
        ("接近随机水平", lambda m: max(m["13.zero_shot_accuracy"], m["13.few_shot_accuracy"]) < 0.5),
        ("遥遥领先，且更快、更小", lambda m: (
            m["13.classifier_accuracy"] - max(m["13.zero_shot_accuracy"], m["13.few_shot_accuracy"]) > 0.2
            and m["13.classifier_seconds_per_tweet"] < m["13.zero_shot_seconds_per_tweet"]
        )),
    ],
    "14": [
        ("the file is smaller", lambda m: m["14.int8_size_mb"] < m["14.fp32_size_mb"]),
    ],
    "capstone": [
        ("more training data helped this baseline",
         lambda m: m["capstone.baseline_full_train_macro_f1"] > m["capstone.baseline_macro_f1"]),
        ("更多数据帮助了这个基线", lambda m: m["capstone.baseline_full_train_macro_f1"] > m["capstone.baseline_macro_f1"]),
    ],
}

# notebook → {phrase: why it is not a measured comparison}
NOT_MEASURED: dict[str, dict[str, str]] = {
    "03": {"or, worse, run silently": "a figure of speech: silent nonsense is worse than a crash"},
    "01": {"so the gain is usually larger": "general knowledge about GPUs, stated as not measured here (no GPU in CI)"},
    "07": {"state which won": "an instruction to the learner, not a claim"},
    "09": {"LoRA 需要更高的学习率": "a setting of the recipe (the parameters cell), not a measurement"},
    "12": {"Smaller per-device batch + gradient accumulation": "a recipe whose equal gradients 12 verifies; memory is not compared"},
    "13": {"never smaller than before": "what peak RSS is (a peak over the process), not a measurement"},
}


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _key(path: Path) -> str:
    return path.name[:2] if path.name[0].isdigit() else "capstone"


def _recap_sentences(path: Path) -> list[str]:
    recap = next("".join(c["source"]) for c in _cells(path) if "".join(c["source"]).startswith("## Recap"))
    recap = recap.split("**Questionnaire**")[0]
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|(?<=[。；])|\n- |\n", recap) if s.strip()]


def committed_table(path: Path) -> dict[str, float]:
    """The numbers of the committed ``show_recorded`` table, the one printed right above the recap."""
    cells = _cells(path)
    table = next(c for c in cells if c["cell_type"] == "code" and "show_recorded(" in "".join(c["source"]))
    text = "".join("".join(o.get("text", "")) for o in table["outputs"])
    return {name: float(value) for name, value in re.findall(r"^  (\S+)\s+(\S+)", text, re.M)}


@pytest.mark.parametrize("path", RECAPPED, ids=lambda p: p.stem)
def test_every_comparison_in_the_recap_is_registered(path):
    known = [phrase for phrase, _ in CLAIMS.get(_key(path), [])] + list(NOT_MEASURED.get(_key(path), {}))
    unchecked = [s for s in _recap_sentences(path) if COMPARATIVE.search(s) and not any(p in s for p in known)]
    assert not unchecked, (
        f"recap comparisons with no registered check (cite the metric and add it to CLAIMS): {unchecked}"
    )


@pytest.mark.parametrize("path", RECAPPED, ids=lambda p: p.stem)
def test_english_comparisons_cite_what_they_rest_on(path):
    table = committed_table(path)
    for phrase, _ in CLAIMS.get(_key(path), []):
        sentence = next((s for s in _recap_sentences(path) if phrase in s), None)
        assert sentence, f"registered phrase {phrase!r} is no longer in the recap"
        if re.search(r"[a-z]", phrase):
            cited = re.findall(r"`((?:\d\d|capstone)\.\w+)`", sentence)
            assert cited and all(name in table for name in cited), f"{phrase!r} must cite measured names: {sentence}"


@pytest.mark.parametrize("path", RECAPPED, ids=lambda p: p.stem)
def test_registered_comparisons_hold_for_the_committed_numbers(path):
    table = committed_table(path)
    for phrase, holds in CLAIMS.get(_key(path), []):
        assert holds(table), f"{phrase!r} is not true of the committed numbers"


@pytest.mark.parametrize("path", RECAPPED, ids=lambda p: p.stem)
def test_registered_comparisons_hold_for_this_runs_numbers(path):
    metrics_file = build_dir() / "metrics.json"
    if not metrics_file.is_file():
        pytest.skip("no build/metrics.json: the notebooks were not executed in this test run")
    fresh = {name: entry["value"] for name, entry in json.loads(metrics_file.read_text()).items()}
    merged = committed_table(path) | fresh
    for phrase, holds in CLAIMS.get(_key(path), []):
        assert holds(merged), f"{phrase!r} is not true of the numbers this run measured"
