"""``book/instructors.md``, followed literally: the nbgrader round trip in a temporary home.

The shell blocks of the page's section "Using the course with nbgrader" are read from the
page itself and run in order with ``bash -e``, in a temporary ``$HOME`` holding a copy of the
repository at ``~/lstm-gate-by-gate`` (the page's first block, ``git clone`` and
``make setup``, is what made the environment these tests run in, so it is not run again:
it needs the network). Then: the course folder holds the gradebook, the grades and the
feedback; the repository copy is untouched; no header notebook was prepended.
"""

from __future__ import annotations

import csv
import os
import pwd
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PAGE = REPO / "book" / "instructors.md"
ASSIGNMENT = "04_gates"

pytestmark = pytest.mark.slow


def section(text: str, heading: str) -> str:
    start = text.index(f"\n{heading}\n")
    end = text.find("\n## ", start + len(heading) + 2)
    return text[start : end if end >= 0 else None]


def shell_blocks(text: str) -> list[str]:
    """The ```bash blocks of ``text``, dedented (they sit inside a numbered list)."""
    blocks = re.findall(r"^( *)```bash\n(.*?)^\1```", text, re.S | re.M)
    return [textwrap.dedent(body) for _, body in blocks]


def tracked_files(root: Path) -> list[str]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True)
    return [name for name in out.stdout.decode().split("\0") if name]


def snapshot(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if "__pycache__" not in p.parts}


def test_the_page_has_the_whole_round_trip():
    blocks = shell_blocks(section(PAGE.read_text(), "## Using the course with nbgrader"))
    text = "\n".join(blocks)
    assert "git clone" in blocks[0] and "make setup" in blocks[0]
    for step in (
        "instructor/nbgrader_config.py",
        "generate_assignment",
        "release_assignment",
        "fetch_assignment",
        "submit",
        "collect",
        "autograde",
        "generate_feedback",
        "release_feedback",
    ):
        assert step in text, f"the page's commands do not include {step}"
    assert "quickstart" not in text, "quickstart adds a header notebook and a stray example"


def test_following_the_page_grades_a_submission(tmp_path):
    blocks = shell_blocks(section(PAGE.read_text(), "## Using the course with nbgrader"))
    home = tmp_path / "home"
    repo_copy = home / "lstm-gate-by-gate"
    for name in tracked_files(REPO):
        if (REPO / name).is_file():
            (repo_copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, repo_copy / name)
    before = snapshot(repo_copy)

    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "VIRTUAL_ENV"))}
    env |= {
        "HOME": str(home),
        # the environment block 1 of the page set up: the one running these tests
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
    }
    for k, block in enumerate(blocks[1:], start=2):
        proc = subprocess.run(
            ["bash", "-e", "-c", block], cwd=home, env=env, capture_output=True, text=True
        )
        assert proc.returncode == 0, (
            f"block {k} of the page failed ({proc.returncode}):\n{block}\n"
            f"{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}"
        )

    course = home / "lstm-course"
    assert (course / "gradebook.db").exists()
    assert snapshot(repo_copy) == before, "the page's commands wrote into the repository"
    # No header notebook: the student version starts like the chapter.
    release = course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert not list(course.rglob("header.ipynb"))
    first = release.read_text().split('"source": [', 1)[1]
    assert '"# 4.' in first[:200], "the student version does not start with the chapter title"
    # The submission went through the exchange and was graded: untouched, so 0 points.
    with open(course / "grades.csv", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["assignment"] == ASSIGNMENT]
    student = pwd.getpwuid(os.getuid()).pw_name  # nbgrader submit's student id
    assert [r["student_id"] for r in rows] == [student]
    assert float(rows[0]["score"]) == 0 and float(rows[0]["max_score"]) > 0
    feedback = course / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html"
    assert "not implemented yet" in feedback.read_text()
    # nbgrader names released feedback after a hash of the submission
    released = list((course / "exchange" / "lstm-gate-by-gate" / "feedback").glob("*.html"))
    assert len(released) == 1, "release_feedback put no feedback in the exchange"
