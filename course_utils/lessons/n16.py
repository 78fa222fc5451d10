"""Exercises and questionnaire answers of notebook 16."""
from typing import Any

import numpy as np

from ..exercises import Exercise, Question, call_learner


def _grade_image_tokens(answer: Any, *, input_ids: Any, image_token_id: int, **_: Any) -> str:
    """Count the image placeholder tokens in the processed prompt."""
    if isinstance(answer, bool) or not hasattr(answer, "__index__"):
        return f"expected a whole number, got {type(answer).__name__}"
    ids = [int(token) for token in np.asarray(input_ids).reshape(-1)]
    expected = ids.count(int(image_token_id))
    if int(answer) == expected:
        return ""
    if int(answer) == 1:
        return ("1 is the placeholder in the chat template; the processor expanded it: count the positions of "
                "inputs['input_ids'] equal to the image token id")
    if int(answer) == len(ids):
        return f"{answer} is the whole prompt's length: count only the image tokens"
    return f"{answer!r} is not it. Hint: (inputs['input_ids'] == image_token_id).sum()"


def _reference_resample(waveform: np.ndarray, sampling_rate: int) -> np.ndarray:
    from math import gcd

    from scipy.signal import resample_poly

    common = gcd(16000, sampling_rate)
    return resample_poly(waveform, 16000 // common, sampling_rate // common)


def _grade_to_16k(answer: Any, **_: Any) -> str:
    """Compare the learner's resampling with scipy's polyphase resampling for three source rates."""
    rng = np.random.default_rng(16)
    for sampling_rate in (22050, 24000, 16000):
        seconds = np.arange(sampling_rate) / sampling_rate
        waveform = (0.5 * np.sin(2 * np.pi * 440 * seconds) + 0.01 * rng.standard_normal(sampling_rate)).astype(np.float32)
        given = call_learner(answer, waveform.copy(), sampling_rate)
        where = f"for one second at {sampling_rate} Hz"
        if not isinstance(given, np.ndarray) or given.ndim != 1:
            return f"{where} you returned {type(given).__name__}: return a 1-D numpy array"
        if abs(len(given) - 16000) > 2:
            if abs(len(given) - sampling_rate * sampling_rate / 16000) < 3:
                return f"{where} you returned {len(given)} samples: the ratio is upside down (up 16000, down {sampling_rate})"
            return f"{where} you returned {len(given)} samples: one second at 16 kHz is 16,000 samples"
        expected = _reference_resample(waveform, sampling_rate)
        length = min(len(given), len(expected))
        error = float(np.abs(given[:length] - expected[:length]).max())
        if error > 0.05:
            return (f"{where} your samples differ from a polyphase resampling by up to {error:.3f}: filter before "
                    f"dropping samples (scipy.signal.resample_poly does both)")
    return ""


def _reference_wer(reference: str, hypothesis: str) -> float:
    import jiwer

    return jiwer.wer(reference, hypothesis)


def _grade_word_error_rate(answer: Any, **_: Any) -> str:
    """Compare the learner's word error rate with jiwer's on pairs that need each edit."""
    pairs = [
        ("the cat sat on the mat", "the cat sat on the mat"),
        ("the cat sat on the mat", "the cat sat on mat"),
        ("the cat sat on the mat", "the cat sat on the red mat"),
        ("the cat sat on the mat", "a cat sat in the hat"),
        ("where is the river", "where is the river nile today"),
    ]
    for reference, hypothesis in pairs:
        given = call_learner(answer, reference, hypothesis)
        expected = _reference_wer(reference, hypothesis)
        where = f"for reference {reference!r} and hypothesis {hypothesis!r}"
        if isinstance(given, bool) or not isinstance(given, (int, float, np.floating)):
            return f"{where} you returned {type(given).__name__}: return a number"
        if abs(float(given) - expected) < 1e-9:
            continue
        words = len(hypothesis.split())
        if words and abs(float(given) - expected * len(reference.split()) / words) < 1e-9:
            return f"{where} you returned {float(given):.3f}: divide by the reference's word count, not the hypothesis's"
        return (f"{where} you returned {float(given):.3f}, expected {expected:.3f}: (substitutions + deletions + "
                f"insertions) / words in the reference, from a word-level edit distance")
    return ""


EXERCISES = [
    Exercise(
        name="16.image_tokens",
        kind="compute",
        question="How many image tokens did the processor put into the prompt of one image (inputs['input_ids'])?",
        grade=_grade_image_tokens,
        solution="""\
answer = int((inputs["input_ids"][0] == image_token_id).sum())
print(answer, "image tokens of", inputs["input_ids"].shape[1])
check("16.image_tokens", answer, input_ids=inputs["input_ids"][0], image_token_id=image_token_id)
""",
        explanation=(
            "The chat template writes one placeholder per image; the processor replaces it with as many copies as "
            "the vision encoder will produce vectors (patches, merged or split into tiles depending on the model). "
            "The model then overwrites the embeddings at those positions with the projected image vectors, so the "
            "prompt's length already counts the image."
        ),
    ),
    Exercise(
        name="16.to_16k",
        kind="build",
        question="Write to_16k: resample a 1-D waveform from sampling_rate to 16,000 Hz, the rate Whisper reads.",
        grade=_grade_to_16k,
        solution="""\
from math import gcd

from scipy.signal import resample_poly


def to_16k(waveform: np.ndarray, sampling_rate: int) -> np.ndarray:
    \"\"\"The waveform at 16 kHz: up by 16000/g, low-pass, down by sampling_rate/g (g their gcd).\"\"\"
    common = gcd(16000, sampling_rate)
    return resample_poly(waveform, 16000 // common, sampling_rate // common)


check("16.to_16k", to_16k)
""",
        explanation=(
            "22,050 to 16,000 is the ratio 320/441: resample_poly inserts 319 zeros between samples, low-pass "
            "filters, and keeps every 441st sample. Taking every 1.378th sample without the filter would fold "
            "frequencies above 8 kHz back into the speech band (aliasing)."
        ),
    ),
    Exercise(
        name="16.word_error_rate",
        kind="build",
        question="Write word_error_rate: the word error rate of a hypothesis against a reference, without jiwer.",
        grade=_grade_word_error_rate,
        solution="""\
def word_error_rate(reference: str, hypothesis: str) -> float:
    \"\"\"(substitutions + deletions + insertions) / reference words, by a word-level edit distance.\"\"\"
    ref, hyp = reference.split(), hypothesis.split()
    previous = list(range(len(hyp) + 1))
    for i, ref_word in enumerate(ref, 1):
        current = [i]
        for j, hyp_word in enumerate(hyp, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref_word != hyp_word)))
        previous = current
    return previous[-1] / len(ref)


check("16.word_error_rate", word_error_rate)
""",
        explanation=(
            "The edit distance counts the fewest word substitutions, deletions and insertions that turn the "
            "hypothesis into the reference; dividing by the reference's length makes it a rate. Insertions can push "
            "it above 1. jiwer computes the same and also reports each kind of edit."
        ),
    ),
]

QUESTIONS = [
    Question(
        question="The offline voice's tokenizer turned the sentence into phonemes, the online one into characters. Why does a TTS model want phonemes, and what does it cost?",
        answer=(
            "English spelling is a poor guide to sound (read, lead, though, through): a model that reads letters must "
            "learn the pronunciation rules from its training audio, one that reads phonemes gets them from a "
            "pronouncing dictionary and rules (espeak-ng here). The cost is a dependency outside Python (espeak-ng, "
            "GPL) and its mistakes on names and new words; MMS reads characters so that one recipe covers 1,100 "
            "languages."
        ),
    ),
    Question(
        question='Why is "synthesise, then transcribe" a useful test of a voice, and what can it not tell you?',
        answer=(
            "It is automatic and measures intelligibility: if Whisper writes back the sentence, the words were "
            "spoken clearly enough for a strong recogniser. It says nothing about naturalness, prosody or how "
            "pleasant the voice is (listening tests, MOS, measure those), and it inherits the recogniser's own "
            "errors and biases (Whisper may guess a word it did not really hear)."
        ),
    ),
    Question(
        question="In a LLaVA-style model, which parts were trained here, and why is that enough to answer questions about digits?",
        answer=(
            "Only the projector: two linear layers that map each of the ViT's 16 patch vectors into SmolLM2's "
            "embedding space. The ViT already separates the digits and SmolLM2 already writes the caption; the "
            "projector only has to translate one's vectors into something the other reads as 'a 7'. LLaVA trains "
            "the projector first in the same way, then fine-tunes the language model on visual instructions."
        ),
    ),
    Question(
        question="Why does the processor, not the model, decide how many image tokens a prompt holds?",
        answer=(
            "The input ids must have a slot for every vector the vision side will produce before the language model "
            "runs, and the count depends on the image processor's resizing and tiling (one fixed grid for the course "
            "model, tiles for SmolVLM's large images). The model checks that the slots and the vectors match and "
            "fails with a clear error when they do not."
        ),
    ),
]
