"""Other extensions' scripts and styles only on the pages that use them.

Jupyter Book always loads sphinx-thebe, sphinx-design, sphinx-togglebutton, sphinx-copybutton
and myst-nb, and each adds its assets to every page (``app.add_js_file`` / ``add_css_file``
without a page condition; none offers a setting to limit them). The book has no Thebe launch
button, yet every page would carry the Thebe configuration twice (a script error in the
browser) and a loader pointing at a CDN an offline reader cannot reach; those are dropped. The
design, toggle and copy-button assets and myst-nb's cell styles are kept only on pages whose
markup uses them, so they do not block other pages' first paint.

Workaround: no public hook removes another extension's asset from one page, so this filters
the page context's asset lists by file name (``tests/test_page_markup.py`` checks the result).
"""

from __future__ import annotations

from sphinx.application import Sphinx

# Assets of extensions Jupyter Book always loads, and the page markup that needs them.
OPTIONAL_ASSETS = {
    "sphinx-thebe": None,  # never used: the book has no Thebe launch button
    "THEBE_JS_URL": None,
    "sphinx-design": 'class="sd-',
    "design-tabs": 'class="sd-',
    "togglebutton": "toggle",
    "copybutton": 'class="highlight',
    "clipboard.min": 'class="highlight',
    "mystnb.": 'class="cell',
}


def is_unused(asset, body: str) -> bool:
    text = str(getattr(asset, "filename", None) or "") + str(getattr(asset, "attributes", {}).get("body", ""))
    return any(marker in text and (needed is None or needed not in body) for marker, needed in OPTIONAL_ASSETS.items())


def drop_unused_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body", "")
    for key in ("script_files", "css_files"):
        context[key] = [asset for asset in context.get(key, []) if not is_unused(asset, body)]


def register(app: Sphinx) -> None:
    app.connect("html-page-context", drop_unused_assets)
