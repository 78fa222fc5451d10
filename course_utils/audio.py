"""Speech clips for the course, offline: the LibriVox recordings that Debian's pocketsphinx-testdata ships."""
from __future__ import annotations

import re
import wave
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .errors import CourseError

if TYPE_CHECKING:
    from datasets import Dataset

LIBRIVOX_DIR = Path("/usr/share/pocketsphinx/test/data/librivox")
SAMPLING_RATE = 16000


def _read_wav(path: Path) -> np.ndarray:
    """A 16-bit mono WAV file as float32 samples in [-1, 1]."""
    with wave.open(str(path)) as file:
        if (file.getsampwidth(), file.getnchannels(), file.getframerate()) != (2, 1, SAMPLING_RATE):
            raise CourseError(f"{path} is not 16-bit mono audio at {SAMPLING_RATE} Hz")
        samples = np.frombuffer(file.readframes(file.getnframes()), dtype="<i2")
    return samples.astype(np.float32) / 32768


def load_librivox_clips() -> Dataset:
    """The five LibriVox clips (*Sense and Sensibility*, 3 to 7 s at 16 kHz) with their transcripts.

    Columns: ``id``, ``audio`` (a float32 numpy array), ``sampling_rate`` (16000) and ``text`` (the
    reference transcript: lower case, no punctuation). The clips come from the Debian package
    ``pocketsphinx-testdata`` (BSD-2; LibriVox recordings are in the public domain).
    """
    transcripts = LIBRIVOX_DIR / "transcription"
    if not transcripts.is_file():
        raise CourseError(
            f"the LibriVox clips need the Debian package pocketsphinx-testdata ({transcripts} is missing): "
            "apt-get install pocketsphinx-testdata"
        )
    from datasets import Dataset

    rows: dict[str, list] = {"id": [], "audio": [], "sampling_rate": [], "text": []}
    for line in transcripts.read_text().splitlines():
        text, clip_id = re.fullmatch(r"<s> (.*) </s> \((.*)\)", line.strip()).groups()
        rows["id"].append(clip_id)
        rows["audio"].append(_read_wav(LIBRIVOX_DIR / f"{clip_id}.wav"))
        rows["sampling_rate"].append(SAMPLING_RATE)
        rows["text"].append(text)
    return Dataset.from_dict(rows).with_format("numpy", columns=["audio"], output_all_columns=True)
