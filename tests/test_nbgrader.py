"""nbgrader end to end, with nbgrader's real command line, over every chapter notebook.

In a temporary course directory: ``generate_assignment`` for every chapter; then the master
notebooks are autograded as one student's submission (full marks on every graded cell) and
the unmodified student versions as another's (zero on every graded cell, each cell failing
with its own AssertionError message, never a crash of the autograder). No line between
solution markers and no hidden test may reach a student file.

Chapters are discovered with ``notebooks/*.ipynb``, so chapters added later are covered
automatically; the sample notebook in ``tests/data`` is graded alongside them so the harness
itself is exercised even on a course with few chapters.

A third submission is the student versions solved wrongly (each answer of the master pushed
off by ``_wrong``), in which one chapter is also tampered with: one exercise solved wrongly
with its check cell edited to pass, one solved rightly with its check cell deleted, one check
cell duplicated. The grading uses the ``nbgrader_config.py`` shipped to instructors.

What the student sees is asserted on the autograded notebooks: a failed check shows a short
message (no traceback through ``lstm_lib``), no output of a check cell shows a line of the
solution, and a passed check prints its confirmation with the points.

The three autograde runs execute every notebook once each; they run in separate course
directories (each with its own gradebook, so nothing is shared between the processes) at the
same time.
"""

from __future__ import annotations

import copy
import importlib
import json
import pkgutil
import re
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


# --- a wrong and a tampered submission ---------------------------------------------------

# Pushes every kind of answer the exercises return off the right one: numbers and arrays
# change sign and scale, integers grow, booleans flip (defined in the submitted notebook).
WRONG_HELPER = """
def _wrong(value):
    import numpy as _np
    if isinstance(value, bool):
        return not value
    if isinstance(value, dict):
        return {key: _wrong(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return tuple(_wrong(item) for item in value)
    if isinstance(value, (int, _np.integer)):
        return 2 * int(value) + 1
    if isinstance(value, float):
        return -1.1 * value - 1.0
    return -1.1 * _np.asarray(value) - 1.0
"""

TAMPERED = "04_gates"  # the chapter of the tampered submission (three exercises)


def wrong_solution(source: str) -> str:
    """The master solution ``source`` followed by code that makes its answer wrong."""
    function = re.search(r"^def (\w+)\(", source, re.M)
    if function:
        name = function.group(1)
        return (
            f"{source}\n{WRONG_HELPER}\n_right_{name} = {name}\n\n\n"
            f"def {name}(*args, **kwargs):\n    return _wrong(_right_{name}(*args, **kwargs))\n"
        )
    value = re.search(r"^(\w+) = ", source, re.M)
    assert value, f"no function or value to make wrong in:\n{source}"
    return f"{source}\n{WRONG_HELPER}\n{value.group(1)} = _wrong({value.group(1)})\n"


def solutions(master: dict) -> dict[str, str]:
    return {
        nc.nbgrader_meta(c)["grade_id"]: nc.source_text(c)
        for c in master["cells"]
        if nc.nbgrader_meta(c).get("solution")
    }


def wrong_submission(master: dict, release: dict) -> dict:
    """The student version with every exercise solved wrongly."""
    answers = solutions(master)
    for cell in release["cells"]:
        gid = nc.nbgrader_meta(cell).get("grade_id")
        if nc.nbgrader_meta(cell).get("solution") and cell["cell_type"] == "code":
            cell["source"] = wrong_solution(answers[gid])
    return release


def tampered_submission(master: dict, release: dict) -> tuple[dict, dict[str, str]]:
    """Exercise 1 wrong with its check edited to pass, 2 right with its check deleted, 3 right
    with its check cell duplicated. Returns the notebook and what happened to each check."""
    answers = solutions(master)
    exercises = nc.exercises(master)
    assert len(exercises) >= 3, f"{TAMPERED} needs three exercises for the tampering test"
    cheat, deleted, duplicated = exercises[:3]
    cells = []
    for cell in release["cells"]:
        gid = nc.nbgrader_meta(cell).get("grade_id")
        if gid == cheat.grade_id:
            cell["source"] = wrong_solution(answers[gid])
        elif gid in (deleted.grade_id, duplicated.grade_id):
            cell["source"] = answers[gid]
        elif gid == cheat.check_id:
            cell["source"] = "print('check passed')  # the student's edit"
        elif gid == deleted.check_id:
            continue
        elif gid == duplicated.check_id:
            cells.append(cell)
            cell = copy.deepcopy(cell)
            cell["id"] = cell["id"] + "-copy"
        cells.append(cell)
    release["cells"] = cells
    plan = {
        cheat.check_id: "edited",
        deleted.check_id: "deleted",
        duplicated.check_id: "duplicated",
    }
    return release, plan


def submit_wrong(course: Path, student: str) -> dict[str, str]:
    """Submit every chapter solved wrongly, TAMPERED tampered with; return the tampering plan."""
    plan: dict[str, str] = {}
    for nb in NOTEBOOKS:
        name = nc.assignment_name(nb)
        release = nc.load(course / "release" / name / nb.name)
        if name == TAMPERED:
            submission, plan = tampered_submission(nc.load(nb), release)
        else:
            submission = wrong_submission(nc.load(nb), release)
        target = course / "submitted" / student / name / nb.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(submission, indent=1), encoding="utf-8")
    return plan


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Generate every assignment, then autograde three submissions in parallel."""
    assert any(nc.assignment_name(nb) == TAMPERED for nb in NOTEBOOKS), TAMPERED
    root = tmp_path_factory.mktemp("nbgrader")
    master_course, student_course = root / "master", root / "student"
    wrong_course = root / "wrong"
    start = time.perf_counter()
    nc.make_course(master_course, NOTEBOOKS)
    nc.generate_all(master_course)
    # The other courses start as copies (gradebook included) so each autograde run owns
    # its own sqlite database.
    for course in (student_course, wrong_course):
        shutil.copytree(master_course, course)
        nc.write_config(course)
    nc.submit(master_course, "master", "source")
    nc.submit(student_course, "student", "release")
    plan = submit_wrong(wrong_course, "wrong")
    generated = time.perf_counter() - start

    procs = {
        "master": nc.start_autograde(master_course, "master", root / "master.log"),
        "student": nc.start_autograde(student_course, "student", root / "student.log"),
        "wrong": nc.start_autograde(wrong_course, "wrong", root / "wrong.log"),
    }
    for proc in procs.values():
        proc.wait()
    logs = {who: (root / f"{who}.log").read_text() for who in procs}
    for who, proc in procs.items():
        assert proc.returncode == 0, f"nbgrader autograde ({who}) crashed:\n{logs[who][-6000:]}"
    print(
        f"\nnbgrader e2e: {len(NOTEBOOKS)} notebooks, generate {generated:.1f} s, "
        f"autograde ({len(procs)} runs in parallel) {time.perf_counter() - start - generated:.1f} s"
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
        "wrong": (wrong_course, nc.grades(wrong_course, "wrong")),
        "plan": plan,
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
            stub = 'raise NotImplementedError("replace this line with your answer")'
            assert stub in student[meta["grade_id"]], meta["grade_id"]


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


# --- what a student sees: short failures, no solution, a visible pass -----------------------

MAX_FAILURE_LINES = 8  # what a failed check may show in Jupyter (it wraps at 78 columns)


def autograded(graded, who: str, nb_path: Path) -> dict:
    course, _ = graded[who]
    name = nc.assignment_name(nb_path)
    return nc.load(course / "autograded" / who / name / nb_path.name)


def output_text(output: dict) -> str:
    if output.get("output_type") == "error":
        return "\n".join(output.get("traceback", []))
    if output.get("output_type") == "stream":
        return (
            output.get("text", "")
            if isinstance(output.get("text"), str)
            else "".join(output["text"])
        )
    data = output.get("data", {}).get("text/plain", "")
    return data if isinstance(data, str) else "".join(data)


def secret_snippets(master: dict) -> set[str]:
    """Code of the solutions worth hiding: each line, and the expression it returns or assigns.

    Lines shorter than 12 characters (``return h, c``) and lines the notebook also shows
    outside the solutions are not secrets.
    """
    markers = ((nc.BEGIN_SOLUTION, nc.END_SOLUTION), (nc.BEGIN_HIDDEN, nc.END_HIDDEN))
    secret, public = set(), set()
    for cell in master["cells"]:
        text = nc.source_text(cell)
        for begin, end in markers:
            for line in nc.between(text, begin, end):
                code = " ".join(line.split("#")[0].split())
                secret.add(code)
                expression = re.split(r"^return |^[\w, \[\]]+ = ", code)[-1]
                secret.add(expression)
        public.update(" ".join(line.split()) for line in nc.outside(text, markers))
    return {s for s in secret if len(s) >= 12 and s not in public}


def check_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if nc.nbgrader_meta(c).get("grade") and c["cell_type"] == "code"]


def failure_problems(nb: dict, master: dict) -> tuple[list[str], int]:
    """Problems of the failed checks of ``nb``, and the longest failure output (lines)."""
    secrets = secret_snippets(master)
    problems, longest = [], 0
    for cell in check_cells(nb):
        gid = nc.nbgrader_meta(cell)["grade_id"]
        shown = "\n".join(output_text(o) for o in cell.get("outputs", []))
        flat = " ".join(shown.split())
        leaked = sorted(s for s in secrets if s in flat)
        if leaked:
            problems.append(f"{gid}: the output shows solution code {leaked}")
        for error in (o for o in cell.get("outputs", []) if o.get("output_type") == "error"):
            lines = "\n".join(error.get("traceback", [])).splitlines()
            longest = max(longest, len(lines))
            if len(lines) > MAX_FAILURE_LINES:
                problems.append(
                    f"{gid}: {len(lines)} lines of failure output:\n" + "\n".join(lines)
                )
            if any("lstm_lib" in line and ".py" in line for line in lines):
                problems.append(f"{gid}: the output shows a traceback through lstm_lib")
            if error["ename"] == "StudentCheckError" and error["evalue"].split()[0] not in flat:
                problems.append(f"{gid}: the message {error['evalue']!r} is not shown")
    return problems, longest


@pytest.mark.parametrize("who", ["student", "wrong"])
@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=IDS)
def test_a_failed_check_shows_a_short_message_and_no_solution(graded, nb_path, who):
    problems, longest = failure_problems(autograded(graded, who, nb_path), nc.load(nb_path))
    print(f"{nb_path.stem} ({who}): longest failure output {longest} lines")
    assert not problems, f"{nb_path.name} ({who}):\n" + "\n".join(problems)


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=IDS)
def test_wrong_answers_earn_nothing_and_fail_with_a_check_message(graded, nb_path):
    name = nc.assignment_name(nb_path)
    if name == TAMPERED:
        pytest.skip("graded by the tampering test")
    _, grades = graded["wrong"]
    scored = {g.grade_id: g.score for g in grades if g.assignment == name and g.score != 0}
    assert not scored, f"{name}: wrong answers score points: {scored}"
    allowed = assertion_names()
    for cell in check_cells(autograded(graded, "wrong", nb_path)):
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        gid = nc.nbgrader_meta(cell)["grade_id"]
        assert errors and errors[0]["ename"] in allowed, f"{gid}: {errors[:1]}"
        assert "not implemented" not in errors[0]["evalue"], f"{gid}: the wrong answer was not run"


@pytest.mark.parametrize("nb_path", CHAPTERS, ids=[nb.stem for nb in CHAPTERS])
def test_a_passed_check_says_so_with_its_points(graded, nb_path):
    points = graded_cells(nb_path)
    for cell in check_cells(autograded(graded, "master", nb_path)):
        gid = nc.nbgrader_meta(cell)["grade_id"]
        shown = "\n".join(output_text(o) for o in cell.get("outputs", []))
        unit = "point" if points[gid] == 1 else "points"
        assert re.search(rf"^✓ \w+: check passed \({points[gid]:g} {unit}\)\.$", shown, re.M), (
            f"{gid}: no confirmation with its points in the output:\n{shown}"
        )


# --- tampering ------------------------------------------------------------------------------


def test_tampered_submission_earns_only_the_honest_points(graded):
    course, grades = graded["wrong"]
    plan = graded["plan"]
    points = graded_cells(next(nb for nb in NOTEBOOKS if nc.assignment_name(nb) == TAMPERED))
    mine = {g.grade_id: g for g in grades if g.assignment == TAMPERED}
    assert set(mine) == set(points), "every check of the release is graded, once"
    assert not [gid for gid, g in mine.items() if g.needs_manual_grade or g.auto_score is None]
    edited = next(gid for gid, what in plan.items() if what == "edited")
    assert mine[edited].score == 0, "a wrong answer earns nothing through an edited check cell"
    for gid, what in plan.items():
        if what in ("deleted", "duplicated"):
            assert mine[gid].score == points[gid], f"{gid} ({what}) must be graded normally"
    honest = sum(points[gid] for gid, what in plan.items() if what != "edited")
    assert sum(g.score for g in mine.values()) == honest
    print(f"tampered {TAMPERED}: {honest:g} of {sum(points.values()):g} points ({plan})")
    done = nc.load(course / "autograded" / "wrong" / TAMPERED / f"{TAMPERED}.ipynb")
    ids = [nc.nbgrader_meta(c).get("grade_id") for c in check_cells(done)]
    assert sorted(i for i in ids if i) == sorted(points), (
        "the deleted check is back, the copy is not graded"
    )


def test_validate_tells_the_student_about_an_edited_or_duplicated_check(graded, tmp_path):
    """``nbgrader validate`` (the student's "Validate" button) on the tampered notebook.

    nbgrader stops at a duplicated grade id before anything else, so the edited check is
    validated again without the copy. (A deleted check cell is not reported by nbgrader 0.9;
    the autograder puts it back, see the test above.)
    """
    course, _ = graded["wrong"]
    plan = graded["plan"]
    submitted = nc.load(course / "submitted" / "wrong" / TAMPERED / f"{TAMPERED}.ipynb")
    duplicated = next(gid for gid, what in plan.items() if what == "duplicated")

    full = tmp_path / "duplicated" / f"{TAMPERED}.ipynb"
    full.parent.mkdir()
    full.write_text(json.dumps(submitted))
    proc = nc.nbgrader(course, "validate", str(full), check=False)
    assert f"Duplicate grade id: {duplicated}" in proc.stdout + proc.stderr

    seen: set[str] = set()
    cells = []
    for cell in submitted["cells"]:
        gid = nc.nbgrader_meta(cell).get("grade_id")
        if gid and gid in seen:
            continue
        seen.add(gid)
        cells.append(cell)
    edited_only = tmp_path / "edited" / f"{TAMPERED}.ipynb"
    edited_only.parent.mkdir()
    edited_only.write_text(json.dumps(submitted | {"cells": cells}))
    proc = nc.nbgrader(course, "validate", str(edited_only), check=False)
    out = proc.stdout + proc.stderr
    assert "THE CONTENTS OF 1 TEST CELL(S) HAVE CHANGED" in out, out[-3000:]
    assert "check passed')  # the student's edit" in out, "validate shows the edited cell"


def test_validate_shows_the_whole_check_message(graded):
    course, _ = graded["wrong"]
    nb_path = next(nb for nb in CHAPTERS if nc.assignment_name(nb) != TAMPERED)
    name = nc.assignment_name(nb_path)
    proc = nc.nbgrader(
        course, "validate", str(course / "submitted" / "wrong" / name / nb_path.name), check=False
    )
    out = " ".join((proc.stdout + proc.stderr).split())
    messages = [
        o["evalue"]
        for c in check_cells(autograded(graded, "wrong", nb_path))
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert messages
    for message in messages:
        assert " ".join(message.split()) in out, f"validate cuts or hides: {message}\n{out[-3000:]}"
