"""Every HTML table cell names its column in a ``data-label`` attribute.

On narrow screens ``static/book.css`` stacks each table row as a card of label and value, the label
drawn from this attribute, so that no page scrolls sideways. Docutils' HTML writer
(``HTMLTranslator.visit_entry``) gives a cell no attribute other than its class, ids and spans, and
Sphinx has no hook for a cell's attributes; this module wraps that one method and adds the attribute
to the tag it has just written. A cell of a table without a header row is left as it is.
"""

from __future__ import annotations

import re
from html import escape

from docutils import nodes
from sphinx.application import Sphinx

CELL_TAG = re.compile(r"^<td\b")


def column_title(entry: nodes.entry, column: int) -> str | None:
    """The header text of a body cell's column, or None for a header cell or a table without a header."""
    section = entry.parent.parent
    if not isinstance(section, nodes.tbody):
        return None
    head = next(iter(section.parent.findall(nodes.thead)), None)
    if head is None or not head.children:
        return None
    cells = [cell for cell in head.children[-1].children if isinstance(cell, nodes.entry)]
    return cells[column].astext().strip() if column < len(cells) else None


def visit_entry(self, node: nodes.entry) -> None:
    column = node.parent.column
    type(self).visit_entry(self, node)
    title = column_title(node, column)
    if title:
        self.body[-1] = CELL_TAG.sub(f'<td data-label="{escape(title)}"', self.body[-1], count=1)


def depart_entry(self, node: nodes.entry) -> None:
    type(self).depart_entry(self, node)


def register(app: Sphinx) -> None:
    app.add_node(nodes.entry, override=True, html=(visit_entry, depart_entry))
