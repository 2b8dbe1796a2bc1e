"""Every page of the table of contents, as a reader's browser loads it (issue 8).

Each page is loaded once (see conftest.py); these tests check what that visit saw:
HTTP 200, no console message of any level, no page error, no failed request (the
favicon included), no request to another origin, maths typeset, images loaded with
alt text, page weight under 3 MB, and basic accessibility (language, one h1, headings
in order). axe-core's verdict on the same visit is checked in test_site_a11y.py.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

MAX_PAGE_BYTES = 3_000_000


def test_page_loads_cleanly(visitor, doc):
    visit = visitor.visit(doc)
    status, errors = visit.status, visit.page_errors
    console, failed = visit.console_messages, visit.failed_requests
    assert status == 200, f"{visit.url}: HTTP {status}"
    assert not errors, f"{doc}: JavaScript errors: {errors}"
    assert not console, f"{doc}: console messages (any level counts): {console}"
    assert not failed, f"{doc}: failed requests: {failed}"


def test_page_stays_on_its_origin(visitor, doc):
    foreign = sorted(set(visitor.visit(doc).foreign_requests))
    assert not foreign, (
        f"{doc}: loading the page contacted other origins (the site must work offline): {foreign}"
    )


def test_maths_is_typeset(visitor, doc):
    dom = visitor.visit(doc).dom
    if dom["mathNodes"]:
        assert dom["mathjaxLoaded"], f"{doc}: the page has maths but MathJax did not load"
        assert dom["mathjaxVersion"].startswith("3."), dom["mathjaxVersion"]
    assert not dom["untypeset"], f"{doc}: maths left untypeset: {dom['untypeset'][:5]}"
    assert dom["mathjaxOutputs"] >= dom["mathNodes"], (
        f"{doc}: {dom['mathNodes']} maths nodes but {dom['mathjaxOutputs']} MathJax outputs"
    )
    assert not dom["rawTex"], f"{doc}: raw TeX left in the text: {dom['rawTex'][:5]}"


def test_images_load_with_alt_text(visitor, doc):
    images = visitor.visit(doc).dom["images"]
    broken = [img["src"] for img in images if img["naturalWidth"] == 0 and img["visible"]]
    assert not broken, f"{doc}: images that did not load: {broken}"
    no_alt = [img["src"] for img in images if not (img["alt"] or "").strip()]
    assert not no_alt, f"{doc}: images without alt text: {no_alt}"


def test_page_weight(visitor, doc):
    visit = visitor.visit(doc)
    assert visit.transfers, f"{doc}: the server saw no request for this visit"
    assert visit.bytes_sent < MAX_PAGE_BYTES, (
        f"{doc}: {visit.bytes_sent / 1e6:.2f} MB transferred (limit 3 MB); largest: "
        + ", ".join(
            f"{t.path} {t.sent / 1e3:.0f} kB"
            for t in sorted(visit.transfers, key=lambda t: -t.sent)[:5]
        )
    )


def test_accessibility_basics(visitor, doc):
    dom = visitor.visit(doc).dom
    assert dom["lang"], f"{doc}: <html> has no lang attribute"
    levels = [h["level"] for h in dom["headings"]]
    h1s = [h["text"] for h in dom["headings"] if h["level"] == 1]
    assert len(h1s) == 1, f"{doc}: expected exactly one visible h1, found {h1s}"
    assert levels and levels[0] == 1, (
        f"{doc}: the first heading is not the h1: {dom['headings'][:3]}"
    )
    pairs = zip(dom["headings"], dom["headings"][1:], strict=False)
    skips = [
        f"h{a['level']} '{a['text']}' -> h{b['level']} '{b['text']}'"
        for a, b in pairs
        if b["level"] > a["level"] + 1
    ]
    assert not skips, f"{doc}: heading levels skipped: {skips}"
    no_alt = [img["src"] for img in dom["images"] if not (img["alt"] or "").strip()]
    assert not no_alt, f"{doc}: images without alt text: {no_alt}"


def test_page_weight_report(visitor, site, reports_dir):
    """Write (and print) the bytes transferred per page; the check itself is above."""
    rows = []
    for doc in site.docs:
        visit = visitor.visit(doc)
        rows.append((doc, visit.bytes_sent, visit.bytes_raw, len(visit.transfers), visit.seconds))
    width = max(len(r[0]) for r in rows)
    lines = [f"{'page':<{width}}  {'sent kB':>8}  {'raw kB':>8}  {'requests':>8}  {'load s':>6}"]
    lines += [
        f"{d:<{width}}  {s / 1e3:>8.0f}  {r / 1e3:>8.0f}  {n:>8}  {t:>6.2f}"
        for d, s, r, n, t in rows
    ]
    largest = max(rows, key=lambda r: r[1])
    lines.append(
        f"largest: {largest[0]} {largest[1] / 1e6:.2f} MB sent (limit 3 MB), {len(rows)} pages"
    )
    (reports_dir / "page-weight.txt").write_text("\n".join(lines) + "\n")
    assert largest[1] < MAX_PAGE_BYTES
