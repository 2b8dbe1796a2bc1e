"""Sphinx extension: keep the built pages free of JavaScript errors (issue 8).

The browser tests (tests/site/) fail on any console error; two came from the
theme stack itself, on every page:

1. pydata-sphinx-theme logs "Got invalid theme mode: . Resetting to auto." when
   ``html_context["default_mode"]`` is unset (Jupyter Book does not set it). We set
   it to "auto" (what the theme falls back to anyway) unless _config.yml sets it.
2. sphinx-thebe 0.3.1 registers its inline configuration script
   (``const THEBE_JS_URL = ...``) during ``env-before-read-docs``; under Sphinx 7.4
   the script reaches the page twice, and the second copy throws "Identifier
   'THEBE_JS_URL' has already been declared" on every page. Sphinx already drops
   duplicate script *files*; we drop duplicate *inline* scripts too.

Enabled in ``_config.yml`` with ``sphinx: local_extensions: {offline_site: tools/site/}``.
"""

from __future__ import annotations

from typing import Any


def drop_duplicate_inline_scripts(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple[Any, ...]] = set()
    kept = []
    for script in scripts:
        filename = getattr(script, "filename", script)
        attributes = getattr(script, "attributes", {}) or {}
        if not filename and attributes.get("body"):
            key = tuple(sorted((k, str(v)) for k, v in attributes.items()))
            if key in seen:
                continue
            seen.add(key)
        kept.append(script)
    context["script_files"] = kept


def default_theme_mode(app, config) -> None:
    context = dict(config.html_context or {})
    context.setdefault("default_mode", "auto")
    config.html_context = context


def setup(app) -> dict[str, Any]:
    app.connect("config-inited", default_theme_mode)
    # Run late, after the extensions that add scripts per page (myst-nb, thebe).
    app.connect("html-page-context", drop_duplicate_inline_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
