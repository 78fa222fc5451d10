"""The one list of library warnings the course hides, each by its exact message and with the reason.

Only warnings that a library raises about its *own* internals belong here: a deprecation raised by a
call the course makes is fixed in the course instead (the test suite turns those into errors).
Notebooks call :func:`hide_library_warnings` once, in their imports cell.
"""
import logging
import re
import warnings

# (category, start of the exact message, why it is hidden)
LIBRARY_WARNINGS: list[tuple[type[Warning], str, str]] = [
    (FutureWarning, "`is_gradient_checkpointing` is deprecated",
     "peft 0.21's get_peft_model calls this transformers 5 method itself"),
    (FutureWarning, "`gradient_checkpointing_enable` is deprecated",
     "trl 1.16's trainers call this transformers 5 method themselves"),
    (FutureWarning, "`gradient_checkpointing_disable` is deprecated",
     "trl 1.16's trainers call this transformers 5 method themselves"),
    (FutureWarning, "Specifying null_placement",
     "datasets 5.2's sort() passes an option that pyarrow deprecated"),
    (FutureWarning, "`isinstance(treespec, LeafSpec)` is deprecated",
     "torch.onnx.export's exporter uses torch's own deprecated pytree check"),
    (UserWarning, "# The axis name: ",
     "torch.onnx.export notes that two dynamic axes share a name; the exported graph is checked in the notebook"),
]

# (logger name, regular expression the whole logged message matches, why it is hidden): messages a
# library logs (not warns) about its own internals when it is imported.
LIBRARY_LOG_MESSAGES: list[tuple[str, str, str]] = [
    ("torchao", r"Failed to load \S*/torchao/_C_(mxfp8|cutlass_90a)\S*\.so: Could not load this library: \S*",
     "torchao 0.18's wheel carries CUDA-only kernels (MX fp8, sm90 CUTLASS) that cannot load on a CPU; its CPU path does not use them"),
    ("torch.utils._pytree", r"<enum '(KernelPreference|ScaleCalculationMode)'> is an Enum subclass and is now natively supported .*",
     "torchao 0.18 registers two of its enums with torch's pytree on import, which torch 2.13 notes as deprecated"),
]


class _DropLibraryMessage(logging.Filter):
    def __init__(self, pattern: str):
        super().__init__()
        self.pattern = re.compile(pattern)

    def filter(self, record: logging.LogRecord) -> bool:
        return not self.pattern.fullmatch(record.getMessage())


def hide_library_log_messages() -> None:
    """Drop exactly the log messages of :data:`LIBRARY_LOG_MESSAGES`; every other message still shows.

    ``import course_utils`` calls it first thing, and every notebook's set-up cell imports the course
    before transformers: ``from transformers import pipeline`` imports torchao when it is installed.
    """
    for name, pattern, _why in LIBRARY_LOG_MESSAGES:
        logger = logging.getLogger(name)
        if not any(isinstance(f, _DropLibraryMessage) and f.pattern.pattern == pattern for f in logger.filters):
            logger.addFilter(_DropLibraryMessage(pattern))


def hide_library_warnings() -> None:
    """Hide exactly the warnings of :data:`LIBRARY_WARNINGS` and the log messages of
    :data:`LIBRARY_LOG_MESSAGES`; every other warning and message still shows."""
    for category, message, _why in LIBRARY_WARNINGS:
        warnings.filterwarnings("ignore", message=re.escape(message), category=category)
    hide_library_log_messages()
