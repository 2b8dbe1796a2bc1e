"""The chapters' glue works with MyST-NB (book build) and without it (student, browser)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"

WITHOUT_MYST_NB = """
import builtins, sys
real_import = builtins.__import__
def blocked(name, *args, **kwargs):
    if name == "myst_nb" or name.startswith("myst_nb."):
        raise ImportError("myst_nb is not installed here")
    return real_import(name, *args, **kwargs)
builtins.__import__ = blocked
from lstm_lib.figures.glue import glue
assert glue.__module__ == "lstm_lib.figures.glue", glue.__module__
glue("quiet", 1.5, display=False)
glue("shown", 2.5)
try:
    glue(3, 1.0, display=False)
except TypeError as err:
    print("TypeError:", err)
"""


def test_stand_in_without_myst_nb_shows_only_what_is_asked():
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_MYST_NB], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines == ["2.5", "TypeError: glue: expected name to be a str, got int"], lines


def test_with_myst_nb_it_is_myst_nbs_glue():
    import myst_nb

    from lstm_lib.figures.glue import glue

    assert glue is myst_nb.glue


def test_chapters_import_glue_from_the_stand_in():
    # a chapter importing myst_nb directly would break in the student install and the browser
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            source = "".join(cell["source"])
            assert "import myst_nb" not in source and "from myst_nb" not in source, (
                f"{path.name}: import glue with `from lstm_lib.figures.glue import glue`"
            )
