"""The solved copy of a notebook: every exercise cell replaced by its worked solution.

CI executes this copy (``conftest.py``) instead of the committed, unanswered notebook; it is a test
artifact and is never written back. ``python -m course_utils solve`` writes one for a learner or an
instructor who wants to read a notebook with all its answers in place.
"""
import re
from pathlib import Path

import nbformat

from .exercises import all_exercises

CHECK_CALL = re.compile(r'^check\("([^"]+)"', re.M)


def exercise_cells(notebook: nbformat.NotebookNode) -> dict[str, int]:
    """Exercise name -> index of the code cell that checks it."""
    return {match.group(1): index for index, cell in enumerate(notebook.cells)
            if cell.cell_type == "code" for match in CHECK_CALL.finditer(cell.source)}


def with_solutions(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook with each exercise cell's source replaced by the exercise's solution (in place)."""
    exercises = all_exercises()
    for name, index in exercise_cells(notebook).items():
        if name in exercises:
            notebook.cells[index].source = exercises[name].solution.strip()
    return notebook


def write_solved(path: Path, target: Path) -> Path:
    """Write the solved copy of the notebook at ``path`` to ``target`` (outputs cleared)."""
    notebook = with_solutions(nbformat.read(path, as_version=4))
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nbformat.write(notebook, target)
    return target
