"""Exercises and questionnaire answers of notebook 15."""
from typing import Any

import torch
import torch.nn.functional as F

from ..exercises import Exercise, Question, call_learner

IGNORED_LABEL = -100  # the label the cross-entropy loss skips: prompt positions in SFT


def _grade_loss_tokens(answer: Any, *, example: dict[str, Any], **_: Any) -> str:
    """Count the positions of ``example`` whose label is not -100."""
    if isinstance(answer, bool) or not hasattr(answer, "__index__"):
        return f"expected a whole number, got {type(answer).__name__}"
    labels = example["labels"]
    expected = sum(label != IGNORED_LABEL for label in labels)
    if int(answer) == expected:
        return ""
    if int(answer) == len(labels):
        return (f"{answer} is every position of the example: count only the labels that are not {IGNORED_LABEL} "
                f"(the completion)")
    if int(answer) == len(labels) - expected:
        return f"{answer} counts the masked positions (the prompt): count the labels that are not {IGNORED_LABEL}"
    return f"{answer!r} is not it. Hint: sum(label != {IGNORED_LABEL} for label in example['labels'])"


def _known_mistake(given: torch.Tensor, mistakes: dict[str, torch.Tensor]) -> str | None:
    """The message of the first known mistake whose result matches ``given``, or None."""
    return next((message for message, result in mistakes.items() if torch.allclose(given, result, atol=1e-5)), None)


def _reference_dpo_loss(chosen: torch.Tensor, rejected: torch.Tensor, ref_chosen: torch.Tensor,
                        ref_rejected: torch.Tensor, beta: float) -> torch.Tensor:
    return -F.logsigmoid(beta * ((chosen - ref_chosen) - (rejected - ref_rejected))).mean()


def _grade_dpo_loss(answer: Any, **_: Any) -> str:
    """Compare the learner's loss with the sigmoid DPO loss on random log-probabilities."""
    generator = torch.Generator().manual_seed(15)
    for beta in (0.1, 0.5):
        chosen, rejected, ref_chosen, ref_rejected = (-10 * torch.rand(6, generator=generator) for _ in range(4))
        given = call_learner(answer, chosen.clone(), rejected.clone(), ref_chosen.clone(), ref_rejected.clone(), beta)
        where = f"with beta={beta} on a batch of 6 pairs"
        if not isinstance(given, torch.Tensor) or given.numel() != 1:
            shape = tuple(given.shape) if isinstance(given, torch.Tensor) else type(given).__name__
            return f"{where} you returned {shape}: return the mean loss over the batch, one number in a tensor"
        given = given.detach().float().reshape(())
        expected = _reference_dpo_loss(chosen, rejected, ref_chosen, ref_rejected, beta)
        if torch.isclose(given, expected, atol=1e-5):
            continue
        mistake = _known_mistake(given, {
            "your loss ignores the reference model: subtract ref_chosen and ref_rejected":
                -F.logsigmoid(beta * (chosen - rejected)).mean(),
            "your loss rewards the rejected answer: the margin is chosen minus rejected":
                _reference_dpo_loss(rejected, chosen, ref_rejected, ref_chosen, beta),
            "your loss leaves out beta: multiply the margin by beta before the log-sigmoid":
                -F.logsigmoid((chosen - ref_chosen) - (rejected - ref_rejected)).mean(),
        })
        return f"{where} " + (mistake or f"your loss is {given.item():.4f}, expected {expected.item():.4f}: "
                                         f"-logsigmoid(beta * ((chosen - ref_chosen) - (rejected - ref_rejected))).mean()")
    return ""


def _reference_advantages(rewards: torch.Tensor, num_generations: int) -> torch.Tensor:
    groups = rewards.view(-1, num_generations)
    mean = groups.mean(dim=1, keepdim=True)
    std = groups.std(dim=1, keepdim=True)
    return ((groups - mean) / (std + 1e-4)).reshape(-1)


def _grade_group_advantages(answer: Any, **_: Any) -> str:
    """Compare the learner's advantages with GRPO's group normalisation, including a group of equal rewards."""
    rewards = torch.tensor([0.0, 1.0, 0.5, 0.5, 1.0, 1.0, 1.0, 1.0, 0.2, 0.0, 0.0, 0.9])
    for num_generations in (4, 6):
        given = call_learner(answer, rewards.clone(), num_generations)
        where = f"for rewards {[round(reward, 2) for reward in rewards.tolist()]} with num_generations={num_generations}"
        if not isinstance(given, torch.Tensor) or given.shape != rewards.shape:
            shape = tuple(given.shape) if isinstance(given, torch.Tensor) else type(given).__name__
            return f"{where} you returned {shape}: return one advantage per completion, shaped like rewards"
        given = given.detach().float()
        if torch.isnan(given).any():
            return (f"{where} you returned NaN: a group whose rewards are all equal has std 0; add 1e-4 to the std "
                    f"as TRL does, so such a group gets advantage 0")
        expected = _reference_advantages(rewards, num_generations)
        if torch.allclose(given, expected, atol=1e-5):
            continue
        groups = rewards.view(-1, num_generations)
        mistake = _known_mistake(given, {
            "you normalised over the whole batch: normalise within each group of num_generations completions":
                (rewards - rewards.mean()) / (rewards.std() + 1e-4),
            "you used the population std: TRL uses the sample std (torch.std's default, n - 1)":
                ((groups - groups.mean(1, keepdim=True)) / (groups.std(1, unbiased=False, keepdim=True) + 1e-4)).reshape(-1),
        })
        return f"{where} " + (mistake or f"your advantages differ from GRPO's by up to "
                                         f"{float((given - expected).abs().max()):.3g}: (r - group mean) / (group std + 1e-4)")
    return ""


EXERCISES = [
    Exercise(
        name="15.loss_tokens",
        kind="compute",
        question=(
            "How many positions of the first example SFTTrainer prepared (sft_trainer.train_dataset[0]) count in "
            "the loss?"
        ),
        grade=_grade_loss_tokens,
        solution="""\
example = sft_trainer.train_dataset[0]
answer = sum(label != -100 for label in example["labels"])
print(f"{answer} of {len(example['labels'])} positions count:", repr(chat_tokenizer.decode(
    [token for token, label in zip(example["input_ids"], example["labels"]) if label != -100])))
check("15.loss_tokens", answer, example=example)
""",
        explanation=(
            "SFTTrainer tokenised the prompt and the completion separately and set the labels of every prompt "
            "position to -100, the index cross-entropy skips. What counts is the answer's tokens and the "
            "`<|im_end|>` plus newline that close the assistant turn: learning them is learning to stop."
        ),
    ),
    Exercise(
        name="15.dpo_loss",
        kind="build",
        question=(
            "Write dpo_loss: the sigmoid DPO loss of a batch, from the summed log-probabilities of the chosen and "
            "rejected answers under the policy and under the reference model."
        ),
        grade=_grade_dpo_loss,
        solution="""\
def dpo_loss(chosen_logps: torch.Tensor, rejected_logps: torch.Tensor, ref_chosen_logps: torch.Tensor,
             ref_rejected_logps: torch.Tensor, beta: float) -> torch.Tensor:
    \"\"\"-log σ(β·[(log π(y_w) − log π_ref(y_w)) − (log π(y_l) − log π_ref(y_l))]), averaged over the batch.\"\"\"
    chosen_rewards = beta * (chosen_logps - ref_chosen_logps)
    rejected_rewards = beta * (rejected_logps - ref_rejected_logps)
    return -torch.nn.functional.logsigmoid(chosen_rewards - rejected_rewards).mean()


check("15.dpo_loss", dpo_loss)
""",
        explanation=(
            "The two terms β·(log π − log π_ref) are the 'implicit rewards' DPOTrainer logs as rewards/chosen and "
            "rewards/rejected; their difference is rewards/margins. At the first step the policy equals the "
            "reference, every reward is 0 and the loss is log 2 = 0.693, the value in the training log. The "
            "loss falls as the margin grows, and the reference term keeps the policy from simply lowering the "
            "probability of everything."
        ),
    ),
    Exercise(
        name="15.group_advantages",
        kind="build",
        question=(
            "Write group_advantages: GRPO's advantage of each completion, its reward minus the mean of its "
            "group, divided by the group's standard deviation plus 1e-4 (consecutive num_generations rewards "
            "form a group)."
        ),
        grade=_grade_group_advantages,
        solution="""\
def group_advantages(rewards: torch.Tensor, num_generations: int) -> torch.Tensor:
    \"\"\"(r - mean of its group) / (std of its group + 1e-4); the groups are consecutive runs of num_generations.\"\"\"
    groups = rewards.view(-1, num_generations)
    advantages = (groups - groups.mean(dim=1, keepdim=True)) / (groups.std(dim=1, keepdim=True) + 1e-4)
    return advantages.reshape(-1)


check("15.group_advantages", group_advantages)
""",
        explanation=(
            "The group is the baseline: an answer is pushed up when it beat its siblings for the same prompt and "
            "down when it did worse, with no value model to train. A group whose answers all got the same "
            "reward gets advantage 0 everywhere, so it teaches nothing; TRL logs the share of such groups as "
            "frac_reward_zero_std."
        ),
    ),
]

QUESTIONS = [
    Question(
        question=(
            "Why is the prompt masked out of the SFT loss, and what does the `<|im_end|>` token at the end of the "
            "completion teach the model?"
        ),
        answer=(
            "The prompt is given at inference: predicting the system prompt and the passage wastes the steps on "
            "text the model never has to write, and it is most of the tokens, so it would drown the answer's "
            "signal. The `<|im_end|>` in the labels teaches the model to end its turn after the short answer "
            "instead of rambling on, which is half of what made exact match rise."
        ),
    ),
    Question(
        question="DPO compares the policy with a reference model. What was the reference here, and why did it cost no second copy of the weights?",
        answer=(
            "The reference was the SFT model (its adapter merged into the weights). DPOTrainer was given a "
            "`peft_config`, so the policy is that model plus a fresh LoRA adapter; with the adapter switched "
            "off the same weights compute the reference log-probabilities. Without PEFT, DPO would hold a "
            "frozen copy of the model beside the one it trains."
        ),
    ),
    Question(
        question=(
            "The rejected answers were the SFT model's own wrong answers, not answers written by hand. Why does "
            "that choice matter?"
        ),
        answer=(
            "DPO moves probability from the rejected answer to the chosen one. Mistakes the model actually makes "
            "carry probability worth moving; a hand-written wrong answer the model would never produce teaches "
            "little. And the criterion (not an exact match of the gold span) is checkable, so every pair is "
            "labelled the same way and can be audited."
        ),
    ),
    Question(
        question=(
            "In a GRPO step, every completion for one prompt got the same reward. What does that group "
            "contribute to the update, and where does the log show it?"
        ),
        answer=(
            "Nothing: each advantage is the reward minus the group mean, which is 0 for all of them, so the "
            "policy-gradient term vanishes for that prompt. The log's `frac_reward_zero_std` gives the share "
            "of such groups; when it is high (too easy, too hard, or a reward that cannot tell answers apart) "
            "the steps are spent for nothing."
        ),
    ),
    Question(
        question="When would you choose DPO, and when GRPO?",
        answer=(
            "DPO when you have (or can build) pairs of a better and a worse answer: it is a supervised loss on "
            "fixed data, cheap and stable, with no generation during training. GRPO when you can score any "
            "answer automatically (a checker for maths, code, a format, a verifiable fact): it generates and "
            "scores fresh answers every step, which costs more (the notebook printed the cost of a step and "
            "the share sampling takes), but it learns from the model's current behaviour, not from a fixed set."
        ),
    ),
]
