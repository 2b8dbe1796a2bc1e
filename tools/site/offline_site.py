"""Sphinx extension: keep the built pages free of JavaScript errors (issue 8).

The browser tests (tests/site/) fail on any console error; two came from the
theme stack itself, on every page:

1. pydata-sphinx-theme logs "Got invalid theme mode: . Resetting to auto." when
   ``html_context["default_mode"]`` is unset (Jupyter Book does not set it). We set
   it to "auto" (what the theme falls back to anyway) unless _config.yml sets it.
2. sphinx-thebe 0.3.1 registers its inline configuration script
   (``const THEBE_JS_URL = ...``) during ``env-before-read-docs``; under Sphinx 7.4
   the script reaches the page twice, and the second copy throws "Identifier
   'THEBE_JS_URL' has already been declared" on every page. Sphinx already drops
   duplicate script *files*; we drop duplicate *inline* scripts too.

Accessibility and page furniture (issue 16; axe-core checks every page, see
tests/site/test_site_a11y.py), fixed where the markup is made:

3. ``templates/`` goes first on the template path: ``layout.html`` drops the nearly
   empty header bar (it held a second search button) and the duplicate viewport meta
   tag of pydata-sphinx-theme; ``search-button-field.html`` and
   ``theme-switcher.html`` give the search and colour-mode buttons accessible names
   that contain their visible text (axe: label-content-name-mismatch).
4. The sidebar's collapsible sections are ``<details>`` whose ``<summary>`` holds only
   an icon (axe: summary-name). ``name_toctree_toggles`` wraps the theme's
   ``generate_toctree_html`` and gives each summary a visually hidden name.
5. docutils marks citations with the deprecated DPUB role ``doc-biblioentry`` inside
   a ``role="list"`` (axe: aria-deprecated-role, aria-required-children): the
   citation visitor below writes ``role="listitem"`` instead.
6. Docutils' own viewport meta tag (in ``metatags``) is dropped: Sphinx's layout has one.
7. myst-nb's folded cells are ``<summary aria-label="Toggle hidden content">`` around
   the visible text "Show code cell content" (axe: label-content-name-mismatch): the
   visitor below writes the summary without the aria-label, so its name is its text.
8. ``static/site.css`` draws the keyboard focus on the widget sliders and the copy
   buttons, which the theme leaves invisible.
9. ``static/quiet-console.js``, loaded first on every page, drops four routine
   progress messages the theme stack and the widget manager log on every load (the
   file lists them); anything else still reaches the console.

Enabled in ``_config.yml`` with ``sphinx: local_extensions: {offline_site: tools/site/}``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes

TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")
VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>\s*')


def drop_duplicate_inline_scripts(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple[Any, ...]] = set()
    kept = []
    for script in scripts:
        filename = getattr(script, "filename", script)
        attributes = getattr(script, "attributes", {}) or {}
        if not filename and attributes.get("body"):
            key = tuple(sorted((k, str(v)) for k, v in attributes.items()))
            if key in seen:
                continue
            seen.add(key)
        kept.append(script)
    context["script_files"] = kept


def default_theme_mode(app, config) -> None:
    context = dict(config.html_context or {})
    context.setdefault("default_mode", "auto")
    config.html_context = context


def add_templates(app, config) -> None:
    config.templates_path = [str(TEMPLATES), *config.templates_path]
    if str(STATIC) not in config.html_static_path:
        config.html_static_path = [*config.html_static_path, str(STATIC)]


def name_toggles(html: str) -> str:
    """Give every icon-only ``<summary>`` of a toctree a visually hidden name, taken
    from the link of the section it opens ("Pages under <title>")."""
    if "<summary" not in html:
        return html
    from bs4 import BeautifulSoup  # a dependency of pydata-sphinx-theme

    soup = BeautifulSoup(html, "html.parser")
    for summary in soup.find_all("summary"):
        if summary.get_text(strip=True):
            continue
        item = summary.find_parent("li")
        link = item.find("a", recursive=False) if item else None
        title = link.get_text(" ", strip=True) if link else "this section"
        hidden = soup.new_tag("span", attrs={"class": "visually-hidden"})
        hidden.string = f"Pages under {title}"
        summary.append(hidden)
    return str(soup)


def name_toctree_toggles(app, pagename, templatename, context, doctree) -> None:
    generate = context.get("generate_toctree_html")
    if generate is None or getattr(generate, "names_toggles", False):
        return

    def generate_named(*args, **kwargs):
        return name_toggles(str(generate(*args, **kwargs)))

    generate_named.names_toggles = True
    context["generate_toctree_html"] = generate_named


def drop_docutils_viewport(app, pagename, templatename, context, doctree) -> None:
    if "metatags" in context:
        context["metatags"] = VIEWPORT.sub("", context["metatags"])


def visit_citation(self, node) -> None:
    """docutils' citation visitor, with ``listitem`` for the deprecated ``doc-biblioentry``."""
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def depart_citation(self, node) -> None:
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), type(node)):
        self.body.append("</div>\n")


def visit_hidden_cell(self, node) -> None:
    """myst-nb's folded cell, named by its visible text (no contradicting aria-label)."""
    from html import escape

    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n<summary>\n')
    self.body.append(f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n')
    self.body.append(f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n')
    self.body.append("</summary>\n")


def depart_hidden_cell(self, node) -> None:
    self.body.append("</details>\n")


def override_visitors(app) -> None:
    """Registered once every extension is set up, so that ours win over myst-nb's."""
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    try:
        from myst_nb.sphinx_ import HideCodeCellNode
    except ImportError:  # another myst-nb layout: nothing to fix
        return
    app.add_node(HideCodeCellNode, override=True, html=(visit_hidden_cell, depart_hidden_cell))


def setup(app) -> dict[str, Any]:
    app.connect("config-inited", default_theme_mode)
    app.connect("config-inited", add_templates)
    # After pydata-sphinx-theme has put generate_toctree_html into the context.
    app.connect("html-page-context", name_toctree_toggles, priority=900)
    app.connect("html-page-context", drop_docutils_viewport, priority=900)
    app.connect("builder-inited", override_visitors)
    app.add_js_file("quiet-console.js", priority=1)  # before every other script
    app.add_css_file("site.css", priority=900)  # after the theme's, to win ties
    # Run late, after the extensions that add scripts per page (myst-nb, thebe).
    app.connect("html-page-context", drop_duplicate_inline_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
