"""Stand-in "course-segformer-digit-scenes": a tiny SegFormer that labels every pixel of a digit scene.

It plays the "image-segmenter" role offline. SegFormer is a hierarchical transformer encoder with a
light all-MLP decoder that predicts one class per pixel (at a quarter of the input resolution; the
image processor scales the map back up). This one knows eleven classes, "background" and the digits
"0" to "9", on the synthetic scenes of ``scenes.py``; on a photograph its masks are meaningless.
"""
import time
from pathlib import Path

import numpy as np
import torch

from .card import write_model_card
from .scenes import CANVAS, digit_split, make_scenes, one_thread

SEED = 0
INPUT_SIZE = 64
TRAIN_SCENES = 1200
TEST_SCENES = 200
EPOCHS = 8
BATCH = 16
LABELS = ["background"] + [str(digit) for digit in range(10)]


def segmentation_scores(predicted: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    """``ink_accuracy``: the share of ink pixels (truth > 0) given their right digit; ``mean_iou``:
    intersection over union averaged over the eleven classes."""
    ink = truth > 0
    ious = []
    for label in range(len(LABELS)):
        union = np.logical_or(predicted == label, truth == label).sum()
        if union:
            ious.append(np.logical_and(predicted == label, truth == label).sum() / union)
    return {"ink_accuracy": float((predicted[ink] == truth[ink]).mean()), "mean_iou": float(np.mean(ious))}


def predict_masks(model, processor, images) -> np.ndarray:
    """Per-pixel class ids (N x CANVAS x CANVAS) for a list of PIL ``images``, with the processor's
    own post-processing (the same call the pipeline makes)."""
    predictions = []
    for start in range(0, len(images), 64):
        chunk = images[start:start + 64]
        with torch.no_grad():
            outputs = model(**processor(chunk, return_tensors="pt"))
        maps = processor.post_process_semantic_segmentation(outputs, target_sizes=[im.size[::-1] for im in chunk])
        predictions += [m.numpy() for m in maps]
    return np.stack(predictions)


def build(target: Path) -> dict:
    """Train the segmenter with a plain PyTorch loop on seeded synthetic scenes; save model, image
    processor and card; return ink accuracy and mean IoU on scenes of held-out handwriting."""
    from transformers import SegformerConfig, SegformerForSemanticSegmentation, set_seed
    from transformers.models.segformer import SegformerImageProcessorPil

    started = time.perf_counter()
    set_seed(SEED)
    train_x, test_x, train_y, test_y = digit_split()
    train_scenes = make_scenes(train_x, train_y, TRAIN_SCENES, seed=3)
    test_scenes = make_scenes(test_x, test_y, TEST_SCENES, seed=4)
    processor = SegformerImageProcessorPil(size={"height": INPUT_SIZE, "width": INPUT_SIZE})
    pixels = processor([s.image for s in train_scenes], return_tensors="pt")["pixel_values"]
    masks = torch.from_numpy(np.stack([s.mask for s in train_scenes]))
    config = SegformerConfig(
        num_channels=3, num_encoder_blocks=4, depths=[1, 1, 1, 1], sr_ratios=[8, 4, 2, 1],
        hidden_sizes=[24, 48, 96, 128], num_attention_heads=[1, 2, 4, 4], mlp_ratios=[2, 2, 2, 2],
        decoder_hidden_size=96, num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)), label2id={label: i for i, label in enumerate(LABELS)},
    )
    model = SegformerForSemanticSegmentation(config)
    steps = EPOCHS * (len(train_scenes) // BATCH)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=3e-3, total_steps=steps, pct_start=0.1)
    generator = torch.Generator().manual_seed(SEED)
    # most pixels are background: weigh each class by its inverse frequency, or the model learns
    # to answer "background" everywhere (95% pixel accuracy, no digit found)
    counts = torch.bincount(masks.flatten(), minlength=len(LABELS)).float()
    class_weights = (counts.sum() / counts.clamp(min=1)) ** 0.5
    class_weights = class_weights / class_weights.mean()
    with one_thread():
        model.train()
        for _epoch in range(EPOCHS):
            order = torch.randperm(len(pixels), generator=generator)
            for start in range(0, len(order) - BATCH + 1, BATCH):
                batch = order[start:start + BATCH]
                logits = model(pixel_values=pixels[batch]).logits  # a quarter of the input resolution
                logits = torch.nn.functional.interpolate(logits, size=masks.shape[-2:], mode="bilinear")
                loss = torch.nn.functional.cross_entropy(logits, masks[batch], weight=class_weights)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                schedule.step()
        model.eval()
        predicted = predict_masks(model, processor, [s.image for s in test_scenes])
    scores = segmentation_scores(predicted, np.stack([s.mask for s in test_scenes]))
    model.save_pretrained(target)
    processor.save_pretrained(target)
    measured = {
        "build_seconds": round(time.perf_counter() - started, 1),
        "test_ink_accuracy": round(scores["ink_accuracy"], 4),
        "test_mean_iou": round(scores["mean_iou"], 4),
    }
    write_model_card(
        target,
        name="course-segformer-digit-scenes",
        summary=(
            f"A tiny SegFormer (4 stages of one block, hidden sizes 24-128, {INPUT_SIZE}x{INPUT_SIZE} input, "
            "about 0.6M parameters) trained by course_utils as an offline stand-in for the image-segmenter "
            "role. It labels every pixel of a synthetic digit scene as \"background\" or one of the digits "
            "\"0\" to \"9\"; it is not an ADE20K scene parser, and on a photograph its masks mean nothing. "
            "`test_ink_accuracy` is the share of ink pixels given the right digit, `test_mean_iou` the "
            "intersection over union averaged over the eleven classes."
        ),
        trained_on=(
            f"{TRAIN_SCENES:,} synthetic {CANVAS}x{CANVAS} scenes with one to three of scikit-learn's handwritten "
            "digits (`load_digits`) pasted onto a black canvas; a pixel's label is its digit where the ink is "
            f"brighter than a threshold, else background. Tested on {TEST_SCENES} scenes built from the held-out "
            "20% of the digits."
        ),
        real_model="nvidia/segformer-b0-finetuned-ade-512-512",
        licence="The weights were trained by course_utils; the digits data ships with scikit-learn (BSD-3-Clause).",
        measured=measured,
    )
    return measured
