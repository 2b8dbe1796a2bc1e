"""``glue``: MyST-NB's when the book is built, a quiet stand-in anywhere else.

The chapters quote every measured number through MyST-NB's ``glue`` (the book's
Markdown reads ``{glue:text}`name:fmt```), so the prose cannot drift from the code.
MyST-NB belongs to the book build; a student's lean install and the in-browser
(JupyterLite) copies of the chapters do not have it. There this stand-in takes the
same arguments and does what MyST-NB's ``glue`` shows in a notebook: nothing for
``display=False``, the value itself otherwise.
"""

from __future__ import annotations

__all__ = ["glue"]

try:
    from myst_nb import glue
except ImportError:  # pragma: no cover - exercised by tests/test_glue.py in a subprocess

    def glue(name: str, variable, display: bool = True) -> None:
        """Stand-in for ``myst_nb.glue``: show ``variable`` if ``display``, keep nothing."""
        if not isinstance(name, str):
            raise TypeError(f"glue: expected name to be a str, got {type(name).__name__}")
        if display:
            from IPython.display import display as show

            show(variable)
