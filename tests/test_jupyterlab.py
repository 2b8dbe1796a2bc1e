"""A student's session in a real client: JupyterLab in headless Chromium on a student notebook.

The test makes nbgrader's student version of chapter 4 (with the shipped configuration),
starts JupyterLab on 127.0.0.1 with a token, in a folder of its own and with its own
Jupyter config, data and runtime folders, and drives it through Playwright like a student:
open the notebook, *Run → Run All Cells*, read the first check's message, move a slider of
the gate explorer and see its figure change, save with Ctrl+S, and find the outputs in the
file on disk.

Runs after the browser tests of the site (``make test-jupyterlab``, called by
``make test-site``, part of ``make test``), in a pytest run of its own: Playwright's sync
API cannot start while the site tests' browser session is open in the same process. Chromium is
Debian's (``CHROMIUM_PATH`` or ``/usr/bin/chromium``), never one downloaded by Playwright;
without it the test is skipped, except in CI (``CI`` set), where it fails.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))
sys.path.insert(0, str(REPO / "tools" / "site"))

import nbgrader_course as nc  # noqa: E402
from chromium import CHROMIUM_ARGS  # noqa: E402 (tools/site/chromium.py)
from chromium import find_chromium as chromium_path  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.jupyterlab, pytest.mark.slow]

CHAPTER = REPO / "notebooks" / "04_gates.ipynb"
SECONDS = 1000  # Playwright counts milliseconds


def unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so a missing browser fails the run)", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def student_notebook(tmp_path_factory) -> Path:
    """nbgrader's student version of chapter 4, alone in a folder."""
    root = tmp_path_factory.mktemp("jupyterlab")
    nc.make_course(root / "course", [CHAPTER])
    nc.generate_all(root / "course")
    work = root / "work"
    work.mkdir()
    released = root / "course" / "release" / nc.assignment_name(CHAPTER) / CHAPTER.name
    shutil.copy2(released, work / CHAPTER.name)
    return work / CHAPTER.name


@pytest.fixture(scope="module")
def jupyterlab(student_notebook, tmp_path_factory):
    """JupyterLab on 127.0.0.1 with a token; yields its base URL and the token."""
    home = tmp_path_factory.mktemp("jupyter-home")
    config = home / "config"
    (config / "labconfig").mkdir(parents=True)
    # No pop-up asking to fetch Jupyter's news (the machine may be offline): it would
    # cover the notebook.
    (config / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}})
    )
    env = dict(os.environ)
    env |= {
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "IPYTHONDIR": str(home / "ipython"),
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
    }
    port, token = free_port(), secrets.token_hex(16)
    log = open(home / "jupyterlab.log", "w")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={student_notebook.parent}",
            f"--LabApp.user_settings_dir={home / 'settings'}",
            f"--LabApp.workspaces_dir={home / 'workspaces'}",
            # CI containers run as root, which JupyterLab refuses without this flag.
            *(["--allow-root"] if os.geteuid() == 0 else []),
        ],
        cwd=student_notebook.parent,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, (home / "jupyterlab.log").read_text()[-4000:]
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline, "JupyterLab did not start within 90 s"
                time.sleep(0.5)
        yield base, token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def page(jupyterlab):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("The python package playwright is missing: pip install -r requirements.txt")
    executable = chromium_path()
    if executable is None:
        unavailable("Chromium not found: apt-get install chromium, or set CHROMIUM_PATH")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        yield context.new_page()
        context.close()
        browser.close()


SCREENSHOT = REPO / "_build" / "jupyterlab-failure.png"


def test_a_student_runs_chapter_4_in_jupyterlab(jupyterlab, page, student_notebook):
    try:
        student_session(jupyterlab, page, student_notebook)
    except BaseException:
        SCREENSHOT.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOT))
        print(f"screenshot of the failure: {SCREENSHOT}")
        raise


def student_session(jupyterlab, page, student_notebook):
    base, token = jupyterlab
    page.goto(f"{base}/lab/tree/{student_notebook.name}?token={token}")
    notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")
    notebook.wait_for(timeout=120 * SECONDS)
    # The kernel is ready when the status bar says so (the toolbar's indicator reads "idle"
    # already before the kernel has connected).
    page.locator(".jp-StatusBar-TextItem", has_text="| Idle").wait_for(timeout=120 * SECONDS)

    # Run -> Run All Cells, with the menu a student uses.
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()

    # Run All stops at the first failing check: its message, not a traceback.
    failure = notebook.locator(".jp-OutputArea-output", has_text="✗ Check failed: forget_gate")
    failure.wait_for(timeout=180 * SECONDS)
    shown = failure.inner_text()
    assert "not implemented yet" in shown
    assert "Traceback" not in shown and "_core.py" not in shown
    assert len(shown.strip().splitlines()) <= 8

    # The gate explorer: change the forget gate's slider, and its figure is drawn again.
    explorer = notebook.locator(".widget-vbox", has=page.locator(".widget-slider")).first
    explorer.scroll_into_view_if_needed()
    figure = explorer.locator(".widget-output img").first
    figure.wait_for(timeout=60 * SECONDS)
    before = figure.get_attribute("src")
    readout = explorer.locator(".widget-slider").first.locator(".widget-readout")
    readout.click()
    page.keyboard.press("Control+a")
    page.keyboard.type("-3")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "([el, old]) => { const img = el.querySelector('.widget-output img');"
        " return img && img.getAttribute('src') !== old; }",
        arg=[explorer.element_handle(), before],
        timeout=60 * SECONDS,
    )
    shown_value = readout.inner_text().strip().replace("\u2212", "-")  # a typographic minus
    assert float(shown_value) == -3.0, shown_value

    # Save, as a student does, and the outputs are in the file.
    notebook.click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+s")
    deadline = time.monotonic() + 30
    while "✗ Check failed: forget_gate" not in student_notebook.read_text():
        assert time.monotonic() < deadline, "the notebook was not saved with its outputs"
        time.sleep(0.5)
