"""Stand-in "course-clip-digits": a tiny CLIP that matches handwritten digits with captions.

It plays the "zero-shot-image" role offline. CLIP has two towers, an image encoder and a text
encoder, trained so that an image and a caption that describes it get similar embeddings; zero-shot
classification writes one caption per candidate label ("This is a photo of seven.") and picks the
closest. This one only ever saw scikit-learn's handwritten digits and captions about them, with a
vocabulary of a few dozen words: it can tell "seven" from "three" (or "7" from "3"), and any other
label or image gives meaningless scores.
"""
import time
from pathlib import Path

import numpy as np
import torch

from .card import write_model_card
from .digits import digit_to_image
from .scenes import digit_split, one_thread

SEED = 0
IMAGE_SIZE = 32
NAMES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
TEMPLATES = ["This is a photo of {}.", "a photo of the digit {}", "a handwritten {}", "the number {}", "{}"]
EPOCHS = 25
BATCH = 64


def _bytes_to_unicode() -> dict[int, str]:
    """GPT-2/CLIP's reversible map from bytes to printable characters."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    chars, extra = printable[:], 0
    for byte in range(256):
        if byte not in printable:
            printable.append(byte)
            chars.append(256 + extra)
            extra += 1
    return dict(zip(printable, map(chr, chars)))


def make_tokenizer():
    """A CLIP byte-level BPE tokenizer whose merges spell out exactly the caption words as whole
    tokens (any other text falls back to single characters), saved like the real one."""
    from transformers import CLIPTokenizer

    base = list(_bytes_to_unicode().values())
    vocab = base + [char + "</w>" for char in base]
    words = sorted({w.lower().strip(".") for t in TEMPLATES for w in t.format("").split()} - {""} | set(NAMES))
    merges = []
    for word in words:
        pieces = list(word[:-1]) + [word[-1] + "</w>"]
        while len(pieces) > 1:
            merges.append((pieces[0], pieces[1]))
            pieces = [pieces[0] + pieces[1]] + pieces[2:]
            if pieces[0] not in vocab:
                vocab.append(pieces[0])
    merges = list(dict.fromkeys(merges))
    vocab += ["<|startoftext|>", "<|endoftext|>"]
    return CLIPTokenizer(vocab={token: i for i, token in enumerate(vocab)}, merges=merges)


def build(target: Path) -> dict:
    """Train the two towers on digit images and seeded captions, save model, processor and card;
    return the zero-shot accuracy of the pipeline on the held-out digits."""
    from transformers import CLIPConfig, CLIPModel, CLIPProcessor, pipeline, set_seed
    from transformers.models.clip import CLIPImageProcessorPil

    started = time.perf_counter()
    set_seed(SEED)
    tokenizer = make_tokenizer()
    image_processor = CLIPImageProcessorPil(
        size={"shortest_edge": IMAGE_SIZE}, crop_size={"height": IMAGE_SIZE, "width": IMAGE_SIZE}
    )
    processor = CLIPProcessor(image_processor=image_processor, tokenizer=tokenizer)
    train_x, test_x, train_y, test_y = digit_split()
    pixels = image_processor([digit_to_image(x, IMAGE_SIZE) for x in train_x], return_tensors="pt")["pixel_values"]
    config = CLIPConfig(
        text_config={
            "vocab_size": len(tokenizer), "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
            "num_attention_heads": 4, "max_position_embeddings": 16, "bos_token_id": tokenizer.bos_token_id,
            "eos_token_id": tokenizer.eos_token_id, "pad_token_id": tokenizer.pad_token_id,
        },
        vision_config={
            "image_size": IMAGE_SIZE, "patch_size": 8, "hidden_size": 64, "intermediate_size": 128,
            "num_hidden_layers": 2, "num_attention_heads": 4,
        },
        projection_dim=64,
    )
    model = CLIPModel(config)
    rng = np.random.default_rng(SEED)
    labels = torch.tensor(train_y)
    steps = EPOCHS * (len(labels) // BATCH)
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-2)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=2e-3, total_steps=steps, pct_start=0.1)
    generator = torch.Generator().manual_seed(SEED)
    with one_thread():
        model.train()
        for _epoch in range(EPOCHS):
            order = torch.randperm(len(labels), generator=generator)
            for start in range(0, len(order) - BATCH + 1, BATCH):
                batch = order[start:start + BATCH]
                template = TEMPLATES[int(rng.integers(len(TEMPLATES)))]
                names = NAMES if rng.random() < 0.7 else [str(d) for d in range(10)]
                text = tokenizer([template.format(n) for n in names], padding=True, return_tensors="pt")
                logits = model(pixel_values=pixels[batch], **text).logits_per_image  # BATCH x 10 captions
                loss = torch.nn.functional.cross_entropy(logits, labels[batch])
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                schedule.step()
        model.eval()
        model.save_pretrained(target)
        processor.save_pretrained(target)
        classifier = pipeline("zero-shot-image-classification", model=str(target))
        test_images = [digit_to_image(x, IMAGE_SIZE) for x in test_x]
        results = classifier(test_images, candidate_labels=NAMES)
    accuracy = float(np.mean([r[0]["label"] == NAMES[y] for r, y in zip(results, test_y)]))
    measured = {"build_seconds": round(time.perf_counter() - started, 1), "test_zero_shot_accuracy": round(accuracy, 4)}
    write_model_card(
        target,
        name="course-clip-digits",
        summary=(
            "A tiny CLIP (image and text towers of 2 layers, hidden size 64, 32x32 images, a 572-token "
            "byte-level BPE vocabulary) trained by course_utils as an offline stand-in for the "
            "zero-shot-image role. It matches scikit-learn's handwritten digits with captions such as "
            "\"This is a photo of seven.\" or \"the number 7\"; it knows no other words or images, so "
            "labels like \"cat\" or photographs give meaningless scores. `test_zero_shot_accuracy` is the "
            "zero-shot pipeline's accuracy on the held-out 20% of the digits with the labels \"zero\" to "
            "\"nine\" and the pipeline's default template \"This is a photo of {}.\" (one of the training "
            "templates)."
        ),
        trained_on=(
            "scikit-learn's bundled `load_digits` (80% of a seeded, stratified split), rendered as 32x32 RGB; "
            f"each batch scored every image against ten captions made from one of the templates {TEMPLATES} "
            "with the digits as words or numerals."
        ),
        real_model="openai/clip-vit-base-patch32",
        licence="The weights were trained by course_utils; the digits data ships with scikit-learn (BSD-3-Clause).",
        measured=measured,
    )
    return measured
