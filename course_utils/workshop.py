"""Workshop agendas built from what each notebook holds and how long it measurably takes to run.

A notebook's slot = reading its text aloud and discussing it (200 words a minute) + walking through
its code (20 lines a minute) + 2, 4 or 10 minutes per exercise (recall, compute, build) done in class
(two of each kind but one write-code exercise; the rest are homework) + its measured run time (``build/timings.json``,
written by every ``pytest`` run of the notebooks and by ``run-all``).
"""
import json
import math
import re
from pathlib import Path

from .errors import CourseError
from .exercises import MINUTES_BY_KIND, exercise
from .paths import build_dir, course_notebooks

WORDS_PER_MINUTE = 200
CODE_LINES_PER_MINUTE = 20
# The one-day path: pipelines -> tokenizers -> the model -> generation -> Trainer -> LoRA. 00 is pre-work.
ONE_DAY = ["01", "03", "04", "05", "07", "09"]
DAY_START, LUNCH_AFTER, DAY_END = 9 * 60, 12 * 60 + 15, 17 * 60 + 45
BREAKS = [(10 * 60 + 30, "coffee", 15), (LUNCH_AFTER, "lunch", 60), (15 * 60, "coffee", 15)]


def measured_run_seconds() -> dict[str, float]:
    """Seconds each notebook took in the last measured run (``build/timings.json``)."""
    path = build_dir() / "timings.json"
    if not path.is_file():
        raise CourseError(f"no {path}: run `python -m pytest notebooks/` or `python -m course_utils run-all` first")
    return json.loads(path.read_text())


def slot_minutes(path: Path, run_seconds: float) -> dict[str, int]:
    """How a notebook's workshop slot adds up: reading, code, exercises, running, and the total."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    words = sum(len("".join(c["source"]).split()) for c in cells if c["cell_type"] == "markdown")
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    parts = {
        "reading": math.ceil(words / WORDS_PER_MINUTE),
        "code": math.ceil(len(code.splitlines()) / CODE_LINES_PER_MINUTE),
        "exercises": _exercise_minutes([exercise(name).kind for name in re.findall(r'^check\("([^"]+)"', code, re.M)]),
        "running": math.ceil(run_seconds / 60),
    }
    return {**parts, "total": sum(parts.values())}


# Exercises done in class, per notebook and kind; the rest are homework.
IN_CLASS = {"recall": 2, "compute": 2, "build": 1}


def _exercise_minutes(kinds: list[str]) -> int:
    """Class time for a notebook's exercises: the first IN_CLASS of each kind (the rest are homework)."""
    return sum(MINUTES_BY_KIND[kind] * min(count, kinds.count(kind)) for kind, count in IN_CLASS.items())


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def agenda(days: int) -> str:
    """A Markdown agenda: one day (the core path) or ``days`` days (every notebook), with breaks."""
    timings = measured_run_seconds()
    notebooks = course_notebooks()
    if days == 1:
        notebooks = [path for path in notebooks if path.name[:2] in ONE_DAY]
    missing = [path.stem for path in notebooks if path.stem not in timings]
    if missing:
        raise CourseError(f"no measured run time for {', '.join(missing)} in build/timings.json")
    slots = [(path, slot_minutes(path, timings[path.stem])) for path in notebooks]
    per_day = math.ceil(sum(slot["total"] for _, slot in slots) / days)
    lines, day, now, taught, breaks = [], 0, DAY_END, 0, []
    for path, slot in slots:
        if now + slot["total"] > DAY_END or (taught >= per_day and day < days):
            if day:
                lines.append(f"| {_clock(now)} | *wrap-up, questions* | |")
            day, now, taught, breaks = day + 1, DAY_START, 0, list(BREAKS)
            lines += ["", f"**Day {day}**", "", "| time | notebook | reading + code + exercises + running |",
                      "|---|---|---|"]
        while breaks and now >= breaks[0][0] - 10:
            _, name, length = breaks.pop(0)
            lines.append(f"| {_clock(now)} | *{name}* | {length} min |")
            now += length
        detail = f"{slot['reading']} + {slot['code']} + {slot['exercises']} + {slot['running']} = {slot['total']} min"
        lines.append(f"| {_clock(now)} | [{path.stem}]({path.name}) | {detail} |")
        now, taught = now + slot["total"], taught + slot["total"]
    lines.append(f"| {_clock(now)} | *wrap-up, questions* | |")
    if day > days:
        raise CourseError(f"the notebooks need {day} days at this pace, not {days}")
    return "\n".join(lines).strip()
