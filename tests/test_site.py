"""``python -m course_utils build-site``: every notebook becomes a page that loads in a browser with its plots."""
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from browser import headless_chromium

ROOT = Path(__file__).parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _plots_in(path: Path) -> int:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return sum("image/png" in output.get("data", {}) for cell in cells for output in cell.get("outputs", []))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run([sys.executable, "-m", "course_utils", "build-site", "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "site built in" in result.stdout
    return out


def test_contents_page_links_every_notebook_in_learning_order(site):
    with headless_chromium() as browser:
        browser.get((site / "index.html").as_uri())
        links = browser.execute_script("return Array.from(document.querySelectorAll('td a')).map(a => a.href)")
    assert [Path(link).stem for link in links] == [path.stem for path in NOTEBOOKS]


def _embedded_images(browser, expected: int, timeout: float = 10.0) -> list[bool]:
    """Whether each embedded plot on the page has rendered (not the Colab badge, which needs the web).

    Polled until ``expected`` plots have rendered or ``timeout`` seconds pass: right after a navigation,
    Chromium 150 sometimes answers the first script before the new page's images are in the DOM.
    """
    deadline = time.monotonic() + timeout
    while True:
        images = browser.execute_script(
            "return Array.from(document.querySelectorAll('img[src^=\"data:image\"]'))"
            ".map(i => i.complete && i.naturalWidth > 0)"
        )
        if (len(images) >= expected and all(images)) or time.monotonic() > deadline:
            return images
        time.sleep(0.2)


def test_every_page_loads_and_shows_its_plots(site):
    with headless_chromium() as browser:
        for path in NOTEBOOKS:
            browser.get((site / f"{path.stem}.html").as_uri())
            images = _embedded_images(browser, _plots_in(path))
            heading = browser.execute_script("return document.querySelector('h1').textContent")
            assert heading.startswith(path.name[:2]), f"{path.name}: heading {heading!r}"
            assert len(images) == _plots_in(path) > 0, f"{path.name}: {len(images)} plots on the page"
            assert all(images), f"{path.name}: {images.count(False)} image(s) did not render"
            nav = browser.execute_script("return document.querySelectorAll('nav.course-nav a').length")
            assert nav >= 2, f"{path.name}: no navigation links"


def test_pages_link_the_notebooks_they_name(site):
    page = (site / "07_fine_tuning_with_trainer.html").read_text(encoding="utf-8")
    assert '<a href="06_datasets.html"><code>06_datasets.ipynb</code></a>' in page


def test_glossary_page_links_to_notebook_pages_that_exist(site):
    with headless_chromium() as browser:
        browser.get((site / "index.html").as_uri())
        browser.find_element("link text", "glossary").click()
        assert browser.execute_script("return document.querySelector('h1').textContent").startswith("Glossary")
        links = browser.execute_script("return Array.from(document.querySelectorAll('td a')).map(a => a.href)")
    assert links and all(link.endswith(".html") for link in links)
    assert {Path(link).name for link in links} <= {f"{path.stem}.html" for path in NOTEBOOKS}
