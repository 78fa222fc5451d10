"""Exercises and questionnaire answers of notebook 13."""
from typing import Any, Callable

import numpy as np
import torch

from ..exercises import Exercise, Question, call_learner
from ..graders import expect_int, expect_number, expect_text

LABELS = ["negative", "neutral", "positive"]  # the tweets' label names, in label-index order
# Answer text -> label under the strict rule: exactly one distinct label word (whole word, any case), else -1.
_STRICT_CASES = {
    "Negative": 0,
    "positive.": 2,
    "  NEUTRAL\n": 1,
    "neutral-ish": 1,
    "negative, definitely negative": 0,
    "Negative, neutral": -1,
    "Positive: negative": -1,
    "Negatively": -1,
    "The sentiment of": -1,
    "": -1,
}


def _grade_parse_strict(function: Callable[[str], int], **_: Any) -> str:
    for text, expected in _STRICT_CASES.items():
        given = call_learner(function, text)
        if isinstance(given, bool) or not isinstance(given, (int, np.integer)):
            return f"parse_strict({text!r}) returned {given!r}; return a label index (int), or -1"
        if given != expected:
            return (f"parse_strict({text!r}) returned {given}, expected {expected}. Hint: collect the distinct label "
                    "words that occur as whole words (LABEL_PATTERN.findall on the lower-cased text); one -> its "
                    "index, none or several -> -1")
    return ""


# Few-shot conversations of different lengths: the label words then hold most of the first token's probability,
# and a right-padded batch reads the wrong position for the shorter ones.
_SYSTEM = "You classify the sentiment of tweets. Answer with one word: negative, neutral or positive."
_EXAMPLE = [{"role": "user", "content": "Tweet: @united lost my bag again\nSentiment:"},
            {"role": "assistant", "content": "negative"}]
_HIDDEN_TWEETS = [
    "Best concert of my life, thank you all!!",
    "ok",
    "The meeting moved to 3pm on Thursday, room 4B, bring the slides from last week and the budget numbers too",
]


def _hidden_conversations() -> list[list[dict[str, str]]]:
    return [[{"role": "system", "content": _SYSTEM}, *_EXAMPLE,
             {"role": "user", "content": f"Tweet: {tweet}\nSentiment:"}] for tweet in _HIDDEN_TWEETS]


def _grade_label_probabilities(function: Callable[..., Any], *, model: Any, tokenizer: Any,
                               label_token_ids: list[int], **_: Any) -> str:
    conversations = _hidden_conversations()
    expected = []
    for conversation in conversations:  # one at a time: no padding, the last position is the answer's first token
        prompt = tokenizer.apply_chat_template(conversation, tokenize=False, add_generation_prompt=True)
        inputs = tokenizer(prompt, add_special_tokens=False, return_tensors="pt").to(model.device)
        with torch.no_grad():
            logits = model(**inputs).logits[0, -1].float()
        expected.append(logits.softmax(-1)[label_token_ids].cpu())
    expected = torch.stack(expected)
    given = call_learner(function, conversations)
    if not isinstance(given, (torch.Tensor, np.ndarray, list)):
        return f"expected a tensor of shape ({len(conversations)}, 3), got {type(given).__name__}"
    given = torch.as_tensor(np.asarray(given.detach().cpu() if isinstance(given, torch.Tensor) else given),
                            dtype=torch.float32)
    if tuple(given.shape) != tuple(expected.shape):
        return (f"for {len(conversations)} conversations you returned shape {tuple(given.shape)}, expected "
                f"{tuple(expected.shape)}: one row per conversation, one column per label")
    if torch.allclose(given.sum(-1), torch.ones(len(given)), atol=1e-3) and not torch.allclose(
            expected.sum(-1), torch.ones(len(expected)), atol=1e-3):
        return ("your rows sum to 1: take the softmax over the whole vocabulary, then the three label columns "
                "(their sum shows how much probability the label words hold)")
    for row, (mine, reference) in enumerate(zip(given, expected)):
        if not torch.allclose(mine, reference, atol=0.01):
            return (f"conversation {row} (of {len(conversations)}, different lengths): you gave "
                    f"{[round(v, 3) for v in mine.tolist()]}, expected {[round(v, 3) for v in reference.tolist()]}. "
                    "Hint: apply the chat template with add_generation_prompt=True, pad on the LEFT, read the "
                    "logits at the last position")
    return ""


# Label probabilities of six inputs and of a content-free input that favours "negative": dividing by the
# content-free probabilities, subtracting them, or not calibrating give different labels.
_PROBABILITIES = np.array([[0.50, 0.20, 0.30], [0.30, 0.05, 0.65], [0.70, 0.12, 0.18],
                           [0.20, 0.06, 0.74], [0.55, 0.15, 0.30], [0.40, 0.02, 0.58]])
_CONTENT_FREE = np.array([0.60, 0.10, 0.30])


def _grade_calibrated_labels(function: Callable[..., Any], **_: Any) -> str:
    for probabilities in (_PROBABILITIES, _PROBABILITIES[2:5]):
        expected = np.argmax(probabilities / _CONTENT_FREE, axis=-1)
        given = call_learner(function, probabilities.copy(), _CONTENT_FREE.copy())
        given = np.asarray(given.cpu() if isinstance(given, torch.Tensor) else given)
        if given.shape != expected.shape:
            return (f"for {len(probabilities)} rows you returned shape {given.shape}, expected {expected.shape}: "
                    "one label index per row (argmax over the last axis)")
        if np.array_equal(given, np.argmax(probabilities, axis=-1)):
            return "these are the uncalibrated labels: divide each column by its content-free probability first"
        wrong = np.flatnonzero(given != expected)
        if len(wrong):
            row = int(wrong[0])
            return (f"row {row} {probabilities[row].tolist()} with content-free {_CONTENT_FREE.tolist()}: you "
                    f"predicted {given[row]}, expected {expected[row]}. Hint: divide (not subtract) by the "
                    "content-free probabilities, then take the argmax")
    return ""


EXERCISES = [
    Exercise(
        name='13.parsed_label',
        kind='compute',
        question=(
            "The label the notebook's parsing rule gives to the answer 'Neutral, though a bit "
            "negative'."
        ),
        grade=expect_text(
            "neutral", "the rule lower-cases the answer and takes the FIRST label word that occurs in it", case=False
        ),
        solution="""\
answer_text = "Neutral, though a bit negative"
result_label = parse_label(answer_text)
print(result_label)
check("13.parsed_label", label_names[result_label])
""",
        explanation=(
            "The rule lower-cases the text and searches for the first whole word among negative, "
            "neutral and positive; 'neutral' comes before 'negative':\n\nAny rule is a choice (first "
            "word, last word, only exact answers); what matters is that it is fixed before the "
            "evaluation and that answers it cannot parse are counted as wrong."
        ),
    ),
    Exercise(
        name='13.few_shot_turns',
        kind='compute',
        question=(
            "The number of <|im_start|> markers in SmolLM2's few-shot prompt with a system message, "
            "three examples and the question, rendered with add_generation_prompt=True."
        ),
        grade=expect_int(
            9, "count the system turn, a user and an assistant turn per example, the question, and the opened answer"
        ),
        solution="""\
three_shot = tokenizer.apply_chat_template(few_shot_messages("I love it", shots[:3]), tokenize=False,
                                           add_generation_prompt=True)
answer_count = three_shot.count("<|im_start|>")
check("13.few_shot_turns", answer_count)
""",
        explanation=(
            "1 system turn + 3 × (user + assistant) + 1 user turn with the question + 1 assistant turn "
            "opened by `add_generation_prompt=True` = 9.\n\nEvery example is paid for in every prompt: "
            "that is why the few-shot prompt is slower per tweet."
        ),
    ),
    Exercise(
        name='13.wilson_lower',
        kind='compute',
        question=(
            "The lower end of the 95% Wilson interval for 30 correct answers out of 60."
        ),
        grade=expect_number(0.377, "use wilson_interval(30, 60) and take its first value", tolerance=0.002),
        solution="""\
lower, upper = wilson_interval(30, 60)
check("13.wilson_lower", lower)
""",
        explanation=(
            "An accuracy of 0.5 on 60 examples is compatible with anything from about 38% to 62%: a "
            "5-point difference between two prompts on such a set means nothing. The interval shrinks "
            "roughly as 1 / sqrt(n): four times the examples halve it."
        ),
    ),
    Exercise(
        name="13.parse_strict",
        kind="build",
        question=(
            "Write parse_strict(text): the label index when exactly one distinct label word occurs in the answer "
            "(whole word, any case), -1 when none or two different ones occur."
        ),
        grade=_grade_parse_strict,
        solution="""\
def parse_strict(text: str) -> int:
    \"\"\"The label index when exactly one distinct label word occurs in ``text`` (any case), else -1.\"\"\"
    found = set(LABEL_PATTERN.findall(text.lower()))
    return label_names.index(found.pop()) if len(found) == 1 else -1


check("13.parse_strict", parse_strict)
""",
        explanation=(
            "`findall` lists every whole-word label, a set keeps the distinct ones, and only a single one is an "
            "answer. Unlike the first-word rule, 'Negative, neutral' (a sampled answer of section 7) is now "
            "unparseable instead of negative: a stricter rule trades parsed answers for fewer lucky guesses, and "
            "either is fine as long as it is fixed before the evaluation."
        ),
    ),
    Exercise(
        name="13.label_probabilities",
        kind="build",
        question=(
            "Write label_probabilities(conversations): for each chat conversation, the probability of each label "
            "word as the first answer token (softmax over the whole vocabulary), as an (n, 3) tensor, in one "
            "left-padded forward pass."
        ),
        grade=_grade_label_probabilities,
        solution="""\
def label_probabilities(conversations: list[list[dict]]) -> torch.Tensor:
    \"\"\"Probability of each label word as the first answer token: one row per conversation, shape (n, 3).\"\"\"
    prompts = [tokenizer.apply_chat_template(c, tokenize=False, add_generation_prompt=True) for c in conversations]
    batch = tokenizer(prompts, padding=True, padding_side="left", add_special_tokens=False,
                      return_tensors="pt").to(DEVICE)
    with torch.no_grad():
        last_logits = model(**batch).logits[:, -1].float()
    return last_logits.softmax(-1)[:, label_token_ids].cpu()


check("13.label_probabilities", label_probabilities, model=model, tokenizer=tokenizer,
      label_token_ids=label_token_ids)
""",
        explanation=(
            "Label likelihood needs no `generate`: one forward pass gives the logits at the last position, which "
            "are the scores of the answer's first token. Left padding puts every prompt's last token in the last "
            "column (right padding would read a pad position for the shorter prompts), and the softmax over the "
            "whole vocabulary keeps the label words' share visible, the `label_mass` of section 5."
        ),
    ),
    Exercise(
        name="13.calibrated_labels",
        kind="build",
        question=(
            "Write calibrated_labels(probabilities, content_free): contextual calibration, i.e. divide each label's "
            "probability by the probability the model gives it for a content-free input (such as 'N/A'), then take "
            "the most probable label per row."
        ),
        grade=_grade_calibrated_labels,
        solution="""\
def calibrated_labels(probabilities: np.ndarray, content_free: np.ndarray) -> np.ndarray:
    \"\"\"Label index per row after dividing each label's probability by its content-free probability.\"\"\"
    return np.argmax(probabilities / content_free, axis=-1)


check("13.calibrated_labels", calibrated_labels)
""",
        explanation=(
            "A content-free input shows the model's bias with no tweet to judge: if it gives 'negative' 0.6 even "
            "for 'N/A', a 0.7 for 'negative' on a tweet is weak evidence. Dividing by the content-free "
            "probabilities (contextual calibration, Zhao et al., 2021) removes that prior, the bias that section 5 "
            "found label likelihood alone does not remove. Check it like any prompt change: on the evaluation set, "
            "with its interval."
        ),
    ),
]

QUESTIONS = [
    Question(
        question="Why must the evaluation set and the parsing rule be fixed before you try prompts?",
        answer=(
            "An evaluation you adjust while looking at the results stops measuring anything: choosing the tweets or "
            "the rule after seeing the answers tunes them to the prompt you like. So the set is drawn by a rule "
            "(seeded, class-balanced, from the test split) and the parsing rule is written down first, with "
            "unparseable answers counted as wrong."
        ),
    ),
    Question(
        question=(
            "A prompt reaches 40% accuracy on 90 balanced tweets. Is it better than chance? What would you report "
            "to make that clear?"
        ),
        answer=(
            "Not convincingly: chance and the majority-class baseline are 33% on this balanced set, and the 95% "
            "Wilson interval of 36/90 is about 0.30-0.50, so it includes 0.33. Report the accuracy with its "
            "interval, the baseline, the unparseable rate and the predicted-label counts next to it."
        ),
    ),
    Question(
        question=(
            "Few-shot examples changed the format of the answers but not the accuracy. What did they teach the "
            "model, and what not?"
        ),
        answer=(
            "They taught the form of an answer: exactly the lower-case label word, so the label words' share of "
            "the first token's probability rose from 12% to 95%. They did not teach the task: the 135M model "
            "still gave nearly one label to every tweet and stayed at 33%, within the noise of chance; few-shot "
            "prompting pays off at billions of parameters."
        ),
    ),
    Question(
        question="Why is the tokens-per-second figure of a classification prompt dominated by the prompt's length?",
        answer=(
            "Each answer is one or two new tokens after a prompt of 72 (zero-shot) to 180 (few-shot) tokens, so "
            "the time goes into reading the prompt (prefill). New tokens per second (about 4 here) looks absurdly "
            "low, while prompt plus new tokens per second (about 450) is the work actually done; seconds per tweet "
            "is what a user of the classifier feels."
        ),
    ),
    Question(
        question=(
            "Why does peak RSS measured after the LLM include the classifier, and how did this notebook's order "
            "keep the classifier's figure meaningful?"
        ),
        answer=(
            "Peak RSS (`ru_maxrss`) is the most memory the whole process has held so far, and it only grows, so "
            "after the LLM it still counts Python, the libraries and the classifier. The notebook measured the "
            "memory before any model, then ran the small classifier and read its peak, and only then loaded the "
            "LLM, so the difference between the figures is the LLM's own share."
        ),
    ),
    Question(
        question=(
            "Two prompts, each scored with one sampled run, differ by 5 points. What do you need before calling "
            "one better?"
        ),
        answer=(
            "One sampled run is one draw: here five seeds of the same prompt spread over 12.5 points (8%-21% on "
            "24 tweets). Score each prompt over several seeds, report the mean and the spread (or evaluate with "
            "greedy decoding) on a larger set with intervals, and treat a difference smaller than the spread as "
            "no difference."
        ),
    ),
]
