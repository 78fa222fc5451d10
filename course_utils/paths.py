"""Where the course keeps its caches and build outputs."""
import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def cache_dir() -> Path:
    """Directory for built offline models (``$COURSE_CACHE`` or ``~/.cache/hf-course``)."""
    path = Path(os.environ.get("COURSE_CACHE", Path.home() / ".cache" / "hf-course"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def project_root() -> Path:
    """The course checkout: the nearest parent of the working directory holding ``pyproject.toml``
    and ``notebooks/``, else the parent of the package (an editable install)."""
    for folder in [Path.cwd(), *Path.cwd().parents]:
        if (folder / "pyproject.toml").is_file() and (folder / "notebooks").is_dir():
            return folder
    return PACKAGE_DIR.parent


def course_notebooks() -> list[Path]:
    """The course notebooks in learning order (``notebooks/NN_*.ipynb`` of the checkout)."""
    return sorted((project_root() / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def data_dir() -> Path:
    """The data the course ships inside the package (``course_utils/data_files/``)."""
    return PACKAGE_DIR / "data_files"


def build_dir() -> Path:
    """Where executed notebooks, ``metrics.json`` and ``timings.json`` go (``$COURSE_BUILD_DIR``
    or ``build/`` of the checkout)."""
    path = Path(os.environ.get("COURSE_BUILD_DIR", project_root() / "build"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def readable_paths(text: str | os.PathLike) -> str:
    """``text`` (a path or a message holding paths) as a learner should read it: the course checkout
    shown as ``.`` and the home folder as ``~``, so that no output shows the machine that ran it."""
    text = str(text)
    for folder, shown in ((project_root(), "."), (Path.home(), "~")):
        text = text.replace(str(folder) + os.sep, shown + os.sep)
    return text
