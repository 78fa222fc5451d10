"""Stand-in "course-ast-espeak-keywords": a tiny Audio Spectrogram Transformer for keyword spotting.

It plays the "audio-classifier" role offline. Its ten labels are the ten command words of Google's
Speech Commands (the labels of the real superb/wav2vec2-base-superb-ks, less "_silence_" and
"_unknown_"): yes, no, up, down, left, right, on, off, stop, go. It was trained on those words spoken
by the espeak-ng speech synthesiser in several voices, speeds and pitches, and is tested on voices it
never heard; real human speech is harder for it.
"""
import io
import shutil
import subprocess
import time
import wave
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import torch

from ..errors import CourseError
from .card import write_model_card
from .scenes import one_thread

SEED = 0
SAMPLING_RATE = 16000
CLIP_SECONDS = 1.0
WORDS = ["yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"]
TRAIN_VOICES = ["en-us", "en-gb", "en-gb-scotland", "en-029", "en-us+f2", "en-gb+f4", "en-us+m3", "en-gb-x-rp+f1"]
TEST_VOICES = ["en-us-nyc", "en-gb-x-gbclan+f3"]
SPEEDS = [130, 180]  # words per minute
PITCHES = [35, 70]  # 0-99
EPOCHS = 80
BATCH = 32


def synthesise(text: str, voice: str = "en-us", speed: int = 160, pitch: int = 50) -> np.ndarray:
    """``text`` spoken by espeak-ng, as float32 samples at 16 kHz without the silence espeak-ng adds
    before and after. Needs the espeak-ng program."""
    from scipy.signal import resample_poly

    program = shutil.which("espeak-ng")
    if program is None:
        raise CourseError(
            "the keyword stand-in and the audio examples synthesise speech with espeak-ng, which is not "
            "installed: apt-get install espeak-ng (Debian/Ubuntu; brew install espeak-ng on macOS)"
        )
    result = subprocess.run(
        [program, "-v", voice, "-s", str(speed), "-p", str(pitch), "--stdout", text],
        capture_output=True, check=True,
    )
    with wave.open(io.BytesIO(result.stdout)) as file:
        rate = file.getframerate()
        samples = np.frombuffer(file.readframes(file.getnframes()), dtype="<i2").astype(np.float32) / 32768
    return _trim(resample_poly(samples, SAMPLING_RATE, rate).astype(np.float32))


def _trim(samples: np.ndarray, level: float = 0.02) -> np.ndarray:
    """``samples`` from the first to the last one louder than ``level``."""
    loud = np.flatnonzero(np.abs(samples) > level)
    return samples[loud[0]:loud[-1] + 1] if len(loud) else samples


def fit_clip(samples: np.ndarray, rng: np.random.Generator, seconds: float = CLIP_SECONDS) -> np.ndarray:
    """The word preceded by a random stretch of digital silence, at most ``seconds`` in all. The clip
    is not padded at the end: the feature extractor pads every short clip itself, so training sees
    exactly what the pipeline later makes of a short recording."""
    word = _trim(samples)[: int(seconds * SAMPLING_RATE)]
    start = int(rng.integers(0, int(seconds * SAMPLING_RATE) - len(word) + 1))
    return np.concatenate([np.zeros(start, dtype=np.float32), word])


def spoken_words(voices: list[str], seed: int) -> tuple[list[np.ndarray], list[int]]:
    """Every word of WORDS in every voice, speed and pitch, as clips of at most 1 second, and their label ids."""
    jobs = [(word, voice, speed, pitch) for voice in voices for speed in SPEEDS for pitch in PITCHES for word in WORDS]
    with ThreadPoolExecutor(4) as pool:
        raw = list(pool.map(lambda job: synthesise(*job), jobs))
    rng = np.random.default_rng(seed)
    return [fit_clip(samples, rng) for samples in raw], [WORDS.index(job[0]) for job in jobs]


def build(target: Path) -> dict:
    """Synthesise the training and test words, train the AST, save model, feature extractor and card;
    return the accuracy on the two held-out voices."""
    from transformers import (
        ASTConfig,
        ASTFeatureExtractor,
        ASTForAudioClassification,
        set_seed,
    )

    started = time.perf_counter()
    set_seed(SEED)
    train_clips, train_labels = spoken_words(TRAIN_VOICES, seed=1)
    test_clips, test_labels = spoken_words(TEST_VOICES, seed=2)
    frames = int(CLIP_SECONDS * 100)  # one frame every 10 ms
    extractor = ASTFeatureExtractor(num_mel_bins=64, max_length=frames, do_normalize=False)
    with one_thread():
        train_features = extractor(train_clips, sampling_rate=SAMPLING_RATE, return_tensors="pt")["input_values"]
        test_features = extractor(test_clips, sampling_rate=SAMPLING_RATE, return_tensors="pt")["input_values"]
    # normalise with this data's own statistics (the defaults are AudioSet's), as AST's authors advise;
    # the extractor then does the same, (fbank - mean) / (2 * std), for every clip it is given
    extractor.do_normalize = True
    extractor.mean, extractor.std = float(train_features.mean()), float(train_features.std())
    train_features = (train_features - extractor.mean) / (2 * extractor.std)
    test_features = (test_features - extractor.mean) / (2 * extractor.std)
    config = ASTConfig(
        hidden_size=64, num_hidden_layers=2, num_attention_heads=4, intermediate_size=128,
        patch_size=16, frequency_stride=8, time_stride=8, max_length=frames, num_mel_bins=64,
        num_labels=len(WORDS), id2label=dict(enumerate(WORDS)), label2id={w: i for i, w in enumerate(WORDS)},
    )
    model = ASTForAudioClassification(config)
    labels = torch.tensor(train_labels)
    steps = EPOCHS * (len(train_clips) // BATCH)
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-2)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=2e-3, total_steps=steps, pct_start=0.1)
    generator = torch.Generator().manual_seed(SEED)
    with one_thread():
        model.train()
        for _epoch in range(EPOCHS):
            order = torch.randperm(len(labels), generator=generator)
            for start in range(0, len(order) - BATCH + 1, BATCH):
                batch = order[start:start + BATCH]
                loss = model(input_values=train_features[batch], labels=labels[batch]).loss
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                schedule.step()
        model.eval()
        with torch.no_grad():
            predicted = model(input_values=test_features).logits.argmax(-1).numpy()
    accuracy = float((predicted == np.array(test_labels)).mean())
    model.save_pretrained(target)
    extractor.save_pretrained(target)
    measured = {"build_seconds": round(time.perf_counter() - started, 1), "test_accuracy_unheard_voices": round(accuracy, 4)}
    write_model_card(
        target,
        name="course-ast-espeak-keywords",
        summary=(
            "A tiny Audio Spectrogram Transformer (2 layers, hidden size 64, 64 mel bins, 1-second input, "
            "about 0.1M parameters) trained by course_utils as an offline stand-in for the audio-classifier "
            "role: keyword spotting of ten command words (yes, no, up, down, left, right, on, off, stop, go). "
            "It heard only synthetic espeak-ng speech; `test_accuracy_unheard_voices` is measured on two "
            "espeak-ng voices kept out of training. Real human speech, noise and other words are harder for it "
            "(it has no \"_unknown_\" class: every sound becomes one of the ten words)."
        ),
        trained_on=(
            f"The ten words spoken by espeak-ng (GPL-3+) in {len(TRAIN_VOICES)} voices ({', '.join(TRAIN_VOICES)}) "
            f"at speeds {SPEEDS} words per minute and pitches {PITCHES}, resampled to 16 kHz, trimmed and placed "
            f"after a random stretch of silence (at most 1 second in all); {len(train_clips)} clips. Tested on "
            f"{len(test_clips)} clips in the voices {', '.join(TEST_VOICES)}."
        ),
        real_model="superb/wav2vec2-base-superb-ks",
        licence="The weights were trained by course_utils; the audio was synthesised locally with espeak-ng.",
        measured=measured,
    )
    return measured
