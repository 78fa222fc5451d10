"""Stand-in "course-yolos-random": a tiny YOLOS detector with random weights, for the code path only.

It plays the "object-detector" role offline. YOLOS is the plain-ViT member of the DETR family: it
appends learned "detection tokens" to the image patches, and each token predicts one box and a class
(or "no object"). DETR-style detectors need long training before the Hungarian matching settles: a
tiny YOLOS trained for two minutes on synthetic scenes of pasted digits still found none of them
(precision and recall 0 at IoU 0.5, measured while writing this course). So this stand-in is honest
about being untrained: its weights are seeded random numbers, its boxes and labels mean nothing,
and it exists so that ``pipeline("object-detection")``, the image processor and the plotting code run
offline exactly as they do with the real hustvl/yolos-tiny. The build still measures it on digit
scenes, so the card shows the (near-zero) numbers.
"""
import time
from pathlib import Path

from .card import write_model_card
from .scenes import CANVAS, digit_split, make_scenes, one_thread

SEED = 0
TEST_SCENES = 300
THRESHOLD = 0.0  # random weights score about 0.1 at best: the pipeline's default 0.5 would keep no box
LABELS = [str(digit) for digit in range(10)]


def _iou(a, b) -> float:
    x0, y0, x1, y1 = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    inter = max(0.0, x1 - x0) * max(0.0, y1 - y0)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union else 0.0


def detection_scores(predicted: list[list[dict]], scenes) -> dict[str, float]:
    """Precision and recall of ``predicted`` (pipeline output per scene: dicts with ``label`` and
    ``box``) against the scenes' true digits: a hit has the right label and IoU >= 0.5."""
    hits = n_predicted = n_true = 0
    for found, scene in zip(predicted, scenes):
        unmatched = list(zip(scene.boxes, scene.labels))
        n_predicted += len(found)
        n_true += len(unmatched)
        for item in sorted(found, key=lambda d: -d["score"]):
            box = item["box"]
            box = (box["xmin"], box["ymin"], box["xmax"], box["ymax"])
            for k, (true_box, label) in enumerate(unmatched):
                if str(label) == item["label"] and _iou(box, true_box) >= 0.5:
                    hits += 1
                    del unmatched[k]
                    break
    return {"precision": hits / max(n_predicted, 1), "recall": hits / max(n_true, 1)}


def build(target: Path) -> dict:
    """Save a seeded, randomly initialised tiny YOLOS with its image processor and card; return its
    (meaningless) precision and recall on digit scenes, measured with the pipeline."""
    from transformers import YolosConfig, YolosForObjectDetection, pipeline, set_seed
    from transformers.models.yolos import YolosImageProcessorPil

    started = time.perf_counter()
    set_seed(SEED)
    _train_x, test_x, _train_y, test_y = digit_split()
    test_scenes = make_scenes(test_x, test_y, TEST_SCENES, seed=2)
    processor = YolosImageProcessorPil(size={"height": CANVAS, "width": CANVAS}, do_pad=False)
    config = YolosConfig(
        image_size=[CANVAS, CANVAS], patch_size=8, hidden_size=96, num_hidden_layers=3,
        num_attention_heads=4, intermediate_size=192, num_detection_tokens=6,
        use_mid_position_embeddings=False, num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)), label2id={label: i for i, label in enumerate(LABELS)},
    )
    model = YolosForObjectDetection(config).eval()  # seeded random weights: no training
    model.save_pretrained(target)
    processor.save_pretrained(target)
    detector = pipeline("object-detection", model=str(target))
    with one_thread():
        found = detector([s.image for s in test_scenes], threshold=THRESHOLD)
    scores = detection_scores(found, test_scenes)
    measured = {
        "build_seconds": round(time.perf_counter() - started, 1),
        "test_precision": round(scores["precision"], 4),
        "test_recall": round(scores["recall"], 4),
        "test_detections_per_scene": round(sum(map(len, found)) / len(found), 2),
    }
    write_model_card(
        target,
        name="course-yolos-random",
        summary=(
            "A tiny YOLOS object detector (3 layers, hidden size 96, 64x64 input, 8x8 patches, 6 detection "
            "tokens, about 0.3M parameters) with **seeded random weights, not trained**: an offline stand-in "
            "for the object-detector role that runs the same code (`pipeline(\"object-detection\")`, "
            "`AutoImageProcessor`, post-processing) as the real model, and whose boxes, labels and scores are "
            "meaningless. A two-minute training on synthetic digit scenes did not help (DETR-family detectors "
            "need far longer), so none was kept. Its labels are the digits \"0\" to \"9\"; the measurements "
            f"below use the pipeline with threshold {THRESHOLD} on synthetic digit scenes, a right detection "
            "having the right label and IoU >= 0.5 with the true box."
        ),
        trained_on=(
            "Nothing: the weights are random (seed 0). Measured on "
            f"{TEST_SCENES} synthetic scenes of one to three of scikit-learn's handwritten digits pasted onto a black canvas."
        ),
        real_model="hustvl/yolos-tiny",
        licence="Random weights generated by course_utils; the digits data ships with scikit-learn (BSD-3-Clause).",
        measured=measured,
    )
    return measured
