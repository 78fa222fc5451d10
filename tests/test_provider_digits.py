"""The course-vit-digits stand-in: built once, it classifies held-out digits through the pipeline."""
from pathlib import Path

import pytest

from course_utils.models import offline_model_dir, provider_info
from course_utils.providers import digits


@pytest.fixture(scope="module")
def built() -> tuple[Path, dict]:
    """The model as the course builds it: into the course cache, where the notebooks find it."""
    return offline_model_dir("course-vit-digits"), provider_info("course-vit-digits")["measured"]


def test_build_measures_accuracy_and_writes_a_card(built: tuple[Path, dict]) -> None:
    target, measured = built
    assert measured["test_accuracy"] > 0.93  # 0.964 when measured
    for name in ["model.safetensors", "config.json", "preprocessor_config.json", "README.md"]:
        assert (target / name).is_file(), name
    card = (target / "README.md").read_text()
    assert "google/vit-base-patch16-224" in card and "not an ImageNet classifier" in card


def test_pipeline_classifies_upscaled_digits(built: tuple[Path, dict]) -> None:
    from transformers import pipeline

    classifier = pipeline("image-classification", model=str(built[0]))
    assert classifier.model.config.id2label == {index: str(index) for index in range(10)}
    _, test_images, _, test_labels = digits.split_digits()
    samples = [digits.digit_to_image(image, size=64) for image in test_images[:10]]
    predictions = [classifier(image, top_k=1)[0]["label"] for image in samples]
    expected = [str(label) for label in test_labels[:10]]
    assert sum(p == e for p, e in zip(predictions, expected)) >= 8, (predictions, expected)
