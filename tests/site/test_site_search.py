"""The site's full-text search finds a term from the course (issue 8).

The term is "forget gate" once a chapter uses it; until then a word taken from a
page that exists (the notation page, else the first page), so the test always
searches for something the site contains.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import quote, urlsplit

import pytest

pytestmark = pytest.mark.browser

PREFERRED_TERM = "forget gate"


def page_text(site, doc: str) -> str:
    html = site.page_file(doc).read_text(encoding="utf-8")
    match = re.search(r'<article class="bd-article".*?</article>', html, re.DOTALL)
    body = match.group(0) if match else html
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.DOTALL)
    return unescape(re.sub(r"<[^>]+>", " ", body))


def choose_term(site) -> tuple[str, list[str]]:
    """The term to search for and the pages that contain it."""
    texts = {doc: page_text(site, doc).lower() for doc in site.docs}
    having = [doc for doc, text in texts.items() if PREFERRED_TERM in text]
    if having:
        return PREFERRED_TERM, having
    source = next((d for d in site.docs if d.endswith("notation")), site.docs[0])
    words = re.findall(r"\b[a-z]{9,}\b", texts[source])
    assert words, f"no word to search for on {source}"
    term = words[0]
    return term, [doc for doc, text in texts.items() if term in text]


def test_search_finds_a_course_term(site, visitor, server):
    term, expected = choose_term(site)
    context, page = visitor.new_page("search")
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: (
            errors.append(f"{msg.text} @ {msg.location.get('url', '')}")
            if msg.type == "error"
            else None
        ),
    )
    try:
        page.goto(f"{server.origin}/search.html?q={quote(term)}")
        page.wait_for_function(
            "() => /found|finished|did not match/i.test("
            "(document.querySelector('#search-results .search-summary') || {}).textContent || '')",
            timeout=20000,
        )
        hrefs = page.eval_on_selector_all(
            "#search-results ul.search li a", "links => links.map(a => a.href)"
        )
    finally:
        context.close()
    errors = [e for e in errors if "favicon.ico" not in e]
    assert not errors, f"search page errors: {errors}"
    found = {urlsplit(h).path.lstrip("/").removesuffix(".html") for h in hrefs}
    assert found & set(expected), (
        f"searching {term!r} found {sorted(found)}; expected one of {expected}"
    )
