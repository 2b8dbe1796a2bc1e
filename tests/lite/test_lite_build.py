"""The browser build holds exactly the chapters the pages link to, and today's lstm_lib.

No browser needed: these read the built site (_build/html with its lite/ folder).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import zipfile
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import ROOT, html_dir

sys.path.insert(0, str(ROOT / "tools" / "site"))
from lite_chapters import offered_chapters  # noqa: E402

pytestmark = pytest.mark.lite
LINK = re.compile(r'<a class="reference external lite-link" href="([^"]+)"')


def chapter_pages() -> dict[str, str]:
    pages = sorted((html_dir() / "notebooks").glob("*.html"))
    return {page.stem + ".ipynb": page.read_text(encoding="utf-8") for page in pages}


def test_pages_link_to_exactly_the_lite_chapters(lite_dir, manifest):
    pages = chapter_pages()
    assert pages, f"no chapter pages under {html_dir() / 'notebooks'}: run make book"
    linked = {}
    for name, text in pages.items():
        hrefs = LINK.findall(text)
        assert len(hrefs) <= 1, f"{name}: {len(hrefs)} browser links"
        if hrefs:
            linked[name] = hrefs[0].replace("&amp;", "&")
    contents = {p.name for p in (lite_dir / "files").glob("*.ipynb")}
    listed = {
        entry["name"]
        for entry in json.loads((lite_dir / "api" / "contents" / "all.json").read_text())["content"]
    }
    assert set(linked) == set(manifest["chapters"]) == contents == listed
    for name, href in linked.items():
        parts = urlsplit(href)
        assert parts.path == "../lite/notebooks/index.html", href
        assert parse_qs(parts.query) == {"path": [name]}, href
        assert (html_dir() / "notebooks" / parts.path).resolve().is_file()


def test_pages_without_a_browser_version_say_why(manifest):
    status = offered_chapters(ROOT / "notebooks")
    assert {n for n, (ok, _) in status.items() if ok} == set(manifest["chapters"])
    for name, text in chapter_pages().items():
        offered, _ = status[name]
        if not offered:
            assert "No browser version" in text and "needs PyTorch" in text, name
            assert "lite-link" not in text, name


def test_lite_lstm_lib_is_the_current_code(lite_dir, manifest):
    pyodide = lite_dir / "static" / "pyodide"
    lock = json.loads((pyodide / "pyodide-lock.json").read_text())
    entry = lock["packages"]["lstm-lib"]
    wheel = pyodide / entry["file_name"]
    assert hashlib.sha256(wheel.read_bytes()).hexdigest() == entry["sha256"]
    repo = {
        p.relative_to(ROOT).as_posix(): p.read_bytes()
        for p in (ROOT / "lstm_lib").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }
    with zipfile.ZipFile(wheel) as zf:
        shipped = {n: zf.read(n) for n in zf.namelist() if n.startswith("lstm_lib/")}
    assert set(shipped) == set(repo), "lstm_lib files differ: rebuild with make lite"
    stale = [name for name in repo if shipped[name] != repo[name]]
    assert stale == [], f"the browser build's lstm_lib is stale in {stale[:5]}: run make lite"
    assert any(n.startswith("lstm_lib/lab/data/") for n in shipped), "lab/data missing"


def test_everything_the_kernel_loads_is_served_and_checked(lite_dir):
    pyodide = lite_dir / "static" / "pyodide"
    lock = json.loads((pyodide / "pyodide-lock.json").read_text())
    assert lock["info"]["version"] == "0.27.7"
    for name, entry in lock["packages"].items():
        path = pyodide / entry["file_name"]
        assert path.is_file(), f"{name}: {entry['file_name']} is not served"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"], name
        for dep in entry["depends"]:
            assert re.sub(r"[-_.]+", "-", dep).lower() in lock["packages"], (name, dep)
    for needed in ("numpy", "matplotlib", "ipywidgets", "ipython", "lstm-lib"):
        assert needed in lock["packages"]
    config = json.loads((lite_dir / "jupyter-lite.json").read_text())["jupyter-config-data"]
    kernel = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel["disablePyPIFallback"] is True
    assert kernel["pyodideUrl"] == "./static/pyodide/pyodide.js"


def test_no_absolute_url_to_another_origin_in_the_config(lite_dir):
    for path in [lite_dir / "jupyter-lite.json", *lite_dir.glob("*/jupyter-lite.json")]:
        text = path.read_text()
        assert not re.search(r'"https?://', text), f"{path}: an absolute URL in the config"
