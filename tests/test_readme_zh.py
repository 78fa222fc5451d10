"""The Chinese README stays in step with the English one: same notebooks, same minutes, same commands."""
import re
from pathlib import Path

ROOT = Path(__file__).parents[1]
ROW = re.compile(r"^\| \[(\d\d) — .+?\]\((notebooks/\d\d_[\w-]+\.ipynb)\) \| .+? \| (\d+) \| (\d+) \| .+ \|$", re.M)


def _rows(name: str) -> list[tuple[str, ...]]:
    return ROW.findall((ROOT / name).read_text(encoding="utf-8"))


def test_chinese_learning_path_matches_the_english_one():
    english = _rows("README.md")
    assert len(english) == len(sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")))
    assert _rows("README.zh-CN.md") == english


def test_chinese_readme_is_linked_and_has_the_same_commands_and_the_mainland_section():
    english = (ROOT / "README.md").read_text(encoding="utf-8")
    chinese = (ROOT / "README.zh-CN.md").read_text(encoding="utf-8")
    assert "[中文](README.zh-CN.md)" in english.splitlines()[2]
    setup = re.search(r"### Set up\n.*?```bash\n(.*?)```", english, re.S).group(1)
    assert setup in chinese and "```bash\npython -m pytest\n```" in chinese
    mainland = chinese.split("## 在中国大陆使用", 1)[1]
    for needed in ["HF_ENDPOINT", "PIP_INDEX_URL", "pip config", "modelscope", "from_pretrained(path)", "HF_HUB_OFFLINE"]:
        assert needed in mainland, needed
