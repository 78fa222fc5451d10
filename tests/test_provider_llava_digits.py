"""The course-llava-digits stand-in: assembled from the digit ViT and SmolLM2, its projector trained on captions."""
from pathlib import Path

import pytest
import torch

from course_utils.models import offline_model_dir, provider_info
from course_utils.providers import llava_digits
from course_utils.providers.digits import digit_to_image, split_digits


@pytest.fixture(scope="module")
def built() -> tuple[Path, dict]:
    """The model as the course builds it: into the course cache, where notebook 16 finds it."""
    return offline_model_dir("course-llava-digits"), provider_info("course-llava-digits")["measured"]


def test_training_the_projector_teaches_the_digits(built: tuple[Path, dict]) -> None:
    _, measured = built
    # measured 0.045 before and 0.785 after (200 held-out digits, 120 steps of 8)
    assert measured["test_accuracy_before_training"] < 0.2
    assert measured["test_accuracy"] > 0.6
    assert measured["trained_parameters"] == 369_792  # the two projector layers only


def test_saved_model_loads_through_the_auto_classes(built: tuple[Path, dict]) -> None:
    from transformers import AutoModelForImageTextToText, AutoProcessor

    target, _ = built
    processor = AutoProcessor.from_pretrained(target)
    model = AutoModelForImageTextToText.from_pretrained(target)
    assert type(model).__name__ == "LlavaForConditionalGeneration"
    prompt = processor.apply_chat_template(llava_digits.question_messages(), add_generation_prompt=True)
    assert prompt == "<|im_start|>user\n<image>Which digit is this?<|im_end|>\n<|im_start|>assistant\n"
    _, test_images, _, _ = split_digits()
    inputs = processor(images=[digit_to_image(test_images[0])], text=[prompt], return_tensors="pt")
    # one image token per ViT patch: (32 / 8) ** 2
    assert int((inputs["input_ids"] == model.config.image_token_id).sum()) == 16
    with torch.no_grad():
        assert model(**inputs).logits.shape[1] == inputs["input_ids"].shape[1]


def test_pipeline_answers_with_a_caption(built: tuple[Path, dict]) -> None:
    from transformers import pipeline

    target, _ = built
    vlm = pipeline("image-text-to-text", model=str(target))
    _, test_images, _, test_labels = split_digits()
    answers = []
    for image in test_images[:10]:
        chat = [{"role": "user", "content": [{"type": "image", "image": digit_to_image(image)},
                                             {"type": "text", "text": llava_digits.QUESTION}]}]
        answers.append(vlm(text=chat, max_new_tokens=6, return_full_text=False)[0]["generated_text"])
    assert all(answer.startswith("The digit ") for answer in answers), answers
    right = sum(llava_digits.digit_accuracy([a], [y]) for a, y in zip(answers, test_labels[:10]))
    assert right >= 5, (answers, list(test_labels[:10]))
