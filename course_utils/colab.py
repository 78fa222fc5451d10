"""The "Open in Colab" badge and the Colab set-up cell of every notebook, from one repository address.

The address lives in ``pyproject.toml`` (``[project.urls] Repository``). After changing it (a fork, a
move), ``python -m course_utils colab-links`` rewrites the badge and the set-up cell of every notebook.
"""
import json
import re

import tomllib

from .errors import CourseError
from .paths import course_notebooks, project_root

BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"
_BADGE = re.compile(r"\[!\[Open In Colab\]\([^)]*\)\]\([^)]*\)")
_COLAB_REPOSITORY = re.compile(r"https://colab\.research\.google\.com/github/[\w.-]+/[\w.-]+/blob/main/")


def repository_url() -> str:
    """The course repository's address on GitHub, as ``pyproject.toml`` gives it."""
    pyproject = project_root() / "pyproject.toml"
    if not pyproject.is_file():
        raise CourseError("pyproject.toml not found: run this from a checkout of the course")
    url = tomllib.loads(pyproject.read_text())["project"]["urls"]["Repository"].rstrip("/")
    if not url.startswith("https://github.com/"):
        raise CourseError(f"Colab opens notebooks from GitHub; the Repository URL is {url}")
    return url


def colab_badge(notebook: str) -> str:
    """The Markdown badge that opens ``notebooks/<notebook>`` of the course repository in Colab."""
    slug = repository_url().removeprefix("https://github.com/")
    target = f"https://colab.research.google.com/github/{slug}/blob/main/notebooks/{notebook}"
    return f"[![Open In Colab]({BADGE_IMAGE})]({target})"


# What a notebook needs on Colab besides the course package: extras of pyproject.toml, Debian packages.
COLAB_EXTRAS = {"03": "chinese", "07": "chinese", "12": "chinese"}
COLAB_APT = {"02": "espeak-ng pocketsphinx-testdata", "04": "pocketsphinx-testdata"}


def _extra_requirements(extra: str) -> list[str]:
    pyproject = tomllib.loads((project_root() / "pyproject.toml").read_text())
    return pyproject["project"]["optional-dependencies"][extra]


def colab_setup_cell(notebook: str) -> str:
    """The source of a notebook's second cell: on Colab, install the course and what this notebook needs.

    ``%pip`` installs the course package (every version bound comes from ``pyproject.toml``; Colab's
    preinstalled torch satisfies the ``torch`` bound and stays) and the notebook's extras; ``apt-get``
    the Debian packages it reads. ``COURSE_PIP_SOURCE`` replaces the GitHub address (the online test leg
    installs a local wheel). Locally ``pip install -e .`` did it all and the cell does nothing.
    """
    number = notebook[:2]
    extras = "".join(f' "{requirement}"' for requirement in _extra_requirements(COLAB_EXTRAS[number])) \
        if number in COLAB_EXTRAS else ""
    lines = [
        "# Setup: on Colab, install the course and what this notebook needs (Colab's own torch stays); "
        "locally, `pip install -e .` did it.",
        "import importlib.util, os, sys",
        'if "google.colab" in sys.modules and importlib.util.find_spec("course_utils") is None:',
        f'    course = os.environ.get("COURSE_PIP_SOURCE", "hf-transformers-course @ git+{repository_url()}")',
        f'    %pip install -q "{{course}}"{extras}',
    ]
    if number in COLAB_APT:
        lines.append(f"    !apt-get install -y -qq {COLAB_APT[number]} > /dev/null")
    lines.append("import course_utils  # before transformers: it hides two library log lines (see its library_warnings.py)")
    return "\n".join(lines)


def sync_colab_cells() -> list[str]:
    """Rewrite each notebook's badge and set-up cell, and README's badges, from :func:`repository_url`.

    Returns the names of the files it changed.
    """
    changed = []
    readme = project_root() / "README.md"
    if readme.is_file():
        slug = repository_url().removeprefix("https://github.com/")
        text = readme.read_text(encoding="utf-8")
        new = _COLAB_REPOSITORY.sub(f"https://colab.research.google.com/github/{slug}/blob/main/", text)
        if new != text:
            readme.write_text(new, encoding="utf-8")
            changed.append(readme.name)
    for path in course_notebooks():
        notebook = json.loads(path.read_text(encoding="utf-8"))
        opening, setup = notebook["cells"][0], notebook["cells"][1]
        text = "".join(opening["source"])
        if not _BADGE.search(text):
            raise CourseError(f"{path.name}: the first cell has no Open In Colab badge to update")
        new_opening = _BADGE.sub(lambda _: colab_badge(path.name), text, count=1)
        new_setup = colab_setup_cell(path.name)
        if new_opening == text and "".join(setup["source"]) == new_setup:
            continue
        opening["source"] = new_opening.splitlines(keepends=True)
        setup["source"] = new_setup.splitlines(keepends=True)
        path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        changed.append(path.name)
    return changed
