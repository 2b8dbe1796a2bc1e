"""The whole book as one PDF (issue 16), read back with pypdf.

``make book`` (or ``make pdf``) prints the single-page build of the book with the
system Chromium into ``lstm-gate-by-gate.pdf`` next to the site. The PDF must have a
plausible number of pages, every chapter's title as text, the maths as text (MathJax's
output, not raw TeX and not missing), the figures, page numbers, a table of contents
whose entries link into the document, and an outline (bookmarks) naming the chapters.
"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

PDF_NAME = "lstm-gate-by-gate.pdf"
# What untypeset maths looks like in the prose: Sphinx's delimiters \( \) and \[ \],
# and environments. (Code listings may hold $...$ legitimately: matplotlib labels.)
# pypdf's default text extraction skips MathJax's Type 3 glyphs, so no TeX source
# left in it means none was printed.
RAW_TEX = re.compile(r"\\\(|\\\[|\\begin\{")


@pytest.fixture(scope="module")
def pdf(site):
    pypdf = pytest.importorskip("pypdf", reason="pip install -r requirements.txt")
    path = site.html / PDF_NAME
    if not path.is_file():
        pytest.fail(f"{path} is missing: `make book` (or `make pdf`) builds it")
    return pypdf.PdfReader(str(path))


class PageText:
    """Text of the PDF's pages, extracted on first use (pypdf is slow on a whole book)."""

    def __init__(self, reader):
        self.reader, self.cache = reader, {}

    def __getitem__(self, index: int) -> str:
        if index not in self.cache:
            self.cache[index] = self.reader.pages[index].extract_text() or ""
        return self.cache[index]


@pytest.fixture(scope="module")
def pages_text(pdf) -> PageText:
    return PageText(pdf)


@pytest.fixture(scope="module")
def outline(pdf) -> list[tuple[str, int, int]]:
    """Every bookmark as (title, depth, page index), in document order."""
    entries = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                entries.append((item.title, depth, pdf.get_destination_page_number(item)))

    walk(pdf.outline, 0)
    return entries


def chapter_titles(site) -> list[str]:
    """The h1 of every page of the table of contents, from the built site."""
    titles = []
    for doc in site.docs:
        html = site.page_file(doc).read_text(encoding="utf-8")
        # The article's h1 (it ends in a headerlink; the theme's print-only copy does not).
        match = re.search(r"<h1>((?:(?!</h1>).)*?)<a class=\"headerlink\"", html, re.DOTALL)
        assert match, f"{doc}: no h1"
        title = re.sub(r"<[^>]+>", "", match.group(1))
        titles.append(" ".join(title.replace("&#8217;", "’").replace("&amp;", "&").split()))
    return titles


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_pdf_has_a_plausible_length(site, pdf):
    # Every page of the site takes at least one page; the chapters several.
    assert len(site.docs) + 1 < len(pdf.pages) < 40 * len(site.docs), len(pdf.pages)


def test_every_chapter_title_is_text(site, outline, pages_text):
    """Each page of the site starts a chapter of the PDF whose title is text there."""
    starts = {squash(title): page for title, _, page in outline}
    missing = []
    for title in chapter_titles(site):
        page = starts.get(squash(title))
        if page is None or squash(title) not in squash(pages_text[page]):
            missing.append(title)
    assert not missing, f"chapter titles not found as text where they start: {missing}"


def test_maths_is_typeset_not_raw(pdf, outline, pages_text):
    """The notation chapter, all maths: MathJax's glyphs (vector outlines in Type 3
    fonts that map back to Unicode), not TeX source and not missing."""
    top = [(title, page) for title, depth, page in outline if depth <= 1]
    start = next(page for title, page in top if title.strip() == "Notation")
    end = max(min((page for _, page in top if page > start), default=start + 1), start + 1)
    raw = [m.group(0) for i in range(start, end) for m in RAW_TEX.finditer(pages_text[i])]
    assert not raw, f"raw TeX in the notation chapter's text: {raw[:5]}"
    glyph_fonts = 0
    for i in range(start, end):
        fonts = pdf.pages[i]["/Resources"].get_object().get("/Font")
        for ref in (fonts.get_object() if fonts else {}).values():
            font = ref.get_object()
            glyph_fonts += font.get("/Subtype") == "/Type3" and "/ToUnicode" in font
    assert glyph_fonts, "no MathJax glyph font on the notation pages: maths missing?"
    # pypdf reads Type 3 text in layout mode: the gate equations' symbols are there.
    text = "\n".join(pdf.pages[i].extract_text(extraction_mode="layout") for i in range(start, end))
    for symbol in ("σ", "⊙", "tanh", "∂"):
        assert symbol in text, f"{symbol!r} not found in the notation chapter's maths"


def test_figures_are_embedded(site, pdf):
    # Every figure the chapter pages show (live widgets' pictures aside: the PDF has
    # the static figure drawn before each widget).
    figures = set()
    for doc in site.notebooks:
        html = site.page_file(doc).read_text(encoding="utf-8")
        figures |= set(re.findall(r'<img [^>]*src="\.\./_images/([^"]+)"', html))
    assert figures, "no figure on any chapter page"
    images = set()  # image objects drawn on the pages (read, not decoded: that is slow)
    for page in pdf.pages:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources else None
        for ref in (xobjects.get_object() if xobjects else {}).values():
            if ref.get_object().get("/Subtype") == "/Image":
                images.add(ref.idnum)
    images = len(images)
    assert images >= len(figures), f"{images} images in the PDF, {len(figures)} figures on the site"


def test_page_numbers(pdf, pages_text):
    total = len(pdf.pages)
    for number in (1, total // 2, total):
        text = pages_text[number - 1]
        assert re.search(rf"\b{number}\s*/\s*{total}\b", text), (
            f"page {number}: no page number '{number} / {total}' in {text[-80:]!r}"
        )


def test_contents_link_into_the_document(site, pdf, pages_text):
    contents = next((i for i in range(6) if "Contents" in pages_text[i]), None)
    assert contents is not None, "no 'Contents' page near the start"
    links = [
        annot.get_object()
        for page in pdf.pages[contents : contents + 3]
        for annot in page.get("/Annots", []) or []
    ]
    internal = [a for a in links if a.get("/Subtype") == "/Link" and "/URI" not in a.get("/A", {})]
    assert len(internal) >= len(site.notebooks), (
        f"{len(internal)} internal links on the contents pages, "
        f"expected one per chapter ({len(site.notebooks)})"
    )


def test_outline_names_the_chapters(site, outline):
    assert outline, "the PDF has no outline (bookmarks)"
    titles = {squash(title) for title, _, _ in outline}
    missing = [t for t in chapter_titles(site) if squash(t) not in titles]
    assert not missing, f"chapters missing from the PDF outline: {missing}"
