"""Chapter 7's truncation result over seeds: the script runs, the data fit, the prose quotes it.

The chapter trains seed 0 live and reads seeds 0 … 9 from
``lstm_lib/lab/data/ch07_truncation_seeds.json`` (made by ``scripts/ch07_truncation_seeds.py``);
every count it states reaches the prose through ``glue``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "lstm_lib" / "lab" / "data" / "ch07_truncation_seeds.json"
NOTEBOOK = REPO / "notebooks" / "07_bptt.ipynb"
SCRIPT = REPO / "scripts" / "ch07_truncation_seeds.py"


def _cells(kind):
    nb = json.loads(NOTEBOOK.read_text())
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == kind]


def test_shipped_runs_cover_at_least_five_seeds_with_the_chapters_settings():
    record = json.loads(DATA.read_text())
    assert record["settings"] == {"T": 12, "window": 4, "seeds": 10, "steps": 200}
    for truncation in (None, 4):
        seeds = [r["seed"] for r in record["runs"] if r["truncation"] == truncation]
        assert seeds == list(range(record["settings"]["seeds"]))
        assert len(seeds) >= 5
    assert all(0.0 <= r["accuracy"] <= 1.0 for r in record["runs"])


def test_the_prose_quotes_the_counts_through_glue():
    code = "\n".join(_cells("code"))
    prose = "\n".join(_cells("markdown"))
    assert "ch07_truncation_seeds.json" in code
    for name in (
        "ch07_seeds",
        "ch07_full_learned",
        "ch07_truncated_at_chance",
        "ch07_full_worst",
        "ch07_truncated_best",
    ):
        assert f'glue("{name}"' in code, name
        assert f"{{glue:text}}`{name}" in prose, name


@pytest.mark.slow
def test_the_script_runs_and_writes_the_same_structure(tmp_path):
    out = tmp_path / "seeds.json"
    subprocess.run(
        [sys.executable, str(SCRIPT), "--seeds", "1", "--steps", "3", "--out", str(out)],
        check=True,
        capture_output=True,
        cwd=REPO,
        timeout=300,
    )
    record = json.loads(out.read_text())
    assert record["settings"] == {"T": 12, "window": 4, "seeds": 1, "steps": 3}
    assert [(r["truncation"], r["seed"]) for r in record["runs"]] == [(None, 0), (4, 0)]
