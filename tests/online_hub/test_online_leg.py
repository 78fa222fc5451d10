"""The online leg: every notebook and the capstone, executed as on a fresh Colab runtime against the test Hub.

Each notebook runs once, in its own kernel, in a fresh virtual environment that sees the course's
dependencies but not the course (a Colab image has torch and transformers, not ``course_utils``), with
a stub ``google.colab`` module so that the set-up cell takes its Colab branch and ``%pip``-installs the
course's **wheel**; from a folder outside the checkout; with an empty ``HF_HOME``, course cache and build
folder; with ``HF_ENDPOINT`` pointing at the test Hub (``hub.py``) and no offline switch. Papermill
parameters keep the leg short. A notebook passes when every cell runs and every role was served by the Hub.
The executed copies are kept in ``build/online/`` to read.
"""
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from course_utils.paths import build_dir


ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + [ROOT / "projects" / "capstone_sentiment_analyser.ipynb"]
# Smaller workloads than the offline run: the leg checks that the online path works, not the numbers.
ONLINE_PARAMETERS: dict[str, dict] = {
    "00": {},
    "01": {"BENCH_TWEETS": 32, "BATCH_SIZES": [1, 8], "REPEATS": 1, "MAX_NEW_TOKENS": 8},
    "02": {"N_DIGITS": 20, "N_SCENES": 6, "N_CLIPS": 1, "N_SPOKEN": 2},
    "03": {"BENCH_TWEETS": 100, "REPEATS": 1, "TRAIN_TEXTS": 500, "EVAL_TEXTS": 100},
    "04": {"N_TWEETS": 16, "REPEATS": 1},
    "05": {"MAX_NEW_TOKENS": 8, "NUM_BEAMS": 2, "REPETITION_NEW_TOKENS": 10, "BENCH_NEW_TOKENS": 8, "REPEATS": 1},
    "06": {"FILE_ROWS": 200, "MAP_ROWS": 400, "BENCH_SAMPLES": 32, "REPEATS": 1},
    "07": {"TRAIN_SAMPLES": 160, "EVAL_SAMPLES": 64, "TEST_SAMPLES": 128, "EVALUATIONS": 2, "LOGGING_STEPS": 2,
           "ZH_TRAIN_REVIEWS": 32, "ZH_TEST_REVIEWS": 32, "ZH_LAYERS": 2, "BOOTSTRAP_RESAMPLES": 100},
    "08": {"TRAIN_SAMPLES": 96, "EVAL_SAMPLES": 64},
    "09": {"TRAIN_SAMPLES": 160, "EVAL_SAMPLES": 64, "TEST_SAMPLES": 128, "EVALUATIONS": 2, "CHAT_STEPS": 2,
           "EMOJI_STEPS": 1, "HELD_OUT": 4, "MAX_NEW_TOKENS": 4, "PROMPT_STEPS": 2},
    "10": {"N_TWEETS": 128, "PPL_TOKENS": 128, "GEN_TOKENS": 4},
    "11": {"N_GENERATE": 4, "GEN_BATCH_SIZE": 4, "MAX_NEW_TOKENS": 8},
    "12": {"MAX_NEW_TOKENS": 4, "ZH_REVIEWS": 50},
    "13": {"N_EVAL": 12, "DEMO_NEW_TOKENS": 6, "SAMPLE_N": 4, "N_SEEDS": 2, "BATCH_SIZE": 12},
    "14": {"BENCH_BATCH": 16, "TIMING_REPEATS": 2, "LOAD_REQUESTS": 32, "CONCURRENCY": 8, "CHAT_MAX_NEW_TOKENS": 4},
    "15": {"SFT_EXAMPLES": 16, "PAIR_POOL": 16, "EVAL_QUESTIONS": 8, "SFT_STEPS": 2, "DPO_STEPS": 1, "GRPO_STEPS": 1,
           "MAX_NEW_TOKENS": 8},
    "16": {"N_SPOKEN": 3, "N_DIGITS": 10, "BOOTSTRAP_RESAMPLES": 100, "MAX_NEW_TOKENS": 4},
    "ca": {"TRAIN_SAMPLES": 160, "EVAL_SAMPLES": 64, "EVALUATIONS": 2, "LATENCY_REQUESTS": 5},
}
NOTEBOOK_TIMEOUT_S = 600
COLAB_STUB = '"""A stand-in for Colab\'s own module: the course only asks whether it is imported."""\n'


def fresh_runtime(folder: Path, image: list[Path]) -> Path:
    """A new virtual environment holding ``image``'s packages, with ``google.colab`` stubbed; returns its Python.

    The packages are linked into the environment's own site-packages, not added as an outside path: dill
    (under ``datasets``' fingerprints) pickles modules that live outside site-packages by value, and fails.
    """
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder / "venv")], check=True)
    site = next((folder / "venv" / "lib").glob("python3*/site-packages"))
    for entry in image:
        (site / entry.name).symlink_to(entry)
    stub = folder / "colab-stub" / "google" / "colab"
    stub.mkdir(parents=True)
    (stub / "__init__.py").write_text(COLAB_STUB)
    # Colab's kernel has google.colab imported before the first cell runs
    (site / "google-colab-stub.pth").write_text(f"{stub.parents[1]}\nimport google.colab\n")
    python = folder / "venv" / "bin" / "python"
    kernel = folder / "jupyter" / "kernels" / "colab"
    kernel.mkdir(parents=True)
    spec = {"argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Colab stand-in", "language": "python"}
    (kernel / "kernel.json").write_text(json.dumps(spec))
    return python


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_online_on_a_fresh_runtime(notebook, online_hub, course_wheel, colab_image, tmp_path):
    fresh_runtime(tmp_path, colab_image)
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("HF_", "TRANSFORMERS_", "COURSE_", "PYTEST_"))}
    env |= {"HF_ENDPOINT": online_hub, "HF_HOME": str(tmp_path / "hf"), "COURSE_CACHE": str(tmp_path / "cache"),
            "COURSE_BUILD_DIR": str(tmp_path / "build"), "COURSE_PIP_SOURCE": str(course_wheel),
            "JUPYTER_PATH": str(tmp_path / "jupyter"), "HF_HUB_DISABLE_TELEMETRY": "1",
            # pip may install the course wheel but fetch nothing else: the image's packages are links
            "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(course_wheel.parent)}
    workdir = tmp_path / "work"
    workdir.mkdir()
    executed = build_dir() / "online" / notebook.name
    executed.parent.mkdir(parents=True, exist_ok=True)
    parameters = ONLINE_PARAMETERS[notebook.name[:2]]
    command = [sys.executable, "-m", "papermill", str(notebook), str(executed), "-k", "colab", "--cwd", str(workdir),
               "--no-progress-bar", "--log-output", "-y", json.dumps(parameters)]
    start = time.monotonic()
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=NOTEBOOK_TIMEOUT_S)
    seconds = time.monotonic() - start
    (executed.with_suffix(".log")).write_text(result.stdout + result.stderr)
    assert result.returncode == 0, f"{notebook.name} failed online after {seconds:.0f} s:\n{result.stderr[-3000:]}"
    outputs = executed.read_text(encoding="utf-8")
    assert "[course] offline" not in outputs, f"{notebook.name}: a role fell back to an offline provider online"
    assert "from the Hub" in outputs, f"{notebook.name}: no role said it came from the Hub"
    timings = build_dir() / "online" / "timings.json"
    recorded = json.loads(timings.read_text()) if timings.is_file() else {}
    timings.write_text(json.dumps(recorded | {notebook.stem: round(seconds, 1)}, indent=1))
    shutil.rmtree(tmp_path / "venv")
