"""Errors that explain themselves in one line instead of a deep library traceback."""


class CourseError(Exception):
    """Base class for every error course_utils raises on purpose."""


class UnknownNameError(CourseError, KeyError):
    """A role, data set, provider or exercise name that the course does not know."""

    def __init__(self, kind: str, name: str, valid: list[str]) -> None:
        self.kind, self.name, self.valid = kind, name, valid
        super().__init__(f"unknown {kind} {name!r}; valid {kind}s: {', '.join(sorted(valid))}")

    def __str__(self) -> str:  # KeyError would otherwise print the repr with quotes
        return self.args[0]


class MissingPackageError(CourseError, ImportError):
    """An optional package is needed; the message names the install command."""

    def __init__(self, package: str, purpose: str, pip_args: str | None = None) -> None:
        super().__init__(f"{purpose} needs the package {package!r}: pip install {pip_args or package}")


class ChecksumError(CourseError, ValueError):
    """A shipped data file does not match the SHA-256 of course_utils/data_files/MANIFEST.sha256."""


def show_course_errors_briefly() -> None:
    """In Jupyter, show a ``CourseError`` as its one-line explanation instead of a traceback."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return

    def one_line(shell, kind, error, traceback, tb_offset=None):  # IPython's handler signature
        print(f"{kind.__name__}: {error}")

    shell.set_custom_exc((CourseError,), one_line)
