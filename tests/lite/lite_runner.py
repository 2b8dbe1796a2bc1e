"""Drive one chapter in the JupyterLite notebook app, as a reader would.

Opens ``lite/notebooks/index.html?path=<chapter>`` (the page's "Run in the browser"
link), waits for the Pyodide kernel, runs the first code cell (time to first
result), then Run All from the Run menu, and reads every cell's outputs from the
notebook model (``window.jupyterapp``, exposed by the lite build's config).
Every request is recorded; any to another origin is aborted. Chromium is also
told that no host but 127.0.0.1 resolves, so nothing could leave the machine
even past the router (Web Workers, the service worker).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

HOST_RULES = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"

KERNEL_IDLE_JS = """() => {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  const kernel = panel && panel.sessionContext && panel.sessionContext.session
    && panel.sessionContext.session.kernel;
  return !!kernel && kernel.status === 'idle' && panel.content.widgets.length > 0;
}"""

CELLS_JS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  return panel.content.widgets.map((cell, index) => {
    const m = cell.model;
    const tags = (m.getMetadata && m.getMetadata('tags')) || [];
    if (m.type !== 'code') return {index, type: m.type, tags};
    return {
      index, type: 'code', tags, id: m.id,
      count: m.executionCount, state: m.executionState,
      outputs: m.outputs.toJSON().map(o => ({
        type: o.output_type, name: o.name || null, ename: o.ename || null,
        evalue: o.evalue || null,
        text: typeof o.text === 'string' ? o.text : (o.text || []).join(''),
        mimes: Object.keys(o.data || {}),
      })),
    };
  });
}"""

DONE_JS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session.kernel;
  const code = panel.content.widgets.filter(c => c.model.type === 'code');
  return kernel.status === 'idle'
    && code.every(c => c.model.executionCount !== null && c.model.executionState !== 'running');
}"""


@dataclass
class ChapterRun:
    name: str
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    cells: list[dict] = field(default_factory=list)
    seconds_to_kernel: float = 0.0
    seconds_to_first_result: float = 0.0
    seconds_run_all: float = 0.0

    @property
    def code_cells(self) -> list[dict]:
        return [c for c in self.cells if c["type"] == "code"]

    def errors(self, cell: dict) -> list[dict]:
        return [o for o in cell["outputs"] if o["type"] == "error"]

    @property
    def unexpected_errors(self) -> list[str]:
        return [
            f"cell {c['index']} ({c['id']}): {o['ename']}: {o['evalue']}"
            for c in self.code_cells
            if "raises-exception" not in c["tags"]
            for o in self.errors(c)
        ]


def open_chapter(browser, origin: str, name: str, run: ChapterRun, timeout_s: float = 240):
    """A new context and page with the chapter open and its kernel idle."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})

    def route(route):
        url = route.request.url
        if url.startswith(origin + "/") or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            run.foreign.append(url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("request", lambda request: run.requests.append(request.url))
    page.on("pageerror", lambda exc: run.page_errors.append(str(exc)))
    start = time.perf_counter()
    page.goto(f"{origin}/lite/notebooks/index.html?path={name}", wait_until="load")
    page.wait_for_function(KERNEL_IDLE_JS, timeout=timeout_s * 1000, polling=250)
    run.seconds_to_kernel = time.perf_counter() - start
    return context, page, start


def run_first_cell(page, run: ChapterRun, start: float, timeout_s: float = 240) -> None:
    """Select the first code cell and run it (Shift+Enter); wait for its result."""
    page.evaluate(
        """() => {
      const panel = window.jupyterapp.shell.currentWidget;
      const i = panel.content.widgets.findIndex(c => c.model.type === 'code');
      panel.content.activeCellIndex = i;
      panel.content.mode = 'command';
      panel.content.node.focus();
    }"""
    )
    page.keyboard.press("Shift+Enter")
    page.wait_for_function(
        """() => {
      const panel = window.jupyterapp.shell.currentWidget;
      const cell = panel.content.widgets.find(c => c.model.type === 'code');
      return cell.model.executionCount !== null && panel.sessionContext.session.kernel.status === 'idle';
    }""",
        timeout=timeout_s * 1000,
        polling=100,
    )
    run.seconds_to_first_result = time.perf_counter() - start


def run_all(page, run: ChapterRun, timeout_s: float = 600) -> None:
    """Run > Run All Cells, from the menu bar; wait until every code cell has run."""
    start = time.perf_counter()
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_timeout(500)
    page.wait_for_function(DONE_JS, timeout=timeout_s * 1000, polling=500)
    run.seconds_run_all = time.perf_counter() - start
    run.cells = page.evaluate(CELLS_JS)


def show_first_widget(page) -> None:
    """Scroll the first cell with a live slider into view.

    The notebook app renders only the cells near the viewport (windowing mode
    "full"), so a widget further down is not in the page until scrolled to.
    """
    found = page.evaluate(
        """() => {
      const panel = window.jupyterapp.shell.currentWidget;
      const i = panel.content.widgets.findIndex(c => c.node.querySelector('.widget-slider'));
      if (i < 0) return false;
      panel.content.activeCellIndex = i;
      panel.content.scrollToItem(i, 'start');
      return true;
    }"""
    )
    assert found, "no cell shows a live slider"
    page.locator(".widget-slider .noUi-handle").first.wait_for(state="visible", timeout=30_000)


def widget_images(page) -> list[str]:
    """The src of every image inside a live widget's output (the explorers' figures)."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.jupyter-widgets img, .widget-output img'))
                   .map(img => img.src)"""
    )


def drag_first_slider(page, pixels: int = 60) -> None:
    """Drag the first slider's handle to the right with the mouse, as a reader does."""
    box = page.locator(".widget-slider .noUi-handle").first.bounding_box()
    assert box is not None, "the slider's handle has no box"
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + pixels, y, steps=8)
    page.mouse.up()
