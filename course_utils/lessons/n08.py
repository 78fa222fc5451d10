"""Exercises and questionnaire answers of notebook 08."""
import copy
from typing import Any

from ..exercises import AnswerProblem, Exercise, Question, call_learner
from ..graders import expect_int, expect_json_object, expect_number, expect_set, expect_text

# (items, batch size, processes) the learner does not see: even, one batch short, a short last batch, more ranks.
_SHARD_CASES = [(8, 2, 2), (10, 2, 2), (9, 2, 2), (7, 3, 3), (12, 4, 3), (5, 2, 4)]


def _tiny_classifier_and_batches() -> tuple[Any, list[dict[str, Any]]]:
    """A 3-label BERT of a few hundred weights, without dropout, and two batches with labels."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification

    config = BertConfig(vocab_size=30, hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=16, max_position_embeddings=16, num_labels=3,
                        hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)
    with torch.random.fork_rng(devices=[]):  # leave the notebook's random state as it was
        torch.manual_seed(0)
        model = BertForSequenceClassification(config)
        batches = [{"input_ids": torch.randint(0, 30, (4, 6)), "attention_mask": torch.ones(4, 6, dtype=torch.long),
                    "labels": torch.randint(0, 3, (4,))} for _ in range(2)]
    return model, batches


def _weights(model: Any) -> Any:
    import torch

    return torch.cat([parameter.detach().flatten() for parameter in model.parameters()])


def _grade_train_step(answer: Any, **_: Any) -> str:
    """Two steps of the learner's function on a tiny hidden model against forward, backward, step, zero_grad."""
    import torch

    reference, batches = _tiny_classifier_and_batches()
    learner = copy.deepcopy(reference)
    reference_optimizer = torch.optim.SGD(reference.parameters(), lr=0.5)
    learner_optimizer = torch.optim.SGD(learner.parameters(), lr=0.5)
    for step, batch in enumerate(batches, start=1):
        loss = reference(**batch).loss
        loss.backward()
        reference_optimizer.step()
        reference_optimizer.zero_grad()
        before = _weights(learner)
        returned = call_learner(answer, learner, dict(batch), learner_optimizer)
        if isinstance(returned, torch.Tensor):
            return "you return a tensor: return loss.item(), a Python float (a tensor keeps its graph alive)"
        if not isinstance(returned, float):
            return f"expected the loss as a float, got {type(returned).__name__}"
        if abs(returned - loss.item()) > 1e-5:
            return (f"step {step} returned {returned:.4f}, but the batch's loss was {loss.item():.4f}: "
                    "return model(**batch).loss.item()")
        if torch.equal(_weights(learner), before):
            return f"step {step} left the weights unchanged: call loss.backward(), then optimizer.step()"
        if not torch.allclose(_weights(learner), _weights(reference), atol=1e-6):
            if step == 1:
                return "the weights after one step differ from one backward() and one optimizer.step(): call each once"
            return ("the second step moved the weights by the gradients of both batches: "
                    "call optimizer.zero_grad() after optimizer.step()")
    return ""


def _grade_rank_batches(answer: Any, **_: Any) -> str:
    """Compare with the batches Accelerate's own prepare_data_loader gives each rank, for hidden sizes."""
    from accelerate.data_loader import prepare_data_loader
    from torch.utils.data import DataLoader

    for items, batch_size, processes in _SHARD_CASES:
        for rank in range(processes):
            loader = prepare_data_loader(DataLoader(list(range(items)), batch_size=batch_size),
                                         num_processes=processes, process_index=rank, put_on_device=False)
            expected = [batch.tolist() for batch in loader]
            returned = call_learner(answer, items, batch_size, processes, rank)
            try:
                given = [[int(item) for item in batch] for batch in returned]
            except (TypeError, ValueError):
                raise AnswerProblem(f"expected a list of batches (lists of ints), got {returned!r}") from None
            if given != expected:
                hint = ("complete the last round from the start of the data, so every rank gets as many full batches"
                        if sum(map(len, given)) < sum(map(len, expected)) else "batch k goes to rank k % num_processes")
                return (f"{items} items, batch size {batch_size}, {processes} processes, rank {rank}: "
                        f"you return {given}, Accelerate gives {expected}. Hint: {hint}")
    return ""


EXERCISES = [
    Exercise(
        name='08.backward_call',
        kind='recall',
        question=(
            "The Accelerator method that replaces loss.backward()."
        ),
        grade=expect_text("backward", "it has the same name as the tensor method it replaces", case=False),
        solution="""\
answer = 'backward'
check("08.backward_call", answer)
""",
        explanation=(
            "`answer = 'backward'`: `accelerator.backward(loss)`. It scales the loss under fp16 mixed "
            "precision, and under DeepSpeed it calls the engine's own backward."
        ),
    ),
    Exercise(
        name='08.rank1_shard',
        kind='compute',
        question=(
            "The numbers that rank 1 of 2 sees from a prepared DataLoader of 0..7 in batches of 2."
        ),
        grade=lambda answer, **_: ""
        if isinstance(answer, (set, list, tuple)) and {int(n) for n in answer} == {2, 3, 6, 7}
        else f"{answer!r} is not it. Hint: flatten ranks[1]['shard_of_0_to_7'] into a set",
        solution="""\
rank1 = next(r for r in ranks if r['rank'] == 1)
answer = {n for batch in rank1['shard_of_0_to_7'] for n in batch}  # {2, 3, 6, 7}
check("08.rank1_shard", answer)
""",
        explanation=(
            "Batches are dealt out in turn: rank 0 gets [0, 1] and [4, 5], rank 1 gets [2, 3] and [6, "
            "7]."
        ),
    ),
    Exercise(
        name='08.zero3_gigabytes',
        kind='compute',
        question=(
            "GB of model states per GPU for an 8B-parameter model under ZeRO-3 on 8 GPUs (16 "
            "bytes/parameter)."
        ),
        grade=expect_int(16, "16 bytes per parameter, divided over the GPUs: bytes_per_gpu(8e9, 8)['ZeRO-3 / FSDP'] / 1e9"),
        solution="""\
answer = round(bytes_per_gpu(8e9, 8)['ZeRO-3 / FSDP'] / 1e9)  # 16
check("08.zero3_gigabytes", answer)
""",
        explanation=(
            "16 bytes × 8e9 parameters = 128 GB in all, sharded over 8 GPUs. Plain data parallelism "
            "would need all 128 GB on every GPU."
        ),
    ),
    Exercise(
        name='08.train_step',
        kind='build',
        question=(
            "A function that runs one step of the plain training loop on a model, a batch with labels and an "
            "optimizer, and returns the batch's loss as a float."
        ),
        grade=_grade_train_step,
        solution="""\
def train_step(model: torch.nn.Module, batch: dict[str, torch.Tensor], optimizer: torch.optim.Optimizer) -> float:
    \"\"\"One step of the plain loop: forward (the model returns the loss when the batch has labels), backward,
    optimizer step, zero the gradients; return the loss as a Python float.\"\"\"
    loss = model(**batch).loss
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    return loss.item()

check("08.train_step", train_step)
""",
        explanation=(
            "These are the five lines inside the loop of section 1. PyTorch adds every backward's gradients "
            "to `.grad`, so without `zero_grad` each step would also use all the earlier batches' gradients; "
            "`loss.item()` keeps a number, not the tensor and the graph behind it."
        ),
    ),
    Exercise(
        name='08.rank_batches',
        kind='build',
        question=(
            "A function that returns the batches a given rank sees when Accelerate prepares "
            "DataLoader(list(range(num_items)), batch_size=batch_size) on num_processes processes."
        ),
        grade=_grade_rank_batches,
        solution="""\
import math


def batches_for_rank(num_items: int, batch_size: int, num_processes: int, rank: int) -> list[list[int]]:
    \"\"\"The batches of 0..num_items-1 that process `rank` sees from a DataLoader that Accelerate prepared
    on num_processes processes (2 or more).\"\"\"
    per_round = batch_size * num_processes
    total = math.ceil(num_items / per_round) * per_round  # whole rounds of full batches
    items = [i % num_items for i in range(total)]  # continue from the start of the data
    batches = [items[start:start + batch_size] for start in range(0, total, batch_size)]
    return batches[rank::num_processes]

check("08.rank_batches", batches_for_rank)
""",
        explanation=(
            "Batch k goes to rank k % num_processes. When the data run out in the middle of a round, "
            "Accelerate (`even_batches=True`, its default) fills the round from the start of the data, so "
            "every process takes the same number of steps and no process waits for gradients that never "
            "come; `gather_for_metrics` drops these repeated samples again."
        ),
    ),
]

QUESTIONS: list[Question] = [
    Question(
        question="Why does the model return a loss in our loop without us computing one?",
        answer=(
            "`AutoModelForSequenceClassification` computes the cross-entropy loss itself when the batch holds "
            "`labels`, and returns it as `.loss` beside the logits. That is why the data preparation renamed "
            "the `label` column to `labels`, the argument name of the model's forward."
        ),
    ),
    Question(
        question=(
            "What would go wrong if you computed the macro-F1 on each process's own predictions instead of "
            "gathering them?"
        ),
        answer=(
            "Each process holds only its own shard of the evaluation data, so each would score a different part "
            "of the validation set and report a different number, none of them the score on all 400 tweets "
            "(macro-F1 is not the mean of the shards' scores). `gather_for_metrics` gives every process all the "
            "predictions, minus the duplicates added to even out the shards, so both computed the same score."
        ),
    ),
    Question(
        question=(
            "Why do two data-parallel processes end every step with identical weights, although they saw "
            "different tweets?"
        ),
        answer=(
            "They start from the same weights (the same seed), and the backward pass averages the gradients "
            "across the processes (an all-reduce) before the optimizer step, so both apply the same update. The "
            "hash of all the weights was the same on both ranks."
        ),
    ),
    Question(
        question="Why did two processes not train faster than one on this machine, and when would they?",
        answer=(
            "Both runs used the same 2 CPU cores: one process whose matrix multiplications use both cores, or two "
            "processes with one core each that also exchange gradients after every step, so nothing was added and "
            "the two processes were slower (about 0.8x). With one GPU per process, each has a device of its own "
            "and the run takes about half the time."
        ),
    ),
    Question(
        question=(
            "A 3-billion-parameter model, Adam, mixed precision, 4 GPUs of 24 GB: which of DDP, ZeRO-2 and ZeRO-3 "
            "fits (model states only)?"
        ),
        answer=(
            "At 16 bytes per parameter, DDP needs 48 GB on every GPU and does not fit. ZeRO-2 needs 2 × 3 + 14 × "
            "3 / 4 = 16.5 GB and ZeRO-3 48 / 4 = 12 GB per GPU: both fit, leaving room for activations, and "
            "ZeRO-2 communicates less."
        ),
    ),
    Question(
        question=(
            "Why does `accelerator.backward` divide the loss by `gradient_accumulation_steps`, and what besides the "
            "weights must a checkpoint hold for a resumed run to end with the same weights?"
        ),
        answer=(
            "The loss is a mean over its batch, and gradients add up over the micro-batches: dividing each of the 4 "
            "micro-batch losses by 4 makes the sum the gradient of the mean over all 16 rows, the same as one batch "
            "of 16 (section 7 measured a largest difference of about 1e-8). A resumed run also needs the optimizer "
            "state (AdamW's two moments per weight), the scheduler's position and the random-number states (dropout "
            "masks, shuffling); `save_state` writes all of them, and the resumed run ended bit-identical."
        ),
    ),
]
