"""Measured claims: what a notebook measured, shown to the learner and kept in ``build/metrics.json``."""
import json
import math
from datetime import datetime, timezone

from .paths import build_dir


class Recorded(float):
    """A recorded number: a float that a notebook cell does not echo again as a raw trailing value."""

    def _ipython_display_(self) -> None:
        """``record`` already printed the value, rounded and with its unit."""


def record(name: str, value: float, unit: str = "") -> float:
    """Show ``name = value`` and store it in ``build/metrics.json`` (by convention ``"07.test_macro_f1"``).

    Returns ``value`` (a :class:`Recorded` float, which a cell ending in ``record(...)`` does not echo
    a second time) so a cell can record and use a number in one line. Only finite numbers are
    accepted: a measurement that came out NaN is a bug to fix, not a result.
    """
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"record({name!r}) got {value}: only finite measurements are recorded")
    path = build_dir() / "metrics.json"
    metrics = json.loads(path.read_text()) if path.is_file() else {}
    metrics[name] = {
        "value": value,
        "unit": unit,
        "recorded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    path.write_text(json.dumps(metrics, indent=2, sort_keys=True))
    print(f"recorded {name} = {value:.4g}{' ' + unit if unit else ''}")
    return Recorded(value)


def recorded(name: str) -> float | None:
    """The value an earlier run stored with :func:`record`, or ``None`` if nothing was recorded as ``name``.

    Lets a notebook compare with a number another notebook measured (09 reads 07's fine-tune results)
    without typing that number into its text.
    """
    path = build_dir() / "metrics.json"
    metrics = json.loads(path.read_text()) if path.is_file() else {}
    return metrics[name]["value"] if name in metrics else None
