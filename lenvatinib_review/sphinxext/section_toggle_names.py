"""An accessible name for the sidebar's section toggles (axe: summary-name).

sphinx-book-theme (through pydata-sphinx-theme's ``generate_toctree_html``) draws a chapter with
sections as ``<details>`` whose ``<summary>`` holds only an icon, and offers no template or
setting for that markup. Workaround: the function the theme puts into the page context is
wrapped so that its summaries carry a label; the handler runs after the theme's own
(priority 900), which sets the function (``tests/test_page_markup.py`` checks the result).
"""

from __future__ import annotations

from sphinx.application import Sphinx

TOGGLE = '<summary><span class="toctree-toggle" role="presentation">'
NAMED_TOGGLE = (
    '<summary aria-label="Show or hide the sections of this chapter"><span class="toctree-toggle" role="presentation">'
)


def name_section_toggles(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    generate = context.get("generate_toctree_html")
    if generate is None or getattr(generate, "names_toggles", False):
        return

    def generate_named(*args, **kwargs):
        return str(generate(*args, **kwargs)).replace(TOGGLE, NAMED_TOGGLE)

    generate_named.names_toggles = True
    context["generate_toctree_html"] = generate_named


def register(app: Sphinx) -> None:
    app.connect("html-page-context", name_section_toggles, priority=900)
