"""nbgrader end to end, with nbgrader's real command line, over every chapter notebook.

In a temporary course directory: ``generate_assignment`` for every chapter; then the master
notebooks are autograded as one student's submission (full marks on every graded cell) and
the unmodified student versions as another's (zero on every graded cell, each cell failing
with its own AssertionError message, never a crash of the autograder). No line between
solution markers and no hidden test may reach a student file.

Chapters are discovered with ``notebooks/*.ipynb``, so chapters added later are covered
automatically; the sample notebook in ``tests/data`` is graded alongside them so the harness
itself is exercised even on a course with few chapters.

The two autograde runs execute every notebook once each; they run in two separate course
directories (each with its own gradebook, so nothing is shared between the processes) at the
same time, one per core.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import shutil
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))

import nbgrader_course as nc  # noqa: E402

SAMPLE = REPO / "tests" / "data" / "00_sample_chapter.ipynb"
CHAPTERS = nc.chapter_notebooks()
NOTEBOOKS = [SAMPLE, *CHAPTERS]
IDS = [nb.stem for nb in NOTEBOOKS]

pytestmark = pytest.mark.slow


def assertion_names() -> set[str]:
    """``AssertionError`` and every subclass of it defined in ``lstm_lib.checks``."""
    import lstm_lib.checks as checks

    names = {"AssertionError"}
    modules = [checks]
    for info in pkgutil.iter_modules(checks.__path__):
        try:
            modules.append(importlib.import_module(f"{checks.__name__}.{info.name}"))
        except Exception:  # a chapter's broken check module fails that chapter's own tests
            continue
    for module in modules:
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, AssertionError):
                names.add(obj.__name__)
    return names


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Generate every assignment, then autograde masters and student versions in parallel."""
    root = tmp_path_factory.mktemp("nbgrader")
    master_course, student_course = root / "master", root / "student"
    start = time.perf_counter()
    nc.make_course(master_course, NOTEBOOKS)
    nc.generate_all(master_course)
    # The second course starts as a copy (gradebook included) so each autograde run owns
    # its own sqlite database.
    shutil.copytree(master_course, student_course)
    nc.write_config(student_course)
    nc.submit(master_course, "master", "source")
    nc.submit(student_course, "student", "release")
    generated = time.perf_counter() - start

    procs = {
        "master": nc.start_autograde(master_course, "master", root / "master.log"),
        "student": nc.start_autograde(student_course, "student", root / "student.log"),
    }
    for proc in procs.values():
        proc.wait()
    logs = {who: (root / f"{who}.log").read_text() for who in procs}
    for who, proc in procs.items():
        assert proc.returncode == 0, f"nbgrader autograde ({who}) crashed:\n{logs[who][-6000:]}"
    print(
        f"\nnbgrader e2e: {len(NOTEBOOKS)} notebooks, generate {generated:.1f} s, "
        f"autograde (2 runs in parallel) {time.perf_counter() - start - generated:.1f} s"
    )
    for nb in NOTEBOOKS:  # what a student sees first (shown with pytest -s)
        done = student_course / "autograded" / "student" / nc.assignment_name(nb) / nb.name
        for cell in nc.load(done)["cells"] if done.exists() else []:
            if nc.nbgrader_meta(cell).get("grade"):
                err = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
                msg = f"{err[0]['ename']}: {err[0]['evalue']}" if err else "(no error)"
                print(f"  {nc.nbgrader_meta(cell)['grade_id']}: {msg[:160]}")
    return {
        "master": (master_course, nc.grades(master_course, "master")),
        "student": (student_course, nc.grades(student_course, "student")),
        "logs": logs,
    }


def graded_cells(nb_path: Path) -> dict[str, float]:
    nb = nc.load(nb_path)
    return {
        nc.nbgrader_meta(c)["grade_id"]: float(nc.nbgrader_meta(c).get("points", 0))
        for c in nb["cells"]
        if nc.nbgrader_meta(c).get("grade")
    }


def test_the_course_has_chapters():
    assert CHAPTERS, "no chapter notebook found in notebooks/*.ipynb"


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=IDS)
def test_student_version_hides_solutions_and_hidden_tests(graded, nb_path):
    course, _ = graded["student"]
    name = nc.assignment_name(nb_path)
    student_file = course / "release" / name / nb_path.name
    assert student_file.exists(), f"nbgrader produced no student version of {nb_path.name}"
    leaks = nc.leaked_lines(nc.load(nb_path), nc.load(student_file))
    assert not leaks, (
        f"{nb_path.name}: lines from solutions/hidden tests in the student file: {leaks}"
    )
    # Belt and braces: every solution cell of the source has become a stub.
    student = {
        nc.nbgrader_meta(c).get("grade_id"): nc.source_text(c)
        for c in nc.load(student_file)["cells"]
    }
    for cell in nc.load(nb_path)["cells"]:
        meta = nc.nbgrader_meta(cell)
        if meta.get("solution") and cell["cell_type"] == "code":
            assert "raise NotImplementedError()" in student[meta["grade_id"]], meta["grade_id"]


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=IDS)
def test_master_notebook_gets_full_marks(graded, nb_path):
    _, grades = graded["master"]
    name = nc.assignment_name(nb_path)
    mine = {g.grade_id: g for g in grades if g.assignment == name}
    expected = graded_cells(nb_path)
    assert set(mine) == set(expected), (
        f"{name}: graded cells in the gradebook differ from the notebook"
    )
    lost = {gid: (g.score, g.max_score) for gid, g in mine.items() if g.score != g.max_score}
    assert not lost, (
        f"{name}: the master solution loses points in {lost}; see "
        f"{graded['master'][0] / 'autograded' / 'master' / name}"
    )
    assert all(g.auto_score is not None and not g.needs_manual_grade for g in mine.values())
    assert sum(g.max_score for g in mine.values()) == pytest.approx(sum(expected.values()))


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=IDS)
def test_student_version_scores_zero_with_a_message_per_check(graded, nb_path):
    course, grades = graded["student"]
    name = nc.assignment_name(nb_path)
    mine = {g.grade_id: g for g in grades if g.assignment == name}
    assert set(mine) == set(graded_cells(nb_path))
    scored = {gid: g.score for gid, g in mine.items() if g.score != 0}
    assert not scored, f"{name}: the unmodified student version scores points: {scored}"

    allowed = assertion_names()
    autograded = nc.load(course / "autograded" / "student" / name / nb_path.name)
    problems = []
    for cell in autograded["cells"]:
        meta = nc.nbgrader_meta(cell)
        if not meta.get("grade") or cell["cell_type"] != "code":
            continue
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if not errors:
            problems.append(f"{meta['grade_id']}: no error at all")
            continue
        ename, evalue = errors[0]["ename"], errors[0]["evalue"]
        if ename not in allowed:
            hint = (
                " -- for a value exercise, fetch the value with "
                "lstm_lib.checks.expect_defined(name), which says 'not implemented yet'"
                if ename == "NameError"
                else ""
            )
            problems.append(
                f"{meta['grade_id']}: {ename}: {evalue} (expected an AssertionError){hint}"
            )
        elif "not implemented" not in evalue.lower():
            problems.append(f"{meta['grade_id']}: message does not say 'not implemented': {evalue}")
    assert not problems, f"{name}: " + "; ".join(problems)


def test_make_student_packs_the_student_notebooks(tmp_path):
    """``tools/student.py`` (``make student``) on the sample: zip content and exercise list."""
    import zipfile

    import student

    data = tmp_path / "notebooks"
    data.mkdir()
    shutil.copy2(SAMPLE, data / SAMPLE.name)
    assert (
        student.main(
            [
                "--notebooks",
                str(data),
                "--release",
                str(tmp_path / "rel"),
                "--book",
                str(tmp_path / "gen"),
            ]
        )
        == 0
    )
    zip_path = tmp_path / "rel" / f"{student.NAME}.zip"
    assert (tmp_path / "gen" / zip_path.name).read_bytes() == zip_path.read_bytes()
    with zipfile.ZipFile(zip_path) as zf:
        names = set(zf.namelist())
        top = student.NAME
        for needed in (
            "README.md",
            "pyproject.toml",
            "requirements.txt",
            "lstm_lib/__init__.py",
            "lstm_lib/checks/_core.py",
            f"notebooks/{SAMPLE.name}",
        ):
            assert f"{top}/{needed}" in names, needed
        assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
        released = json.loads(zf.read(f"{top}/notebooks/{SAMPLE.name}"))
    assert nc.leaked_lines(nc.load(SAMPLE), released) == []
    listing = (tmp_path / "gen" / "exercises.md").read_text()
    assert "`sample-forget-gate-check` | 2 |" in listing
    assert "1 chapter, 2 exercises and 3 points" in listing
