"""Pytest hooks for the whole checkout.

- nbval runs every notebook **with the exercise solutions put in** (``course_utils.solved``): one
  execution proves the teaching cells (the checked ones must still match the committed outputs)
  and every solution (a ``check()`` that does not pass stops the notebook).
- ``tests/test_recap_claims.py`` runs last, so it checks the recaps against the numbers this run measured.
- nbval's run time per notebook goes to ``build/timings.json``; the workshop agendas
  (``python -m course_utils agenda``) are built from these measured times.
"""
import json
import os
from collections import defaultdict

import nbformat
import pytest
from nbval.plugin import IPyNbFile

from course_utils.exercises import MUST_PASS_VARIABLE
from course_utils.solved import with_solutions

_seconds: dict[str, float] = defaultdict(float)


class SolvedNotebook(IPyNbFile):
    """nbval's notebook, read with every exercise cell replaced by its solution."""

    def collect(self):
        read = nbformat.read
        nbformat.read = lambda path, as_version: with_solutions(read(path, as_version=as_version))
        try:
            yield from super().collect()
        finally:
            nbformat.read = read

    def setup(self):
        """Start the kernel with ``check()`` told that every answer must pass."""
        os.environ[MUST_PASS_VARIABLE] = "1"
        try:
            super().setup()
        finally:
            del os.environ[MUST_PASS_VARIABLE]


@pytest.hookimpl(hookwrapper=True)
def pytest_collect_file(file_path, parent):
    """Swap nbval's collector for :class:`SolvedNotebook`."""
    outcome = yield
    collected = outcome.get_result()
    if any(type(item) is IPyNbFile for item in collected):
        outcome.force_result([SolvedNotebook.from_parent(parent, path=file_path) if type(item) is IPyNbFile
                              else item for item in collected])


def pytest_collection_modifyitems(items) -> None:
    """Run the recap-claims checks last, once nbval has re-executed the notebooks into ``build/metrics.json``."""
    items.sort(key=lambda item: item.nodeid.startswith("tests/test_recap_claims.py"))


def pytest_runtest_logreport(report) -> None:
    """Add each notebook cell's set-up, run and tear-down time to its notebook's total."""
    path = report.nodeid.split("::", 1)[0]
    if path.startswith("notebooks/") and path.endswith(".ipynb"):
        _seconds[path.removeprefix("notebooks/").removesuffix(".ipynb")] += report.duration


def pytest_sessionfinish(session, exitstatus) -> None:
    """Merge this session's notebook times into ``build/timings.json`` (other notebooks keep theirs)."""
    if not _seconds:
        return
    from course_utils.paths import build_dir

    path = build_dir() / "timings.json"
    timings = json.loads(path.read_text()) if path.is_file() else {}
    timings.update({name: round(seconds, 1) for name, seconds in _seconds.items()})
    path.write_text(json.dumps(timings, indent=2, sort_keys=True))
