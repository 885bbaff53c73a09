"""Small repairs to the pages the theme stack writes.

Jupyter Book always loads sphinx-thebe (live code cells), sphinx-design and
sphinx-togglebutton. The book has no Thebe launch button, yet every page would
carry the Thebe configuration twice (a script error in the browser) and a
loader that points at a CDN, which an offline reader cannot reach; those
scripts are dropped, and the design and toggle assets are kept only on pages
whose markup uses them; so are the copy buttons (pages with code) and myst-nb's cell
styles (notebook pages), which would otherwise block every page's first paint.

Docutils writes the bibliography as ``role="list"`` holding entries with the
deprecated ``role="doc-biblioentry"``, so assistive technology finds a list
without items (axe: aria-required-children). The entries are given
``role="listitem"``. myst-nb labels the toggle of a collapsed notebook cell with
paragraphs inside ``<summary>`` (invalid HTML); they become spans. These repairs happen
at page-render time and leave the theme's files untouched.

The book ships its icon (``static/favicon.svg``, and ``extra/favicon.ico`` at the
site's root, where browsers look for it), so that no page load asks for a missing file.

The theme draws its icons with the whole Font Awesome script (1.5 MB on every
page, most of a page's weight) although the pages use about a dozen icons.
``static/scripts/fontawesome.js`` holds only those icons (generated once by
``tools/font_awesome_subset.py``); Sphinx copies ``html_static_path`` after the
theme's static files, so it replaces the theme's script of the same name.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from sphinx.application import Sphinx

STATIC_DIR = Path(__file__).resolve().parent / "static"
# Copied to the site's root: favicon.ico, which browsers ask for at the root of a domain.
EXTRA_DIR = Path(__file__).resolve().parent / "extra"
# Assets of extensions Jupyter Book always loads, and the page markup that needs them.
OPTIONAL_ASSETS = {
    "sphinx-thebe": None,  # never used: the book has no Thebe launch button
    "THEBE_JS_URL": None,
    "sphinx-design": 'class="sd-',
    "design-tabs": 'class="sd-',
    "togglebutton": "toggle",
    # Copy buttons for code blocks, and notebook-cell styles: render-blocking on pages without either.
    "copybutton": 'class="highlight',
    "clipboard.min": 'class="highlight',
    "mystnb.": 'class="cell',
}


def is_unused(asset, body: str) -> bool:
    text = str(getattr(asset, "filename", None) or "") + str(getattr(asset, "attributes", {}).get("body", ""))
    return any(marker in text and (needed is None or needed not in body) for marker, needed in OPTIONAL_ASSETS.items())


def drop_unused_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Leave out scripts and styles of extensions that the page does not use."""
    body = context.get("body", "")
    for key in ("script_files", "css_files"):
        context[key] = [asset for asset in context.get(key, []) if not is_unused(asset, body)]


def repair_bibliography_roles(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if "body" in context:
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')


# myst-nb labels a collapsed cell's toggle with two paragraphs inside <summary>, which HTML does not
# allow there (a <summary> holds phrasing content); spans carry the same labels (styled in book.css).
TOGGLE_LABEL = re.compile(r'<p class="((?:collapsed|expanded) admonition-title)">(.*?)</p>')


def repair_cell_toggle_labels(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if "body" in context:
        context["body"] = TOGGLE_LABEL.sub(r'<span class="\1">\2</span>', context["body"])


TOGGLE = '<summary><span class="toctree-toggle" role="presentation">'
NAMED_TOGGLE = (
    '<summary aria-label="Show or hide the sections of this chapter"><span class="toctree-toggle" role="presentation">'
)


def name_section_toggles(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Give the sidebar's section toggles an accessible name (axe: summary-name).

    The theme draws a chapter with sections as ``<details>`` whose ``<summary>`` holds
    only an icon. Its navigation is produced by the ``generate_toctree_html`` function
    that the theme puts into the page context, so this handler wraps that function
    (and therefore runs after the theme's own handler).
    """
    generate = context.get("generate_toctree_html")
    if generate is None or getattr(generate, "names_toggles", False):
        return

    def generate_named(*args, **kwargs):
        return str(generate(*args, **kwargs)).replace(TOGGLE, NAMED_TOGGLE)

    generate_named.names_toggles = True
    context["generate_toctree_html"] = generate_named


# Scripts that nothing runs before the page is parsed: deferring them lets the first paint happen
# without waiting for them (Lighthouse: render-blocking resources). documentation_options.js stays,
# for an inline script of the theme uses it at once; the search page keeps them all, for its
# search scripts call doctools.js as they load.
DEFERRABLE_SCRIPTS = ("doctools.js", "sphinx_highlight.js", "clipboard.min.js", "copybutton.js", "sphinx-book-theme.js")


def defer_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Load the theme's and extensions' deferrable scripts with ``defer``, by wrapping the page's ``js_tag``."""
    js_tag = context.get("js_tag")
    if js_tag is None or pagename == "search" or getattr(js_tag, "defers", False):
        return

    def deferring_js_tag(js, *args, **kwargs):
        tag = str(js_tag(js, *args, **kwargs))
        filename = str(getattr(js, "filename", js) or "")
        if filename.endswith(DEFERRABLE_SCRIPTS) and " defer" not in tag:
            tag = tag.replace("<script ", "<script defer ", 1)
        return tag

    deferring_js_tag.defers = True
    context["js_tag"] = deferring_js_tag


LANDING_REDIRECT = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta http-equiv="refresh" content="0; url={target}">
<link rel="canonical" href="{canonical}">
<link rel="icon" href="_static/favicon.svg">
</head>
<body><p><a href="{target}">{title}</a></p></body>
</html>
"""


def write_landing_redirect(app: Sphinx, exception) -> None:
    """The site's index.html sends readers to the root page; a complete, valid HTML5 document.

    It stays because the root page is ``book/index``: every page's address is under ``book/``
    (the addresses in the cite blocks and the sitemap), and moving the root to ``index`` would
    change the published address of the landing page. sphinx-external-toc writes a bare meta
    refresh there (not a valid HTML5 document); this handler, connected after it, replaces it.
    """
    if exception is not None or app.builder.name != "html" or app.config.root_doc == "index":
        return
    target = f"{app.config.root_doc}.html"
    Path(app.outdir, "index.html").write_text(
        LANDING_REDIRECT.format(
            title=escape(app.config.html_title), target=target, canonical=escape(app.config.html_baseurl + target)
        ),
        encoding="utf-8",
    )


def depend_on_static_files(app: Sphinx, doctree) -> None:
    """Make every page depend on the book's static files.

    Sphinx (7.4.7) copies static files only when it writes at least one page, and
    then overwrites changed ones; with this dependency, editing one of them makes
    every page out of date, so the next incremental build writes pages and copies it.
    """
    for source in STATIC_DIR.rglob("*"):
        if source.is_file():
            app.env.note_dependency(str(source))


def add_static_files(app: Sphinx, config) -> None:
    """The book's static files, and its icon: an SVG linked from every page, favicon.ico at the root."""
    config.html_static_path = [*config.html_static_path, str(STATIC_DIR)]
    if not config.html_favicon:
        config.html_favicon = str(STATIC_DIR / "favicon.svg")
    config.html_extra_path = [*config.html_extra_path, str(EXTRA_DIR)]


def register(app: Sphinx) -> None:
    app.connect("config-inited", add_static_files)
    app.add_css_file("book.css")
    app.connect("doctree-read", depend_on_static_files)
    app.connect("html-page-context", drop_unused_assets)
    app.connect("html-page-context", repair_bibliography_roles)
    app.connect("html-page-context", repair_cell_toggle_labels)
    app.connect("html-page-context", name_section_toggles, priority=900)
    app.connect("html-page-context", defer_scripts, priority=900)
    app.connect("build-finished", write_landing_redirect)
