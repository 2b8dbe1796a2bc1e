"""Every exercise of every chapter is well-formed nbgrader source (no execution needed).

Rules (see ``/work/shared/NOTEBOOKS.md``): grade_ids unique across the course and prefixed
``chNN-``; every solution cell is a code cell tagged ``hide-input`` with balanced solution
markers, immediately followed by a locked, graded check cell with points, whose grade_id is the
solution's plus ``-check``; nbgrader metadata schema_version 3; at least two exercises per
chapter. Chapters are discovered with ``notebooks/*.ipynb``; the rules themselves are tested on
the sample notebook in ``tests/data`` and on broken copies of it.
"""

from __future__ import annotations

import copy
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))

import nbgrader_course as nc  # noqa: E402

SAMPLE = REPO / "tests" / "data" / "00_sample_chapter.ipynb"
CHAPTERS = nc.chapter_notebooks()
MIN_EXERCISES = 2


def problems(nb: dict, prefix: str) -> list[str]:
    """Everything wrong with the exercises of one notebook (empty list: well-formed)."""
    found: list[str] = []
    cells = nb["cells"]
    seen: Counter[str] = Counter()
    for k, cell in enumerate(cells):
        text = nc.source_text(cell)
        meta = nc.nbgrader_meta(cell)
        has_markers = nc.BEGIN_SOLUTION in text or nc.END_SOLUTION in text
        where = f"cell {k}"
        if has_markers and not meta.get("solution"):
            found.append(f"{where}: solution markers in a cell without nbgrader solution=true")
        if not meta:
            continue
        gid = meta.get("grade_id", "")
        where = f"cell {k} ({gid or 'no grade_id'})"
        seen[gid] += 1
        if meta.get("schema_version") != 3:
            found.append(f"{where}: schema_version is {meta.get('schema_version')!r}, expected 3")
        if not gid:
            found.append(f"{where}: no grade_id")
        elif prefix and not gid.startswith(prefix + "-"):
            found.append(f"{where}: grade_id should start with '{prefix}-'")
        for key in ("solution", "grade", "locked", "task"):
            if not isinstance(meta.get(key), bool):
                found.append(f"{where}: nbgrader.{key} missing or not a boolean")
        if meta.get("solution") and not meta.get("grade"):
            if cell["cell_type"] != "code":
                found.append(f"{where}: solution cell is not a code cell")
            if "hide-input" not in cell.get("metadata", {}).get("tags", []):
                found.append(
                    f"{where}: solution cell not tagged hide-input (the book would show it)"
                )
            if meta.get("locked"):
                found.append(f"{where}: solution cell is locked")
            begins, ends = text.count(nc.BEGIN_SOLUTION), text.count(nc.END_SOLUTION)
            if begins == 0 or begins != ends:
                found.append(f"{where}: {begins} BEGIN vs {ends} END SOLUTION markers")
            nxt = cells[k + 1] if k + 1 < len(cells) else None
            nmeta = nc.nbgrader_meta(nxt) if nxt else {}
            if not (nmeta.get("grade") and not nmeta.get("solution")):
                found.append(f"{where}: not immediately followed by a graded check cell")
            elif nmeta.get("grade_id") != gid + "-check":
                found.append(f"{where}: its check cell's grade_id should be '{gid}-check'")
        if meta.get("grade"):
            if cell["cell_type"] != "code":
                found.append(f"{where}: graded cell is not a code cell")
            if not meta.get("locked"):
                found.append(f"{where}: graded check cell is not locked")
            if meta.get("solution"):
                found.append(f"{where}: check cell is also a solution cell")
            points = meta.get("points")
            if not isinstance(points, (int, float)) or isinstance(points, bool) or points <= 0:
                found.append(f"{where}: points missing or not positive ({points!r})")
            if not text.strip():
                found.append(f"{where}: empty check cell")
    found += [f"grade_id {gid!r} used {n} times" for gid, n in seen.items() if gid and n > 1]
    return found


def load_sample() -> dict:
    return nc.load(SAMPLE)


# --- the rules, on the sample and on broken copies of it -----------------------------------


def test_sample_is_well_formed():
    assert problems(load_sample(), "sample") == []
    assert [e.points for e in nc.exercises(load_sample())] == [2.0, 1.0]


def _cell(nb: dict, grade_id: str) -> dict:
    return next(c for c in nb["cells"] if nc.nbgrader_meta(c).get("grade_id") == grade_id)


BREAKAGES = {
    "hide-input": lambda nb: _cell(nb, "sample-forget-gate")["metadata"].update(tags=[]),
    "not locked": lambda nb: nc.nbgrader_meta(_cell(nb, "sample-forget-gate-check")).update(
        locked=False
    ),
    "points missing": lambda nb: nc.nbgrader_meta(_cell(nb, "sample-max-slope-check")).pop(
        "points"
    ),
    "schema_version": lambda nb: nc.nbgrader_meta(_cell(nb, "sample-max-slope")).update(
        schema_version=2
    ),
    "used 2 times": lambda nb: nc.nbgrader_meta(_cell(nb, "sample-max-slope")).update(
        grade_id="sample-forget-gate"
    ),
    "not immediately followed": lambda nb: nb["cells"].insert(
        nb["cells"].index(_cell(nb, "sample-forget-gate")) + 1,
        {"cell_type": "markdown", "metadata": {}, "source": "A note."},
    ),
    "should start with": lambda nb: nc.nbgrader_meta(_cell(nb, "sample-max-slope")).update(
        grade_id="max-slope"
    ),
    "without nbgrader solution": lambda nb: nb["cells"].append(
        {
            "cell_type": "code",
            "metadata": {},
            "source": "### BEGIN SOLUTION\nx = 1\n### END SOLUTION",
            "outputs": [],
            "execution_count": None,
        }
    ),
}


@pytest.mark.parametrize("expected", list(BREAKAGES))
def test_a_broken_exercise_is_reported(expected):
    nb = copy.deepcopy(load_sample())
    BREAKAGES[expected](nb)
    found = problems(nb, "sample")
    assert any(expected in p for p in found), found


def test_leak_detection_finds_a_solution_line_and_ignores_public_ones():
    source = load_sample()
    student = copy.deepcopy(source)
    # The unmodified source leaks everything; a stubbed copy leaks nothing.
    assert "z = W @ x + U @ h + b  # (H,)" in nc.leaked_lines(source, student)
    for cell in student["cells"]:
        if nc.nbgrader_meta(cell).get("solution"):
            cell["source"] = "# YOUR CODE HERE\nraise NotImplementedError()"
        if nc.nbgrader_meta(cell).get("grade"):
            cell["source"] = "\n".join(
                nc.outside(nc.source_text(cell), ((nc.BEGIN_HIDDEN, nc.END_HIDDEN),))
            )
    assert nc.leaked_lines(source, student) == []
    student["cells"][-1]["source"] = "max_slope = 0.25"  # a solution line pasted elsewhere
    assert nc.leaked_lines(source, student) == ["max_slope = 0.25"]


def test_learning_goals_are_read_from_the_first_cell():
    assert nc.learning_goals(load_sample()) == [
        "compute a forget gate by hand;",
        "recall the largest slope of the sigmoid.",
    ]


# --- the course -----------------------------------------------------------------------------


def test_the_course_has_chapters():
    assert CHAPTERS, "no chapter notebook found in notebooks/*.ipynb"


# With no chapter at all, one failing case rather than a silently skipped empty set.
CHAPTER_PARAMS = [pytest.param(nb, id=nb.stem) for nb in CHAPTERS] or [
    pytest.param(None, id="no-chapter")
]


@pytest.mark.parametrize("nb_path", CHAPTER_PARAMS)
def test_chapter_exercises_are_well_formed(nb_path):
    assert nb_path is not None, "no chapter notebook found in notebooks/*.ipynb"
    nb = nc.load(nb_path)
    found = problems(nb, nc.chapter_prefix(nb_path))
    assert not found, f"{nb_path.name}:\n  " + "\n  ".join(found)
    n = len(nc.exercises(nb))
    assert n >= MIN_EXERCISES, f"{nb_path.name}: {n} exercise(s), at least {MIN_EXERCISES} expected"
    kernel = nb.get("metadata", {}).get("kernelspec", {}).get("name")
    assert kernel == "python3", f"{nb_path.name}: kernelspec {kernel!r}, expected 'python3'"


def test_grade_ids_are_unique_across_the_course():
    owners: dict[str, list[str]] = {}
    for nb_path in [SAMPLE, *CHAPTERS]:
        for cell in nc.load(nb_path)["cells"]:
            gid = nc.nbgrader_meta(cell).get("grade_id")
            if gid:
                owners.setdefault(gid, []).append(nb_path.name)
    duplicates = {gid: names for gid, names in owners.items() if len(names) > 1}
    assert not duplicates, f"grade_ids used more than once: {duplicates}"


@pytest.mark.parametrize("nb_path", CHAPTER_PARAMS)
def test_each_check_confirms_the_points_nbgrader_awards(nb_path):
    """The ``exercise_check(points=...)`` of the check a check cell calls equals the cell's points."""
    import importlib

    assert nb_path is not None, "no chapter notebook found in notebooks/*.ipynb"
    module = importlib.import_module(f"lstm_lib.checks.{nc.chapter_prefix(nb_path)}")
    mismatches = []
    for cell in nc.load(nb_path)["cells"]:
        meta = nc.nbgrader_meta(cell)
        if not meta.get("grade"):
            continue
        called = set(re.findall(r"\b(check_\w+)\(", nc.source_text(cell)))
        assert len(called) == 1, f"{meta['grade_id']}: calls {sorted(called) or 'no check'}"
        check = getattr(module, called.pop())
        declared = getattr(check, "points", None)
        if declared != meta.get("points"):
            mismatches.append(f"{meta['grade_id']}: cell {meta.get('points')}, check {declared}")
    assert not mismatches, f"{nb_path.name}: " + "; ".join(mismatches)
