"""Exercises and questionnaire answers of notebook 09."""
import copy
import warnings
from collections import OrderedDict
from typing import Any

import torch
from peft import LoraConfig, TaskType, get_peft_model
from peft.tuners.lora import LoraLayer

from ..exercises import Exercise, Question, call_learner, one_line
from ..graders import expect_int, expect_json_object, expect_number, expect_set, expect_text
from ..library_warnings import hide_library_warnings

# Trainable-parameter budgets 09.lora_budget is checked with: the one in the notebook, then one it does not show.
LORA_BUDGETS = (500_000, 250_000)
_ATTENTION = ["q_proj", "k_proj", "v_proj", "o_proj"]


def _grade_lora_budget(answer: Any, *, model: Any, **_: Any) -> str:
    """Wrap a meta-device copy of ``model`` (no weights, nothing trained) with the learner's configs and count."""
    with torch.device("meta"):
        skeleton = type(model)(model.config)
    for budget in LORA_BUDGETS:
        config = call_learner(answer, model, budget)
        where = f"for a budget of {budget:,}"
        if not isinstance(config, LoraConfig):
            return f"{where} you returned {type(config).__name__}: return a LoraConfig"
        if config.task_type != TaskType.CAUSAL_LM:
            return f"{where} task_type is {config.task_type}: SmolLM2 is a causal language model, use TaskType.CAUSAL_LM"
        try:
            with warnings.catch_warnings():
                hide_library_warnings()
                peft_model = get_peft_model(copy.deepcopy(skeleton), copy.deepcopy(config))
        except Exception as error:  # noqa: BLE001 - peft's complaint about the config is the learner's feedback
            return f"{where} get_peft_model refused your config ({type(error).__name__}: {one_line(error)})"
        adapted = [name.split(".")[-1] for name, module in peft_model.named_modules() if isinstance(module, LoraLayer)]
        layers = model.config.num_hidden_layers
        missing = [name for name in _ATTENTION if adapted.count(name) != layers]
        if missing:
            return f"{', '.join(missing)} not adapted in all {layers} layers: list all four attention projections in target_modules"
        extra = sorted(set(adapted) - set(_ATTENTION))
        if extra:
            return f"it also adapts {', '.join(extra)}: target only the attention projections {_ATTENTION}"
        trainable, _ = peft_model.get_nb_trainable_parameters()
        if trainable > budget:
            return f"{where}: {trainable:,} trainable parameters, over the budget: lower r"
        per_rank = sum(parameter.numel() for name, parameter in peft_model.named_parameters() if "lora_" in name) // config.r
        if trainable + per_rank <= budget:
            return (f"{where}: {trainable:,} trainable parameters, but r={config.r + 1} would still fit "
                    f"(each unit of r costs {per_rank:,}); take the largest r that fits")
    return ""


def _grade_merge_lora(answer: Any, **_: Any) -> str:
    """Compare the learner's merge with peft's merge_and_unload on a small random LoRA layer."""
    for r, lora_alpha in [(2, 16), (4, 4), (3, 1)]:
        layer = torch.nn.Sequential(OrderedDict(proj=torch.nn.Linear(12, 10)))
        peft_model = get_peft_model(layer, LoraConfig(r=r, lora_alpha=lora_alpha, target_modules=["proj"]))
        lora_layer = peft_model.base_model.model.proj
        torch.nn.init.normal_(lora_layer.lora_B["default"].weight)  # B starts at zero: give it values
        weight, lora_A, lora_B = (tensor.detach().clone() for tensor in (
            lora_layer.base_layer.weight, lora_layer.lora_A["default"].weight, lora_layer.lora_B["default"].weight))
        expected = peft_model.merge_and_unload().proj.weight.detach()
        given = call_learner(answer, weight.clone(), lora_A.clone(), lora_B.clone(), lora_alpha, r)
        where = f"with weight (10 x 12), r={r}, lora_alpha={lora_alpha}"
        if not isinstance(given, torch.Tensor) or given.shape != expected.shape:
            shape = tuple(given.shape) if isinstance(given, torch.Tensor) else type(given).__name__
            return f"{where} you returned {shape}: return the merged weight, shaped like weight (10, 12)"
        given = given.detach().float()
        error = float((given - expected).abs().max())
        if error <= 1e-5:
            continue
        if torch.allclose(given, weight, atol=1e-6):
            return f"{where} you returned weight unchanged: add (lora_alpha / r) * lora_B @ lora_A"
        if torch.allclose(given, weight + lora_B @ lora_A, atol=1e-5):
            return f"{where} you added B @ A without its scale: multiply it by lora_alpha / r"
        return f"{where} your weight differs from peft's merge by up to {error:.3g}: W + (lora_alpha / r) * B @ A"
    return ""


EXERCISES = [
    Exercise(
        name='09.lora_parameters',
        kind='compute',
        question=(
            "Parameters of a rank-16 LoRA update of MiniLM's bert.encoder.layer.0.intermediate.dense "
            "(384 -> 1536)."
        ),
        grade=expect_int(30720, "B is out_features x r and A is r x in_features: r * (in_features + out_features)"),
        solution="""\
layer = base_classifier.get_submodule("bert.encoder.layer.0.intermediate.dense")
if hasattr(layer, "base_layer"):  # get_peft_model wrapped it: the original nn.Linear is inside
    layer = layer.base_layer
r = 16
answer = r * (layer.in_features + layer.out_features)
check("09.lora_parameters", answer)
""",
        explanation=(
            "LoRA learns B (d × r) and A (r × k) instead of the d × k update: r · (d + k) numbers.\n\nThe "
            "full matrix has 384 × 1536 = 589,824 weights: the update costs 5% of it."
        ),
    ),
    Exercise(
        name='09.chat_lora_parameters',
        kind='compute',
        question=(
            "Trainable parameters of LoRA r=8 on q_proj and v_proj of SmolLM2-135M, from its config."
        ),
        grade=expect_int(
            460800, "per layer r*(576+576) for q_proj plus r*(576+192) for v_proj (3 key/value heads of 64), times 30 layers"
        ),
        solution="""\
config = merged.config
head_dim = config.hidden_size // config.num_attention_heads
q_out, v_out = config.num_attention_heads * head_dim, config.num_key_value_heads * head_dim
answer = config.num_hidden_layers * CHAT_R * ((config.hidden_size + q_out) + (config.hidden_size + v_out))
print(f"q_proj {config.hidden_size} -> {q_out}, v_proj {config.hidden_size} -> {v_out}, {config.num_hidden_layers} layers")
check("09.chat_lora_parameters", answer)
""",
        explanation=(
            "SmolLM2-135M: hidden size 576, 9 query heads and 3 key/value heads of 64 dimensions, 30 "
            "layers. q_proj is 576 → 576, v_proj 576 → 192 (grouped-query attention)."
        ),
    ),
    Exercise(
        name='09.target_field',
        kind='compute',
        question=(
            "The LoraConfig field that names the layers that get a LoRA update."
        ),
        grade=expect_text("target_modules", "a list of module-name suffixes such as ['q_proj', 'v_proj']"),
        solution="""\
answer = next(name for name in vars(chat_config) if name.startswith("target") and name.endswith("modules"))
check("09.target_field", answer)
""",
        explanation=(
            "`answer = 'target_modules'`: names (or suffixes, or a regex, or `'all-linear'`) of the "
            "modules to wrap with LoRA. `modules_to_save` is the other list: modules trained and saved "
            "in full, such as a new head."
        ),
    ),
    Exercise(
        name='09.merged_class',
        kind='compute',
        question=(
            "The class name of what merge_and_unload() returns for SmolLM2."
        ),
        grade=expect_text("LlamaForCausalLM", "type(merged).__name__: the plain transformers class, no PEFT wrapper"),
        solution="""\
answer = type(merged).__name__
check("09.merged_class", answer)
""",
        explanation=(
            "`answer = type(merged).__name__  # 'LlamaForCausalLM'`: `merge_and_unload` adds each "
            "(lora_alpha / r) · B·A into its weight, replaces the LoRA layers by plain `nn.Linear` and "
            "returns the underlying transformers model (SmolLM2 is a Llama architecture)."
        ),
    ),
    Exercise(
        name='09.lora_budget',
        kind='build',
        question=(
            "Write budget_lora_config(model, budget): a LoraConfig (task_type CAUSAL_LM) that adapts q_proj, "
            "k_proj, v_proj and o_proj in every layer, and nothing else, with the largest rank r whose trainable "
            "parameters stay within the budget."
        ),
        grade=_grade_lora_budget,
        solution="""\
ATTENTION = ["q_proj", "k_proj", "v_proj", "o_proj"]


def budget_lora_config(model, budget: int) -> LoraConfig:
    \"\"\"LoRA on the four attention projections of every layer, with the largest r that fits the budget.\"\"\"
    per_rank = sum(module.in_features + module.out_features for name, module in model.named_modules()
                   if name.split(".")[-1] in ATTENTION)
    r = budget // per_rank
    return LoraConfig(task_type=TaskType.CAUSAL_LM, r=r, lora_alpha=2 * r, target_modules=ATTENTION)


print(budget_lora_config(merged, 500_000).r)
check("09.lora_budget", budget_lora_config, model=merged)
""",
        explanation=(
            "Each adapted matrix costs r · (in + out): per layer 576+576 (q_proj, o_proj), 576+192 (k_proj, "
            "v_proj), so 3,840 per unit of r and 115,200 for 30 layers. A budget of 500,000 gives r = 4 "
            "(460,800; r = 5 would be 576,000). The grader calls your function with budgets you do not see, "
            "wraps a weightless (meta-device) copy of the model with each config and counts what get_peft_model "
            "makes trainable."
        ),
    ),
    Exercise(
        name='09.merge_lora',
        kind='build',
        question=(
            "Write merge_lora(weight, lora_A, lora_B, lora_alpha, r): the weight that merge_and_unload "
            "leaves in an adapted nn.Linear."
        ),
        grade=_grade_merge_lora,
        solution="""\
def merge_lora(weight: torch.Tensor, lora_A: torch.Tensor, lora_B: torch.Tensor, lora_alpha: float, r: int) -> torch.Tensor:
    \"\"\"The merged weight W + (lora_alpha / r) · B·A; weight is (out, in), lora_A (r, in), lora_B (out, r).\"\"\"
    return weight + (lora_alpha / r) * (lora_B @ lora_A)


check("09.merge_lora", merge_lora)
""",
        explanation=(
            "`nn.Linear` stores its weight as (out, in), so the update B·A (out × r times r × in) has "
            "the same shape; scaled by lora_alpha / r it is exactly what the LoRA branch adds to every "
            "output. The grader compares with peft's `merge_and_unload` on small random layers."
        ),
    ),
]

QUESTIONS = [
    Question(
        question="Why does a LoRA model give exactly the pretrained model's outputs before the first training step?",
        answer=(
            "`B` is initialised to zeros (and `A` randomly), so the update `B·A` is a zero matrix and each "
            "adapted layer computes `W x + 0`: the pretrained output. Training then moves `B` away from zero, and "
            "the random `A` gives the gradients somewhere to go."
        ),
    ),
    Question(
        question=(
            "You double `r` but keep `lora_alpha` fixed. What happens to the scale of the update, and what might "
            "you retune?"
        ),
        answer=(
            "The update is multiplied by `lora_alpha / r`, so doubling `r` halves the scale: each step changes "
            "the model's outputs less, much like a lower learning rate. Either double `lora_alpha` with `r` (the "
            "course keeps `lora_alpha = 2 r`) or retune the learning rate."
        ),
    ),
    Question(
        question=(
            "LoRA trained under 2% of the weights, yet its training time stayed close to full fine-tuning's. "
            "Where did the time go, and what did LoRA save?"
        ),
        answer=(
            "The forward pass still runs through every frozen layer, and the backward pass still carries the "
            "gradient back through them to reach the adapters of earlier layers; LoRA adds small matrix products "
            "of its own. What it skips is the weight gradients and AdamW state of the frozen 98%: memory, and a "
            "checkpoint of about a megabyte instead of ninety."
        ),
    ),
    Question(
        question="What goes wrong if the prompt tokens are not masked with -100 in instruction tuning?",
        answer=(
            "The loss then also rewards predicting the prompt (the system message, the template's tokens and the "
            "user's question), which the model already predicts well and will never have to write; the gradient "
            "is spent on copying prompts, the loss looks lower than the answers deserve, and the model can learn "
            "to continue with new user turns."
        ),
    ),
    Question(
        question="When would you keep an adapter separate instead of merging it?",
        answer=(
            "When one base model serves several tasks or customers: load the base once and switch small adapters "
            "with `set_adapter` (or batch them), ship or update a task as a few megabytes, and keep the base "
            "unchanged for `disable_adapter()`. Merge when one task is served alone and the extra matrix products "
            "of the LoRA branch should cost nothing at inference."
        ),
    ),
]
