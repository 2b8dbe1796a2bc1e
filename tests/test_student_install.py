"""The student zip, installed the way its README says, in a fresh virtual environment.

Builds the zip (``tools/student.py``), unpacks it, and runs the README's Linux/macOS set-up
block literally with ``bash -e`` in the unpacked folder. Packages come from a local wheel
folder (``_build/student-wheelhouse``, filled once with ``pip download`` from the machine's
usual indexes and cache): the test sets ``PIP_NO_INDEX``/``PIP_FIND_LINKS``, which pip reads
like command-line options, so the commands themselves stay the README's.

Then it asserts that the environment is the lean one (no tool for building or testing the
course, no nbgrader and so no authoring menus in JupyterLab, PyTorch's CPU build) and that
it runs a student notebook, and records the environment's size and the install time in
``_build/student-install.json``.

Slow (about a minute and a half and 1 GB of disk): ``make test-student-install``, which
``.ci/run`` runs after ``make test``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))

import student  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.student_install]

WHEELHOUSE = REPO / "_build" / "student-wheelhouse"
REPORT = REPO / "_build" / "student-install.json"
# Tools of the authors that must not reach a student's environment.
AUTHOR_ONLY = [
    "jupyter-book",
    "sphinx",
    "nbgrader",
    "nbval",
    "pytest",
    "playwright",
    "ruff",
    "hypothesis",
    "nbstripout",
    "django-static-mathjax",
]
CHAPTER = "04_gates"


def readme_block(readme: str, label: str) -> str:
    """The fenced code block that follows the line ``label`` in the README."""
    match = re.search(rf"^{re.escape(label)}\n\n```\w*\n(.*?)```", readme, re.S | re.M)
    assert match, f"README: no code block after {label!r}"
    return match.group(1)


def fill_wheelhouse(requirements: Path) -> None:
    """Download every wheel the student install needs (once; pip's cache makes it quick).

    PyTorch first, alone, with the requirement file's own index options (PyTorch's CPU
    index), then everything else with the wheel folder as a source: its ``2.13.0+cpu``
    ranks above PyPI's ``2.13.0``, so the multi-GB CUDA build is never downloaded.
    """
    lines = [line.split("#")[0].strip() for line in requirements.read_text().splitlines()]
    options = [token for line in lines if line.startswith("-") for token in line.split()]
    wanted = [line for line in lines if line and not line.startswith("-")]
    torch = [req for req in wanted if re.match(r"torch\b", req)]
    assert torch, "the student requirements have no torch line"
    # The build backend of `pip install -e .` (pyproject.toml's build-system) comes too.
    wanted += ["setuptools>=68", "wheel"]
    stamp = WHEELHOUSE / ".requirements"
    if stamp.exists() and stamp.read_text() == "\n".join(options + wanted):
        return
    shutil.rmtree(WHEELHOUSE, ignore_errors=True)
    WHEELHOUSE.mkdir(parents=True)
    pip = [sys.executable, "-m", "pip", "download", "-q", "-d", str(WHEELHOUSE)]
    for args in (
        ["--no-deps", "--retries", "1", *options, *torch],
        ["--find-links", str(WHEELHOUSE), *wanted],
    ):
        proc = subprocess.run([*pip, *args], capture_output=True, text=True)
        assert proc.returncode == 0, (
            f"pip download {args} failed:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}"
        )
    names = [p.name for p in WHEELHOUSE.iterdir()]
    assert not [n for n in names if n.startswith("nvidia")], "CUDA wheels were downloaded"
    stamp.write_text("\n".join(options + wanted))


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    root = tmp_path_factory.mktemp("student-install")
    assert student.main(["--release", str(root / "rel"), "--book", str(root / "gen")]) == 0
    with zipfile.ZipFile(root / "rel" / f"{student.NAME}.zip") as zf:
        zf.extractall(root / "unpacked")
    folder = root / "unpacked" / student.NAME
    fill_wheelhouse(folder / "requirements.txt")

    readme = (folder / "README.md").read_text()
    setup = readme_block(readme, "Linux and macOS:")
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUAL_ENV", "PYTHON"))
    }
    env |= {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(WHEELHOUSE), "PIP_CONFIG_FILE": os.devnull}
    # A fresh venv from the interpreter that runs the tests, not from the course's .venv.
    base = Path(getattr(sys, "_base_executable", sys.executable)).resolve().parent
    env["PATH"] = os.pathsep.join([str(base), env.get("PATH", "")])
    start = time.perf_counter()
    proc = subprocess.run(
        ["bash", "-e", "-c", setup], cwd=folder, env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    assert proc.returncode == 0, (
        f"README set-up failed:\n{setup}\n{proc.stdout[-3000:]}{proc.stderr[-5000:]}"
    )
    venv = folder / ".venv"
    size = folder_size(venv)
    REPORT.write_text(
        json.dumps({"install_seconds": round(seconds, 1), "venv_bytes": size}, indent=1) + "\n"
    )
    print(f"\nstudent environment: {size / 1e9:.2f} GB, installed in {seconds:.0f} s")
    return folder, venv, readme


def run(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(venv / "bin" / args[0]), *args[1:]], cwd=cwd, capture_output=True, text=True
    )


def test_readme_says_how_to_install_and_start(installed):
    _, _, readme = installed
    assert "--index-url https://download.pytorch.org/whl/cpu" in readme  # Linux/Windows by hand
    assert "macOS" in readme and "Windows" in readme
    assert "jupyter lab notebooks" in readme_block(readme, "## Work (every time)")
    # Nothing points to files the zip does not have (the authors' Makefile, their README).
    assert "make " not in readme


def test_environment_is_lean(installed):
    folder, venv, _ = installed
    listed = run(venv, "python", "-m", "pip", "list", "--format=json", cwd=folder)
    names = {p["name"].lower().replace("_", "-") for p in json.loads(listed.stdout)}
    present = sorted(names & set(AUTHOR_ONLY))
    assert not present, f"the student environment has the authors' tools: {present}"
    for needed in ("torch", "numpy", "matplotlib", "ipywidgets", "tqdm", "jupyterlab", "lstm-lib"):
        assert needed in names, f"{needed} is missing from the student environment"
    text = (folder / "requirements.txt").read_text()
    assert "make " not in text and "README" not in text.split("--extra-index-url")[1]


def test_pytorch_is_the_cpu_build(installed):
    folder, venv, _ = installed
    code = "import torch; print(torch.__version__, torch.version.cuda)"
    proc = run(venv, "python", "-c", code, cwd=folder)
    assert proc.returncode == 0, proc.stderr
    version, cuda = proc.stdout.split()
    assert version.startswith("2.13.0") and cuda == "None", proc.stdout


def test_jupyterlab_has_no_nbgrader_menus(installed):
    folder, venv, _ = installed
    proc = run(venv, "jupyter", "labextension", "list", cwd=folder)
    assert proc.returncode == 0, proc.stderr
    listing = proc.stdout + proc.stderr
    assert "@jupyter-widgets/jupyterlab-manager" in listing  # the widgets work
    assert "nbgrader" not in listing


def test_a_student_notebook_runs_in_it(installed):
    folder, venv, _ = installed
    proc = run(
        venv,
        "jupyter",
        "nbconvert",
        "--to=notebook",
        "--execute",
        "--allow-errors",
        "--output-dir=executed",
        f"notebooks/{CHAPTER}.ipynb",
        cwd=folder,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    nb = json.loads((folder / "executed" / f"{CHAPTER}.ipynb").read_text())
    errors = [
        o
        for c in nb["cells"]
        if c["cell_type"] == "code" and "raises-exception" not in c["metadata"].get("tags", [])
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    checks = [c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade")]
    # Apart from the cells meant to fail, only the checks fail, each "not implemented yet".
    assert len(errors) == len(checks) > 0
    assert all(e["ename"] == "StudentCheckError" for e in errors), [e["ename"] for e in errors]
    assert all("not implemented yet" in e["evalue"] for e in errors)
