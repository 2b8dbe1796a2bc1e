"""Which chapters run in the browser, and the browser copies of those chapters (issue 15).

The browser version of the course (JupyterLite with the Pyodide kernel, built by
tools/site/build_lite.py into ``_build/html/lite/``) has NumPy, matplotlib,
ipywidgets and ``lstm_lib`` but no PyTorch. A chapter is offered there when no
code cell needs torch, except cells tagged ``needs-torch``: those only compare
with ``torch.nn`` and are replaced, in the browser copy, by a short note (the
comparison is on the static page). A chapter that needs torch elsewhere (the
training chapters) is not offered, and its page says why.

One module decides this for both the lite build and the Sphinx extension that
puts the "Run in the browser" link on the pages (tools/site/lite_links.py), so
the two cannot disagree; tests/lite/ checks the built result.
"""

from __future__ import annotations

import copy
import io
import re
import textwrap
import tokenize
from pathlib import Path

NEEDS_TORCH = "needs-torch"
RAISES = "raises-exception"
# Code that needs PyTorch: torch itself, or the lstm_lib modules built on it.
TORCH_CODE = re.compile(
    r"\btorch\b|\blstm_lib\s*\.\s*lab\s*\.\s*train\b|\blstm_lib\s*\.\s*lab\s+import\b[^\n]*\btrain\b"
)
TORCH_NOTE = (
    "*This cell compares the result with PyTorch's `torch.nn`, which does not run in the "
    "browser. The comparison, with its output, is on this chapter's page of the book.*"
)
# JupyterLab sends a raises-exception cell with stop_on_error false, but the Pyodide
# kernel still aborts the cells queued after an error, so Run All would stop there.
# In the browser copy the cell catches its error and prints the traceback instead.
RAISES_HEAD = (
    "# This cell raises an error on purpose: the error is the lesson. In the browser\n"
    "# version it is caught and its traceback printed, so that Run All goes on.\n"
    "try:\n"
)
RAISES_TAIL = "\nexcept Exception:\n    import traceback\n\n    traceback.print_exc()\n"
LITE_APP = "notebooks"  # the JupyterLite app a chapter opens in (one notebook per tab)


def cell_tags(cell: dict) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def code_without_comments(source: str) -> str:
    """The cell's code with comments and strings removed (a torch in a comment is no use)."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        tokens = tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline)
        kept = [
            tok.string
            for tok in tokens
            if tok.type not in (tokenize.COMMENT, tokenize.STRING)
            and not (hasattr(tokenize, "FSTRING_MIDDLE") and tok.type == tokenize.FSTRING_MIDDLE)
        ]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return source
    return " ".join(kept)


def torch_cells(nb: dict) -> list[str]:
    """Ids of the code cells, not tagged needs-torch, that use PyTorch."""
    found = []
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code" or NEEDS_TORCH in cell_tags(cell):
            continue
        source = "".join(cell["source"])
        if TORCH_CODE.search(code_without_comments(source)):
            found.append(cell.get("id", f"#{index}"))
    return found


def browser_status(nb: dict) -> tuple[bool, str]:
    """(offered in the browser?, why not) for one chapter notebook."""
    needing = torch_cells(nb)
    if not needing:
        return True, ""
    return False, (
        "This chapter needs PyTorch (not only to compare with it), and PyTorch does not run "
        "in the browser, so this chapter has no browser version: run it locally or on "
        "Binder (the launch button above)."
    )


def read_notebook(path: Path) -> dict:
    import json

    return json.loads(Path(path).read_text(encoding="utf-8"))


def offered_chapters(notebook_dir: Path) -> dict[str, tuple[bool, str]]:
    """{file name: (offered, why not)} for every notebook in notebook_dir."""
    return {
        path.name: browser_status(read_notebook(path))
        for path in sorted(Path(notebook_dir).glob("*.ipynb"))
    }


def lite_copy(nb: dict) -> dict:
    """The browser copy of a chapter: outputs cleared, torch comparisons replaced by a note.

    Cells tagged raises-exception keep their code and tag, inside a ``try`` that prints
    the traceback (see :data:`RAISES_HEAD`).
    """
    out = copy.deepcopy(nb)
    cells = []
    for cell in out["cells"]:
        tags = cell_tags(cell)
        if cell["cell_type"] == "code" and NEEDS_TORCH in tags:
            cells.append(
                {
                    "cell_type": "markdown",
                    "id": cell.get("id", "x") + "-note",
                    "metadata": {"tags": ["needs-torch-note"]},
                    "source": TORCH_NOTE,
                }
            )
            continue
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
            if RAISES in tags:
                body = textwrap.indent("".join(cell["source"]).rstrip("\n"), "    ")
                cell["source"] = RAISES_HEAD + body + RAISES_TAIL
        cells.append(cell)
    out["cells"] = cells
    # The browser runs the Pyodide kernel, whatever the course's kernelspec says.
    out.setdefault("metadata", {})["kernelspec"] = {
        "display_name": "Python (Pyodide)",
        "language": "python",
        "name": "python",
    }
    return out
