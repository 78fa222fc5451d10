"""The one list of library warnings the course hides, each by its exact message and with the reason.

Only warnings that a library raises about its *own* internals belong here: a deprecation raised by a
call the course makes is fixed in the course instead (the test suite turns those into errors).
Notebooks call :func:`hide_library_warnings` once, in their imports cell.
"""
import re
import warnings

# (category, start of the exact message, why it is hidden)
LIBRARY_WARNINGS: list[tuple[type[Warning], str, str]] = [
    (FutureWarning, "`is_gradient_checkpointing` is deprecated",
     "peft 0.21's get_peft_model calls this transformers 5 method itself"),
    (FutureWarning, "Specifying null_placement",
     "datasets 5.2's sort() passes an option that pyarrow deprecated"),
    (FutureWarning, "`isinstance(treespec, LeafSpec)` is deprecated",
     "torch.onnx.export's exporter uses torch's own deprecated pytree check"),
    (UserWarning, "# The axis name: ",
     "torch.onnx.export notes that two dynamic axes share a name; the exported graph is checked in the notebook"),
]


def hide_library_warnings() -> None:
    """Hide exactly the warnings of :data:`LIBRARY_WARNINGS`; every other warning still shows."""
    for category, message, _why in LIBRARY_WARNINGS:
        warnings.filterwarnings("ignore", message=re.escape(message), category=category)
