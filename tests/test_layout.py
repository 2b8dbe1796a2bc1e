"""The layout of lstm_lib shows the idea: the top level is the small library.

The library (activations, cells, layers, their shared pieces, validation, gradcheck,
torch bridge) sits at the top of the package; the chapters' experiments
(``lstm_lib.lab``), figures and widgets (``lstm_lib.figures``) and exercise checks
(``lstm_lib.checks``) sit above it and may import it, never the other way round.
These tests read the import statements of every module (including imports inside
functions), so a lazy import that points the wrong way is caught too.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import lstm_lib

PACKAGE = Path(lstm_lib.__file__).resolve().parent
SUBPACKAGES = ("lab", "figures", "checks")

# The public names of `import lstm_lib` before the library was split from the course's
# lab and figures (issue 11); moving modules must not change them.
PUBLIC_NAMES = {
    "sigmoid",
    "tanh",
    "sigmoid_grad",
    "tanh_grad",
    "LSTMCell",
    "GRUCell",
    "RNNCell",
    "LSTM",
    "GRU",
    "RNN",
    "LSTMCellCache",
    "GRUCellCache",
    "RNNCellCache",
    "LSTMCache",
    "GRUCache",
    "RNNCache",
    "numerical_gradient",
    "rel_error",
}

# What the top level holds: the library and nothing else.
CORE_MODULES = {
    "__init__",
    "activations",
    "base",
    "gradcheck",
    "validation",
    "sequence",
    "torch_bridge",
    "layouts",
    "rnn_cell",
    "lstm_cell",
    "gru_cell",
    "rnn_layer",
    "lstm_layer",
    "gru_layer",
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imported_modules(path: Path) -> set[str]:
    """Every lstm_lib module that ``path`` imports, anywhere in the file, as dotted names."""
    tree = ast.parse(path.read_text(), filename=str(path))
    here = module_name(path)
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("lstm_lib"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")
                if not is_package:
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("lstm_lib"):
                continue
            found.add(target)
            # `from . import x` or `from .lab import gru_variants` may name submodules.
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                if (PACKAGE.parent / Path(*candidate.split("."))).with_suffix(".py").exists() or (
                    PACKAGE.parent / Path(*candidate.split(".")) / "__init__.py"
                ).exists():
                    found.add(candidate)
    return found


def top_level_files():
    return sorted(PACKAGE.glob("*.py"))


def test_public_names_unchanged():
    assert set(lstm_lib.__all__) == PUBLIC_NAMES
    assert len(lstm_lib.__all__) == len(PUBLIC_NAMES), "a name is listed twice in __all__"
    for name in PUBLIC_NAMES:
        assert hasattr(lstm_lib, name), f"lstm_lib.__all__ lists {name} but lstm_lib has no {name}"


def test_top_level_is_the_library_and_nothing_else():
    modules = {path.stem for path in top_level_files()}
    assert modules == CORE_MODULES, (
        f"unexpected top-level modules {sorted(modules - CORE_MODULES)}, "
        f"missing {sorted(CORE_MODULES - modules)}: experiments go to lstm_lib/lab/, "
        "figures and widgets to lstm_lib/figures/"
    )
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == set(SUBPACKAGES), f"unexpected sub-folders of lstm_lib: {sorted(folders)}"
    for sub in SUBPACKAGES:
        assert (PACKAGE / sub / "__init__.py").is_file(), f"lstm_lib/{sub} is not a package"


@pytest.mark.parametrize("path", top_level_files(), ids=lambda p: p.name)
def test_library_never_imports_the_layers_above_it(path):
    upward = {
        name
        for name in imported_modules(path)
        if any(
            name == f"lstm_lib.{sub}" or name.startswith(f"lstm_lib.{sub}.") for sub in SUBPACKAGES
        )
    }
    assert not upward, f"lstm_lib/{path.name} imports {sorted(upward)}; the library must not"


def test_no_import_circle_in_the_library():
    graph = {module_name(p): imported_modules(p) for p in top_level_files()}
    # Importing a submodule also runs the package's __init__; that edge is not a circle
    # of the modules' own making, so only module-to-module edges are followed.
    graph = {
        mod: {t for t in targets if t != "lstm_lib" and t in graph}
        for mod, targets in graph.items()
    }
    graph["lstm_lib"] = set()

    state = {}

    def visit(node, path):
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycle = path[path.index(nxt) :] + [nxt]
                pytest.fail("import circle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])


def test_the_import_reader_sees_lazy_and_relative_imports():
    # The direction tests above are only as good as this reader: it must find an import
    # inside a function (base.py imports the torch bridge lazily) and resolve `from ..`.
    assert "lstm_lib.torch_bridge" in imported_modules(PACKAGE / "base.py")
    assert "lstm_lib.lab.memory" in imported_modules(PACKAGE / "checks" / "ch01.py")
    assert "lstm_lib" in imported_modules(PACKAGE / "figures" / "gate_explorer.py")
    assert "lstm_lib.figures.plotting" in imported_modules(PACKAGE / "figures" / "diagram.py")
    assert "lstm_lib.lab.gru_variants" in imported_modules(PACKAGE / "checks" / "ch08.py")


def test_import_lstm_lib_loads_no_subpackage():
    code = (
        "import sys, lstm_lib\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('lstm_lib.lab', "
        "'lstm_lib.figures', 'lstm_lib.checks')))\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_moved_modules_have_no_shims_left():
    # The old flat paths must not import: a shim would keep the confusing layout alive.
    for old in ("memory", "train", "tasks", "plotting", "gate_explorer", "diagram", "text"):
        code = f"import importlib.util, sys; sys.exit(importlib.util.find_spec('lstm_lib.{old}') is not None)"
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert result.returncode == 0, f"lstm_lib.{old} still imports; it moved to a subpackage"


def test_wheel_ships_every_subpackage_and_the_data(tmp_path):
    # The student zip and Binder install the package (not the source tree): a layout
    # that only imports from a clone would break them.
    repo = PACKAGE.parent
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"]
        + ["-w", str(tmp_path), str(repo)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    import zipfile

    (wheel,) = tmp_path.glob("lstm_lib-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    source = {
        path.relative_to(repo).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    missing = sorted(source - names)
    assert not missing, f"the wheel leaves out {missing}"


def test_reference_page_documents_every_public_name():
    import re

    page = (PACKAGE.parent / "book" / "reference.md").read_text()
    documented = re.findall(r"^\.\. auto(?:class|function):: lstm_lib\.(\w+)$", page, flags=re.M)
    assert len(documented) == len(set(documented)), "a name is documented twice"
    assert set(documented) == PUBLIC_NAMES, (
        f"undocumented: {sorted(PUBLIC_NAMES - set(documented))}, "
        f"not public: {sorted(set(documented) - PUBLIC_NAMES)}"
    )
