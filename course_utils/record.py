"""Measured claims: what a notebook measured, kept in ``build/metrics.json`` and shown as one table."""
import json
import math
from datetime import datetime, timezone

from .paths import build_dir

_RECORDED_IN_THIS_RUN: dict[str, tuple[float, str]] = {}


class Recorded(float):
    """A recorded number: a float that a notebook cell does not echo as a raw trailing value."""

    def _ipython_display_(self) -> None:
        """The value appears, rounded and with its unit, in the notebook's ``show_recorded`` table."""


def record(name: str, value: float, unit: str = "") -> float:
    """Store ``name = value`` in ``build/metrics.json`` (by convention ``"07.test_macro_f1"``), quietly.

    Returns ``value`` (a :class:`Recorded` float, which a cell ending in ``record(...)`` does not echo)
    so a cell can record and use a number in one line. The numbers appear together in the table that
    :func:`show_recorded` prints before the notebook's recap. Only finite numbers are accepted: a
    measurement that came out NaN is a bug to fix, not a result.
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
    _RECORDED_IN_THIS_RUN[name] = (value, unit)
    return Recorded(value)


def recorded(name: str) -> float | None:
    """The value an earlier run stored with :func:`record`, or ``None`` if nothing was recorded as ``name``.

    Lets a notebook compare with a number another notebook measured (09 reads 07's fine-tune results)
    without typing that number into its text.
    """
    path = build_dir() / "metrics.json"
    metrics = json.loads(path.read_text()) if path.is_file() else {}
    return metrics[name]["value"] if name in metrics else None


def show_recorded(notebook: str) -> None:
    """Print one table of the numbers this run recorded under ``notebook`` (``"07"`` → every ``07.*`` name).

    The recap below the table refers to these names; ``tests/test_recap_claims.py`` checks the
    recap's comparative words against the committed table.
    """
    rows = {name: value for name, value in _RECORDED_IN_THIS_RUN.items() if name.startswith(f"{notebook}.")}
    if not rows:
        print(f"Nothing recorded under {notebook}.* in this run yet: run the notebook from the top.")
        return
    width = max(len(name) for name in rows)
    print(f"Measured in this run ({len(rows)} number{'s' if len(rows) > 1 else ''}, also in build/metrics.json):")
    for name, (value, unit) in rows.items():
        print(f"  {name:<{width}}  {value:.4g}{' ' + unit if unit else ''}")
