"""Screenshots for a human to look at: landing page and one notebook page, at
desktop and phone width, in the build's reports/screenshots/ folder."""

from __future__ import annotations

import pytest
from site_model import COLLECT_JS

pytestmark = pytest.mark.browser

VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 1,
    },
}


@pytest.mark.parametrize("size", list(VIEWPORTS))
@pytest.mark.parametrize("which", ["landing", "notebook"])
def test_screenshot(site, visitor, server, reports_dir, which, size):
    if which == "landing":
        doc = site.docs[0]
    elif site.notebooks:
        doc = site.notebooks[0]
    else:
        pytest.skip("no notebook page in _toc.yml yet")
    out = reports_dir / "screenshots" / f"{which}-{size}.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    context, page = visitor.new_page(f"screenshot-{which}-{size}", **VIEWPORTS[size])
    try:
        page.goto(visitor.url(doc), wait_until="load")
        page.evaluate(COLLECT_JS)  # waits for MathJax, images and fonts
        assert page.locator("h1 >> visible=true").count() == 1, (
            f"{doc}: title not visible at {size} width"
        )
        page.screenshot(path=str(out), full_page=True)
    finally:
        context.close()
    assert out.stat().st_size > 10_000, f"{out}: suspiciously small screenshot"
