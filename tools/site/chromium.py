"""The system Chromium, found and launched the same way by every tool and test.

Playwright's own browser download does not work on the course's machines, so the PDF
build (build_pdf.py), the site tests, the browser-version tests and the JupyterLab test
all drive Debian's ``chromium`` (or the binary named by ``CHROMIUM_PATH``), headless,
with the flags below: no sandbox (the machines run as root), and none of Chromium's own
background traffic, which a machine that reaches only the package registries refuses.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

__all__ = ["CHROMIUM_ARGS", "find_chromium"]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find_chromium() -> str | None:
    """``CHROMIUM_PATH``, else /usr/bin/chromium, else chromium on the PATH; None if none."""
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None
