"""The workshop kit's classroom mirror: olah as a caching proxy in front of the Hub (here the test Hub)."""
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

from .hub import classroom_mirror

DOWNLOAD = (
    "import sys, time; from huggingface_hub import snapshot_download; start = time.perf_counter(); "
    "print(snapshot_download('sentence-transformers/all-MiniLM-L6-v2')); print(time.perf_counter() - start)"
)


def _learner_download(endpoint: str, hf_home: Path) -> tuple[Path, float]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("HF_", "TRANSFORMERS_"))}
    env |= {"HF_ENDPOINT": endpoint, "HF_HOME": str(hf_home), "HF_HUB_DISABLE_PROGRESS_BARS": "1"}
    result = subprocess.run([sys.executable, "-c", DOWNLOAD], env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"download through {endpoint} failed:\n{result.stderr[-2000:]}"
    folder, seconds = result.stdout.split()
    return Path(folder), float(seconds)


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_classroom_mirror_serves_the_second_learner_from_its_cache(online_hub, tmp_path):
    with classroom_mirror(tmp_path / "mirror", online_hub) as mirror:
        first, first_s = _learner_download(mirror, tmp_path / "learner1")
        second, second_s = _learner_download(mirror, tmp_path / "learner2")
    direct, direct_s = _learner_download(online_hub, tmp_path / "direct")
    assert _digest(first) == _digest(second) == _digest(direct)  # the same bytes as from the Hub itself
    cached = [p for p in (tmp_path / "mirror" / "olah-cache").rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in cached) > 80_000_000  # the 90 MB of weights are in the mirror's cache
    print(f"all-MiniLM-L6-v2 (91 MB): first learner {first_s:.1f} s through the mirror, "
          f"second learner {second_s:.1f} s (from its cache), straight from the Hub {direct_s:.1f} s")
