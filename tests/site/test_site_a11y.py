"""Accessibility and page furniture, on every page of the table of contents (issue 16).

- axe-core (WCAG 2.0/2.1, A and AA) finds no violation on any page; the counts per
  rule and page are written to ``reports/axe.txt``;
- a chapter page can be worked with the keyboard alone: Tab reaches every interactive
  element of the article (folded cells, copy buttons, quiz options, widget sliders),
  and the focused element is visibly outlined;
- one search entry point, no empty header bar, one viewport meta tag, a favicon and
  the logo, read from the built HTML.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

pytestmark = pytest.mark.browser


def test_no_axe_violations(visitor, doc):
    violations = visitor.visit(doc).axe_violations
    summary = [
        f"{v['id']} ({v['count']}: {v['help']}; e.g. {v['targets'][:2]})" for v in violations
    ]
    assert not violations, f"{doc}: axe-core violations: {summary}"


def test_axe_report(visitor, site, reports_dir):
    """Write the violations per rule and page (the check itself is above)."""
    per_rule: Counter[str] = Counter()
    pages: dict[str, set[str]] = {}
    for doc in site.docs:
        for v in visitor.visit(doc).axe_violations:
            per_rule[v["id"]] += v["count"]
            pages.setdefault(v["id"], set()).add(doc)
    lines = [f"axe-core on {len(site.docs)} pages: {sum(per_rule.values())} violations"]
    lines += [f"{rule}: {n} elements on {len(pages[rule])} pages" for rule, n in per_rule.items()]
    (reports_dir / "axe.txt").write_text("\n".join(lines) + "\n")
    unchecked = [doc for doc in site.docs if doc not in visitor.visits]
    assert not unchecked, f"pages axe-core did not check: {unchecked}"


# --------------------------------------------------------------------------- furniture


def head_and_body(site, doc) -> tuple[str, str]:
    html = site.page_file(doc).read_text(encoding="utf-8")
    head, _, body = html.partition("</head>")
    return head, body


def test_one_viewport_meta_tag(site, doc):
    head, _ = head_and_body(site, doc)
    tags = re.findall(r'<meta[^>]+name="viewport"', head)
    assert len(tags) == 1, f"{doc}: {len(tags)} viewport meta tags"


def test_favicon_and_logo(site, doc):
    head, body = head_and_body(site, doc)
    icon = re.search(r'<link rel="icon" href="([^"]+)"', head)
    assert icon, f"{doc}: no <link rel='icon'>"
    target = (site.page_file(doc).parent / icon.group(1).split("?")[0]).resolve()
    assert target.is_file() and target.stat().st_size > 100, f"{doc}: favicon {target} missing"
    logos = re.findall(r'<img src="([^"]+)" class="logo__image[^"]*" alt="([^"]+)"', body)
    assert logos, f"{doc}: no logo with alt text in the sidebar"


def test_one_search_entry_point_and_no_header_bar(site, doc):
    _, body = head_and_body(site, doc)
    fields = body.count("search-button-field")
    assert fields == 1, f"{doc}: {fields} search fields on the page, expected the sidebar's one"
    header = re.search(r'<header id="pst-header"([^>]*)>(.*?)</header>', body, re.DOTALL)
    # The theme's scripts measure the header, so it stays: empty and hidden.
    assert header, f"{doc}: the theme's header element is gone (its scripts need it)"
    assert " hidden" in header.group(1) and not header.group(2).strip(), (
        f"{doc}: the header bar is back: {header.group(0)[:200]}"
    )


# --------------------------------------------------------------------------- keyboard

KEYBOARD_PAGE = "notebooks/04_gates"  # folded cells, copy buttons, maths and live sliders
INTERACTIVE = (
    "a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1']),"
    " [role='slider']"
)
# Run in the page: the element that has the focus, and whether the focus is drawn.
FOCUSED_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  if (!el.dataset.tabStop) el.dataset.tabStop = String(Math.random()).slice(2);
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const ring = outline || (style.boxShadow && style.boxShadow !== "none");
  const shown = parseFloat(style.opacity) > 0.5 && style.visibility === "visible";
  return {
    id: el.dataset.tabStop,
    what: el.tagName.toLowerCase() + "." + [...el.classList].join("."),
    inArticle: !!el.closest("article.bd-article"),
    visible: !!ring && shown,
  };
}"""
# Run in the page: every interactive element of the article a reader can see.
EXPECTED_JS = """(selector) => {
  const article = document.querySelector("article.bd-article");
  return [...article.querySelectorAll(selector)]
    .filter((el) => el.checkVisibility({ visibilityProperty: true }) && !el.disabled && el.tabIndex >= 0)
    .filter((el) => !el.closest("[inert], [aria-hidden='true']"))
    .map((el) => {
      if (!el.dataset.tabStop) el.dataset.tabStop = String(Math.random()).slice(2);
      return { id: el.dataset.tabStop, what: el.tagName.toLowerCase() + "." + [...el.classList].join(".") };
    });
}"""


def test_keyboard_reaches_every_control_with_visible_focus(site, visitor):
    if KEYBOARD_PAGE not in site.docs:
        pytest.skip(f"{KEYBOARD_PAGE} is not in the table of contents")
    from site_model import COLLECT_JS

    context, page = visitor.new_page("keyboard")
    try:
        page.goto(visitor.url(KEYBOARD_PAGE), wait_until="load")
        page.evaluate(COLLECT_JS)  # maths typeset, widgets drawn
        expected = page.evaluate(EXPECTED_JS, INTERACTIVE)
        kinds = {e["what"].split(".")[0] for e in expected}
        assert {"summary", "button"} <= kinds, f"{KEYBOARD_PAGE}: controls found: {kinds}"
        assert any("noUi-handle" in e["what"] for e in expected), "no live slider to reach"
        reached, invisible = {}, []
        for _ in range(len(expected) + 400):
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED_JS)
            if focused is None:
                continue
            if focused["id"] in reached:
                break  # went round the whole page
            reached[focused["id"]] = focused
            if focused["inArticle"] and not focused["visible"]:
                invisible.append(focused["what"])
    finally:
        context.close()
    missed = [e["what"] for e in expected if e["id"] not in reached]
    assert not missed, f"{KEYBOARD_PAGE}: not reachable with Tab: {missed[:10]}"
    assert not invisible, f"{KEYBOARD_PAGE}: focus not drawn on: {sorted(set(invisible))}"
