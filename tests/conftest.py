"""Shared fixtures: unit tests never write into the learner's real cache or build folder."""
import pytest

from course_utils import hub


@pytest.fixture
def tmp_build(tmp_path, monkeypatch):
    """A fresh ``build/`` for tests that record measurements."""
    monkeypatch.setenv("COURSE_BUILD_DIR", str(tmp_path / "build"))
    return tmp_path / "build"


@pytest.fixture
def tmp_progress(tmp_path, monkeypatch):
    """A fresh course cache, for tests that store exercise progress."""
    monkeypatch.setenv("COURSE_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def fresh_hub_status():
    """Forget the cached Hub probe before and after a test that changes the environment."""
    hub.hub_status.cache_clear()
    yield
    hub.hub_status.cache_clear()
