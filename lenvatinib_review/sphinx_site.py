"""Sphinx extension: small repairs to the pages the theme stack writes.

Jupyter Book always loads sphinx-thebe (live code cells). The book has no
Thebe launch button, yet every page would carry the Thebe configuration twice
(a script error in the browser) and a loader that points at a CDN, which an
offline reader cannot reach; the scripts are dropped.

Docutils writes the bibliography as ``role="list"`` holding entries with the
deprecated ``role="doc-biblioentry"``, so assistive technology finds a list
without items (axe: aria-required-children). The entries are given
``role="listitem"``. Both repairs happen at page-render time and leave the
theme's files untouched.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from . import __version__

UNUSED_SCRIPT_MARKERS = ("THEBE_JS_URL", "sphinx-thebe.js")


def is_unused(script) -> bool:
    text = str(getattr(script, "filename", None) or "") + str(getattr(script, "attributes", {}).get("body", ""))
    return any(marker in text for marker in UNUSED_SCRIPT_MARKERS)


def drop_unused_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    context["script_files"] = [script for script in context.get("script_files", []) if not is_unused(script)]


def repair_bibliography_roles(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if "body" in context:
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", drop_unused_scripts)
    app.connect("html-page-context", repair_bibliography_roles)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
