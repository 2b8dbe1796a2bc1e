"""Fixtures for the tests of the browser version of the chapters (issue 15).

These run only under ``make test-lite`` (which sets ``LITE_TESTS=1``), not under
``make test``: starting Pyodide and running whole chapters in it takes minutes.

The site under test is ``_build/html`` (``SITE_HTML_DIR`` to use another), with the
JupyterLite build in its ``lite/`` folder (``make book`` or ``make lite``). A local
HTTP server on 127.0.0.1 serves it; Debian's Chromium (never a browser downloaded
by Playwright) loads it with every request to another origin *aborted* and
recorded, so a chapter that works here works with no network.
"""

from __future__ import annotations

import json
import mimetypes
import os
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from lite_runner import HOST_RULES

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools" / "site"))

from chromium import CHROMIUM_ARGS, find_chromium  # noqa: E402 (tools/site/chromium.py)

mimetypes.add_type("application/wasm", ".wasm")  # WebAssembly streaming compile needs it


def pytest_ignore_collect(collection_path, config):
    """Collected only by `make test-lite` (LITE_TESTS=1), never by `make test`."""
    return os.environ.get("LITE_TESTS") != "1"


def html_dir() -> Path:
    return Path(os.environ.get("SITE_HTML_DIR", ROOT / "_build" / "html")).resolve()


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def lite_dir() -> Path:
    lite = html_dir() / "lite"
    if not (lite / "lite-manifest.json").is_file():
        pytest.fail(f"No browser build at {lite}: run `make lite` (or `make book`) first.")
    return lite


@pytest.fixture(scope="session")
def manifest(lite_dir: Path) -> dict:
    return json.loads((lite_dir / "lite-manifest.json").read_text())


class Handler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest's output clean
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()


@pytest.fixture(scope="session")
def origin() -> str:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(html_dir())))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, name="lite-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("The python package playwright is missing: pip install -r requirements.txt")
    executable = find_chromium()
    if executable is None:
        message = "Chromium not found: sudo apt-get install chromium (or set CHROMIUM_PATH)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=executable, headless=True, args=[*CHROMIUM_ARGS, HOST_RULES]
        )
        yield chromium
        chromium.close()


def pytest_terminal_summary(terminalreporter):
    """Time to kernel and to first result per chapter, for the CI log."""
    module = sys.modules.get("test_lite_chapters")
    timings = getattr(module, "TIMINGS", {})
    if timings:
        terminalreporter.write_sep("-", "browser version: time from opening the chapter")
        for line in timings.values():
            terminalreporter.write_line(line)
