"""Drive nbgrader's real command line over the course's chapter notebooks.

One chapter notebook = one nbgrader assignment, named after the notebook's file stem
(``notebooks/03_two_memories.ipynb`` -> assignment ``03_two_memories`` holding
``03_two_memories.ipynb``). The chapters are discovered with a glob, so chapters added
later are picked up without touching this file.

Used by ``tools/student.py`` (``make student``) and by ``tests/test_nbgrader.py``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
BEGIN_HIDDEN = "### BEGIN HIDDEN TESTS"
END_HIDDEN = "### END HIDDEN TESTS"


def chapter_notebooks(folder: Path = NOTEBOOKS) -> list[Path]:
    """Every chapter notebook, in file-name order."""
    return sorted(folder.glob("*.ipynb"))


def assignment_name(notebook: Path) -> str:
    return notebook.stem


# The configuration instructors are given (book/instructors.md); the tests grade with it.
SHIPPED_CONFIG = REPO / "instructor" / "nbgrader_config.py"


def write_config(course_dir: Path, *, timeout: int | None = None) -> None:
    """The shipped ``nbgrader_config.py`` in ``course_dir`` (``timeout``: seconds per cell)."""
    text = SHIPPED_CONFIG.read_text(encoding="utf-8")
    if timeout is not None:
        text += f"\nc.Execute.timeout = {int(timeout)}\n"
    (course_dir / "nbgrader_config.py").write_text(text, encoding="utf-8")


def make_course(course_dir: Path, notebooks: list[Path], *, timeout: int | None = None) -> None:
    """Create an nbgrader course directory with one source assignment per notebook."""
    course_dir.mkdir(parents=True, exist_ok=True)
    write_config(course_dir, timeout=timeout)
    for nb in notebooks:
        target = course_dir / "source" / assignment_name(nb)
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(nb, target / nb.name)


def _env() -> dict[str, str]:
    # nbgrader runs the `alembic` command to open its gradebook: it must be found on PATH,
    # next to the interpreter that runs nbgrader (the virtualenv's bin/).
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def nbgrader(course_dir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run ``nbgrader <args>`` in ``course_dir`` with the current interpreter."""
    proc = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course_dir,
        capture_output=True,
        text=True,
        env=_env(),
    )
    if check and proc.returncode != 0:
        raise RuntimeError(
            f"nbgrader {' '.join(args)} failed ({proc.returncode}) in {course_dir}:\n"
            f"{proc.stdout[-4000:]}\n{proc.stderr[-8000:]}"
        )
    return proc


def generate_all(course_dir: Path) -> None:
    """``nbgrader generate_assignment`` on every assignment of the course."""
    nbgrader(course_dir, "generate_assignment", "--assignment=*", "--force")


def submit(course_dir: Path, student: str, step: str) -> None:
    """Copy every assignment of ``step`` (``source`` or ``release``) as ``student``'s submission."""
    for folder in sorted((course_dir / step).iterdir()):
        target = course_dir / "submitted" / student / folder.name
        shutil.copytree(folder, target, dirs_exist_ok=True)


def start_autograde(course_dir: Path, student: str, log: Path) -> subprocess.Popen:
    """Start ``nbgrader autograde`` of every assignment of ``student``, logging to ``log``.

    The output goes to a file, not a pipe: with two runs in parallel, a pipe that nobody
    reads yet fills up and stalls its nbgrader (and the kernel it is driving).
    """
    with open(log, "w") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "nbgrader",
                "autograde",
                "--assignment=*",
                f"--student={student}",
                "--force",
            ],
            cwd=course_dir,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
            env=_env(),
        )


@dataclass(frozen=True)
class Grade:
    assignment: str
    notebook: str
    grade_id: str
    score: float
    max_score: float
    auto_score: float | None
    needs_manual_grade: bool


def grades(course_dir: Path, student: str) -> list[Grade]:
    """Every grade the gradebook holds for ``student``."""
    from nbgrader.api import Gradebook

    out: list[Grade] = []
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gb:
        for assignment in gb.assignments:
            for notebook in assignment.notebooks:
                sub = gb.find_submission_notebook(notebook.name, assignment.name, student)
                for g in sub.grades:
                    out.append(
                        Grade(
                            assignment=assignment.name,
                            notebook=notebook.name,
                            grade_id=g.name,
                            score=float(g.score),
                            max_score=float(g.max_score),
                            auto_score=None if g.auto_score is None else float(g.auto_score),
                            needs_manual_grade=bool(g.needs_manual_grade),
                        )
                    )
    return out


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source_text(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def nbgrader_meta(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def between(text: str, begin: str, end: str) -> list[str]:
    """Lines strictly between ``begin`` and ``end`` marker lines (all regions)."""
    lines, inside = [], False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(begin):
            inside = True
        elif stripped.startswith(end):
            inside = False
        elif inside:
            lines.append(line)
    return lines


def outside(text: str, markers: tuple[tuple[str, str], ...]) -> list[str]:
    """Lines not inside any of the ``(begin, end)`` regions."""
    lines, inside = [], False
    begins = tuple(b for b, _ in markers)
    ends = tuple(e for _, e in markers)
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(begins):
            inside = True
        elif stripped.startswith(ends):
            inside = False
        elif not inside:
            lines.append(line)
    return lines


def leaked_lines(source_nb: dict, student_nb: dict) -> list[str]:
    """Solution or hidden-test lines of ``source_nb`` that appear in ``student_nb``.

    A line counts as leaked when it occurs in the student notebook although, in the source
    notebook, it occurs only between solution or hidden-test markers (a line such as
    ``return h`` that the chapter also shows outside any exercise is not a leak). Markers
    themselves appearing in the student file are reported too.
    """
    markers = ((BEGIN_SOLUTION, END_SOLUTION), (BEGIN_HIDDEN, END_HIDDEN))
    secret: set[str] = set()
    public: set[str] = set()
    for cell in source_nb["cells"]:
        text = source_text(cell)
        for begin, end in markers:
            secret.update(line.strip() for line in between(text, begin, end))
        public.update(line.strip() for line in outside(text, markers))
    secret = {line for line in secret if line and line not in public}

    student_lines: set[str] = set()
    for cell in student_nb["cells"]:
        student_lines.update(line.strip() for line in source_text(cell).splitlines())
    leaks = sorted(secret & student_lines)
    for begin, end in markers:
        leaks += [m for m in (begin, end) if any(m in line for line in student_lines)]
    return leaks


def chapter_prefix(notebook: Path) -> str:
    """The grade_id prefix a notebook's exercises must use: ``chNN`` for ``NN_name.ipynb``."""
    head = notebook.stem.split("_", 1)[0]
    return f"ch{head}" if head.isdigit() else ""


@dataclass(frozen=True)
class Exercise:
    """A solution cell and the graded check cell that follows it."""

    notebook: str
    grade_id: str
    check_id: str
    points: float
    title: str  # the nearest heading above the solution cell


def exercises(nb: dict, name: str = "") -> list[Exercise]:
    """The exercises of a notebook in order (solution cell followed by a graded check)."""
    out: list[Exercise] = []
    heading = ""
    cells = nb["cells"]
    for k, cell in enumerate(cells):
        if cell["cell_type"] == "markdown":
            for line in source_text(cell).splitlines():
                if line.startswith("#"):
                    heading = line.lstrip("#").strip()
        meta = nbgrader_meta(cell)
        if not (meta.get("solution") and not meta.get("grade")):
            continue
        nxt = nbgrader_meta(cells[k + 1]) if k + 1 < len(cells) else {}
        if nxt.get("grade"):
            out.append(
                Exercise(
                    notebook=name,
                    grade_id=meta.get("grade_id", ""),
                    check_id=nxt.get("grade_id", ""),
                    points=float(nxt.get("points", 0) or 0),
                    title=heading,
                )
            )
    return out


def learning_goals(nb: dict) -> list[str]:
    """The bullet list that follows "In this chapter you will" in the first markdown cells."""
    for cell in nb["cells"][:4]:
        if cell["cell_type"] != "markdown":
            continue
        lines = source_text(cell).splitlines()
        for k, line in enumerate(lines):
            if "in this chapter you will" in line.lower():
                goals = []
                for item in lines[k + 1 :]:
                    stripped = item.strip()
                    bullet = re.match(r"^(?:[-*+]|\d+[.)])\s+(.*)$", stripped)
                    if bullet:
                        goals.append(bullet.group(1).strip())
                    elif goals and stripped and not stripped.startswith("#"):
                        goals[-1] += " " + stripped  # continuation line of a bullet
                    elif goals:
                        break
                return [g for g in goals if g]
    return []


def title(nb: dict) -> str:
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for line in source_text(cell).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""
