"""A collapsed notebook cell's toggle labelled with spans, not paragraphs.

myst-nb (1.4) writes the labels of a hidden cell's ``<summary>`` as two ``<p>`` elements, which
HTML does not allow there (a ``<summary>`` holds phrasing content). This visitor override of
myst-nb's ``HideCodeCellNode`` writes the same labels as spans (styled in ``book.css``).
"""

from __future__ import annotations

from html import escape

from sphinx.application import Sphinx


def visit_hidden_cell(translator, node) -> None:
    classes = " ".join(node["classes"])
    translator.body.append(f'<details class="admonition hide {classes}">\n')
    translator.body.append('<summary aria-label="Toggle hidden content">\n')
    translator.body.append(f'<span class="collapsed admonition-title">{escape(node["prompt_show"])}</span>\n')
    translator.body.append(f'<span class="expanded admonition-title">{escape(node["prompt_hide"])}</span>\n')
    translator.body.append("</summary>\n")


def override_myst_nb_visitor(app: Sphinx, config) -> None:
    """Once every extension is set up, so that myst-nb has registered its node."""
    if "myst_nb" not in app.extensions:
        return
    from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput

    app.add_node(HideCodeCellNode, override=True, html=(visit_hidden_cell, depart_HideCellInput))


def register(app: Sphinx) -> None:
    app.connect("config-inited", override_myst_nb_visitor)
