"""Notebook pages: outputs shown, widgets rendered from their saved state, Binder link.

What a page should show is read from its notebook (the build's copy in
``_sources/``): a code cell with figure metadata or ``plt.show()`` must show a
loaded image; a cell that prints at top level must show output; a cell that builds
an ipywidgets widget must show it rendered by the widget manager.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from site_model import page_code_cells, source_dir

pytestmark = pytest.mark.browser


def page_cells(visitor, notebook_doc):
    cells = page_code_cells(notebook_doc)
    shown = visitor.visit(notebook_doc).dom["cells"]
    assert len(shown) == len(cells), (
        f"{notebook_doc}: the notebook has {len(cells)} code cells to show, "
        f"the page shows {len(shown)}"
    )
    return list(zip(cells, shown, strict=True))


def test_notebook_outputs_shown(visitor, notebook_doc):
    for cell, shown in page_cells(visitor, notebook_doc):
        where = f"{notebook_doc}, code cell {cell.index + 1} ({cell.source.strip()[:50]!r})"
        if cell.draws_figure:
            assert shown["images"], f"{where}: draws a figure but the page shows no image"
            assert all(w > 0 for w in shown["images"]), f"{where}: figure did not load"
        if cell.prints:
            assert shown["outputs"] and shown["outputText"], f"{where}: printed output missing"


def test_widgets_render_their_saved_state(visitor, notebook_doc):
    pairs = page_cells(visitor, notebook_doc)
    widget_cells = [(c, s) for c, s in pairs if c.makes_widget]
    dom = visitor.visit(notebook_doc).dom
    if not widget_cells and not dom["widgetViews"]:
        pytest.skip(f"{notebook_doc} has no widgets")
    assert dom["widgetState"] == 1, f"{notebook_doc}: no saved widget state on the page"
    for cell, shown in widget_cells:
        where = f"{notebook_doc}, code cell {cell.index + 1}"
        assert shown["widgetViews"], f"{where}: builds a widget but the page has no widget view"
    assert dom["widgetViews"] > 0
    rendered = sum(s["widgetsRendered"] for s in dom["cells"])
    assert rendered == dom["widgetViews"], (
        f"{notebook_doc}: {dom['widgetViews']} widget views, {rendered} rendered"
    )


def expected_binder_url(site, notebook_doc) -> tuple[str, str, str]:
    config = site.config
    repo = config["repository"]["url"].rstrip("/")
    branch = config["repository"].get("branch", "main")
    book_path = (config["repository"].get("path_to_book") or "").strip("/")
    hub = config["launch_buttons"]["binderhub_url"].rstrip("/")
    org_repo = urlsplit(repo).path.strip("/")
    notebook = "/".join(p for p in (book_path, f"{notebook_doc}.ipynb") if p)
    return (
        f"{hub}/v2/gh/{org_repo}/{branch}",
        notebook,
        config["launch_buttons"].get("notebook_interface", "jupyterlab"),
    )


def test_binder_button_points_at_this_notebook(visitor, site, notebook_doc):
    base, notebook, interface = expected_binder_url(site, notebook_doc)
    links = [link["href"] for link in visitor.visit(notebook_doc).dom["externalLinks"]]
    binder = [href for href in links if "/v2/gh/" in href]
    assert binder, f"{notebook_doc}: no Binder launch button"
    for href in binder:
        assert href.split("?")[0] == base, f"{notebook_doc}: Binder link {href}, expected {base}"
        query = parse_qs(urlsplit(href).query)
        if interface == "jupyterlab":
            assert query.get("urlpath") == [f"lab/tree/{notebook}"], (
                f"{notebook_doc}: Binder opens {query}, expected lab/tree/{notebook}"
            )
        else:
            assert notebook in href, f"{notebook_doc}: Binder link {href} misses {notebook}"
    # The path Binder opens must be a notebook of the repository.
    assert (source_dir() / notebook).is_file(), f"{notebook}: not in the repository"
