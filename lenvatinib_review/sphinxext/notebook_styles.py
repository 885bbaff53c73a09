"""myst-nb's cell styles copied into the site before the pages are written, so every build links them alike.

myst-nb copies its style sheet (``_static/mystnb.<hash>.css``) on ``build-finished``, after
Sphinx has written the pages; Sphinx adds a file's checksum to its link (``?v=…``) only when the
file is already in the site. So a clean build linked it without the checksum and every later
build with it: the same sources gave different bytes. Workaround: myst-nb's own copying
function (``add_global_html_resources``) is also run on ``builder-inited``, into the site's
``_static`` folder, which Sphinx otherwise creates only when it copies its own static files.
``tests/test_site_quality.py`` (a clean build against the session's) checks the result.
"""

from __future__ import annotations

from pathlib import Path

from myst_nb.sphinx_ext import add_global_html_resources
from sphinx.application import Sphinx


def copy_notebook_styles_early(app: Sphinx) -> None:
    if app.builder.format == "html" and "myst_nb" in app.extensions:
        Path(app.outdir, "_static").mkdir(parents=True, exist_ok=True)
        add_global_html_resources(app, None)


def register(app: Sphinx) -> None:
    app.connect("builder-inited", copy_notebook_styles_early)
