"""What the browser tests know about the built site, read from files only.

- ``html_dir()``: the built HTML (``SITE_HTML_DIR``, default ``_build/html``);
- ``toc_docs()``: the pages of ``_toc.yml`` (``SITE_TOC``), in reading order;
- ``notebook_docs()``: those whose source is a notebook (the build keeps a copy of
  each source under ``_sources/``);
- ``load_config()``: ``_config.yml`` (``SITE_CONFIG``): repository and launch buttons;
- ``source_dir()``: the repository the site was built from (``SITE_SOURCE_DIR``,
  default this one), where ``_toc.yml`` and ``_config.yml`` are read.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
# The in-page collector: waits for MathJax, images and fonts, returns what tests check.
COLLECT_JS = Path(__file__).with_name("collect.js").read_text()


def html_dir() -> Path:
    return Path(os.environ.get("SITE_HTML_DIR", ROOT / "_build" / "html")).resolve()


def source_dir() -> Path:
    """The repository the site was built from (``SITE_SOURCE_DIR``)."""
    return Path(os.environ.get("SITE_SOURCE_DIR", ROOT))


def toc_path() -> Path:
    return Path(os.environ.get("SITE_TOC", source_dir() / "_toc.yml"))


def config_path() -> Path:
    return Path(os.environ.get("SITE_CONFIG", source_dir() / "_config.yml"))


def _strip_suffix(name: str) -> str:
    return re.sub(r"\.(md|ipynb|rst)$", "", name)


def toc_docs() -> list[str]:
    """Every page of the table of contents (root first), e.g. ``book/notation``."""
    toc = yaml.safe_load(toc_path().read_text())
    docs = [_strip_suffix(toc["root"])]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                docs.append(_strip_suffix(node["file"]))
            if "glob" in node:  # e.g. `- glob: notebooks/*`
                matches = sorted(source_dir().glob(node["glob"]))
                docs.extend(
                    _strip_suffix(str(m.relative_to(source_dir())))
                    for m in matches
                    if m.suffix in (".md", ".ipynb", ".rst")
                )
            for key in ("parts", "chapters", "sections"):
                for child in node.get(key, []) or []:
                    walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(toc)
    return list(dict.fromkeys(docs))


def notebook_source(doc: str) -> Path | None:
    """The notebook a page was built from (the build's copy, else the repository's)."""
    for candidate in (html_dir() / "_sources" / f"{doc}.ipynb", source_dir() / f"{doc}.ipynb"):
        if candidate.is_file():
            return candidate
    return None


def notebook_docs() -> list[str]:
    return [doc for doc in toc_docs() if notebook_source(doc) is not None]


def load_config() -> dict:
    return yaml.safe_load(config_path().read_text())


@dataclass
class Site:
    html: Path
    docs: list[str]
    notebooks: list[str]
    config: dict

    def page_file(self, doc: str) -> Path:
        return self.html / f"{doc}.html"


def load_site(html: Path) -> Site:
    return Site(html=html, docs=toc_docs(), notebooks=notebook_docs(), config=load_config())


# --------------------------------------------------------------------------- notebooks

PLOT_CALL = re.compile(r"^\s*(plt\.show\(|display\(\s*fig)", re.MULTILINE)
PRINT_CALL = re.compile(r"^print\(", re.MULTILINE)
WIDGET_CALL = re.compile(r"\b(interactive|interact|interactive_output)\s*\(|\bwidgets\.\w+\(")


@dataclass
class CodeCell:
    index: int  # position among the code cells that reach the page
    source: str
    tags: list[str]
    figure_metadata: bool

    @property
    def shows_outputs(self) -> bool:
        return not {"remove-output", "remove-cell"} & set(self.tags)

    @property
    def draws_figure(self) -> bool:
        """The cell displays a figure: it carries figure metadata or calls plt.show()."""
        return self.shows_outputs and (self.figure_metadata or bool(PLOT_CALL.search(self.source)))

    @property
    def prints(self) -> bool:
        return self.shows_outputs and bool(PRINT_CALL.search(self.source))

    @property
    def makes_widget(self) -> bool:
        return self.shows_outputs and bool(WIDGET_CALL.search(self.source))


def page_code_cells(doc: str) -> list[CodeCell]:
    """The notebook's code cells in the order the page shows them (remove-cell dropped)."""
    path = notebook_source(doc)
    nb = json.loads(path.read_text())
    cells = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        meta = cell.get("metadata", {})
        tags = meta.get("tags", [])
        if "remove-cell" in tags:
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        mystnb = meta.get("mystnb", {})
        cells.append(
            CodeCell(
                index=len(cells),
                source=source,
                tags=tags,
                figure_metadata=bool(mystnb.get("figure") or mystnb.get("image")),
            )
        )
    return cells
