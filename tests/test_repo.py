"""Repository hygiene: clean notebooks, a table of contents that matches the files,
requirements that agree with Binder's, one repository URL, and the Makefile's cache key."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _toc_files() -> list[str]:
    """Every `file:` entry of _toc.yml, plus the root, without suffix."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in toc.items() if k != "root"})
    return files


def _requirements(path: Path) -> dict[str, str]:
    """Map each requirement's normalised name to its version specifier."""
    reqs = {}
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        match = re.match(r"^([A-Za-z0-9_.\-\[\]]+)\s*(.*)$", line)
        assert match, f"{path.name}: cannot parse requirement line {raw!r}"
        name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
        assert name not in reqs, f"{path.name}: {name} is listed twice"
        reqs[name] = match.group(2).replace(" ", "")
    return reqs


# --- notebooks -------------------------------------------------------------------


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_clean(nb_path):
    nb = json.loads(nb_path.read_text())
    dirty = [
        i
        for i, cell in enumerate(nb["cells"])
        if cell["cell_type"] == "code"
        and (cell.get("outputs") or cell.get("execution_count") is not None)
    ]
    assert not dirty, (
        f"{nb_path.name}: cells {dirty} have outputs or execution counts; "
        "strip them with `nbstripout` (pre-commit does it for you)"
    )
    assert "widgets" not in nb.get("metadata", {}), (
        f"{nb_path.name}: saved widget state in metadata"
    )


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_uses_the_python3_kernel(nb_path):
    kernelspec = json.loads(nb_path.read_text())["metadata"].get("kernelspec", {})
    assert kernelspec.get("name") == "python3", f"{nb_path.name}: kernelspec {kernelspec}"


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_in_the_toc(nb_path):
    stem = nb_path.relative_to(ROOT).with_suffix("").as_posix()
    assert stem in _toc_files(), f"{stem} is not listed in _toc.yml"


def test_every_toc_entry_exists():
    missing = [
        f
        for f in _toc_files()
        if not any((ROOT / f"{f}{suffix}").exists() for suffix in (".md", ".ipynb"))
    ]
    assert not missing, f"_toc.yml lists files that do not exist: {missing}"


def test_toc_has_no_duplicates():
    files = _toc_files()
    assert len(files) == len(set(files)), f"duplicate entries in _toc.yml: {files}"


# --- requirements and Binder -------------------------------------------------------


def test_requirements_are_bounded_and_torch_is_pinned():
    reqs = _requirements(ROOT / "requirements.txt")
    unbounded = [name for name, spec in reqs.items() if not re.search(r"(<|==)", spec)]
    assert not unbounded, f"requirements without an upper bound or pin: {unbounded}"
    assert reqs["torch"] == "==2.13.0", "torch must be pinned (an open range pulls a CUDA build)"
    assert "<2" in reqs["jupyter-book"], "jupyter-book 2 is a different tool: keep <2"


def test_every_requirement_line_says_what_needs_it():
    lines = [
        raw
        for raw in (ROOT / "requirements.txt").read_text().splitlines()
        if raw.strip() and not raw.lstrip().startswith("#")
    ]
    bare = [line for line in lines if "#" not in line]
    assert not bare, f"requirements.txt lines without a comment: {bare}"


STUDENT_PACKAGES = {"torch", "numpy", "matplotlib", "ipywidgets", "tqdm", "jupyterlab", "ipykernel"}


def test_student_requirements_are_lean_and_agree_with_the_authors():
    student = _requirements(ROOT / "requirements-student.txt")
    root = _requirements(ROOT / "requirements.txt")
    assert set(student) == STUDENT_PACKAGES, (
        f"requirements-student.txt: expected exactly {sorted(STUDENT_PACKAGES)}, got {sorted(student)}"
    )
    differ = {k: (v, root.get(k)) for k, v in student.items() if root.get(k) != v}
    assert not differ, f"student and author versions differ (student, author): {differ}"
    text = (ROOT / "requirements-student.txt").read_text()
    # Without the CPU index, torch==2.13.0 on Linux is the multi-GB CUDA build.
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in text


def test_binder_is_the_student_environment_with_the_cpu_torch():
    student = _requirements(ROOT / "requirements-student.txt")
    binder = _requirements(ROOT / "binder" / "requirements.txt")
    student_torch, binder_torch = student.pop("torch"), binder.pop("torch")
    assert binder == student, (
        "binder/requirements.txt and requirements-student.txt disagree: "
        f"only in student {sorted(set(student) - set(binder))}, "
        f"only in binder {sorted(set(binder) - set(student))}, "
        f"different {sorted(k for k in student.keys() & binder.keys() if student[k] != binder[k])}"
    )
    assert binder_torch == student_torch + "+cpu", (
        "Binder must take the CPU build of the same torch"
    )
    text = (ROOT / "binder" / "requirements.txt").read_text()
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in text


def test_binder_installs_the_library_and_python_311():
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"
    post_build = ROOT / "binder" / "postBuild"
    assert post_build.stat().st_mode & 0o111, "binder/postBuild must be executable"
    assert "pip install" in post_build.read_text() and "-e ." in post_build.read_text()


def test_library_depends_on_numpy_only():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = [re.split(r"[<>=!~ ]", dep)[0] for dep in project["dependencies"]]
    assert names == ["numpy"], f"lstm_lib's hard dependencies should be numpy only, got {names}"


def test_lstm_lib_imports_without_optional_packages():
    code = (
        "import sys\n"
        "for name in ('torch', 'matplotlib', 'ipywidgets', 'tqdm'):\n"
        "    sys.modules[name] = None  # any import of these now raises ImportError\n"
        "import lstm_lib\n"
        "print(lstm_lib.__version__)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"import lstm_lib needs an optional package:\n{result.stderr}"


# --- one repository URL ------------------------------------------------------------


def test_readme_binder_badge_matches_config():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    url, branch = config["repository"]["url"], config["repository"]["branch"]
    owner_repo = re.sub(r"^https://github.com/", "", url).rstrip("/")
    readme = (ROOT / "README.md").read_text()
    badge = re.search(r"https://mybinder.org/v2/gh/([^/]+/[^/]+)/([^?)\s]+)", readme)
    assert badge, "README has no Binder badge"
    assert badge.groups() == (owner_repo, branch), (
        f"README's Binder badge points at {badge.groups()}, _config.yml says {(owner_repo, branch)}"
    )


def test_config_is_strict_and_cached():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["only_build_toc_files"] is True
    execute = config["execute"]
    assert execute["execute_notebooks"] == "cache"
    assert execute["allow_errors"] is False
    assert execute["timeout"] > 0
    assert config["sphinx"]["config"]["nb_execution_raise_on_error"] is True
    assert config["launch_buttons"]["notebook_interface"] == "jupyterlab"
    for pattern in (".venv/*", "_build/*", "tests/*"):
        assert pattern in config["exclude_patterns"], f"{pattern} not excluded from the build"


def test_bibliography_keys_are_unique():
    keys = re.findall(r"^@\w+\{([^,]+),", (ROOT / "book" / "references.bib").read_text(), re.M)
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    assert keys and not duplicates, f"duplicate BibTeX keys: {duplicates}"


# --- the Makefile's execution-cache key --------------------------------------------


def _make(tmp_path: Path, lib: Path, *targets: str) -> str:
    build = tmp_path / "build"
    result = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "-C",
            str(ROOT),
            *targets,
            f"LIB_DIR={lib}",
            f"CACHE={build / '.jupyter_cache'}",
            f"LIB_HASH={build / 'hash'}",
            f"STAMP={ROOT / 'pyproject.toml'}",  # an existing file: skip the install step
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_execution_cache_is_dropped_when_lstm_lib_changes(tmp_path):
    lib = tmp_path / "lstm_lib"
    lib.mkdir()
    (lib / "cell.py").write_text("x = 1\n")
    cache = tmp_path / "build" / ".jupyter_cache"

    _make(tmp_path, lib, "cache-check")
    cache.mkdir(parents=True)
    (cache / "entry").write_text("cached outputs")

    _make(tmp_path, lib, "cache-check")
    assert (cache / "entry").exists(), "an unchanged lstm_lib must keep the cache"

    (lib / "cell.py").write_text("x = 2\n")
    out = _make(tmp_path, lib, "cache-check")
    assert not cache.exists(), "a changed lstm_lib must drop the cache"
    assert "dropping" in out


def test_make_setup_is_documented():
    helped = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True)
    assert "make setup" in helped.stdout, "make help does not mention make setup"
    assert "make setup" in (ROOT / "README.md").read_text()
