"""Session fixtures of the online leg: the test Hub, the course wheel and a Colab-like package image."""
import subprocess
import sys
from pathlib import Path

import pytest

from .hub import serve_test_hub

ROOT = Path(__file__).resolve().parents[2]
NOT_THE_COURSE = ("__editable__", "hf_transformers_course", "course_utils", "_virtualenv")


@pytest.fixture(scope="session")
def online_hub(tmp_path_factory):
    """The test Hub's address, for the whole session."""
    with serve_test_hub(tmp_path_factory.mktemp("hub")) as url:
        yield url


@pytest.fixture(scope="session")
def course_wheel(tmp_path_factory) -> Path:
    """The course built as a wheel, as pip would build it from GitHub on Colab."""
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(dist), str(ROOT)], check=True)
    return next(dist.glob("*.whl"))


@pytest.fixture(scope="session")
def colab_image() -> list[Path]:
    """Every installed package except the course: what a Colab image offers (linked into each runtime).

    The packages come from ``.venv-newest`` where ``.ci/run`` built it: the newest releases within the course's
    bounds, what a learner's own ``pip install`` (on Colab or a laptop, without ``constraints.txt``) gets. Without
    it, from this environment.
    """
    newest = sorted((ROOT / ".venv-newest" / "lib").glob("python3*/site-packages"))
    site_packages = newest[0] if newest else Path(
        next(p for p in sys.path if p.endswith("site-packages") and ".venv" in p))
    return [entry for entry in site_packages.iterdir()
            if not entry.name.startswith(NOT_THE_COURSE) and entry.suffix != ".pth"]
