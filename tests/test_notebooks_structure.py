"""Every notebook meets the course standard and is committed with the outputs of one clean run.

(The notebooks themselves are executed by nbval: ``pytest`` collects ``notebooks/*.ipynb``.)
"""
import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CAPSTONES = sorted((Path(__file__).parents[1] / "projects").glob("capstone_*.ipynb"))


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _markdown(path: Path) -> str:
    return "\n".join("".join(c["source"]) for c in _cells(path) if c["cell_type"] == "markdown")


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found"
    assert CAPSTONES, "no capstone notebook in projects/"


@pytest.mark.parametrize("path", NOTEBOOKS + CAPSTONES, ids=lambda p: p.stem)
def test_notebook_opens_with_objectives_time_and_badge(path):
    opening = "".join(_cells(path)[0]["source"])
    assert "What you will learn" in opening
    assert "Prerequisites" in opening
    assert re.search(r"\d+ minutes? on a 2-core CPU", opening) and "Colab GPU" in opening
    assert "colab.research.google.com/github/" in opening and path.name in opening
    # the committed outputs are the offline run's: the learner online is told so before the first output
    assert "About the outputs you see" in opening and "Online" in opening and "联网" in opening


@pytest.mark.parametrize("path", NOTEBOOKS + CAPSTONES, ids=lambda p: p.stem)
def test_notebook_has_setup_parameters_exercises_and_recap(path):
    cells = _cells(path)
    assert "google.colab" in "".join(cells[1]["source"]), "the second cell must be the Colab set-up"
    assert any("parameters" in c["metadata"].get("tags", []) for c in cells), "no papermill parameters cell"
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert len(re.findall(r"^check\(", code, re.M)) >= 3, "fewer than three checked exercises"
    assert "## Recap" in _markdown(path)


@pytest.mark.parametrize("path", NOTEBOOKS + CAPSTONES, ids=lambda p: p.stem)
def test_notebook_is_committed_with_outputs_of_one_clean_run(path):
    code_cells = [c for c in _cells(path) if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    counts = [c["execution_count"] for c in code_cells]
    assert counts == list(range(1, len(code_cells) + 1)), "not executed once, in order, top to bottom"
    errors = [o for c in code_cells for o in c["outputs"] if o["output_type"] == "error"]
    assert not errors, f"committed with an error: {errors[0]['ename'] if errors else ''}"
    images = [o for c in code_cells for o in c["outputs"] if "image/png" in o.get("data", {})]
    assert images, "no plot in the committed outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_readme_learning_path_lists_the_notebook_with_its_cpu_minutes(path):
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if line.startswith("| [") and f"(notebooks/{path.name})" in line]
    assert len(rows) == 1, "README's learning path must have one row for the notebook"
    stated = re.search(r"(\d+) minutes? on a 2-core CPU", "".join(_cells(path)[0]["source"])).group(1)
    assert rows[0].split("|")[3].strip() == stated, "README and the notebook give different CPU minutes"


@pytest.mark.parametrize("path", NOTEBOOKS + CAPSTONES, ids=lambda p: p.stem)
def test_notebook_ends_with_check_your_understanding_then_recap(path):
    headings = re.findall(r"^## (.+)$", _markdown(path), re.M)
    assert headings[-2:] == ["Check your understanding", "Recap"]
    cells = _cells(path)
    start = next(i for i, c in enumerate(cells) if re.search(r"^## Check your understanding$", "".join(c["source"]), re.M))
    later = "\n".join("".join(c["source"]) for c in cells[start:] if c["cell_type"] == "code")
    assert len(re.findall(r"^check\(", later, re.M)) >= 3, "the section needs its own checked exercises"


@pytest.mark.parametrize("path", NOTEBOOKS + CAPSTONES, ids=lambda p: p.stem)
def test_notebook_links_the_notebooks_it_names_and_they_exist(path):
    names = {p.name for p in NOTEBOOKS}
    text = _markdown(path)
    mentioned = set(re.findall(r"\d\d_[\w-]+\.ipynb", text)) - {path.name}
    assert mentioned <= names, f"names notebooks that do not exist: {sorted(mentioned - names)}"
    unlinked = [m for m in re.findall(r"(?<!\[)`(\d\d_[\w-]+\.ipynb)`(?!\])", text) if m != path.name]
    assert not unlinked, f"mentions without a link: {unlinked}"


def _glossary_rows() -> list[tuple[str, str]]:
    text = (NOTEBOOKS[0].parent / "GLOSSARY.md").read_text(encoding="utf-8")
    return re.findall(r"^\| (.+?) \| [^|]+ \| .+ \| \[\d\d\]\((\d\d_[\w-]+\.ipynb)\) \|$", text, re.M)


def test_glossary_gives_every_term_in_chinese():
    text = (NOTEBOOKS[0].parent / "GLOSSARY.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| term")]
    assert rows and "| term | 中文 |" in text
    for row in rows:
        chinese = row.split(" | ")[1]
        assert re.search(r"[\u4e00-\u9fff]", chinese), f"no Chinese term in: {row[:60]}"


def test_glossary_points_each_term_to_a_notebook_that_uses_it():
    rows = _glossary_rows()
    assert len(rows) >= 40
    for term, notebook in rows:
        path = NOTEBOOKS[0].parent / notebook
        assert path.is_file(), f"{term}: {notebook} does not exist"
        text = "\n".join("".join(c["source"]) for c in _cells(path)).lower()
        words = [re.sub(r"\(.*?\)|`", "", part).strip().split()[0] for part in term.split(" / ")]
        assert any(word.lower() in text for word in words), f"{term!r} does not appear in {notebook}"


@pytest.mark.parametrize("path", NOTEBOOKS + CAPSTONES, ids=lambda p: p.stem)
def test_checked_cells_print_nothing_a_release_renames(path):
    """A checked output must not carry the installed version or the name of the decoder cache field
    (transformers 5.24 renamed ``past_key_values`` in printed outputs and broke three checked cells)."""
    for index, cell in enumerate(_cells(path)):
        source = "".join(cell["source"])
        if cell["cell_type"] == "code" and "# NBVAL_CHECK_OUTPUT" in source:
            printed = "".join("".join(o.get("text", "")) for o in cell["outputs"])
            assert "__version__" not in source, f"cell {index} prints a version in a checked output"
            assert "past_key_values" not in printed, f"cell {index} prints the cache field's name in a checked output"


def _output_noise(cell: dict) -> list[str]:
    """What a learner should not have to read in one cell's committed outputs."""
    found = []
    outputs = cell.get("outputs", [])
    if any(a.get("name") and a.get("name") == b.get("name") for a, b in zip(outputs, outputs[1:])):
        found.append("one stream split into several outputs (save it with nbconvert, which coalesces them)")
    for output in outputs:
        data = output.get("data", {})
        text = "".join(output.get("text", "")) + "".join(data.get("text/plain", ""))
        if "application/vnd.jupyter.widget-view+json" in data:
            found.append("a frozen progress bar")
        if re.search(r"/(work|root|tmp|home|Users)/[\w.-]+/", text):
            found.append("a path of the machine that ran it (show it with readable_paths)")
        if "[Errno" in text:
            found.append("an errno message")
        if output.get("output_type") == "execute_result" and re.fullmatch(r"-?\d+\.\d{5,}(e-?\d+)?", text.strip()):
            found.append("a raw float from a trailing expression")
        if output.get("name") == "stderr" and re.search(r"(Future|Deprecation)Warning|is deprecated", text):
            found.append("a deprecation warning")
        if re.search(r"^recorded \S+ = ", text, re.M):
            found.append("a per-number record() line (the numbers belong in the show_recorded table)")
    return found


@pytest.mark.parametrize("path", NOTEBOOKS + CAPSTONES, ids=lambda p: p.stem)
def test_committed_outputs_carry_no_noise(path):
    noise = {index: found for index, cell in enumerate(_cells(path)) if (found := _output_noise(cell))}
    assert not noise, f"committed outputs with noise (cell: what): {noise}"


@pytest.mark.parametrize("path", NOTEBOOKS + CAPSTONES, ids=lambda p: p.stem)
def test_one_table_of_what_the_run_measured_sits_above_the_recap(path):
    cells = _cells(path)
    recap = next(i for i, c in enumerate(cells) if "".join(c["source"]).startswith("## Recap"))
    prefix = path.name[:2] if path.name[0].isdigit() else "capstone"
    table = cells[recap - 1]
    assert table["cell_type"] == "code" and f'show_recorded("{prefix}")' in "".join(table["source"])
    printed = "".join("".join(o.get("text", "")) for o in table["outputs"])
    assert printed.startswith("Measured in this run ("), "the committed table is missing: re-run the notebook"
