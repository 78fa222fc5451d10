"""Set-up stays consistent: one place for versions, and CI runs exactly the README's test command."""
import re
from pathlib import Path

import tomllib

ROOT = Path(__file__).parents[1]


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _readme_block(heading: str) -> str:
    readme = (ROOT / "README.md").read_text()
    section = readme.split(heading, 1)[1]
    return re.search(r"```bash\n(.*?)```", section, re.S).group(1).strip()


def test_environment_yml_mirrors_pyproject_versions():
    project = _pyproject()["project"]
    wanted = set(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        wanted |= set(extra)
    environment = (ROOT / "environment.yml").read_text()
    listed = set(re.findall(r"^\s+- \"([A-Za-z][\w.-]*[<>=!~][^\"]*)\"$", environment, re.M))
    assert listed == wanted


def test_every_dependency_is_bounded_above_and_below():
    project = _pyproject()["project"]
    specs = project["dependencies"] + sum(project["optional-dependencies"].values(), [])
    for spec in specs:
        assert ">=" in spec and "<" in spec.replace("<=", ""), f"{spec} is not bounded on both sides"


def test_ci_runs_exactly_the_readme_commands():
    ci = (ROOT / ".ci" / "run").read_text()
    assert _readme_block("### Set up") in ci
    assert _readme_block("### Run the tests") in ci.splitlines()


def test_shipped_data_files_are_all_in_the_manifest():
    manifest = (ROOT / "course_utils" / "data_files" / "MANIFEST.sha256").read_text().split()
    shipped = {
        str(p.relative_to(ROOT / "course_utils" / "data_files"))
        for p in (ROOT / "course_utils" / "data_files").rglob("*")
        if p.is_file() and p.name not in {"MANIFEST.sha256", "README.md"}
    }
    assert shipped == set(manifest[1::2])
    readme = (ROOT / "course_utils" / "data_files" / "README.md").read_text()
    assert all(name in readme for name in shipped), "data_files/README.md must give each file's source"


def test_constraints_pin_every_dependency_within_pyproject_ranges():
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    project = _pyproject()["project"]
    specs = project["dependencies"] + sum(project["optional-dependencies"].values(), [])
    for spec in map(Requirement, specs):
        name = canonicalize_name(spec.name)
        assert name in pins, f"constraints.txt does not pin {spec.name}"
        assert spec.specifier.contains(pins[name], prereleases=True), f"{name}=={pins[name]} is outside {spec}"
    assert "-c constraints.txt" in (ROOT / ".ci" / "run").read_text()


def test_readme_names_the_versions_the_outputs_came_from():
    pins = dict(
        line.split("==") for line in (ROOT / "constraints.txt").read_text().splitlines() if line and not line.startswith("#")
    )
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    stated = re.search(r"\*\*The outputs you see came from:\*\* (.+?) \(a test", readme).group(1)
    for name, version in (item.rsplit(" ", 1) for item in stated.split(", ")):
        assert pins[name] == version, f"README says {name} {version}, constraints.txt pins {pins[name]}"


def test_importing_the_course_then_transformers_prints_nothing():
    """torchao, imported by ``from transformers import pipeline``, logs CUDA-only kernel failures on a CPU:
    the set-up cell imports the course first, which hides exactly those lines."""
    import subprocess
    import sys

    code = "import course_utils; from transformers import pipeline"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stderr == "" and run.stdout == ""


def test_no_blanket_warning_filter_hides_what_the_course_calls():
    filters = _pyproject()["tool"]["pytest"]["ini_options"]["filterwarnings"]
    assert not [f for f in filters if f.startswith("ignore")], "pytest must not ignore whole warning categories"
    sources = [*(ROOT / "notebooks").glob("*.ipynb"), *(ROOT / "projects").glob("*.ipynb"), *(ROOT / "course_utils").rglob("*.py")]
    for path in sources:
        text = path.read_text(encoding="utf-8")
        blanket = re.findall(r'filterwarnings\(\\?"ignore\\?", category=|simplefilter\(\\?"ignore', text)
        assert not blanket, f"{path.name}: filter library warnings by exact message (course_utils/library_warnings.py)"
