"""The theme's and extensions' scripts that nothing runs before the page is parsed, loaded with ``defer``.

Deferring them lets the first paint happen without waiting for them (Lighthouse:
render-blocking resources). Sphinx adds ``doctools.js`` and ``sphinx_highlight.js``, and the
theme and sphinx-copybutton theirs, without ``defer`` and without a setting for it (the book's
own scripts use ``add_js_file(..., loading_method="defer")``). Workaround: the page context's
``js_tag`` is wrapped, after the theme's handler (priority 900). ``documentation_options.js``
stays, for an inline script of the theme uses it at once; the search page keeps them all, for
its search scripts call ``doctools.js`` as they load. ``tests/test_page_markup.py`` checks it.
"""

from __future__ import annotations

from sphinx.application import Sphinx

DEFERRABLE_SCRIPTS = ("doctools.js", "sphinx_highlight.js", "clipboard.min.js", "copybutton.js", "sphinx-book-theme.js")


def defer_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
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


def register(app: Sphinx) -> None:
    app.connect("html-page-context", defer_scripts, priority=900)
