"""Sphinx extension: a "Run in the browser" note at the top of every chapter page (issue 15).

A chapter with a browser version (JupyterLite, built by tools/site/build_lite.py into
``_build/html/lite/`` before the book) gets a link that opens it in the lite app's
notebook view. A chapter without one says why (it needs PyTorch). If the browser
build was skipped (no npm, registry down), the pages say that instead of linking to
nothing. Which chapters run in the browser is decided by tools/site/lite_chapters.py,
the same module the lite build uses.

Enabled in ``_config.yml`` with ``sphinx: local_extensions: {lite_links: tools/site/}``.
"""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lite_chapters import LITE_APP, NEEDS_TORCH, browser_status, cell_tags, read_notebook  # noqa: E402

MANIFEST = Path("lite") / "lite-manifest.json"


def lite_manifest(app) -> dict | None:
    path = Path(app.outdir) / MANIFEST
    return json.loads(path.read_text()) if path.is_file() else None


def note_html(pagename: str, source: Path, manifest: dict | None) -> str:
    name = source.name
    up = "../" * pagename.count("/")
    offered, why_not = browser_status(read_notebook(source))
    if not offered:
        title, body = "No browser version", html.escape(why_not)
    elif manifest is None or name not in manifest.get("chapters", []):
        title = "Browser version not built"
        body = (
            "This chapter can run in the browser, but this copy of the site was built "
            "without its browser version (see the output of <code>make book</code>)."
        )
    else:
        href = f"{up}lite/{LITE_APP}/index.html?path={name}"
        title = "Run in the browser"
        body = (
            f'<a class="reference external lite-link" href="{html.escape(href)}">'
            "Run this chapter in your browser</a>: no install and no server, Python runs in "
            "the page (Pyodide, about 30&nbsp;MB on the first visit, then cached)."
        )
        if any(NEEDS_TORCH in cell_tags(c) for c in read_notebook(source)["cells"]):
            body += " The comparisons with PyTorch are left out there; this page shows them."
    return (
        '<div class="admonition note lite-note">'
        f'<p class="admonition-title">{title}</p><p>{body}</p></div>'
    )


def add_note(app, pagename, templatename, context, doctree) -> None:
    if doctree is None or "body" not in context:
        return
    source = Path(app.env.doc2path(pagename))
    if source.suffix != ".ipynb" or source.parent.name != "notebooks":
        return
    note = note_html(pagename, source, lite_manifest(app))
    body = context["body"]
    end = body.find("</h1>")
    context["body"] = body[: end + 5] + note + body[end + 5 :] if end >= 0 else note + body


def setup(app) -> dict[str, Any]:
    app.connect("html-page-context", add_note)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
