"""The zero-shot (NLI) and fill-mask stand-ins work with the real transformers pipelines.

Both are built into the course cache (``$COURSE_CACHE``) on first use, as in the notebooks, and reused.
"""
from transformers import pipeline

from course_utils.models import offline_model_dir, provider_info

# What the builds measured on held-out tweets (see each model card); the tests allow a margin.
NLI_ZERO_SHOT_ACCURACY = 0.5375  # 240 validation tweets, labels negative / neutral / positive (chance: 0.33)
FILL_MASK_TOP5_ACCURACY = 0.2682  # masked tokens of 400 validation tweets (top-1: 0.1336)
MARGIN = 0.05


def test_nli_stand_in_ranks_positive_first_for_a_positive_tweet():
    path = offline_model_dir("course-minilm-nli-tweets")
    classifier = pipeline("zero-shot-classification", model=str(path))
    assert classifier.entailment_id == 0  # the pipeline found the label that starts with "entail"
    result = classifier(
        "I love this airline, the crew were wonderful and we landed early!",
        candidate_labels=["negative", "neutral", "positive"],
    )
    assert result["labels"][0] == "positive"
    assert abs(sum(result["scores"]) - 1) < 1e-5
    negative = classifier(
        "Worst flight ever, two hours late and they lost my bag.",
        candidate_labels=["negative", "neutral", "positive"],
    )
    assert negative["labels"][0] == "negative"
    measured = provider_info("course-minilm-nli-tweets")["measured"]
    assert measured["validation_zero_shot_accuracy"] > NLI_ZERO_SHOT_ACCURACY - MARGIN
    card = (path / "README.md").read_text()
    assert card.startswith("# course-minilm-nli-tweets") and "only knows sentiment-like labels" in card


def test_fill_mask_stand_in_fills_a_sensible_word():
    path = offline_model_dir("course-minilm-mlm")
    unmasker = pipeline("fill-mask", model=str(path))
    predictions = unmasker(f"I am so {unmasker.tokenizer.mask_token} to see you again!", top_k=5)
    assert len(predictions) == 5 and all(p["token_str"].isalpha() for p in predictions)
    measured = provider_info("course-minilm-mlm")["measured"]
    assert measured["validation_top5_accuracy"] > FILL_MASK_TOP5_ACCURACY - MARGIN
    assert measured["validation_top1_accuracy"] <= measured["validation_top5_accuracy"]
    assert (path / "README.md").read_text().startswith("# course-minilm-mlm")
