"""Exercises and questionnaire answers of notebook 02."""
from types import SimpleNamespace
from typing import Any

import torch

from ..exercises import AnswerProblem, Exercise, Question, call_learner
from ..graders import expect_int, expect_set
from ..providers.digits import digit_to_image
from ..providers.scenes import digit_split

CORNERS = ("xmin", "ymin", "xmax", "ymax")


def _detector_outputs(num_labels: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Raw outputs of one image for 10 queries: some confident about a real class, two about "no object"."""
    generator = torch.Generator().manual_seed(seed)
    logits = torch.randn(10, num_labels + 1, generator=generator)
    classes = torch.randint(0, num_labels, (10,), generator=generator)
    logits[torch.arange(10), classes] += torch.tensor([9.0, 6, 9, 0, 0, 9, 0, 6, 0, 9])
    logits[[3, 6], -1] += 9.0
    centres = torch.rand(10, 2, generator=generator) * 0.6 + 0.2
    sizes = torch.rand(10, 2, generator=generator) * 0.3 + 0.05
    return logits, torch.cat([centres, sizes], -1)


def _pipeline_detections(detector: Any, logits: torch.Tensor, pred_boxes: torch.Tensor, height: int, width: int,
                         threshold: float) -> list[dict]:
    """What the object-detection pipeline returns for these raw outputs."""
    outputs = SimpleNamespace(logits=logits[None], pred_boxes=pred_boxes[None])
    result = detector.image_processor.post_process_object_detection(outputs, threshold, [(height, width)])[0]
    return [{"score": score.item(), "label": detector.model.config.id2label[label.item()],
             "box": dict(zip(CORNERS, box.int().tolist()))}
            for score, label, box in zip(result["scores"], result["labels"], result["boxes"])]


def _grade_detections_from_outputs(answer: Any, *, detector: Any, **_: Any) -> str:
    num_labels = len(detector.model.config.id2label)
    for seed, height, width, threshold in [(1, 300, 500, 0.5), (2, 480, 200, 0.9)]:
        logits, pred_boxes = _detector_outputs(num_labels, seed)
        expected = _pipeline_detections(detector, logits, pred_boxes, height, width, threshold)
        given = call_learner(answer, logits.clone(), pred_boxes.clone(), height, width, threshold)
        case = f"for an image {height} high, {width} wide, threshold {threshold}"
        if not isinstance(given, list) or not all(isinstance(d, dict) and {"score", "label", "box"} <= set(d)
                                                  for d in given):
            raise AnswerProblem("expected a list of {'score', 'label', 'box'} dicts, like the pipeline's output")
        if len(given) != len(expected):
            return (f"{case} you kept {len(given)} detections, the pipeline keeps {len(expected)}. Hint: softmax "
                    "over all columns, drop the last ('no object'), keep a query if its best score > threshold")
        by_score = sorted(given, key=lambda d: -float(d["score"]))
        for rank, (mine, theirs) in enumerate(zip(by_score, sorted(expected, key=lambda d: -d["score"]))):
            if abs(float(mine["score"]) - theirs["score"]) > 1e-4 or mine["label"] != theirs["label"]:
                return (f"{case}, detection {rank} (by score) is {mine['label']!r} {float(mine['score']):.4f}, "
                        f"expected {theirs['label']!r} {theirs['score']:.4f}. Hint: softmax over all columns "
                        "including 'no object', then the best of the others; labels from config.id2label")
            box = mine["box"]
            if not isinstance(box, dict) or set(box) != set(CORNERS) or any(
                    abs(float(box[key]) - theirs["box"][key]) > 1 for key in CORNERS):
                return (f"{case}, the box of detection {rank} (by score) is {box}, expected {theirs['box']}. "
                        "Hint: corners are centre -/+ size / 2; x values times the width, y values times the height")
    return ""


def _hidden_digits() -> list:
    """Three held-out digits the notebook never shows."""
    _, test_x, _, _ = digit_split()
    return [digit_to_image(x, 64) for x in test_x[-3:]]


def _grade_zero_shot_scores(answer: Any, *, zero_shot: Any, **_: Any) -> str:
    labels = ["one", "four", "seven", "nine"]
    for number, image in enumerate(_hidden_digits()):
        expected = zero_shot(image, candidate_labels=labels)
        given = call_learner(answer, image, labels)
        if not isinstance(given, list) or not all(isinstance(d, dict) and {"score", "label"} <= set(d) for d in given):
            raise AnswerProblem("expected a list of {'score', 'label'} dicts, like the pipeline's output")
        if sorted(d["label"] for d in given) != sorted(labels):
            return f"labels {[d['label'] for d in given]}: expected each of {labels} once"
        scores = {d["label"]: float(d["score"]) for d in given}
        for item in expected:
            if abs(scores[item["label"]] - item["score"]) > 1e-4:
                return (f"on hidden image {number} the score of {item['label']!r} is {scores[item['label']]:.4f}, "
                        f"the pipeline's is {item['score']:.4f}. Hint: one caption per label with the template "
                        "'This is a photo of {}.', then a softmax over the captions (the last axis of logits_per_image)")
        if [d["label"] for d in given] != [d["label"] for d in expected]:
            return "right scores, wrong order. Hint: sort the dicts by score, highest first"
    return ""


EXERCISES = [
    Exercise(
        name='02.box_keys',
        kind='compute',
        question=(
            "The keys of the 'box' dictionary in each result of the object-detection pipeline."
        ),
        grade=expect_set(
            {"xmin", "ymin", "xmax", "ymax"}, "take detections[0]['box'] and list its keys"
        ),
        solution="""\
answer = set(detections[0]["box"])
check("02.box_keys", answer)
""",
        explanation=(
            "`xmin`, `ymin`, `xmax`, `ymax`: the corners in pixels of the input image (the image "
            "processor's `post_process_object_detection` scales the model's relative centre/size boxes "
            "back)."
        ),
    ),
    Exercise(
        name='02.sampling_rate',
        kind='compute',
        question=(
            "The sampling rate (samples per second) that the speech recogniser's feature extractor "
            "expects."
        ),
        grade=expect_int(16000, "read feature_extractor.sampling_rate; Whisper and wav2vec2 both want the same"),
        solution="""\
answer = feature_extractor.sampling_rate
check("02.sampling_rate", answer)
""",
        explanation=(
            "16,000 Hz. Audio recorded at another rate (espeak-ng writes 22,050 Hz, CDs are 44,100 Hz) "
            "must be resampled first, or passed as `{\"raw\": array, \"sampling_rate\": rate}` so the "
            "pipeline can do it."
        ),
    ),
    Exercise(
        name='02.clip_logits_shape',
        kind='compute',
        question=(
            "The shape of CLIP's logits_per_image for 4 images scored against 10 candidate captions."
        ),
        grade=lambda answer, **_: ""
        if isinstance(answer, (tuple, list)) and tuple(answer) == (4, 10)
        else f"{answer!r} is not it. Hint: one row per image, one column per caption",
        solution="""\
answer = tuple(outputs.logits_per_image.shape)
check("02.clip_logits_shape", answer)
""",
        explanation=(
            "One row per image and one column per caption; `logits_per_text` is its transpose. A "
            "softmax over each row gives the zero-shot pipeline's scores."
        ),
    ),
    Exercise(
        name="02.detections_from_outputs",
        kind="build",
        question=(
            "Write detections_from_outputs(logits, pred_boxes, height, width, threshold): one image's raw detector "
            "outputs turned into the object-detection pipeline's list of {'score', 'label', 'box'}."
        ),
        grade=_grade_detections_from_outputs,
        solution="""\
def detections_from_outputs(logits: torch.Tensor, pred_boxes: torch.Tensor, height: int, width: int,
                            threshold: float) -> list[dict]:
    \"\"\"The pipeline's detections from one image's logits (queries, classes + 1) and relative boxes (queries, 4).\"\"\"
    probabilities = logits.softmax(-1)[:, :-1]  # the last column is "no object"
    scores, classes = probabilities.max(-1)
    cx, cy, w, h = pred_boxes.unbind(-1)
    corners = torch.stack([(cx - w / 2) * width, (cy - h / 2) * height, (cx + w / 2) * width, (cy + h / 2) * height], -1)
    return [{"score": score.item(), "label": detector.model.config.id2label[label.item()],
             "box": dict(zip(["xmin", "ymin", "xmax", "ymax"], box.int().tolist()))}
            for score, label, box in zip(scores, classes, corners) if score > threshold]


check("02.detections_from_outputs", detections_from_outputs, detector=detector)
""",
        explanation=(
            "A DETR-style detector scores every query over the classes plus a last 'no object' class: the softmax "
            "runs over all of them, and a query is kept when its best real class beats the threshold. Boxes come "
            "as relative (centre x, centre y, width, height); corners are centre -/+ half the size, with x scaled "
            "by the image width and y by its height (PIL's image.size is (width, height), target sizes are "
            "(height, width): an easy swap). This is the image processor's `post_process_object_detection`."
        ),
    ),
    Exercise(
        name="02.zero_shot_scores",
        kind="build",
        question=(
            "Write zero_shot_scores(image, candidate_labels) with processor and clip_model by hand: the same "
            "scores, in the same order, as the zero-shot-image-classification pipeline."
        ),
        grade=_grade_zero_shot_scores,
        solution="""\
def zero_shot_scores(image: Image.Image, candidate_labels: list[str]) -> list[dict]:
    \"\"\"CLIP's zero-shot scores for one image, as the pipeline returns them: highest first.\"\"\"
    texts = [f"This is a photo of {label}." for label in candidate_labels]
    batch = processor(text=texts, images=[image], padding=True, return_tensors="pt")
    with torch.no_grad():
        probabilities = clip_model(**batch).logits_per_image[0].softmax(-1)
    ranked = sorted(zip(probabilities.tolist(), candidate_labels), reverse=True)
    return [{"score": score, "label": label} for score, label in ranked]


check("02.zero_shot_scores", zero_shot_scores, zero_shot=zero_shot)
""",
        explanation=(
            "The pipeline writes one caption per label with its template ('This is a photo of {}.'), scores the "
            "image against every caption (one row of logits_per_image) and takes a softmax over that row: the "
            "scores add up to 1 over the labels you gave, so they say which label fits best, not whether any fits."
        ),
    ),
]

QUESTIONS = [
    Question(
        question="What three things does an image processor do to a photo before a ViT sees it?",
        answer=(
            "It resizes the image to the model's input size, rescales the pixel values from 0-255 to 0-1, and "
            "normalises them (minus the mean, divided by the standard deviation), giving a `pixel_values` tensor of "
            "shape (batch, channels, height, width): (1, 3, 32, 32) for the offline stand-in."
        ),
    ),
    Question(
        question=(
            "Why must a waveform come with its sampling rate, and what happens if you pass 22,050 Hz audio as "
            "16,000 Hz?"
        ),
        answer=(
            "An array of samples means nothing without the number of samples per second: the feature extractor "
            "computes its spectrogram frames (Whisper's every 10 ms) assuming 16,000 Hz. Audio recorded at 22,050 Hz "
            "but passed as 16,000 Hz is played about 1.4 times too slow and too low, so the model hears distorted "
            "speech; resample it, or pass {\"raw\": array, \"sampling_rate\": 22050} so the pipeline resamples."
        ),
    ),
    Question(
        question=(
            "How does zero-shot image classification use the text encoder, and why can it take labels it was never "
            "trained on?"
        ),
        answer=(
            "Each candidate label is written into a caption ('This is a photo of {}.'), the text encoder embeds the "
            "captions and the image encoder the image, and the softmax over the image's similarities to the captions "
            "gives the scores. Any label that can be written as text gets a caption and an embedding, so no "
            "classifier head is trained for it; it still works only as far as the model learned those words (the "
            "offline stand-in knows the digits only)."
        ),
    ),
    Question(
        question="What does the object-detection `threshold` trade off?",
        answer=(
            "Boxes whose score is at or below the threshold are dropped: a high threshold (0.9 online here) keeps "
            "few, confident boxes and misses uncertain objects, a low one finds more objects but adds false "
            "detections. Offline the random detector scores about 0.1, so only a threshold of 0 shows its boxes."
        ),
    ),
    Question(
        question=(
            "Why does the keyword spotter online have an `_unknown_` class, and what does the offline stand-in do "
            "without one?"
        ),
        answer=(
            "A classifier always answers with one of its labels, so a spotter that hears other words or noise "
            "needs `_unknown_` (and `_silence_`) to say 'none of my keywords'. The offline stand-in has no such "
            "class: it gives every clip one of its ten words, often with high confidence, whatever was said."
        ),
    ),
]
