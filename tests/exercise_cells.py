"""Exercise cells read straight from the chapter notebooks, as the master version and as
the student version nbgrader hands out (solution replaced by the stub of instructor/nbgrader_config.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
STUB_MESSAGE = "replace this line with your answer"  # as in instructor/nbgrader_config.py
MARKERS = re.compile(r"^(\s*)### BEGIN SOLUTION\n.*?### END SOLUTION\n?", re.S | re.M)


def solution_source(notebook: str, grade_id: str) -> str:
    """The source of the cell with ``grade_id`` in ``notebooks/<notebook>``."""
    for cell in json.loads((NOTEBOOKS / notebook).read_text())["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == grade_id:
            return "".join(cell["source"])
    raise LookupError(f"{notebook}: no cell with grade_id {grade_id!r}")


def student_source(source: str) -> str:
    """What nbgrader's ClearSolutions makes of ``source``."""
    return MARKERS.sub(
        lambda m: f"{m.group(1)}raise NotImplementedError({STUB_MESSAGE!r})\n", source
    )


def run_cell(source: str, **namespace) -> dict:
    """Execute ``source`` in a fresh namespace seeded with ``namespace``; return the namespace."""
    exec(source, namespace)
    return namespace
