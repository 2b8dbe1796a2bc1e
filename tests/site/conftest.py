"""Fixtures for the browser tests of the built site (issue 8).

The site under test is ``_build/html`` (``make book``), or the folder named by the
environment variable ``SITE_HTML_DIR``. It is served by a local HTTP server on
127.0.0.1 (a free port), which compresses text with gzip as static hosts do, and
counts the bytes it sends for each page visit. One headless Chromium -- Debian's
``chromium`` package, never a browser downloaded by Playwright -- serves the
whole session; every page is loaded once, in a fresh browser context (a cold
cache, so the bytes counted are what a first-time reader downloads), and what
the tests check is collected during that one visit.

Pages come from ``_toc.yml`` (``SITE_TOC`` to use another), so chapters added to
the table of contents are tested without touching this file.

During the same visit axe-core (pinned, fetched from npm and checksum-verified by
``tools/site/vendor_assets.py``, never loaded from the network by the page) checks the
page against the WCAG 2.0/2.1 A and AA rules (issue 16).

Without Chromium the tests are skipped with a message saying how to install it,
except in CI (``CI`` set), where a missing browser fails the run.
"""

from __future__ import annotations

import gzip
import importlib.util
import mimetypes
import os
import posixpath
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from site_model import COLLECT_JS, ROOT, Site, html_dir, load_site

sys.path.insert(0, str(ROOT / "tools" / "site"))
from chromium import CHROMIUM_ARGS, find_chromium  # noqa: E402 (tools/site/chromium.py)

INSTALL_HINT = (
    "Chromium not found. Install Debian's browser with `sudo apt-get install chromium` "
    "(or point CHROMIUM_PATH at a Chromium/Chrome binary), then run `make test-site`."
)
VISIT_HEADER = "X-Site-Test-Visit"
COMPRESSIBLE = (".html", ".js", ".css", ".json", ".svg", ".txt", ".xml", ".map", ".inv", ".ipynb")
COMPRESSIBLE_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")
# The rules axe-core applies: WCAG 2.0 and 2.1, levels A and AA, including the rules
# axe still marks experimental (label-content-name-mismatch is one), which a plain
# run by tag leaves out.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN_JS = """async (tags) => {
  const rules = axe.getRules(tags).map((rule) => rule.ruleId);
  const result = await axe.run(document, { runOnly: { type: "rule", values: rules } });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    count: v.nodes.length,
    targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
  }));
}"""


# --------------------------------------------------------------------------- server


@dataclass
class Transfer:
    visit: str
    path: str
    status: int
    sent: int  # bytes on the wire: status line, headers and (possibly gzipped) body
    raw: int  # size of the file itself


@dataclass
class SiteServer:
    root: Path
    origin: str
    transfers: list[Transfer] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def visit_transfers(self, visit: str) -> list[Transfer]:
        with self.lock:
            return [t for t in self.transfers if t.visit == visit]


def make_handler(server_state: SiteServer):
    gz_cache: dict[Path, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # keep pytest's output clean
            pass

        def _resolve(self) -> Path | None:
            path = posixpath.normpath(unquote(urlsplit(self.path).path))
            target = (server_state.root / path.lstrip("/")).resolve()
            if server_state.root not in (target, *target.parents):
                return None
            if target.is_dir():
                target = target / "index.html"
            return target if target.is_file() else None

        def _send(self, status: int, body: bytes, headers: dict[str, str], raw: int) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            header_bytes = sum(len(line) for line in self._headers_buffer) + 2
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            with server_state.lock:
                server_state.transfers.append(
                    Transfer(
                        visit=self.headers.get(VISIT_HEADER, ""),
                        path=urlsplit(self.path).path,
                        status=status,
                        sent=header_bytes + len(body),
                        raw=raw,
                    )
                )

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            target = self._resolve()
            if target is None:
                body = b"404 not found"
                self._send(404, body, {"Content-Type": "text/plain"}, len(body))
                return
            data = target.read_bytes()
            ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            headers = {"Content-Type": ctype, "Cache-Control": "no-cache"}
            compressible = target.suffix in COMPRESSIBLE or ctype.startswith(COMPRESSIBLE_TYPES)
            body = data
            if compressible and "gzip" in self.headers.get("Accept-Encoding", ""):
                if target not in gz_cache:
                    gz_cache[target] = gzip.compress(data, compresslevel=6, mtime=0)
                body = gz_cache[target]
                headers["Content-Encoding"] = "gzip"
                headers["Vary"] = "Accept-Encoding"
            self._send(200, body, headers, len(data))

        do_HEAD = do_GET

    return Handler


@pytest.fixture(scope="session")
def site() -> Site:
    """The built site: html folder, toc pages, notebook sources, repository config."""
    root = html_dir()
    if not (root / "index.html").is_file():
        pytest.fail(
            f"No built site at {root} (no index.html): run make book first "
            "(or set SITE_HTML_DIR to a built site's html folder)."
        )
    return load_site(root)


@pytest.fixture(scope="session")
def server(site: Site):
    state = SiteServer(root=site.html.resolve(), origin="")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    httpd.daemon_threads = True
    state.origin = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, name="site-server", daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


# --------------------------------------------------------------------------- browser


def load_vendor_assets():
    """tools/site/vendor_assets.py, where axe-core's version and cache folder are pinned."""
    path = ROOT / "tools" / "site" / "vendor_assets.py"
    spec = importlib.util.spec_from_file_location("vendor_assets", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's axe.min.js, as vendor_assets.py unpacked it (checked against its pin)."""
    vendor = load_vendor_assets()
    script = vendor.AXE_DIR / "axe.min.js"
    if not (script.is_file() and vendor.stamp_ok(vendor.AXE_DIR, vendor.AXE_VERSION)):
        pytest.fail(
            f"axe-core {vendor.AXE_VERSION} is missing from {vendor.AXE_DIR}: run "
            "`make site-assets` (needs npm once; the tarball is then cached and verified)."
        )
    return script.read_text(encoding="utf-8")


def unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so a missing browser fails the run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the session (Playwright gives it a fresh,
    temporary user-data-dir and removes it afterwards)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("The python package playwright is missing: pip install -r requirements.txt")
    executable = find_chromium()
    if executable is None:
        unavailable(INSTALL_HINT)
    with sync_playwright() as pw:
        try:
            chromium = pw.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
        except Exception as exc:  # a broken install is as bad as a missing one
            unavailable(f"Chromium at {executable} did not start: {exc}. {INSTALL_HINT}")
        yield chromium
        chromium.close()


# --------------------------------------------------------------------------- visits


@dataclass
class Visit:
    """Everything seen while loading one page once."""

    doc: str
    url: str
    status: int | None
    seconds: float
    console_errors: list[str]
    console_messages: list[str]  # every level: log, info, warning, error ...
    page_errors: list[str]
    failed_requests: list[str]
    foreign_requests: list[str]
    server: SiteServer
    dom: dict
    axe_violations: list[dict]

    @property
    def transfers(self) -> list[Transfer]:
        return self.server.visit_transfers(self.doc)

    @property
    def bytes_sent(self) -> int:
        return sum(t.sent for t in self.transfers)

    @property
    def bytes_raw(self) -> int:
        return sum(t.raw for t in self.transfers)


class Visitor:
    def __init__(self, browser, server: SiteServer, site: Site, axe_source: str):
        self.browser, self.server, self.site = browser, server, site
        self.axe_source = axe_source
        self.visits: dict[str, Visit] = {}

    def url(self, doc: str) -> str:
        return f"{self.server.origin}/{doc}.html"

    def new_page(self, visit_id: str, **context_args):
        context = self.browser.new_context(
            extra_http_headers={VISIT_HEADER: visit_id}, **context_args
        )
        return context, context.new_page()

    def visit(self, doc: str) -> Visit:
        if doc in self.visits:
            return self.visits[doc]
        console, messages, errors, failed, foreign = [], [], [], [], []
        context, page = self.new_page(doc)
        origin = self.server.origin

        def on_console(msg):
            messages.append(f"[{msg.type}] {msg.text} @ {msg.location.get('url', '')}")
            if msg.type == "error":
                console.append(f"{msg.text} @ {msg.location.get('url', '')}")

        pending = set()

        def on_request(request):
            if request.url.startswith(("data:", "blob:", "about:")):
                return
            pending.add(request)
            if not request.url.startswith(origin + "/"):
                foreign.append(request.url)

        def on_done(request):
            pending.discard(request)

        def on_response(response):
            if response.status >= 400:
                failed.append(f"HTTP {response.status} {response.url}")

        def on_failed(request):
            pending.discard(request)
            failed.append(f"{request.failure} {request.url}")

        page.on("console", on_console)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("request", on_request)
        page.on("response", on_response)
        page.on("requestfailed", on_failed)
        page.on("requestfinished", on_done)
        start = time.perf_counter()
        response = page.goto(self.url(doc), wait_until="load")
        dom = page.evaluate(COLLECT_JS)  # waits for MathJax, images and fonts
        # Let requests started late (fonts MathJax asked for) finish, so they count.
        deadline = time.perf_counter() + 10
        while pending and time.perf_counter() < deadline:
            page.wait_for_timeout(25)
        seconds = time.perf_counter() - start
        # What the reader's visit produced, before axe-core adds requests of its own
        # (it fetches the stylesheets again to inspect them).
        seen_console, seen_messages, seen_failed = list(console), list(messages), list(failed)
        # axe-core last, on the page as a reader sees it (maths typeset, widgets drawn).
        # It is injected by the test, not served by the site.
        page.add_script_tag(content=self.axe_source)
        violations = page.evaluate(AXE_RUN_JS, AXE_TAGS)
        context.close()
        visit = Visit(
            doc=doc,
            url=self.url(doc),
            status=response.status if response else None,
            seconds=seconds,
            console_errors=seen_console,
            console_messages=seen_messages,
            page_errors=errors,
            failed_requests=seen_failed,
            foreign_requests=foreign,
            server=self.server,
            dom=dom,
            axe_violations=violations,
        )
        self.visits[doc] = visit
        return visit


@pytest.fixture(scope="session")
def visitor(browser, server, site, axe_source) -> Visitor:
    return Visitor(browser, server, site, axe_source)


@pytest.fixture(scope="session")
def reports_dir(site: Site) -> Path:
    path = site.html / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


# --------------------------------------------------------------------------- params


def pytest_generate_tests(metafunc):
    """Parametrise by the pages of the table of contents (read at collection time)."""
    from site_model import notebook_docs, toc_docs

    if "doc" in metafunc.fixturenames:
        docs = toc_docs()
        metafunc.parametrize("doc", docs, ids=docs)
    if "notebook_doc" in metafunc.fixturenames:
        docs = notebook_docs()
        metafunc.parametrize("notebook_doc", docs, ids=docs)


def pytest_terminal_summary(terminalreporter):
    """Print the page-weight table the tests wrote, for the CI log."""
    report = html_dir() / "reports" / "page-weight.txt"
    if report.is_file() and report.stat().st_mtime > _SESSION_START:
        terminalreporter.write_sep("-", "page weight (bytes sent, gzip as static hosts do)")
        terminalreporter.write_line(report.read_text().rstrip())


_SESSION_START = time.time()
