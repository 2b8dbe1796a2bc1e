"""Which chapters go to the browser, and what their browser copies hold (issue 15).

Fast checks of tools/site/lite_chapters.py on small hand-made notebooks and on the
real chapters; the browser build itself is tested by `make test-lite` (tests/lite/).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools" / "site"))
from lite_chapters import (  # noqa: E402
    NEEDS_TORCH,
    RAISES,
    browser_status,
    lite_copy,
    offered_chapters,
)


def code(source: str, *tags: str, cell_id: str = "c") -> dict:
    return {
        "cell_type": "code",
        "id": cell_id,
        "metadata": {"tags": list(tags)},
        "source": source,
        "outputs": [{"output_type": "stream", "name": "stdout", "text": "old"}],
        "execution_count": 3,
    }


def notebook(*cells: dict) -> dict:
    return {"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def test_torch_anywhere_untagged_keeps_a_chapter_out():
    assert browser_status(notebook(code("import numpy as np")))[0]
    for source in (
        "import torch",
        "x = torch.zeros(3)",
        "from lstm_lib.lab.train import train_classifier",
        "from lstm_lib.lab import tasks, train",
    ):
        offered, why = browser_status(notebook(code("import numpy as np"), code(source)))
        assert not offered and "needs PyTorch" in why, source


def test_torch_in_comments_strings_or_tagged_cells_does_not_count():
    nb = notebook(
        code("x = 1  # torch would say the same"),
        code('print("compare with torch.nn")'),
        code("import torch\nassert torch.ones(1)", NEEDS_TORCH),
    )
    assert browser_status(nb) == (True, "")


def test_lite_copy_replaces_torch_cells_and_clears_outputs():
    nb = notebook(code("a = 1", cell_id="a"), code("import torch", NEEDS_TORCH, cell_id="t"))
    lite = lite_copy(nb)
    kept, note = lite["cells"]
    assert kept["outputs"] == [] and kept["execution_count"] is None and kept["source"] == "a = 1"
    assert note["cell_type"] == "markdown" and "torch.nn" in note["source"]
    assert nb["cells"][1]["cell_type"] == "code"  # the original is untouched
    assert lite["metadata"]["kernelspec"]["name"] == "python"


def test_cells_that_raise_on_purpose_print_their_error_instead(capsys):
    lite = lite_copy(notebook(code("x = [1]\nx[5]", RAISES)))
    source = lite["cells"][0]["source"]
    assert RAISES in lite["cells"][0]["metadata"]["tags"]
    exec(compile(source, "<cell>", "exec"), {})  # does not raise ...
    assert "IndexError: list index out of range" in capsys.readouterr().err  # ... but shows it


def test_the_numpy_chapters_are_offered_and_the_training_chapters_not():
    status = offered_chapters(ROOT / "notebooks")
    offered = {name for name, (ok, _) in status.items() if ok}
    assert {"02_activations.ipynb", "04_gates.ipynb"} <= offered
    assert "11_char_language_model.ipynb" not in offered  # trains with torch throughout
