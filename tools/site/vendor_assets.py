"""Copy the site's JavaScript into book/_static/vendor/ so the built book needs no CDN.

Readers meet the course as a static site that must work offline and years from
now, so MathJax and the Jupyter widget manager are served from the site itself
(issue 8). Sphinx copies ``book/_static`` into ``_build/html/_static`` and
``_config.yml`` points ``mathjax_path`` and ``nb_ipywidgets_js`` at the copies.

Where each asset comes from (all pinned, all from the package registries):

* MathJax 3.2.2 -- the PyPI package ``django-static-mathjax`` (in requirements.txt;
  it ships MathJax's ``es5`` build, depends on nothing, Django is not needed).
  We copy the ``tex-mml-chtml`` combined file plus the components it loads on
  demand (TeX extensions, CHTML fonts, accessibility, menu), not the other
  combined builds.
* @jupyter-widgets/html-manager -- no PyPI package ships it, so ``npm pack``
  fetches the pinned version and the script checks the tarball's sha512 against
  the pinned integrity before extracting ``dist/embed.js`` (the bundle for the
  built-in ipywidgets controls: 1.9 MB against 3.6 MB for ``embed-amd.js``, and it
  needs no require.js) and the Font Awesome fonts it references. The tarball is
  cached, so rebuilds are offline. Without npm the widget manager is skipped with
  a warning: pages still show every static figure, the live widgets' saved state
  does not render.
* axe-core -- the accessibility engine the browser tests run on every page (issue
  16). Not part of the site: ``npm pack`` fetches the pinned version, the tarball's
  sha512 is checked like the widget manager's, and ``axe.min.js`` is unpacked into
  the cache (``_build/.vendor-cache/axe-core-<version>/``), where
  ``tests/site/conftest.py`` reads it. Without npm it is skipped with a warning
  (the browser tests then fail, saying how to get it).

Run: ``python tools/site/vendor_assets.py`` (``make site-assets`` does it).
``--check`` only reports whether the vendored files are present and current.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import importlib.util
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "book" / "_static" / "vendor"
CACHE = ROOT / "_build" / ".vendor-cache"

MATHJAX_VERSION = "3.2.2"
MATHJAX_ENTRY = "tex-mml-chtml.js"  # what Sphinx loads by default, now served locally
# es5/ sub-folders that the entry file may load later (autoloaded TeX packages,
# CHTML fonts, the menu's renderer switch, accessibility and speech options).
MATHJAX_DIRS = ("input", "output", "a11y", "ui", "adaptors", "sre")

HTML_MANAGER = "@jupyter-widgets/html-manager"
HTML_MANAGER_VERSION = "1.0.15"  # the embedder released with ipywidgets 8.1.x
HTML_MANAGER_INTEGRITY = "sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA=="
SHIM = "widgets-shim.js"
AXE = "axe-core"
AXE_VERSION = "4.10.3"
AXE_INTEGRITY = "sha512-Xm7bpRXnDSX2YE2YFfBk2FnF0ep6tmG7xPh8iHee8MIcrgq762Nkce856dYtJYLkuIoYZvGfTs/PbZhideTcEg=="
AXE_DIR = CACHE / f"axe-core-{AXE_VERSION}"
# Only the font formats the embedder's CSS offers first to current browsers.
WIDGET_FONT_SUFFIXES = (".woff2",)

BSD3 = """Copyright (c) 2015 Project Jupyter Contributors
All rights reserved.

Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:

1. Redistributions of source code must retain the above copyright notice, this
   list of conditions and the following disclaimer.

2. Redistributions in binary form must reproduce the above copyright notice,
   this list of conditions and the following disclaimer in the documentation
   and/or other materials provided with the distribution.

3. Neither the name of the copyright holder nor the names of its
   contributors may be used to endorse or promote products derived from
   this software without specific prior written permission.

THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"
AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
"""


def log(msg: str) -> None:
    print(f"vendor_assets: {msg}")


def stamp_ok(dest: Path, version: str) -> bool:
    stamp = dest / "VERSION"
    return stamp.is_file() and stamp.read_text().strip() == version


def shim_current(dest: Path) -> bool:
    copy, source = dest / SHIM, Path(__file__).with_name(SHIM)
    return copy.is_file() and copy.read_bytes() == source.read_bytes()


def write_stamp(dest: Path, version: str, source: str) -> None:
    (dest / "VERSION").write_text(f"{version}\n")
    (dest / "SOURCE").write_text(source + "\n")


def mathjax_source() -> Path:
    """Folder ``es5`` of the MathJax copy shipped by django-static-mathjax."""
    spec = importlib.util.find_spec("mathjax")
    if spec is None or spec.origin is None:
        raise SystemExit(
            "vendor_assets: MathJax not found. Install the course requirements:\n"
            "    python -m pip install -r requirements.txt   (package django-static-mathjax)"
        )
    root = Path(spec.origin).parent / "static" / "mathjax"
    meta = json.loads((root / "package.json").read_text())
    if (
        meta.get("name") not in ("mathjax", "mathjax-full")
        or meta.get("version") != MATHJAX_VERSION
    ):
        raise SystemExit(
            f"vendor_assets: expected MathJax {MATHJAX_VERSION} in {root}, "
            f"found {meta.get('name')} {meta.get('version')}"
        )
    return root


def vendor_mathjax() -> Path:
    dest = VENDOR / "mathjax"
    if stamp_ok(dest, MATHJAX_VERSION):
        return dest
    root = mathjax_source()
    es5 = root / "es5"
    tmp = Path(tempfile.mkdtemp(prefix="mathjax-", dir=VENDOR))
    tmp.chmod(0o755)
    shutil.copy2(es5 / MATHJAX_ENTRY, tmp / MATHJAX_ENTRY)
    for sub in MATHJAX_DIRS:
        shutil.copytree(es5 / sub, tmp / sub)
    shutil.copy2(root / "LICENSE", tmp / "LICENSE")
    write_stamp(tmp, MATHJAX_VERSION, "PyPI package django-static-mathjax (MathJax es5 build)")
    shutil.rmtree(dest, ignore_errors=True)
    tmp.rename(dest)
    log(f"MathJax {MATHJAX_VERSION} -> {dest.relative_to(ROOT)} ({du(dest)})")
    return dest


def sri(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def npm_tarball(package: str, version: str, integrity: str) -> Path | None:
    """The pinned npm tarball, from the cache or fetched with ``npm pack``; its sha512
    must match ``integrity`` (what ``npm view <package>@<version> dist.integrity`` says)."""
    name = f"{package.lstrip('@').replace('/', '-')}-{version}.tgz"
    cached = CACHE / name
    if not cached.is_file():
        npm = shutil.which("npm")
        if npm is None:
            return None
        CACHE.mkdir(parents=True, exist_ok=True)
        spec = f"{package}@{version}"
        log(f"npm pack {spec}")
        subprocess.run(
            [npm, "pack", spec, "--pack-destination", str(CACHE), "--silent"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    data = cached.read_bytes()
    if sri(data) != integrity:
        cached.unlink()
        raise SystemExit(
            f"vendor_assets: {name} does not match the pinned integrity "
            f"{integrity}; deleted it, refusing to vendor it"
        )
    return cached


def html_manager_tarball() -> Path | None:
    return npm_tarball(HTML_MANAGER, HTML_MANAGER_VERSION, HTML_MANAGER_INTEGRITY)


def vendor_axe() -> Path | None:
    """axe-core for the browser tests: ``axe.min.js`` and its licence, in the cache."""
    if stamp_ok(AXE_DIR, AXE_VERSION) and (AXE_DIR / "axe.min.js").is_file():
        return AXE_DIR
    tarball = npm_tarball(AXE, AXE_VERSION, AXE_INTEGRITY)
    if tarball is None:
        log("WARNING: npm not found, so axe-core is not fetched; the browser tests need it.")
        return None
    tmp = Path(tempfile.mkdtemp(prefix="axe-", dir=CACHE))
    with tarfile.open(tarball) as tar:
        for inner in ("axe.min.js", "LICENSE"):
            with tar.extractfile(f"package/{inner}") as src, open(tmp / inner, "wb") as out:
                shutil.copyfileobj(src, out)
    write_stamp(tmp, AXE_VERSION, f"npm package {AXE} ({AXE_INTEGRITY})")
    shutil.rmtree(AXE_DIR, ignore_errors=True)
    tmp.rename(AXE_DIR)
    log(f"{AXE} {AXE_VERSION} -> {AXE_DIR.relative_to(ROOT)} (for the browser tests)")
    return AXE_DIR


def vendor_widgets() -> Path | None:
    dest = VENDOR / "jupyter-widgets"
    if stamp_ok(dest, HTML_MANAGER_VERSION):
        if not shim_current(dest):
            shutil.copy2(Path(__file__).with_name(SHIM), dest / SHIM)
        return dest
    tarball = html_manager_tarball()
    if tarball is None:
        log(
            "WARNING: npm not found, so the Jupyter widget manager is not vendored; "
            "widgets will show only their static figures. Install Node.js (npm) and "
            "rerun `make book` for live widget state."
        )
        return None
    tmp = Path(tempfile.mkdtemp(prefix="widgets-", dir=VENDOR))
    tmp.chmod(0o755)
    with tarfile.open(tarball) as tar:
        for member in tar.getmembers():
            rel = Path(member.name)
            if not member.isfile() or rel.parts[0] != "package":
                continue
            inner = Path(*rel.parts[1:])
            keep = inner == Path("dist/embed.js") or (
                inner.parent == Path("dist") and inner.suffix in WIDGET_FONT_SUFFIXES
            )
            if inner.name in ("LICENSE", "package.json", "embed.js.LICENSE.txt"):
                keep = True
            if keep:
                target = tmp / inner.name
                with tar.extractfile(member) as src, open(target, "wb") as out:
                    shutil.copyfileobj(src, out)
    if not (tmp / "embed.js").is_file():
        shutil.rmtree(tmp)
        raise SystemExit(f"vendor_assets: {tarball.name} has no dist/embed.js")
    if not (tmp / "LICENSE").is_file():
        # The npm package ships no LICENSE file; its package.json says BSD-3-Clause.
        meta = json.loads((tmp / "package.json").read_text())
        (tmp / "LICENSE").write_text(
            f"{HTML_MANAGER} {meta['version']} (licence: {meta.get('license')})\n\n" + BSD3
        )
    # Our own shim (not vendored): MathJax 3 for the widgets' MathJax 2 calls; alt text.
    shutil.copy2(Path(__file__).with_name(SHIM), tmp / SHIM)
    write_stamp(tmp, HTML_MANAGER_VERSION, f"npm package {HTML_MANAGER} ({HTML_MANAGER_INTEGRITY})")
    shutil.rmtree(dest, ignore_errors=True)
    tmp.rename(dest)
    log(f"{HTML_MANAGER} {HTML_MANAGER_VERSION} -> {dest.relative_to(ROOT)} ({du(dest)})")
    return dest


def du(path: Path) -> str:
    total = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return f"{total / 1e6:.1f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report, copy nothing")
    args = parser.parse_args(argv)
    if args.check:
        widgets = VENDOR / "jupyter-widgets"
        ok = (
            stamp_ok(VENDOR / "mathjax", MATHJAX_VERSION)
            and stamp_ok(AXE_DIR, AXE_VERSION)
            and stamp_ok(widgets, HTML_MANAGER_VERSION)
            and shim_current(widgets)
        )
        log("vendored assets are current" if ok else "vendored assets missing or stale")
        return 0 if ok else 1
    VENDOR.mkdir(parents=True, exist_ok=True)
    # Generated, never committed: the folder ignores itself (besides the root .gitignore).
    (VENDOR / ".gitignore").write_text("# generated by tools/site/vendor_assets.py\n*\n")
    for leftover in VENDOR.glob("*-*"):  # half-copied folders from an interrupted run
        if leftover.is_dir() and leftover.name.startswith(("mathjax-", "widgets-")):
            shutil.rmtree(leftover)
    vendor_mathjax()
    vendor_widgets()
    vendor_axe()
    return 0


if __name__ == "__main__":
    sys.exit(main())
