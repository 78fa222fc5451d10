"""Every notebook opens in Colab from the one repository address in pyproject.toml and installs what Colab lacks."""
import json
import re
from pathlib import Path

import pytest
import tomllib

from course_utils.colab import COLAB_APT, COLAB_EXTRAS, colab_badge, colab_setup_cell, repository_url, sync_colab_cells

ROOT = Path(__file__).parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _cell(path: Path, index: int) -> str:
    return "".join(json.loads(path.read_text(encoding="utf-8"))["cells"][index]["source"])


def test_the_repository_address_is_the_one_in_pyproject():
    assert repository_url() == PROJECT["urls"]["Repository"].rstrip("/")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_has_the_badge_for_its_own_file(path):
    assert colab_badge(path.name) in _cell(path, 0)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_readme_learning_path_has_the_same_badge(path):
    assert colab_badge(path.name) in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_installs_the_course_on_colab_and_leaves_torch_alone(path):
    setup = _cell(path, 1)
    assert setup == colab_setup_cell(path.name)
    assert 'if "google.colab" in sys.modules' in setup  # locally nothing is installed
    assert "%pip install" in setup  # %pip installs into the running kernel and prompts a restart if needed
    requirements = re.findall(r'"([^"]+ @ git\+[^"]+|[A-Za-z][\w.-]*[<>=][^"]*)"', setup)
    # The course itself (every version bound comes from pyproject.toml, which environment.yml mirrors:
    # tests/test_project_setup.py) plus the notebook's extra's requirements, also from pyproject.toml.
    extras = PROJECT["optional-dependencies"][COLAB_EXTRAS[path.name[:2]]] if path.name[:2] in COLAB_EXTRAS else []
    assert requirements == [f"{PROJECT['name']} @ git+{repository_url()}", *extras]
    assert "torch" not in setup.split("pip", 1)[1]
    assert "jupyterlab" not in PROJECT["dependencies"] and "ipykernel" not in str(PROJECT["dependencies"])


def test_colab_installs_what_each_notebook_reads():
    uses_chinese_corpora = {p.name[:2] for p in NOTEBOOKS if 'load_course_dataset(\\"chinese-reviews\\")' in p.read_text(encoding="utf-8")}
    assert uses_chinese_corpora <= set(COLAB_EXTRAS)
    for path in NOTEBOOKS:
        text = path.read_text(encoding="utf-8")
        if 'load_course_dataset(\\"librivox-clips\\")' in text or "espeak-ng -v" in text:
            assert path.name[:2] in COLAB_APT, path.name


def test_pyproject_torch_bound_admits_colab_torch():
    torch = next(spec for spec in PROJECT["dependencies"] if spec.startswith("torch"))
    assert torch.startswith("torch>=2.") and "<3" in torch


def test_colab_links_rewrites_badge_and_setup_after_the_address_changes(tmp_path, monkeypatch):
    (tmp_path / "notebooks").mkdir()
    notebook = NOTEBOOKS[0]
    (tmp_path / "notebooks" / notebook.name).write_text(notebook.read_text(encoding="utf-8"), encoding="utf-8")
    pyproject = (ROOT / "pyproject.toml").read_text().replace(PROJECT["urls"]["Repository"],
                                                              "https://github.com/a-fork/course")
    (tmp_path / "pyproject.toml").write_text(pyproject)
    (tmp_path / "README.md").write_text(f"| [{notebook.stem}] | {colab_badge(notebook.name)} |")
    monkeypatch.chdir(tmp_path)
    assert sync_colab_cells() == ["README.md", notebook.name]
    copy = tmp_path / "notebooks" / notebook.name
    assert "colab.research.google.com/github/a-fork/course/blob/main/notebooks/" in _cell(copy, 0)
    assert "git+https://github.com/a-fork/course" in _cell(copy, 1)
    assert "github/a-fork/course/blob/main/notebooks/" in (tmp_path / "README.md").read_text()
    assert sync_colab_cells() == []  # a second run has nothing left to change
