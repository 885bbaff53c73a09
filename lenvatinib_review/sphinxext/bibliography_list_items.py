"""Bibliography entries as list items for assistive technology.

Docutils (0.21) writes consecutive citations as ``<div role="list">`` holding entries with the
DPUB role ``doc-biblioentry``, which ARIA 1.2 deprecates; a list without ``listitem``
children fails axe's aria-required-children. This visitor override of ``citation`` gives each
entry ``role="listitem"``.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx


def visit_citation(translator, node: nodes.citation) -> None:
    type(translator).visit_citation(translator, node)
    translator.body[-1] = translator.body[-1].replace('role="doc-biblioentry"', 'role="listitem"')


def depart_citation(translator, node: nodes.citation) -> None:
    type(translator).depart_citation(translator, node)


def register(app: Sphinx) -> None:
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
