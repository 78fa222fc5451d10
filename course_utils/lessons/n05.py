"""Exercises and questionnaire answers of notebook 05."""
from typing import Any

import torch
from transformers import TemperatureLogitsWarper, TopKLogitsWarper

from ..exercises import Exercise, Question, call_learner
from ..graders import expect_int, expect_json_object, expect_number, expect_set, expect_text

# Hidden prompts for 05.greedy_decode: (system message or None for plain text, text, max_new_tokens).
# With SmolLM2-135M-Instruct the first ends with <|im_end|> after 5 new tokens, the second runs to its limit.
_GREEDY_PROMPTS = [
    ("Answer in one word.", "Say yes.", 8),
    (None, "The capital of Italy is", 4),
]


def _forbidden_generate(*args: Any, **kwargs: Any) -> None:
    raise RuntimeError("write the loop yourself: greedy_decode must not call model.generate")


def _grade_greedy_decode(answer: Any, *, model: Any, tokenizer: Any, **_: Any) -> str:
    """Run the learner's loop and greedy generate on hidden prompts; report the first difference."""
    eos = model.generation_config.eos_token_id
    eos_ids = {eos} if isinstance(eos, int) else set(eos)
    for system, text, max_new_tokens in _GREEDY_PROMPTS:
        if system is None:
            input_ids = tokenizer(text, return_tensors="pt")["input_ids"]
        else:
            messages = [{"role": "system", "content": system}, {"role": "user", "content": text}]
            input_ids = tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt")["input_ids"]
        input_ids = input_ids.to(model.device)
        with torch.no_grad():
            expected = model.generate(input_ids=input_ids, attention_mask=torch.ones_like(input_ids),
                                      max_new_tokens=max_new_tokens, do_sample=False, use_cache=False)[0].tolist()
        model.generate = _forbidden_generate
        try:
            given = call_learner(answer, model, input_ids.clone(), max_new_tokens)
        finally:
            del model.generate
        where = f"for the prompt {text!r} (max_new_tokens={max_new_tokens})"
        if not isinstance(given, torch.Tensor) or given.dim() != 2 or given.shape[0] != 1:
            shape = tuple(given.shape) if isinstance(given, torch.Tensor) else type(given).__name__
            return f"{where} you returned {shape}: return a tensor of shape (1, prompt + new tokens), as generate does"
        given = given[0].tolist()
        prompt = input_ids[0].tolist()
        if given[:len(prompt)] != prompt:
            return f"{where} your ids do not start with the prompt's: return the prompt followed by the new tokens"
        new_given, new_expected = given[len(prompt):], expected[len(prompt):]
        for position, (mine, theirs) in enumerate(zip(new_given, new_expected)):
            if mine != theirs:
                return (f"{where} new token {position} is {tokenizer.decode(mine)!r}, generate chose "
                        f"{tokenizer.decode(theirs)!r}: append the argmax of the logits at the last position")
        if len(new_given) > len(new_expected):
            if new_expected and new_expected[-1] in eos_ids:
                return (f"{where} generate stopped after {len(new_expected)} new tokens, at the end-of-sequence "
                        f"token; yours went on to {len(new_given)}: stop once the chosen token is in eos_token_id")
            return f"{where} you made {len(new_given)} new tokens, more than max_new_tokens"
        if len(new_given) < len(new_expected):
            return (f"{where} you stopped after {len(new_given)} new tokens, generate made {len(new_expected)}: "
                    f"stop only at an end-of-sequence token (kept in the output) or at max_new_tokens")
    return ""


# Hidden settings for 05.sampling_probs: (temperature, top_k).
_SAMPLING_SETTINGS = [(0.7, 5), (1.5, 20), (1.0, 1), (0.5, 50)]


def _grade_sampling_probs(answer: Any, **_: Any) -> str:
    """Compare the learner's distribution with transformers' temperature and top-k warpers on hidden logits."""
    logits = torch.randn(50, generator=torch.Generator().manual_seed(5)) * 3
    for temperature, top_k in _SAMPLING_SETTINGS:
        warped = TopKLogitsWarper(top_k=top_k)(None, TemperatureLogitsWarper(temperature)(None, logits[None]))
        expected = warped[0].softmax(-1)
        given = call_learner(answer, logits.clone(), temperature, top_k)
        where = f"with temperature={temperature}, top_k={top_k} on 50 logits"
        if not isinstance(given, torch.Tensor) or given.shape != expected.shape:
            shape = tuple(given.shape) if isinstance(given, torch.Tensor) else type(given).__name__
            return f"{where} you returned {shape}: return a tensor of 50 probabilities, one per logit"
        given = given.float()
        kept = int((given > 0).sum())
        if kept != top_k:
            return f"{where} {kept} tokens have a probability above 0: keep only the top_k most likely, set the rest to -inf"
        if abs(float(given.sum()) - 1) > 1e-4:
            return f"{where} your probabilities add up to {float(given.sum()):.4f}: apply the softmax after the filter"
        error = float((given - expected).abs().max())
        if error > 1e-5:
            return (f"{where} your probabilities differ by up to {error:.4f}: "
                    f"divide the logits by the temperature before the softmax")
    return ""


EXERCISES = [
    Exercise(
        name='05.generation_prompt',
        kind='compute',
        question=(
            "The text that add_generation_prompt=True appends to SmolLM2's chat prompt (surrounding "
            "whitespace and newlines ignored)."
        ),
        grade=expect_text(
            "<|im_start|>assistant",
            "render the same messages with and without it (tokenize=False) and take what the longer string adds",
        ),
        solution="""\
with_prompt = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
without_prompt = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=False)
answer = with_prompt[len(without_prompt):]
check("05.generation_prompt", answer)
""",
        explanation=(
            "The template opens the assistant's turn, so the model's most likely continuation is the "
            "answer itself, not another user message. Without it a chat model may continue the user's "
            "text."
        ),
    ),
    Exercise(
        name='05.top_p_kept',
        kind='compute',
        question=(
            "How many of the five tokens with probabilities 0.5, 0.2, 0.15, 0.1 and 0.05 does top-p "
            "(nucleus) filtering with top_p=0.8 keep?"
        ),
        grade=expect_int(
            3,
            "keep the most likely tokens until their probabilities add up to at least top_p; "
            "TopPLogitsWarper sets the others to -inf",
        ),
        solution="""\
toy_logits = torch.tensor([[0.5, 0.2, 0.15, 0.1, 0.05]]).log()
filtered = TopPLogitsWarper(top_p=0.8)(None, toy_logits)
answer = int(torch.isfinite(filtered).sum())
check("05.top_p_kept", answer)
""",
        explanation=(
            "0.5 + 0.2 = 0.7 is not yet 0.8; adding 0.15 gives 0.85, so three tokens form the nucleus "
            "and sampling picks among them after renormalising (0.5/0.85, 0.2/0.85, 0.15/0.85)."
        ),
    ),
    Exercise(
        name='05.no_cache_positions',
        kind='compute',
        question=(
            "Without a KV cache, how many token positions does the model process in total to generate 5 "
            "new tokens after a 10-token prompt?"
        ),
        grade=expect_int(
            60,
            "step 1 reads the 10 prompt tokens, step 2 reads 11, ...; the 5th new token needs no step of its own after it",
        ),
        solution="""\
answer = sum(10 + step for step in range(5))
check("05.no_cache_positions", answer)
""",
        explanation=(
            "Every step feeds the whole sequence so far: 10 + 11 + 12 + 13 + 14 positions.\n\nWith the "
            "cache: 10 (the prompt, once) + 1 + 1 + 1 + 1 = 14. Without it the total grows with the "
            "square of the length, with it only linearly: that is why `use_cache=True` is the default."
        ),
    ),
    Exercise(
        name='05.eos_token',
        kind='compute',
        question=(
            "The token at which SmolLM2-135M-Instruct's generate stops an answer (its end-of-sequence "
            "token)."
        ),
        grade=expect_text(
            "<|im_end|>", "decode model.generation_config.eos_token_id with the tokenizer"
        ),
        solution="""\
answer = tokenizer.decode(model.generation_config.eos_token_id)
check("05.eos_token", answer)
""",
        explanation=(
            "The chat template closes every turn with `<|im_end|>`, so the model learned to emit it "
            "when its answer is complete; `generate` stops there (or at `max_new_tokens`)."
        ),
    ),
    Exercise(
        name='05.greedy_decode',
        kind='build',
        question=(
            "Write greedy_decode(model, input_ids, max_new_tokens): greedy search by hand (no generate), "
            "returning the prompt followed by the new tokens, stopping after an end-of-sequence token or "
            "max_new_tokens, exactly as model.generate(do_sample=False) does."
        ),
        grade=_grade_greedy_decode,
        solution="""\
def greedy_decode(model, input_ids: torch.Tensor, max_new_tokens: int) -> torch.Tensor:
    \"\"\"Greedy search by hand: append the most likely token until an end-of-sequence token or max_new_tokens.\"\"\"
    eos = model.generation_config.eos_token_id
    stop_ids = {eos} if isinstance(eos, int) else set(eos)
    ids = input_ids
    with torch.no_grad():
        for _ in range(max_new_tokens):
            next_id = model(input_ids=ids).logits[0, -1].argmax()
            ids = torch.cat([ids, next_id.view(1, 1)], dim=-1)
            if next_id.item() in stop_ids:
                break
    return ids


check("05.greedy_decode", greedy_decode, model=model, tokenizer=tokenizer)
""",
        explanation=(
            "Each step runs the whole sequence, takes the argmax at the last position and appends it; the "
            "end-of-sequence token is appended before the loop stops, as `generate` keeps it in its output. "
            "The grader compares with `generate(do_sample=False)` on prompts you do not see, one of which "
            "ends early at `<|im_end|>`."
        ),
    ),
    Exercise(
        name='05.sampling_probs',
        kind='build',
        question=(
            "Write sampling_probs(logits, temperature, top_k): the distribution that sampling with this "
            "temperature and top_k draws the next token from (one probability per vocabulary entry)."
        ),
        grade=_grade_sampling_probs,
        solution="""\
def sampling_probs(logits: torch.Tensor, temperature: float, top_k: int) -> torch.Tensor:
    \"\"\"Probabilities sampling draws from: logits / temperature, all but the top_k set to -inf, softmax.\"\"\"
    scaled = logits / temperature
    threshold = scaled.topk(top_k).values[-1]
    return scaled.masked_fill(scaled < threshold, float("-inf")).softmax(-1)


check("05.sampling_probs", sampling_probs)
""",
        explanation=(
            "Temperature divides the logits; top-k sets every logit below the k-th largest to -inf, so "
            "the softmax gives those tokens probability 0 and renormalises the k others. This is what "
            "`TemperatureLogitsWarper` and `TopKLogitsWarper` do inside `generate`; the grader compares "
            "with them on logits you do not see."
        ),
    ),
]

QUESTIONS = [
    Question(
        question=(
            "Why does `generate` need `add_generation_prompt=True` with a chat model, and what happens to a "
            "base model given a question?"
        ),
        answer=(
            "The flag ends the prompt with the header of the assistant's turn (`<|im_start|>assistant` for "
            "SmolLM2), so the most likely continuation is the assistant's answer; without it the model may "
            "continue the user's turn or open a new one. A base model was never trained on turns: it continues "
            "the text as if it were a document, often with more questions instead of an answer."
        ),
    ),
    Question(
        question=(
            "Offline, the reply to the Chinese question was 100 % Chinese characters. Why is that no evidence "
            "that the model answered, and what does the tokenizer tell you about why it did not?"
        ),
        answer=(
            "The reply was the question itself, copied: a language check only says which script the text is in, "
            "not whether it answers. Score the content (does it name 巴黎?) and look for copying. SmolLM2's "
            "byte-level vocabulary, learned from mostly English text, has few Chinese characters as tokens of "
            "their own: the question costs about 1.6 tokens per character against Gemma 3's 0.6, a sign that "
            "the model saw little Chinese in training and has no Chinese answers to give."
        ),
    ),
    Question(
        question=(
            "What does a temperature of 0.5 do to the next-token distribution, and why is a temperature of 1.6 "
            "dangerous without `top_k` or `top_p`?"
        ),
        answer=(
            "Dividing the logits by 0.5 doubles their gaps, so the softmax is sharper: likely tokens get more of "
            "the probability and sampling is closer to greedy. At 1.6 the distribution flattens, and the long "
            "tail of thousands of unlikely tokens together gets a real share, so a sampled text soon picks a "
            "nonsensical token; top-k or top-p cuts that tail off before sampling."
        ),
    ),
    Question(
        question=(
            "Why does the number of tokens in the top-p nucleus change from one prompt to the next, while "
            "top-k's does not?"
        ),
        answer=(
            "Top-k always keeps k tokens. Top-p keeps the smallest set of most likely tokens whose probabilities "
            "add up to p, so where the model is sure one or two tokens reach p, and where many continuations are "
            "plausible it takes hundreds: the nucleus follows the model's certainty."
        ),
    ),
    Question(
        question="Greedy output loops. Name three settings that break the loop and one drawback of each.",
        answer=(
            "`repetition_penalty` lowers the logits of tokens already in the text, but also penalises words that "
            "must repeat (names, `the`); `no_repeat_ngram_size` forbids any n-gram from appearing twice, which "
            "blocks legitimate repeats such as a list's format; sampling (`do_sample=True` with temperature and "
            "top-p) varies the text but makes it unrepeatable without a seed and can pick worse tokens."
        ),
    ),
    Question(
        question=(
            "Why does generation without the KV cache slow down as the text grows, and what does the cache cost "
            "instead?"
        ),
        answer=(
            "Without the cache every step runs the model over the whole sequence so far, so step n costs about n "
            "token positions and the total grows with the square of the length. The cache keeps each layer's keys "
            "and values of past tokens so a step feeds only the new token; it costs memory that grows with "
            "layers × heads × length × batch, which limits long contexts and large batches on a GPU."
        ),
    ),
    Question(
        question=(
            "When would you expect `flash_attention_2` or `torch.compile` to speed generation up, and why not "
            "on this CPU?"
        ),
        answer=(
            "FlashAttention is a CUDA kernel that saves memory traffic in attention over long sequences; it needs "
            "an NVIDIA GPU and the `flash-attn` package, so it cannot run here. `torch.compile` with a static "
            "cache fuses operations and lets CUDA graphs replay each step, which pays off on a GPU over many "
            "generated tokens; on a small CPU session the compilation takes longer than it saves."
        ),
    ),
]
