"""Pytest hooks for the whole checkout: nbval's run time per notebook goes to ``build/timings.json``.

The workshop agendas (``python -m course_utils agenda``) are built from these measured times.
"""
import json
from collections import defaultdict

_seconds: dict[str, float] = defaultdict(float)


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
