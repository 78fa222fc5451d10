"""The browsable course: every executed notebook rendered to static HTML, with a contents page."""
import html
import json
import re
from pathlib import Path

from .paths import build_dir, course_notebooks

_CODE_NAME = re.compile(r"<code>(\d\d_[\w-]+)\.ipynb</code>")
_HREF_NAME = re.compile(r'href="(?:\./)?(\d\d_[\w-]+)\.ipynb"')


def _opening(path: Path) -> tuple[str, str]:
    """A notebook's title (its first heading) and its time line, from the first cell."""
    source = "".join(json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"])
    title = re.search(r"^# (.+)$", source, re.M)
    minutes = re.search(r"\*\*Time:\*\*\s*(.+)", source)
    return (title.group(1) if title else path.stem), (minutes.group(1).strip() if minutes else "")


def _link_notebooks(page: str, names: set[str]) -> str:
    """Turn mentions of other notebooks (``03_tokenizers.ipynb``) into links to their pages."""
    page = _HREF_NAME.sub(lambda m: f'href="{m.group(1)}.html"', page)
    return _CODE_NAME.sub(
        lambda m: f'<a href="{m.group(1)}.html">{m.group(0)}</a>' if m.group(1) in names else m.group(0), page
    )


def _navigation(previous: str | None, following: str | None) -> str:
    links = ['<a href="index.html">Contents</a>']
    if previous:
        links.insert(0, f'<a href="{previous}.html">&larr; {previous}</a>')
    if following:
        links.append(f'<a href="{following}.html">{following} &rarr;</a>')
    style = "font-family:sans-serif;padding:8px 16px;background:#fff8e1;display:flex;gap:24px"
    return f'<nav class="course-nav" style="{style}">{" ".join(links)}</nav>'


def build_site(out_dir: Path | None = None) -> Path:
    """Render every course notebook (committed with its outputs) and the glossary to ``out_dir`` (``build/site``).

    Pages keep their plots inline, link each other where the text names another notebook, and carry
    previous / contents / next links; ``index.html`` lists them in learning order. Returns the folder.
    """
    from nbconvert import HTMLExporter
    from nbformat.v4 import new_markdown_cell, new_notebook

    out_dir = Path(out_dir) if out_dir else build_dir() / "site"
    out_dir.mkdir(parents=True, exist_ok=True)
    notebooks = course_notebooks()
    names = {path.stem for path in notebooks}
    exporter = HTMLExporter(template_name="lab")
    rows = []
    for i, path in enumerate(notebooks):
        page, _ = exporter.from_filename(str(path))
        previous = notebooks[i - 1].stem if i > 0 else None
        following = notebooks[i + 1].stem if i + 1 < len(notebooks) else None
        nav = _navigation(previous, following)
        page = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + nav, _link_notebooks(page, names), count=1)
        page = page.replace("</body>", nav + "</body>", 1)
        (out_dir / f"{path.stem}.html").write_text(page, encoding="utf-8")
        title, minutes = _opening(path)
        rows.append(f'<tr><td><a href="{path.stem}.html">{html.escape(title)}</a></td>'
                    f"<td>{html.escape(minutes)}</td></tr>")
    index = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>Hugging Face transformers course</title>"
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}td{padding:4px 12px;"
        "vertical-align:top}</style></head><body><h1>Hugging Face transformers course</h1>"
        f"<p>{len(notebooks)} notebooks in learning order, each shown with the outputs of one full run.</p>"
        "<table><tr><th>notebook</th><th>time</th></tr>" + "".join(rows) + "</table>"
        '<p>Words used in the course: <a href="glossary.html">glossary</a>.</p></body></html>'
    )
    (out_dir / "index.html").write_text(index, encoding="utf-8")
    glossary = notebooks[0].parent / "GLOSSARY.md" if notebooks else None
    if glossary and glossary.is_file():
        page, _ = exporter.from_notebook_node(new_notebook(cells=[new_markdown_cell(glossary.read_text(encoding="utf-8"))]))
        page = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + _navigation(None, None), _link_notebooks(page, names), count=1)
        (out_dir / "glossary.html").write_text(page, encoding="utf-8")
    return out_dir
