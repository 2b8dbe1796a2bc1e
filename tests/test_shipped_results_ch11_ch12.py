"""Chapters 11 and 12 quote results of shipped files through glue, never typed.

Chapter 11 reads `lstm_lib/lab/data/char_models.json` (written by
`scripts/train_char_models.py`); chapter 12 measures the shipped LSTM. A number those
files determine must reach the prose through `{glue:text}`, from a `glue(...)` call on
the value the code computed, so that re-running the script cannot leave stale text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lstm_lib.lab.train import History

REPO = Path(__file__).resolve().parents[1]
RECORD = json.loads((REPO / "lstm_lib" / "lab" / "data" / "char_models.json").read_text())


def _cells(name):
    cells = json.loads((REPO / "notebooks" / name).read_text())["cells"]
    markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return markdown, code


def _glued(markdown):
    return set(re.findall(r"\{glue:text\}`([\w-]+)", markdown))


def _defined(code):
    names = set(re.findall(r"glue\(\s*\"([\w-]+)\"", code))
    return names | {
        n.replace("{", "").replace("}", "") for n in re.findall(r'glue\(\s*f"([^"]+)"', code)
    }


def test_ch11_quotes_the_shipped_runs_through_glue():
    markdown, code = _cells("11_char_language_model.ipynb")
    needed = {
        "ch11_lstm_best_step",
        "ch11_gru_best_step",
        "ch11_best_gap",
        "ch11_end_gap",
        "ch11_script_minutes",
        "ch11_gru_minutes",
        "ch11_lstm_params",
    }
    assert needed <= _glued(markdown) and needed <= _defined(code)
    # and the shipped values themselves are not typed in the prose
    typed = re.sub(r"\{glue:text\}`[^`]*`", "", markdown)
    for kind in ("lstm", "gru"):
        history = History.from_dict(RECORD["models"][kind]["history"])
        losses = history.metrics["val_loss"]
        step = history.steps[losses.index(min(losses))]
        for literal in {str(step), f"{step:,}".replace(",", " ")}:
            assert not re.search(rf"(?<![\w.]){literal} steps|after {literal}\b", typed)


@pytest.mark.parametrize(
    "name",
    [
        "ch12_inside_quotes_h_ratio",
        "ch12_inside_parentheses_c_chance",
        "ch12_probe_h",
        "ch12_probe_c",
        "ch12_long_lines",
        "ch12_tanh_flat",
        "ch12_f_integrators",
    ],
)
def test_ch12_quotes_its_measurements_through_glue(name):
    markdown, code = _cells("12_looking_inside.ipynb")
    assert name in _glued(markdown)
    # a name built in a loop, f"{key}_ratio" with key = f"ch12_{feature}_{state}",
    # is defined by its suffix
    suffix = re.split(r"_[hc]_", name)[-1]
    assert name in _defined(code) or f'glue(f"{{key}}_{suffix}"' in code
