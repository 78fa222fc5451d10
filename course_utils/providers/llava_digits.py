"""Stand-in "course-llava-digits": a vision-language model assembled LLaVA-style from two real parts.

No small vision-language model installs from a package registry, so the course assembles one the way
LLaVA does: a vision encoder (the course's digit ViT, ``course-vit-digits``) turns a 32x32 image into
16 patch vectors, a two-layer projector maps each into the embedding space of a real chat LLM
(SmolLM2-135M-Instruct), and the LLM reads them in place of 16 ``<image>`` tokens. Only the projector
trains (LLaVA's first stage), on one question about scikit-learn's handwritten digits with a caption
as the answer. It knows digits and that question; anything else gets SmolLM2's guesses.
"""
import time
from pathlib import Path

import numpy as np
import torch

from course_utils.models import offline_model_dir

from .card import write_model_card
from .digits import digit_to_image, split_digits

SEED = 0
STEPS = 120
BATCH = 8
LEARNING_RATE = 3e-3
IMAGE_TOKEN = "<image>"
QUESTION = "Which digit is this?"
CAPTION = "The digit {}."
TEST_IMAGES = 200
# SmolLM2's turn markers, with an image item written as the <image> placeholder the processor expands.
CHAT_TEMPLATE = (
    "{%- for message in messages %}"
    "{{- '<|im_start|>' + message['role'] + '\\n' }}"
    "{%- if message['content'] is string %}{{- message['content'] }}"
    "{%- else %}{%- for item in message['content'] %}"
    "{%- if item['type'] == 'image' %}{{- '<image>' }}{%- elif item['type'] == 'text' %}{{- item['text'] }}{%- endif %}"
    "{%- endfor %}{%- endif %}"
    "{{- '<|im_end|>\\n' }}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
)


def question_messages(question: str = QUESTION) -> list[dict]:
    """One user turn: an image, then the question (the layout the course VLM was trained on)."""
    return [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": question}]}]


def assemble():
    """The untrained VLM and its processor: the digit ViT and SmolLM2 joined by a fresh projector."""
    from transformers import (AutoImageProcessor, AutoModelForCausalLM, AutoTokenizer, LlavaConfig,
                              LlavaForConditionalGeneration, LlavaProcessor, ViTModel)

    vit_dir, lm_dir = offline_model_dir("course-vit-digits"), offline_model_dir("smollm2-135m-instruct")
    vision = ViTModel.from_pretrained(vit_dir, add_pooling_layer=False)
    language = AutoModelForCausalLM.from_pretrained(lm_dir)
    tokenizer = AutoTokenizer.from_pretrained(lm_dir)
    tokenizer.add_special_tokens({"additional_special_tokens": [IMAGE_TOKEN]})
    tokenizer.padding_side = "left"
    patch_size = vision.config.patch_size
    image_tokens = (vision.config.image_size // patch_size) ** 2
    config = LlavaConfig(
        vision_config=vision.config.to_dict(), text_config=language.config.to_dict(),
        image_token_id=tokenizer.convert_tokens_to_ids(IMAGE_TOKEN), image_seq_length=image_tokens,
        vision_feature_select_strategy="default", vision_feature_layer=-1, projector_hidden_act="gelu",
        tie_word_embeddings=language.config.tie_word_embeddings,
    )
    model = LlavaForConditionalGeneration(config)
    # LLaVA builds the tower with a pooler it never uses (it reads the patch vectors)
    loaded = model.model.vision_tower.load_state_dict(vision.state_dict(), strict=False)
    assert all(key.startswith("pooler.") for key in loaded.missing_keys) and not loaded.unexpected_keys, loaded
    model.model.language_model.load_state_dict(language.model.state_dict())
    model.lm_head.load_state_dict(language.lm_head.state_dict())
    model.resize_token_embeddings(len(tokenizer), mean_resizing=False)
    model.generation_config = language.generation_config
    processor = LlavaProcessor(
        image_processor=AutoImageProcessor.from_pretrained(vit_dir), tokenizer=tokenizer, patch_size=patch_size,
        vision_feature_select_strategy="default", image_token=IMAGE_TOKEN, num_additional_image_tokens=1,
        chat_template=CHAT_TEMPLATE,
    )
    return model, processor


def answer_digits(model, processor, images: list, question: str = QUESTION, batch: int = 50) -> list[str]:
    """Greedy answers of the VLM to ``question`` about each image."""
    prompt = processor.apply_chat_template(question_messages(question), add_generation_prompt=True)
    answers = []
    for start in range(0, len(images), batch):
        chunk = images[start:start + batch]
        inputs = processor(images=chunk, text=[prompt] * len(chunk), return_tensors="pt", padding=True)
        with torch.no_grad():
            out = model.generate(**inputs, max_new_tokens=6, do_sample=False)
        answers += processor.batch_decode(out[:, inputs["input_ids"].shape[1]:], skip_special_tokens=True)
    return answers


def digit_accuracy(answers: list[str], labels) -> float:
    """Share of answers whose first digit character is the label."""
    first = [next((c for c in a if c.isdigit()), "") for a in answers]
    return float(np.mean([f == str(y) for f, y in zip(first, labels)]))


def _train_projector(model, processor, images: list, labels: list[int]) -> list[float]:
    """LLaVA's first stage: train only the projector, with the loss on the caption tokens."""
    tokenizer = processor.tokenizer
    prompt = processor.apply_chat_template(question_messages(), add_generation_prompt=True)
    caption_length = len(tokenizer(CAPTION.format(0) + "<|im_end|>")["input_ids"])
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    projector = model.model.multi_modal_projector
    for parameter in projector.parameters():
        parameter.requires_grad_(True)
    optimizer = torch.optim.AdamW(projector.parameters(), lr=LEARNING_RATE)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=LEARNING_RATE, total_steps=STEPS, pct_start=0.1)
    generator = torch.Generator().manual_seed(SEED)
    losses = []
    model.train()
    for _step in range(STEPS):
        batch = torch.randint(len(images), (BATCH,), generator=generator).tolist()
        texts = [prompt + CAPTION.format(labels[i]) + "<|im_end|>" for i in batch]
        inputs = processor(images=[images[i] for i in batch], text=texts, return_tensors="pt", padding=True)
        targets = inputs["input_ids"][:, -caption_length:]
        # left padding puts every caption at the end: score only those positions (logits_to_keep)
        logits = model(**inputs, logits_to_keep=caption_length + 1).logits[:, :-1]
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        losses.append(loss.item())
    model.eval()
    return losses


def build(target: Path) -> dict:
    """Assemble the VLM, train its projector on digit captions, save it with its processor and card;
    return its answer accuracy on held-out digits before and after training."""
    from transformers import set_seed

    started = time.perf_counter()
    set_seed(SEED)
    train_x, test_x, train_y, test_y = split_digits()
    model, processor = assemble()
    test_images = [digit_to_image(x) for x in test_x[:TEST_IMAGES]]
    before = digit_accuracy(answer_digits(model, processor, test_images), test_y[:TEST_IMAGES])
    losses = _train_projector(model, processor, [digit_to_image(x) for x in train_x], [int(y) for y in train_y])
    after = digit_accuracy(answer_digits(model, processor, test_images), test_y[:TEST_IMAGES])
    model.save_pretrained(target)
    processor.save_pretrained(target)
    trainable = sum(p.numel() for p in model.model.multi_modal_projector.parameters())
    measured = {
        "build_seconds": round(time.perf_counter() - started, 1),
        "test_accuracy_before_training": round(before, 4),
        "test_accuracy": round(after, 4),
        "first_loss": round(losses[0], 3), "last_loss": round(float(np.mean(losses[-10:])), 3),
        "trained_parameters": trainable,
    }
    write_model_card(
        target,
        name="course-llava-digits",
        summary=(
            "A vision-language model assembled by course_utils LLaVA-style (LlavaForConditionalGeneration) from "
            "the course's digit ViT (course-vit-digits: 32x32 images, 16 patch vectors) and the real "
            "SmolLM2-135M-Instruct, joined by a two-layer projector that is the only part trained "
            f"({trainable:,} parameters, {STEPS} steps of {BATCH}). It was trained on one question, "
            f"\"{QUESTION}\", answered with a caption such as \"{CAPTION.format(7)}\"; "
            "`test_accuracy` is the share of its greedy answers whose first digit is right on the first "
            f"{TEST_IMAGES} held-out digits (before training: `test_accuracy_before_training`). Other questions "
            "and other images get SmolLM2's guesses."
        ),
        trained_on=(
            "scikit-learn's bundled `load_digits` (the course's 80% training split), rendered as 32x32 RGB, each "
            f"with the question \"{QUESTION}\" and the caption \"{CAPTION}\" with its label."
        ),
        real_model="HuggingFaceTB/SmolVLM-256M-Instruct",
        licence="SmolLM2-135M-Instruct is Apache-2.0; the ViT and projector were trained by course_utils; the digits "
                "data ships with scikit-learn (BSD-3-Clause).",
        measured=measured,
    )
    return measured
