"""Build the whole book as one PDF, offline: no LaTeX, no downloaded browser (issue 16).

1. Sphinx's ``singlehtml`` builder writes the book, every chapter already executed
   (Jupyter Book's execution cache, shared with the HTML site), as one HTML page into
   ``_build/singlehtml``. Its own doctree folder keeps the HTML site's build
   incremental. Live widgets are hidden in print: each stands after the static
   figure the chapter draws for it, and that figure is printed.
2. The system Chromium (Debian's package, through Playwright, as in the browser
   tests) opens that page from a local server, waits until MathJax has typeset every
   formula and every figure has loaded, adds a table of contents whose entries link
   to the chapters, and prints the page: A4, page numbers in the footer, each chapter
   on a new page, the PDF outline (bookmarks) made from the headings.

The PDF goes to ``_build/pdf/lstm-gate-by-gate.pdf`` and, when the HTML site has been
built, next to it as ``_build/html/lstm-gate-by-gate.pdf``, where the landing page's
download button points. ``make pdf`` runs this; ``make book`` runs it after the site.

Run: ``python tools/site/build_pdf.py`` (``CHROMIUM_PATH`` names the browser).
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from chromium import CHROMIUM_ARGS, find_chromium  # tools/site/chromium.py

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "_build"
SINGLE = BUILD / "singlehtml"
DOCTREES = BUILD / ".doctrees-pdf"
PDF_NAME = "lstm-gate-by-gate.pdf"

# Print layout, added to the single page before printing.
PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
html { font-size: 10.5pt; }
.bd-sidebar-primary, .bd-sidebar-secondary, .bd-header-article, .prev-next-footer,
.bd-footer, .bd-footer-content, .headerlink, .copybtn, #pst-back-to-top,
.jupyter-widgets, .widget-subarea, .d-print-none,
#jb-print-docs-body { display: none !important; }
/* The theme prints its own copy of the title and hides the article's; we print the
   article's (it is the one the outline and the links point to). */
.bd-main .bd-content .bd-article h1:first-of-type { display: block !important; }
.bd-main .bd-content .bd-article-container { max-width: 100% !important; }
.bd-container, .bd-container__inner, .bd-main, .bd-content { display: block !important; }
/* Every chapter (one Sphinx document of the single page) starts on a new page. */
span[id^="document-"] { display: block; break-before: page; }
h1, h2, h3 { break-after: avoid; }
figure, img, .cell_output, pre, table { break-inside: avoid; }
img { max-width: 100% !important; }
nav.pdf-toc { break-after: page; }
nav.pdf-toc ol { list-style: none; padding-left: 0; }
nav.pdf-toc li { margin: 0.3em 0; }
nav.pdf-toc li.part { margin-top: 0.9em; font-weight: 600; }
"""

# Run in the page: wait for MathJax and images, then write the table of contents.
PREPARE_JS = """async () => {
  const wait = (p, ms) => Promise.race([p, new Promise((r) => setTimeout(r, ms))]);
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await wait(MathJax.startup.promise, 60000);
  }
  const images = [...document.images];
  images.forEach((img) => { img.loading = "eager"; });
  await wait(Promise.all(images.map((img) => img.decode().catch(() => null))), 60000);
  if (document.fonts) await wait(document.fonts.ready, 20000);

  // One entry per page of the book: Sphinx marks where each document starts with
  // <span id="document-NAME">, followed by its section (title demoted to h2 or h3).
  const article = document.querySelector("article.bd-article") || document.body;
  const markers = [...article.querySelectorAll('span[id^="document-"]')];
  const entries = [];
  for (const marker of markers) {
    const section = marker.nextElementSibling;
    const heading = section && section.querySelector("h1, h2, h3, h4");
    if (!section || !section.id || !heading) continue;
    const title = heading.textContent.replace(/#$/, "").trim();
    entries.push({ id: section.id, title, level: Number(heading.tagName[1]) });
  }
  const nav = document.createElement("nav");
  nav.className = "pdf-toc";
  nav.setAttribute("aria-label", "Contents");
  nav.innerHTML = "<h2>Contents</h2><ol></ol>";
  const list = nav.querySelector("ol");
  const top = Math.min(...entries.map((e) => e.level));
  for (const entry of entries) {
    const item = document.createElement("li");
    item.style.marginLeft = `${1.5 * (entry.level - top)}em`;
    const link = document.createElement("a");
    link.href = "#" + entry.id;
    link.textContent = entry.title;
    item.appendChild(link);
    list.appendChild(item);
  }
  // The contents follow the landing page, the book's first document.
  if (markers.length) markers[0].before(nav);
  const untypeset = [...article.querySelectorAll(".math")]
    .filter((el) => !el.querySelector("mjx-container") && el.tagName !== "MJX-CONTAINER").length;
  const broken = images.filter((img) => img.naturalWidth === 0).map((img) => img.src);
  return { entries: entries.length, untypeset, broken, math: document.querySelectorAll("mjx-container").length };
}"""

FOOTER = (
    '<div style="font-size:8pt;width:100%;text-align:center;color:#555;">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)


def log(msg: str) -> None:
    print(f"build_pdf: {msg}", flush=True)


def build_single_html() -> Path:
    """The book as one page, strictly (a warning fails, as for the site)."""
    from jupyter_book.sphinx import build_sphinx

    result = build_sphinx(
        ROOT,
        SINGLE,
        noconfig=True,
        path_config=str(ROOT / "_config.yml"),
        # Jupyter Book's CLI always passes latex_individualpages; its API needs it too.
        confoverrides={"nitpicky": True, "latex_individualpages": False},
        doctreedir=DOCTREES,
        builder="singlehtml",
        warningiserror=True,
        keep_going=True,
        quiet=True,
    )
    if result:
        raise SystemExit(f"build_pdf: the single-page build failed ({result})")
    pages = sorted(SINGLE.glob("**/index.html"), key=lambda p: len(p.parts))
    page = next((p for p in pages if "document-" in p.read_text(encoding="utf-8")), None)
    if page is None:
        raise SystemExit(f"build_pdf: no single page with the book's documents in {SINGLE}")
    # The single page is written as the root document's file (book/index.html) but
    # its links are relative to the output folder: print a copy placed there.
    printed = SINGLE / "print.html"
    shutil.copy2(page, printed)
    return printed


NO_CHROMIUM = (
    "Chromium not found, so the PDF is not built. Install Debian's browser "
    "(apt-get install chromium) or point CHROMIUM_PATH at a Chromium/Chrome binary."
)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def print_pdf(page_file: Path, out: Path, chromium: str) -> dict:
    from playwright.sync_api import sync_playwright

    handler = functools.partial(QuietHandler, directory=str(SINGLE))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/{page_file.relative_to(SINGLE).as_posix()}"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=chromium, headless=True, args=CHROMIUM_ARGS
            )
            page = browser.new_page()
            page.goto(url, wait_until="load", timeout=120_000)
            page.add_style_tag(content=PRINT_CSS)
            page.emulate_media(media="print")
            state = page.evaluate(PREPARE_JS)
            if state["untypeset"] or state["broken"] or not state["entries"]:
                raise SystemExit(f"build_pdf: the page is not ready to print: {state}")
            out.parent.mkdir(parents=True, exist_ok=True)
            page.pdf(
                path=str(out),
                format="A4",
                print_background=True,
                display_header_footer=True,
                header_template="<div></div>",
                footer_template=FOOTER,
                margin={"top": "18mm", "bottom": "20mm", "left": "16mm", "right": "16mm"},
                outline=True,  # bookmarks from the headings
                tagged=True,  # a structured (accessible) PDF
            )
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    return state


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=BUILD / "pdf" / PDF_NAME)
    args = parser.parse_args(argv)
    chromium = find_chromium()
    if chromium is None:
        if os.environ.get("CI"):  # in CI a missing browser fails, as in the browser tests
            raise SystemExit(f"build_pdf: {NO_CHROMIUM}")
        log(f"WARNING: {NO_CHROMIUM}")
        return 0
    start = time.perf_counter()
    page = build_single_html()
    built = time.perf_counter()
    state = print_pdf(page, args.out, chromium)
    size = args.out.stat().st_size
    log(
        f"{args.out.relative_to(ROOT)}: {size / 1e6:.1f} MB, {state['entries']} chapters in the "
        f"contents, {state['math']} formulas; single page {built - start:.0f} s, "
        f"printing {time.perf_counter() - built:.0f} s"
    )
    site = BUILD / "html"
    if (site / "index.html").is_file():
        shutil.copy2(args.out, site / PDF_NAME)
        log(f"copied to {(site / PDF_NAME).relative_to(ROOT)} (the landing page links it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
