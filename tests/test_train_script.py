"""scripts/train_char_models.py still runs (at a reduced size) and its outputs load."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

from lstm_lib.lab.text import CharVocab, load_corpus, split_ids
from lstm_lib.lab.train import evaluate_language_model, load_model

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "train_char_models.py"
# chapter 10's sweep: model name -> (torch kind, initial bias of the gate that keeps the state)
SWEEP_MODELS = {
    "rnn": ("rnn", None),
    "gru": ("gru", None),
    "gru_b3": ("gru", 3.0),
    "lstm": ("lstm", None),
    "lstm_b3": ("lstm", 3.0),
}


def test_script_runs_at_a_reduced_size(tmp_path):
    cmd = [
        sys.executable,
        str(SCRIPT),
        "--steps",
        "6",
        "--hidden",
        "8",
        "--eval-every",
        "3",
        "--sample-length",
        "10",
        "--seq-len",
        "20",
        "--batch-size",
        "4",
        "--out",
        str(tmp_path),
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=REPO)
    assert result.returncode == 0, result.stderr
    record = json.loads((tmp_path / "char_models.json").read_text())
    assert set(record["models"]) == {"lstm", "gru"}
    text = load_corpus()
    vocab = CharVocab.from_text(text)
    _, val_ids = split_ids(vocab.encode(text), 0.1)
    for kind, info in record["models"].items():
        model, meta = load_model(tmp_path / f"char_{kind}.npz")
        assert meta["kind"] == kind and meta["vocab"] == "".join(vocab.chars)
        assert info["history"]["steps"] == [0, 3, 6]
        assert set(info["samples"]) == {"0", "3", "6"} and all(
            len(s) == 10 for s in info["samples"].values()
        )
        # the recorded loss is the loss of the saved (float16-rounded) weights
        assert (
            abs(evaluate_language_model(model, val_ids, len(vocab)) - info["shipped_val_loss"])
            < 1e-6
        )
    lstm_params = record["models"]["lstm"]["parameters"]
    gru_params = record["models"]["gru"]["parameters"]
    assert abs(gru_params - lstm_params) / lstm_params < 0.05  # matched sizes (coarse at H = 8)


def test_shipped_files_match_the_record():
    record = json.loads((REPO / "lstm_lib" / "lab" / "data" / "char_models.json").read_text())
    assert record["settings"]["hidden"] == 128
    text = load_corpus()
    vocab = CharVocab.from_text(text)
    _, val_ids = split_ids(vocab.encode(text), 0.1)
    for kind in ("lstm", "gru"):
        path = REPO / "lstm_lib" / "lab" / "data" / f"char_{kind}.npz"
        assert path.stat().st_size < 300_000  # small enough to ship
        model, meta = load_model(f"char_{kind}.npz")
        info = record["models"][kind]
        assert meta["best_step"] == info["best_step"]
        assert np.isclose(
            evaluate_language_model(model, val_ids, len(vocab)), info["shipped_val_loss"], atol=1e-4
        )


def test_seed_sweep_script_runs_at_a_reduced_size(tmp_path):
    out = tmp_path / "seeds.json"
    cmd = [
        sys.executable,
        str(REPO / "scripts" / "ch10_seed_sweep.py"),
        "--seeds",
        "2",
        "--lags",
        "2",
        "--max-steps",
        "20",
        "--out",
        str(out),
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=REPO)
    assert result.returncode == 0, result.stderr
    record = json.loads(out.read_text())
    assert record["settings"] == {"seeds": 2, "lags": [2], "max_steps": 20}
    assert record["models"] == list(SWEEP_MODELS)
    assert {(r["model"], r["seed"]) for r in record["runs"]} == {
        (m, s) for m in SWEEP_MODELS for s in (0, 1)
    }
    for run in record["runs"]:
        assert (run["kind"], run["gate_bias"]) == SWEEP_MODELS[run["model"]]
    assert all(0.0 <= r["accuracy"] <= 1.0 and r["steps"] <= 20 for r in record["runs"])


def test_shipped_seed_sweep_covers_the_chapter():
    record = json.loads((REPO / "lstm_lib" / "lab" / "data" / "ch10_seeds.json").read_text())
    assert record["settings"] == {"seeds": 10, "lags": [5, 10, 20, 40], "max_steps": 400}
    assert record["models"] == list(SWEEP_MODELS)
    runs = {(r["model"], r["lag"], r["seed"]) for r in record["runs"]}
    assert runs == {
        (m, lag, s) for m in SWEEP_MODELS for lag in (5, 10, 20, 40) for s in range(10)
    }  # every model, lag and seed exactly once
    assert len(record["runs"]) == len(runs)
    for run in record["runs"]:
        assert (run["kind"], run["gate_bias"]) == SWEEP_MODELS[run["model"]]
        assert 0.0 <= run["accuracy"] <= 1.0 and 0 < run["steps"] <= 400


def _chapter10_cells():
    notebook = json.loads((REPO / "notebooks" / "10_long_range_memory.ipynb").read_text())
    markdown = "\n".join(
        "".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown"
    )
    code = "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")
    return markdown, code


def test_chapter_10_quotes_the_shipped_sweep_through_glue():
    markdown, code = _chapter10_cells()
    # the chapter reads the shipped file and glues every count it can quote
    assert "ch10_seeds.json" in code
    assert 'glue(f"ch10_solved_{model}_{lag}"' in code
    # the prose quotes the lag-40 count of every model, and the seed count, through glue
    for model in SWEEP_MODELS:
        assert f"{{glue:text}}`ch10_solved_{model}_40:d`" in markdown, model
    assert "{glue:text}`ch10_n_seeds:d`" in markdown
    # the partial LSTM run comes from the file too, not typed
    assert "{glue:text}`ch10_lstm_b3_partial:.0%`" in markdown
    # and no count over seeds is typed by hand
    assert not re.search(r"\b\d+ (?:of|out of) \d+ seeds\b", markdown)
