"""A learner's progress: which exercises ``check()`` has seen passed, per notebook, kept on this machine."""
from .exercises import all_exercises, load_progress
from .paths import course_notebooks


def passed_exercises() -> set[str]:
    """Names of the exercises this learner has passed (``progress.json`` in the course cache)."""
    return {name for name, passed in load_progress().items() if passed}


def progress_rows() -> list[tuple[str, int, int, list[str]]]:
    """Per notebook prefix (``"07"``): exercises passed, exercises in all, and the names still to do."""
    passed = passed_exercises()
    exercises = all_exercises()
    rows = []
    for prefix in sorted({name.split(".")[0] for name in exercises}):
        names = [name for name in exercises if name.startswith(prefix + ".")]
        todo = [name for name in names if name not in passed]
        rows.append((prefix, len(names) - len(todo), len(names), todo))
    return rows


def progress_table() -> str:
    """The progress as a plain-text table: notebook, passed/total, a bar, and the exercises left."""
    titles = {path.name[:2]: path.stem for path in course_notebooks()}
    rows = progress_rows()
    lines = [f"{'notebook':<40} {'passed':>7}  {'':10}  still to do", "-" * 80]
    for prefix, done, total, todo in rows:
        bar = "#" * round(10 * done / total) + "." * (10 - round(10 * done / total))
        left = ", ".join(name.split(".", 1)[1] for name in todo) or "all done"
        lines.append(f"{titles.get(prefix, prefix):<40} {done:>3}/{total:<3}  {bar}  {left}")
    done = sum(row[1] for row in rows)
    lines += ["-" * 80, f"{'all notebooks':<40} {done:>3}/{len(all_exercises()):<3}"]
    return "\n".join(lines)
