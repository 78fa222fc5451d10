"""The newest-releases leg: the notebooks that print the most API surface, re-checked with the newest releases.

The main run installs ``constraints.txt`` (the versions the committed outputs came from), so a new release
cannot break a learner's checked cell unseen. This leg runs the same checked cells in ``.venv-newest``, an
environment installed *without* the constraints (``.ci/run`` builds it; torch stays at the CPU build the
README names), so a release that changes what they print fails here, with nbval's diff and the list of
versions that moved, days before a learner meets it.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
NEWEST = ROOT / ".venv-newest"
# The notebooks whose checked cells print the most of transformers' own names (renamed arguments, output
# fields, pipeline tasks, warnings); about 3 minutes together on the 2-core CPU.
NOTEBOOKS = ["00_setup_and_the_hub", "03_tokenizers", "04_auto_classes_and_the_model", "06_datasets",
             "07_fine_tuning_with_trainer", "12_troubleshooting"]


def _versions(python: Path) -> dict[str, str]:
    frozen = subprocess.run([str(python), "-m", "pip", "freeze", "--exclude-editable"],
                            capture_output=True, text=True, check=True).stdout
    return dict(line.split("==", 1) for line in frozen.splitlines() if "==" in line)


def versions_that_moved(pinned: dict[str, str], newest: dict[str, str]) -> list[str]:
    """``name pinned → newest`` for every package whose version differs between the two environments."""
    names = sorted(set(pinned) | set(newest), key=str.lower)
    return [f"{n} {pinned.get(n, '-')} → {newest.get(n, '-')}" for n in names if pinned.get(n) != newest.get(n)]


def test_versions_that_moved_lists_changes_only():
    assert versions_that_moved({"a": "1", "b": "2"}, {"a": "1", "b": "3", "c": "1"}) == ["b 2 → 3", "c - → 1"]


@pytest.mark.skipif(not NEWEST.is_dir() and os.environ.get("CI") != "true",
                    reason="no .venv-newest here (.ci/run builds it; CI fails instead of skipping)")
def test_checked_cells_hold_with_the_newest_releases(tmp_path):
    python = NEWEST / "bin" / "python"
    assert python.is_file(), ".venv-newest is missing: .ci/run must build it"
    moved = versions_that_moved(_versions(Path(sys.executable)), _versions(python))
    env = os.environ | {"COURSE_BUILD_DIR": str(tmp_path / "build")}
    run = subprocess.run(
        [str(python), "-m", "pytest", "-q", *[f"notebooks/{name}.ipynb" for name in NOTEBOOKS]],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    print("versions that differ from constraints.txt:", moved or "none")
    assert run.returncode == 0, (
        "the newest releases change what checked cells print or break a cell.\n"
        f"Versions that moved: {moved or 'none'}\n" + run.stdout[-6000:] + run.stderr[-2000:]
    )
