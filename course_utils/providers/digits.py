"""Stand-in "course-vit-digits": a small ViT trained on scikit-learn's bundled 8x8 handwritten digits.

It plays the "image-classifier" role offline. It knows the ten digits 0-9 and nothing else: it is
no ImageNet classifier, so a photo of a cat still gets a digit as its label.
"""
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from transformers import (
    Trainer,
    TrainingArguments,
    ViTConfig,
    ViTForImageClassification,
    set_seed,
)
from transformers.models.vit import ViTImageProcessorPil

from .card import write_model_card

SEED = 0
IMAGE_SIZE = 32
EPOCHS = 30
LABELS = [str(digit) for digit in range(10)]


def digit_to_image(pixels: np.ndarray, size: int = IMAGE_SIZE) -> Image.Image:
    """Render one scikit-learn digit (8x8 or 64 values from 0 to 16) as a ``size`` x ``size`` RGB image,
    white ink on black like the originals."""
    grey = (np.asarray(pixels, dtype=np.float32).reshape(8, 8) * (255 / 16)).round().astype(np.uint8)
    return Image.fromarray(grey, mode="L").convert("RGB").resize((size, size), Image.Resampling.NEAREST)


def split_digits() -> list[np.ndarray]:
    """scikit-learn's digits split 80/20, stratified and seeded: ``[train_images, test_images,
    train_labels, test_labels]``, images as 8x8 arrays of values 0-16."""
    digits = load_digits()
    return train_test_split(digits.images, digits.target, test_size=0.2, random_state=SEED, stratify=digits.target)


def _to_examples(images: np.ndarray, labels: np.ndarray, processor: ViTImageProcessorPil) -> list[dict]:
    """Turn digit arrays into ``Trainer`` examples: ``pixel_values`` tensors (through the image processor,
    as the pipeline will see them) and ``labels``. A plain list of tensors batches faster than Arrow rows."""
    pixel_values = processor([digit_to_image(image) for image in images], return_tensors="pt")["pixel_values"]
    return [{"pixel_values": pixels, "labels": int(label)} for pixels, label in zip(pixel_values, labels)]


def build(target: Path) -> dict:
    """Train the digit ViT with ``Trainer`` (80/20 seeded split), save model, image processor and card
    into ``target``; return the build time and the accuracy on the held-out 20%."""
    started = time.perf_counter()
    set_seed(SEED)
    train_x, test_x, train_y, test_y = split_digits()
    processor = ViTImageProcessorPil(size={"height": IMAGE_SIZE, "width": IMAGE_SIZE})
    config = ViTConfig(
        image_size=IMAGE_SIZE,
        patch_size=8,
        hidden_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        intermediate_size=128,
        num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)),
        label2id={label: index for index, label in enumerate(LABELS)},
    )
    with tempfile.TemporaryDirectory() as scratch:
        args = TrainingArguments(
            output_dir=scratch,
            num_train_epochs=EPOCHS,
            per_device_train_batch_size=32,
            per_device_eval_batch_size=128,
            learning_rate=3e-3,
            warmup_steps=0.1,  # a float below 1 is a ratio of the training steps in transformers 5
            seed=SEED,
            data_seed=SEED,
            use_cpu=True,
            save_strategy="no",
            logging_strategy="no",
            report_to=[],
            disable_tqdm=True,
        )
        trainer = Trainer(
            model=ViTForImageClassification(config),
            args=args,
            train_dataset=_to_examples(train_x, train_y, processor),
        )
        trainer.train()
        predictions = trainer.predict(_to_examples(test_x, test_y, processor))
    test_accuracy = float((predictions.predictions.argmax(-1) == test_y).mean())
    trainer.save_model(str(target))
    processor.save_pretrained(target)
    measured = {"build_seconds": round(time.perf_counter() - started, 1), "test_accuracy": test_accuracy}
    write_model_card(
        target,
        name="course-vit-digits",
        summary=(
            "A small Vision Transformer (2 layers, hidden size 64, 32x32 input, 8x8 patches) trained by "
            "course_utils as an offline stand-in for the image-classifier role. It only knows the ten "
            "handwritten digits 0-9: it is not an ImageNet classifier, and any image you give it, a cat "
            "or a car, is labelled as one of the digits \"0\" to \"9\"."
        ),
        trained_on=(
            "scikit-learn's bundled `load_digits` (1,797 grey 8x8 images of handwritten digits, from the "
            "UCI optical recognition of handwritten digits data set), rendered white-on-black as RGB and "
            "upscaled to 32x32; a seeded, stratified 80/20 split, `test_accuracy` is on the held-out 20%."
        ),
        real_model="google/vit-base-patch16-224",
        licence="The weights were trained by course_utils; the digits data ships with scikit-learn (BSD-3-Clause).",
        measured=measured,
    )
    return measured
