"""The markup fixes of the local Sphinx extension tools/site/offline_site.py (issue 16),
without a browser: what axe-core checks on the built pages (tests/site/) comes from here."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from docutils import nodes

REPO = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("offline_site", REPO / "tools/site/offline_site.py")
offline_site = importlib.util.module_from_spec(spec)
spec.loader.exec_module(offline_site)

TOCTREE = (
    '<ul><li class="toctree-l1 has-children"><a class="reference internal" href="q.html">'
    'Self-check quizzes</a><details><summary><span class="toctree-toggle" role="presentation">'
    '<i class="fa-solid fa-chevron-down"></i></span></summary><ul><li>x</li></ul></details></li>'
    '<li><details><summary><p class="caption">Part I</p></summary></details></li></ul>'
)


def test_icon_only_summaries_get_a_hidden_name():
    html = offline_site.name_toggles(TOCTREE)
    assert '<span class="visually-hidden">Pages under Self-check quizzes</span></summary>' in html
    assert html.count("visually-hidden") == 1, "a summary with text must stay as it is"
    assert (
        offline_site.name_toggles("<ul><li>no toggles</li></ul>") == "<ul><li>no toggles</li></ul>"
    )


def test_toctree_function_is_wrapped_once():
    context = {"generate_toctree_html": lambda *a, **k: TOCTREE}
    offline_site.name_toctree_toggles(None, "p", "page.html", context, None)
    offline_site.name_toctree_toggles(None, "p", "page.html", context, None)
    html = context["generate_toctree_html"]("sidebar")
    assert html.count("Pages under Self-check quizzes") == 1


def test_docutils_viewport_is_dropped_from_metatags():
    context = {
        "metatags": '<meta name="viewport" content="width=device-width, initial-scale=1" />\n<meta name="x" />'
    }
    offline_site.drop_docutils_viewport(None, "p", "page.html", context, None)
    assert context["metatags"] == '<meta name="x" />'


class FakeTranslator:
    """Just what the citation visitor uses of Sphinx's HTML translator."""

    def __init__(self):
        self.body = []

    def starttag(self, node, tag, classes=(), **attributes):
        attrs = "".join(f' {k}="{v}"' for k, v in attributes.items())
        return f'<{tag} class="{" ".join(classes)}"{attrs}>'


def test_citations_are_list_items_not_deprecated_biblioentries():
    parent = nodes.container()
    first, second = nodes.citation(), nodes.citation()
    parent += [first, second]
    out = FakeTranslator()
    for node in (first, second):
        offline_site.visit_citation(out, node)
        offline_site.depart_citation(out, node)
    html = "".join(out.body)
    assert html.count('<div role="list" class="citation-list">') == 1
    assert html.count('role="listitem"') == 2 and "doc-biblioentry" not in html
    assert html.count("<div") == html.count("</div>"), html


def test_folded_cells_are_named_by_their_visible_text():
    cell = {
        "classes": ["tag_hide-input"],
        "prompt_show": "Show code cell content",
        "prompt_hide": "Hide code cell content",
    }
    out = FakeTranslator()
    offline_site.visit_hidden_cell(out, cell)
    offline_site.depart_hidden_cell(out, cell)
    html = "".join(out.body)
    assert "<summary>" in html and "aria-label" not in html
    assert '<p class="collapsed admonition-title">Show code cell content</p>' in html
    assert html.endswith("</details>\n")
