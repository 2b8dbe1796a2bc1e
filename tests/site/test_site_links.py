"""Every internal link and anchor of the built site resolves (a crawler, no browser).

Starting from index.html, the crawler follows every internal href/src of every
HTML page it reaches; a link to a missing file or to a missing #anchor fails.
External links are listed in reports/external-links.txt, never fetched.
"""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

pytestmark = pytest.mark.browser

LINK_ATTRS = {
    "a": "href",
    "link": "href",
    "img": "src",
    "script": "src",
    "iframe": "src",
    "source": "src",
}


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key) and (key == "id" or tag == "a"):
                self.ids.add(attrs[key])
        target = attrs.get(LINK_ATTRS.get(tag, ""))
        if target is not None:
            self.links.append(target)
        # The root index.html redirects to the landing page with a meta refresh.
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            url = (attrs.get("content") or "").partition("url=")[2].strip()
            if url:
                self.links.append(url)


def parse(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return parser


def crawl(root: Path):
    """Return (pages reached, broken links, external links)."""
    parsed: dict[Path, PageParser] = {}
    queue = deque([root / "index.html"])
    broken, external, anchors = [], set(), []
    while queue:
        page = queue.popleft()
        if page in parsed:
            continue
        parsed[page] = parse(page)
        for link in parsed[page].links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "mailto", "tel") or link.startswith("//"):
                external.add(link)
                continue
            if parts.scheme in ("javascript", "data") or not (parts.path or parts.fragment):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if parts.path.endswith("/") or target.is_dir():
                target = target / "index.html"
            where = f"{page.relative_to(root)} -> {link}"
            if root.resolve() not in target.parents:
                broken.append(f"{where} (outside the site)")
            elif not target.is_file():
                broken.append(f"{where} (no such file)")
            elif target.suffix == ".html":
                queue.append(target)
                if parts.fragment:
                    anchors.append((where, target, unquote(parts.fragment)))
    for where, target, fragment in anchors:
        if target not in parsed:
            parsed[target] = parse(target)
        if fragment not in parsed[target].ids:
            broken.append(f"{where} (no anchor #{fragment})")
    return set(parsed), broken, external


@pytest.fixture(scope="module")
def crawled(site):
    return crawl(site.html.resolve())


def test_internal_links_and_anchors_resolve(crawled):
    _, broken, _ = crawled
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(sorted(broken)[:40])


def test_every_toc_page_is_reachable(crawled, site):
    pages, _, _ = crawled
    root = site.html.resolve()
    missing = [doc for doc in site.docs if (root / f"{doc}.html") not in pages]
    assert not missing, f"toc pages not linked from the site: {missing}"


def test_external_links_listed(crawled, reports_dir):
    _, _, external = crawled
    report = reports_dir / "external-links.txt"
    report.write_text("".join(f"{url}\n" for url in sorted(external)))
    assert report.read_text().count("\n") == len(external)
