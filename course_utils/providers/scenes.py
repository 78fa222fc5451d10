"""Synthetic scenes for the vision stand-ins: scikit-learn's handwritten digits pasted at known places.

Each scene is a black canvas with one to three digits (white ink, as in ``load_digits``) at random
positions and sizes. Because we paste them ourselves, we know every digit's class, its bounding box
and which pixels are ink: exactly the labels that object detection and segmentation need.
Digits are drawn from a seeded 80/20 split of the 1,797 images, so test scenes use unseen handwriting.
"""
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from PIL import Image
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

SEED = 0
CANVAS = 64
INK_THRESHOLD = 96  # a pixel (0-255) brighter than this after resizing counts as ink


@dataclass
class Scene:
    """One synthetic scene: an RGB image, per-digit ``boxes`` (x0, y0, x1, y1 in pixels), their
    ``labels`` (0-9) and ``mask``, a CANVAS x CANVAS array of 0 (background) or 1 + the digit's class."""

    image: Image.Image
    boxes: list[tuple[int, int, int, int]]
    labels: list[int]
    mask: np.ndarray


def digit_split() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``train_images, test_images, train_labels, test_labels``: the seeded, stratified 80/20 split of
    scikit-learn's digits (8x8 arrays with values 0-16)."""
    digits = load_digits()
    return train_test_split(
        digits.images, digits.target, test_size=0.2, random_state=SEED, stratify=digits.target
    )


def make_scenes(
    images: np.ndarray, labels: np.ndarray, count: int, seed: int, *, canvas: int = CANVAS,
    max_digits: int = 3, min_size: int = 16, max_size: int = 28,
) -> list[Scene]:
    """``count`` scenes built from the digit ``images`` (with their ``labels``), seeded by ``seed``.
    Digits do not overlap; their boxes are the squares they were pasted into."""
    rng = np.random.default_rng(seed)
    scenes = []
    for _ in range(count):
        canvas_array = np.zeros((canvas, canvas), dtype=np.uint8)
        mask = np.zeros((canvas, canvas), dtype=np.int64)
        boxes, classes = [], []
        for _ in range(int(rng.integers(1, max_digits + 1))):
            size = int(rng.integers(min_size, max_size + 1))
            for _attempt in range(20):
                x0, y0 = (int(v) for v in rng.integers(0, canvas - size + 1, size=2))
                if all(x0 >= bx1 or x0 + size <= bx0 or y0 >= by1 or y0 + size <= by0
                       for bx0, by0, bx1, by1 in boxes):
                    break
            else:
                continue
            index = int(rng.integers(len(images)))
            grey = Image.fromarray((images[index] * (255 / 16)).astype(np.uint8), mode="L")
            patch = np.asarray(grey.resize((size, size), Image.Resampling.BILINEAR))
            canvas_array[y0:y0 + size, x0:x0 + size] = np.maximum(canvas_array[y0:y0 + size, x0:x0 + size], patch)
            mask[y0:y0 + size, x0:x0 + size][patch > INK_THRESHOLD] = 1 + int(labels[index])
            boxes.append((x0, y0, x0 + size, y0 + size))
            classes.append(int(labels[index]))
        image = Image.fromarray(canvas_array, mode="L").convert("RGB")
        scenes.append(Scene(image=image, boxes=boxes, labels=classes, mask=mask))
    return scenes


@contextmanager
def one_thread() -> Iterator[None]:
    """Train on one thread: small models on a 2-core machine shared with other work run several
    times faster than with two competing threads."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)
