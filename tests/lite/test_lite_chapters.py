"""Run whole chapters in the browser version, offline (issue 15; `make test-lite`).

For each chapter: the notebook opens from the link the page gives, the Pyodide
kernel starts, Run All runs every cell, no cell raises an error it is not tagged
to raise (and those tagged do raise), the explorer widget renders and redraws its
figure when a slider moves, and no request went to another origin.
"""

from __future__ import annotations

import pytest
from lite_runner import (
    ChapterRun,
    drag_first_slider,
    open_chapter,
    run_all,
    run_first_cell,
    show_first_widget,
    widget_images,
)

pytestmark = pytest.mark.lite
# Chapters with a live explorer widget (checked to render and redraw).
WIDGET_CHAPTERS = {"02_activations.ipynb", "04_gates.ipynb"}
TIMINGS: dict[str, str] = {}  # printed at the end of the run (conftest)


def pytest_generate_tests(metafunc):
    if "chapter" in metafunc.fixturenames:
        import json

        from conftest import html_dir

        path = html_dir() / "lite" / "lite-manifest.json"
        chapters = (
            json.loads(path.read_text())["chapters"] if path.is_file() else ["(no lite build)"]
        )
        metafunc.parametrize("chapter", chapters)


def test_chapter_runs_offline(chapter, browser, origin, lite_dir, manifest):
    assert chapter in manifest["chapters"], f"no browser build of {chapter}"
    run = ChapterRun(chapter)
    context, page, start = open_chapter(browser, origin, chapter, run)
    try:
        run_first_cell(page, run, start)
        run_all(page, run)
        code = run.code_cells
        assert code, f"{chapter}: the notebook has no code cells"
        assert all(c["count"] is not None for c in code), f"{chapter}: a code cell did not run"
        assert run.unexpected_errors == [], f"{chapter}: unexpected errors: {run.unexpected_errors}"
        for cell in code:
            if "raises-exception" in cell["tags"]:
                # The browser copy catches the error and prints its traceback (lite_chapters).
                printed = "".join(o["text"] for o in cell["outputs"] if o["name"] == "stderr")
                assert "Traceback" in printed and "Error" in printed, (
                    f"{chapter}: cell {cell['id']} should show its error, got {cell['outputs']}"
                )
        # Run All went on past the cells that raise on purpose: the last cell ran after them.
        counts = [c["count"] for c in code]
        assert counts == sorted(counts) and len(set(counts)) == len(counts), counts

        if chapter in WIDGET_CHAPTERS:
            show_first_widget(page)
            before = widget_images(page)
            assert before, f"{chapter}: the explorer shows no figure"
            drag_first_slider(page)
            page.wait_for_function(
                """(before) => {
                  const now = Array.from(document.querySelectorAll(
                    '.jupyter-widgets img, .widget-output img')).map(img => img.src);
                  return now.length > 0 && now.join('|') !== before.join('|');
                }""",
                arg=before,
                timeout=60_000,
            )
    finally:
        context.close()
    assert run.foreign == [], f"{chapter}: requests to other origins: {run.foreign[:5]}"
    assert all(url.startswith(origin) or url.startswith(("data:", "blob:")) for url in run.requests)
    TIMINGS[chapter] = (
        f"{chapter}: kernel ready {run.seconds_to_kernel:.1f} s, first result "
        f"{run.seconds_to_first_result:.1f} s, Run All {run.seconds_run_all:.1f} s, "
        f"{len(run.requests)} requests, all local"
    )
