"""The site's ``index.html``: a complete HTML5 document that sends readers to the root page.

The root page is ``book/index``: every page's address is under ``book/`` (the addresses in the
cite blocks and the sitemap), and moving the root to ``index`` would change the published
address of the landing page. sphinx-external-toc writes a bare meta refresh at ``index.html``
when no page is there (not a valid HTML5 document); this module adds the page instead, through
Sphinx's ``html-collect-pages`` event, rendered from ``templates/landing-redirect.html``.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE = "landing-redirect.html"


def add_templates(app: Sphinx, config) -> None:
    config.templates_path = [*config.templates_path, str(TEMPLATES)]


def landing_page(app: Sphinx):
    root = app.config.root_doc
    if root != "index":
        yield "index", {"landing_canonical": f"{app.config.html_baseurl}{root}.html"}, TEMPLATE


def register(app: Sphinx) -> None:
    app.connect("config-inited", add_templates)
    app.connect("html-collect-pages", landing_page)
