"""Student versions of every chapter with nbgrader, packed into a zip; exercise list for the book.

    python tools/student.py            (what `make student` runs)

1. Copies every ``notebooks/*.ipynb`` into a temporary nbgrader course (one assignment per
   chapter) and runs ``nbgrader generate_assignment`` on all of them.
2. Writes ``release/lstm-gate-by-gate-student/`` (student notebooks in ``notebooks/``, the
   ``lstm_lib`` package source with its data, ``pyproject.toml``, ``requirements.txt``, the
   notation page and ``scripts/`` the notebooks refer to, a short README) and
   packs it into ``release/lstm-gate-by-gate-student.zip`` (byte-for-byte reproducible).
3. For the book: copies the zip to ``book/_generated/`` (offered by ``book/instructors.md``)
   and writes ``book/_generated/exercises.md``, the exercises of every chapter with their
   points, learning goals and expected time, read from the notebooks themselves.

``release/`` and ``book/_generated/`` are build products and are not committed.
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import nbgrader_course as nc  # noqa: E402

REPO = nc.REPO
NAME = "lstm-gate-by-gate-student"
RELEASE = REPO / "release"
GENERATED = REPO / "book" / "_generated"
ZIP_DATE = (2026, 1, 1, 0, 0, 0)  # fixed, so that an unchanged course gives the same zip

README = """\
# LSTM, Gate by Gate: student notebooks

The chapter notebooks of the course "LSTM, Gate by Gate" with the exercises left for you
to solve, and the small `lstm_lib` package the notebooks import (it also holds the checks
that tell you whether an exercise is right).

## Set up (once)

You need Python 3.10 or newer. In a terminal, in this folder (the one holding this README):

Linux and macOS:

```bash
python3 -m venv .venv
. .venv/bin/activate
python -m pip install -r requirements.txt
python -m pip install -e .
```

Windows (PowerShell or cmd):

```bat
py -m venv .venv
.venv\\Scripts\\activate
python -m pip install -r requirements.txt
python -m pip install -e .
```

`requirements.txt` holds only what the notebooks need: JupyterLab, ipykernel, NumPy,
Matplotlib, ipywidgets, tqdm and PyTorch. It takes PyTorch's CPU build from PyTorch's own
package index (`--extra-index-url https://download.pytorch.org/whl/cpu` in the file): on
Linux the default build is the multi-gigabyte CUDA one, which the course does not need.
If that index is blocked where you are: on macOS, `python -m pip install torch==2.13.0`
from PyPI is already the CPU build; on Linux and Windows, run
`python -m pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu`
before the `-r requirements.txt` line.

## Work (every time)

```bash
. .venv/bin/activate            # Windows: .venv\\Scripts\\activate
jupyter lab notebooks
```

## Exercises

Each exercise is a cell holding `raise NotImplementedError("replace this line with your
answer")`: replace that line with your code, run the cell, then run the check cell right
after it. A check that passes prints a line starting with ✓ and the points it is worth; one
that fails says what is wrong and where in the chapter to look.

If your course uses nbgrader, submit the notebooks the way your instructor tells you, and
leave the check cells as they are: when your work is graded, a check cell you edited is
replaced by the original, and one you deleted is put back (with the course's nbgrader
configuration), so changing them never changes your grade.

Notebooks: {count} chapters, {exercises} exercises, {points:g} points.
"""

# Expected time per chapter, stated on the instructors' page with this formula.
WORDS_PER_MINUTE = 120  # careful reading of technical prose with maths
MINUTES_PER_CODE_CELL = 1.5  # read, run and look at the output
MINUTES_PER_EXERCISE = 12


def generate(course_dir: Path, notebooks: list[Path]) -> dict[Path, Path]:
    """Run nbgrader generate_assignment on ``notebooks``; return master -> student file."""
    nc.make_course(course_dir, notebooks)
    nc.generate_all(course_dir)
    out = {}
    for nb in notebooks:
        student = course_dir / "release" / nc.assignment_name(nb) / nb.name
        if not student.exists():
            raise SystemExit(f"nbgrader produced no student version of {nb.name}")
        out[nb] = student
    return out


def _ignore(_dir: str, names: list[str]) -> set[str]:
    return {n for n in names if n in {"__pycache__", ".ipynb_checkpoints"} or n.endswith(".pyc")}


def build_folder(target: Path, student_files: dict[Path, Path], readme: str) -> None:
    if target.exists():
        shutil.rmtree(target)
    (target / "notebooks").mkdir(parents=True)
    for master, student in student_files.items():
        # Other files of the assignment folder (none today) travel with the notebook.
        for item in student.parent.iterdir():
            dest = target / "notebooks" / item.name
            if item.is_dir():
                shutil.copytree(item, dest, ignore=_ignore)
            else:
                shutil.copy2(item, dest)
        assert (target / "notebooks" / master.name).exists()
    shutil.copytree(REPO / "lstm_lib", target / "lstm_lib", ignore=_ignore)
    for extra in ("pyproject.toml", "LICENSE", "LICENSE-CODE", "LICENSE-TEXT"):
        if (REPO / extra).exists():
            shutil.copy2(REPO / extra, target / extra)
    # The student's requirements.txt is the lean one: nothing to build or test the course.
    shutil.copy2(REPO / "requirements-student.txt", target / "requirements.txt")
    if (REPO / "data").is_dir():
        shutil.copytree(REPO / "data", target / "data", ignore=_ignore)
    # Referenced from the notebooks: the notation page (linked as ../book/notation.md) and
    # the script that reproduces the shipped trained weights (chapter 11).
    if (REPO / "book" / "notation.md").exists():
        (target / "book").mkdir()
        shutil.copy2(REPO / "book" / "notation.md", target / "book" / "notation.md")
    if (REPO / "scripts").is_dir():
        shutil.copytree(REPO / "scripts", target / "scripts", ignore=_ignore)
    (target / "README.md").write_text(readme, encoding="utf-8")


def pack(folder: Path, zip_path: Path) -> None:
    """Zip ``folder`` (as a top-level directory of the same name), reproducibly."""
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in files:
            info = zipfile.ZipInfo(str(Path(folder.name) / path.relative_to(folder)), ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())


def expected_minutes(nb: dict, n_exercises: int) -> int:
    words = sum(len(nc.source_text(c).split()) for c in nb["cells"] if c["cell_type"] == "markdown")
    exercise_ids = {nc.nbgrader_meta(c).get("grade_id") for c in nb["cells"] if nc.nbgrader_meta(c)}
    code_cells = sum(
        1
        for c in nb["cells"]
        if c["cell_type"] == "code" and nc.nbgrader_meta(c).get("grade_id") not in exercise_ids
    )
    minutes = (
        words / WORDS_PER_MINUTE
        + code_cells * MINUTES_PER_CODE_CELL
        + n_exercises * MINUTES_PER_EXERCISE
    )
    return int(5 * math.ceil(minutes / 5))


def _count(n: float, noun: str) -> str:
    return f"{n:g} {noun}" + ("" if n == 1 else "s")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def exercises_markdown(notebooks: list[Path]) -> tuple[str, int, float]:
    """The include file of the instructors' page; also returns the exercise and point totals."""
    parts, total_ex, total_pts, total_min = [], 0, 0.0, 0
    for path in notebooks:
        nb = nc.load(path)
        exercises = nc.exercises(nb, path.stem)
        points = sum(e.points for e in exercises)
        minutes = expected_minutes(nb, len(exercises))
        total_ex, total_pts, total_min = (
            total_ex + len(exercises),
            total_pts + points,
            total_min + minutes,
        )
        title = nc.title(nb) or path.stem
        block = [f"### {_cell(title)}", ""]
        block.append(
            f"`notebooks/{path.name}` · {_count(len(exercises), 'exercise')} · "
            f"{_count(points, 'point')} · "
            f"expected time about {minutes} min"
        )
        block.append("")
        goals = nc.learning_goals(nb)
        if goals:
            block += ["Learning goals:", ""] + [f"- {_cell(g)}" for g in goals] + [""]
        if exercises:
            block += ["| Exercise | grade_id (check cell) | Points |", "| --- | --- | ---: |"]
            block += [f"| {_cell(e.title)} | `{e.check_id}` | {e.points:g} |" for e in exercises]
            block.append("")
        parts.append("\n".join(block))
    head = (
        f"The course has **{_count(len(notebooks), 'chapter')}, {_count(total_ex, 'exercise')} "
        f"and {_count(total_pts, 'point')}**; working through all of it takes about "
        f"{total_min / 60:.1f} hours (estimated as explained above).\n"
    )
    if not notebooks:
        head = "No chapter notebook was found when this page was built.\n"
    return head + "\n" + "\n".join(parts), total_ex, total_pts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--release", type=Path, default=RELEASE, help="output folder (release/)")
    parser.add_argument("--book", type=Path, default=GENERATED, help="book include folder")
    parser.add_argument("--notebooks", type=Path, default=nc.NOTEBOOKS, help="chapter folder")
    args = parser.parse_args(argv)

    notebooks = nc.chapter_notebooks(args.notebooks)
    if not notebooks:
        print(f"no notebook in {args.notebooks}", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="nbgrader-course-") as tmp:
        student_files = generate(Path(tmp) / "course", notebooks) if notebooks else {}
        markdown, n_ex, n_pts = exercises_markdown(notebooks)
        folder = args.release / NAME
        build_folder(
            folder,
            student_files,
            README.format(count=len(notebooks), exercises=n_ex, points=n_pts),
        )
    zip_path = args.release / f"{NAME}.zip"
    pack(folder, zip_path)
    args.book.mkdir(parents=True, exist_ok=True)
    shutil.copy2(zip_path, args.book / zip_path.name)
    (args.book / "exercises.md").write_text(markdown, encoding="utf-8")
    size = zip_path.stat().st_size / 1024
    print(
        f"{len(notebooks)} student notebooks ({n_ex} exercises, {n_pts:g} points) -> "
        f"{zip_path.relative_to(REPO) if zip_path.is_relative_to(REPO) else zip_path} "
        f"({size:.0f} KB); copied to {args.book}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
