"""Exercises and questionnaire answers of notebook 10."""
from numbers import Real
from typing import Any, Callable

import torch

from ..exercises import AnswerProblem, Exercise, Question, call_learner
from ..graders import expect_int, expect_number, expect_text


def _hidden_matrices() -> list[torch.Tensor]:
    """A wide matrix with one outlier, and a tall one whose first row is all negative (max|w| is not max w)."""
    generator = torch.Generator().manual_seed(10)
    wide = torch.randn(6, 10, generator=generator) * 0.05
    wide[2, 3] = 1.5
    tall = torch.randn(48, 32, generator=generator) * 0.02
    tall[0] = -tall[0].abs()
    return [wide, tall]


def _quanto_int8(weight: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The reference: quanto's int8 integers and scales of ``weight``, as in section 2."""
    from optimum.quanto import freeze, qint8, quantize

    layer = torch.nn.Sequential(torch.nn.Linear(weight.shape[1], weight.shape[0]))
    layer[0].weight.data.copy_(weight)
    quantize(layer, weights=qint8)
    freeze(layer)
    return layer[0].weight._data, layer[0].weight._scale


def _grade_absmax_int8(function: Callable[..., Any], **_: Any) -> str:
    """Quantize hidden matrices with the learner's function; check dtype, shapes, the error bound, then quanto."""
    for weight in _hidden_matrices():
        rows, columns = weight.shape
        where = f"on a hidden {rows}x{columns} matrix"
        result = call_learner(function, weight.clone())
        if not (isinstance(result, (tuple, list)) and len(result) == 2
                and all(isinstance(part, torch.Tensor) for part in result)):
            raise AnswerProblem("expected a tuple (int8 tensor, scales tensor). Hint: return values, scale")
        values, scale = result
        if values.dtype != torch.int8:
            return f"{where}: the values are {values.dtype}, not torch.int8. Hint: .to(torch.int8) after rounding"
        if values.shape != weight.shape:
            return f"{where}: the values have shape {tuple(values.shape)}, expected {tuple(weight.shape)}"
        if scale.shape != (rows, 1):
            return (f"{where}: the scales have shape {tuple(scale.shape)}, expected ({rows}, 1): one per row. "
                    "Hint: weight.abs().amax(dim=1, keepdim=True)")
        error = (values.float() * scale - weight).abs()
        too_far = error > scale / 2 * (1 + 1e-4) + 1e-12
        if too_far.any():
            row, column = (int(i) for i in too_far.nonzero()[0])
            return (f"{where}: at row {row}, column {column} the dequantized value {values[row, column].item()} x "
                    f"{scale[row, 0].item():.3g} is {error[row, column].item():.3g} from the weight "
                    f"{weight[row, column].item():.3g}, more than half a step. Hint: scale = the row's largest "
                    "absolute value / 127, values = round(weight / scale)")
        expected_values, expected_scale = _quanto_int8(weight)
        if not torch.allclose(scale, expected_scale, rtol=1e-6, atol=0):
            return f"{where}: your scales differ from quanto's. Hint: max|w| of each row divided by 127"
        different = (values != expected_values).nonzero()
        if len(different):
            row, column = (int(i) for i in different[0])
            return (f"{where}: {len(different)} values differ from quanto's, first at row {row}, column {column}: "
                    f"{values[row, column].item()} instead of {expected_values[row, column].item()}. "
                    "Hint: torch.round, then clamp to -127 ... 127")
    return ""


# (parameters, bits, group size): float formats, int4 without groups, with groups of 128 and of 64.
_BYTES_CASES = [(135_000_000, 32, None), (1_100_000_000, 16, None), (7_000_000_000, 4, None),
                (7_000_000_000, 4, 128), (4096 * 11008, 4, 64)]


def _quanto_int4_bytes(in_features: int, out_features: int) -> int:
    """The bytes quanto's int4 really stores for one Linear weight: packed values, scales and shifts."""
    from optimum.quanto import freeze, quantize

    layer = torch.nn.Sequential(torch.nn.Linear(in_features, out_features))
    quantize(layer, weights="qint4")
    freeze(layer)
    weight = layer[0].weight
    inner = [weight._data._data, weight._scale, weight._shift]
    return sum(tensor.numel() * tensor.element_size() for tensor in inner)


def _grade_weight_bytes(function: Callable[..., Any], **_: Any) -> str:
    """Compare the learner's byte count with the arithmetic on hidden sizes, then with a real quanto int4 layer."""
    for n_parameters, bits, group_size in _BYTES_CASES:
        expected = n_parameters * bits / 8 + (8 * n_parameters / group_size if group_size else 0)
        given = call_learner(function, n_parameters, bits, group_size)
        call = f"weight_bytes({n_parameters:_}, {bits}, {group_size})"
        if isinstance(given, bool) or not isinstance(given, Real):
            raise AnswerProblem(f"{call} returned a {type(given).__name__}, not a number")
        if abs(given - expected) > 1e-6 * expected:
            hint = ("8 bytes (a float32 scale and a float32 shift) per group of group_size weights on top"
                    if group_size else "parameters x bits / 8, and nothing else when group_size is None")
            return f"{call} returned {given:,.0f}, expected {expected:,.0f}. Hint: {hint}"
    in_features, out_features = 384, 10
    real = _quanto_int4_bytes(in_features, out_features)
    given = call_learner(function, in_features * out_features, 4, 128)
    if abs(given - real) > 1e-6 * real:
        return (f"quanto's int4 Linear({in_features}, {out_features}) really stores {real:,} bytes, your function "
                f"says {given:,.0f}. Hint: 4 bits per weight plus 8 bytes per group of 128")
    return ""


EXERCISES = [
    Exercise(
        name='10.int4_7b_gigabytes',
        kind='compute',
        question=(
            "GB (10^9 bytes) taken by the weights of a 7-billion-parameter model in int4, scales not "
            "counted."
        ),
        grade=expect_number(3.5, "parameters x bits per parameter / 8 bits per byte / 1e9", tolerance=0.01),
        solution="""\
answer = 7e9 * 4 / 8 / 1e9
check("10.int4_7b_gigabytes", answer)
""",
        explanation=(
            "3.5 GB, against 14 GB in bfloat16 and 28 GB in float32. With one float32 scale and shift "
            "per group of 128 weights (quanto's int4) it is 4.5 bits per weight, about 3.9 GB."
        ),
    ),
    Exercise(
        name='10.int8_scale',
        kind='compute',
        question=(
            "The symmetric int8 absmax scale of the tensor [0.5, -2.54, 1.0, 0.02] (one scale for the "
            "tensor)."
        ),
        grade=expect_number(0.02, "the largest absolute value, divided by 127", tolerance=1e-5),
        solution="""\
toy = torch.tensor([0.5, -2.54, 1.0, 0.02])
answer = (toy.abs().max() / 127).item()
check("10.int8_scale", answer)
""",
        explanation=(
            "The integers are `round(toy / 0.02)` = [25, -127, 50, 1]: the largest value lands on -127, "
            "and 0.02 becomes 1, one step of the scale."
        ),
    ),
    Exercise(
        name='10.overflow_format',
        kind='compute',
        question=(
            "Which of float16 and bfloat16 turns 70,000 into infinity?"
        ),
        grade=expect_text(
            "float16", "convert torch.tensor(70000.0) to each dtype and test torch.isinf", case=False
        ),
        solution="""\
overflowing = [dtype for dtype in (torch.float16, torch.bfloat16) if torch.isinf(torch.tensor(70000.0).to(dtype))]
answer = str(overflowing[0]).removeprefix("torch.")
check("10.overflow_format", answer)
""",
        explanation=(
            "float16 has 5 exponent bits: its largest finite value is 65,504 "
            "(`torch.finfo(torch.float16).max`). bfloat16 has float32's 8 exponent bits, so 70,000 is "
            "only rounded (to 70,144): range for precision."
        ),
    ),
    Exercise(
        name='10.int4_group_bytes',
        kind='compute',
        question=(
            "Bytes quanto's int4 uses for one group of 128 weights in a float32 model (packed values, "
            "scale, shift)."
        ),
        grade=expect_int(72, "128 values at 4 bits, plus one float32 scale and one float32 shift"),
        solution="""\
int4_layer = torch.nn.Sequential(torch.nn.Linear(256, 4))
quantize(int4_layer, weights="qint4")
freeze(int4_layer)
int4_weight = int4_layer[0].weight
groups = int4_weight._scale.numel()
answer = (tensor_bytes(int4_weight._data) + tensor_bytes(int4_weight._scale) + tensor_bytes(int4_weight._shift)) // groups
check("10.int4_group_bytes", answer)
""",
        explanation=(
            "72 bytes for 128 weights = 4.5 bits per weight, 0.14 of their 512 float32 bytes."
        ),
    ),
    Exercise(
        name='10.absmax_int8',
        kind='build',
        question=(
            "A function quantize_int8(weight) that quantizes a 2-D weight matrix to int8 with symmetric absmax "
            "scales, one per row, and returns (int8 values, float32 scales of shape (rows, 1))."
        ),
        grade=_grade_absmax_int8,
        solution="""\
def quantize_int8(weight: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    \"\"\"Symmetric absmax int8, one scale per row: (int8 values of weight's shape, scales of shape (rows, 1)).\"\"\"
    scale = weight.abs().amax(dim=1, keepdim=True) / 127
    values = torch.round(weight / scale).clamp(-127, 127).to(torch.int8)
    return values, scale


check("10.absmax_int8", quantize_int8)
""",
        explanation=(
            "The largest absolute value of each row maps to ±127, so `scale = max|w| / 127`; every weight is "
            "then at most half a step (`scale / 2`) from its dequantized value `values * scale`. Taking `abs()` "
            "before the maximum matters for a row whose largest weight is negative, and `keepdim=True` gives "
            "scales that broadcast over their rows. The grader compares your integers with quanto's, bit for bit."
        ),
    ),
    Exercise(
        name='10.weight_bytes',
        kind='build',
        question=(
            "A function weight_bytes(n_parameters, bits, group_size=None) that returns the bytes of n_parameters "
            "weights at bits bits each, plus one float32 scale and one float32 shift per group of group_size "
            "weights when group_size is given."
        ),
        grade=_grade_weight_bytes,
        solution="""\
def weight_bytes(n_parameters: int, bits: int, group_size: int | None = None) -> float:
    \"\"\"Bytes of n_parameters weights at `bits` bits, plus a float32 scale and shift per group if grouped.\"\"\"
    values = n_parameters * bits / 8
    if group_size is None:
        return values
    return values + n_parameters / group_size * (4 + 4)


check("10.weight_bytes", weight_bytes)
""",
        explanation=(
            "Bits per weight / 8 gives bytes; grouped formats add their metadata per group: 8 bytes per 128 "
            "weights is 0.5 bit per weight, so quanto's int4 costs 4.5 bits. The grader checks the formula "
            "against the bytes inside a real quanto int4 layer, counted as `tensor_bytes` does."
        ),
    ),
]

QUESTIONS = [
    Question(
        question=(
            "A 13B model in bfloat16: how much memory do its weights take, and in int4? Which fits on a 16 GB GPU?"
        ),
        answer=(
            "13e9 parameters x 2 bytes = 26 GB in bfloat16; at 4 bits 6.5 GB, about 7.3 GB with quanto's float32 "
            "scale and shift per group of 128 (4.5 bits per weight). Only the int4 model fits on a 16 GB GPU, with "
            "room left for activations and the KV cache."
        ),
    ),
    Question(
        question="Why can bfloat16 hold 70,000 while float16 cannot, and which of the two keeps more digits?",
        answer=(
            "bfloat16 has float32's 8 exponent bits, so its range reaches about 3.4 x 10^38 and 70,000 is only "
            "rounded; float16 has 5 exponent bits and its largest finite value is 65,504, so 70,000 becomes "
            "infinity. float16 keeps more digits (10 mantissa bits, about 4 digits, against bfloat16's 7 bits, "
            "about 3)."
        ),
    ),
    Question(
        question=(
            "What does the scale of absmax quantization do, and why does one outlier in a row hurt all the other "
            "weights of that row?"
        ),
        answer=(
            "The scale (the row's largest absolute value / 127) maps the row onto the integers -127 ... 127: each "
            "weight is stored as round(w / scale) and comes back as that integer times the scale, at most half a "
            "step off. One large value sets the scale for the whole row, so the step grows and the other, small "
            "weights share only a few of the 255 levels and lose precision."
        ),
    ),
    Question(
        question=(
            "Why does `get_memory_footprint()` report the same size for a quanto int4 model as for the float32 one?"
        ),
        answer=(
            "It adds up `numel() x element_size()` of the parameters and buffers, and a quanto weight is a tensor "
            "subclass that shows the original float32 dtype and shape to the outside. The real bytes are in the "
            "tensors inside it (packed `uint8` data, scales, shifts), which `__tensor_flatten__()` names and "
            "`tensor_bytes` counts."
        ),
    ),
    Question(
        question=(
            "What does weight-only int8 do at every matrix product on a CPU, and what does dynamic int8 do instead? "
            "Which three choices of `quantize_dynamic` did section 5 separate to explain its perplexity?"
        ),
        answer=(
            "Weight-only int8 (torchao's Int8WeightOnlyConfig, quanto) expands the integers back to floating point at "
            "every call and then runs a float matrix product: it saves memory and adds work. Dynamic int8 also "
            "quantizes the activations at every call and multiplies in int8 with the CPU's integer instructions; the "
            "speed verdicts printed in section 6 say how each compared with float32 in your run. Section 5 separated "
            "three choices of quantize_dynamic's defaults: int8 activations with one scale per tensor (torchao's "
            "dynamic configuration uses one per token), one weight scale per tensor instead of per row, and "
            "quantizing the output layer lm_head, which torchao and quanto leave in float32; its table gives the "
            "perplexity each one adds."
        ),
    ),
    Question(
        question="Why is the whole-model ratio of SmolLM2 in int4 well above 0.125?",
        answer=(
            "Only the Linear weights are quantized, and at 4.5 bits with their scales and shifts, not 4. The token "
            "embedding (49,152 x 576 = 28M of the 135M parameters, 21%) is not a Linear layer and stays in "
            "float32, and the output layer shares that matrix and is left unquantized; in a 7B model the "
            "embeddings are about 2% and the ratio comes close to the weights' own."
        ),
    ),
    Question(
        question=(
            "You want to fine-tune a 7B model on one 16 GB GPU. Which quantization do you use and what does "
            "`prepare_model_for_kbit_training` do?"
        ),
        answer=(
            "QLoRA: the base model frozen in bitsandbytes 4-bit NF4 (no calibration needed) with LoRA adapters "
            "trained on top in 16 or 32 bits. `prepare_model_for_kbit_training` freezes every base weight, casts "
            "the layer norms and other small non-quantized parameters to float32, makes the input embeddings' "
            "output require gradients and switches on gradient checkpointing."
        ),
    ),
    Question(
        question="What does GPTQ do with its calibration data, and what does AWQ do with it?",
        answer=(
            "GPTQ runs the calibration texts through each layer to estimate the Hessian of its inputs, then "
            "quantizes the weights one column at a time and adjusts the columns not yet quantized to compensate "
            "for the rounding error. AWQ uses the calibration data to find the roughly 1% of weight channels that "
            "meet the largest activations and scales them up before quantizing (and the activations down), so "
            "they lose less precision; no other weight is changed."
        ),
    ),
]
