"""Links to the book as one PDF, which ``make pdf`` writes at the site's root.

The file is named once, by ``lenvatinib_review.print_edition``: every page's header bar links
it through the ``book_pdf`` template variable (``_templates/theme/book-pdf.html``, listed in
the theme's ``article_header_end``), and the ``book-pdf`` role links it from a page's text:
``{book-pdf}`PDF```.
"""

from __future__ import annotations

import posixpath

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxRole

from ..print_edition import PDF_FILE_NAME


class BookPdfRole(SphinxRole):
    """A link, with the role's text, from the page to the PDF."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        address = posixpath.relpath(PDF_FILE_NAME, posixpath.dirname(self.env.docname) or ".")
        return [nodes.reference(self.rawtext, self.text, refuri=address)], []


def add_pdf_name(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    context["book_pdf"] = PDF_FILE_NAME


def register(app: Sphinx) -> None:
    app.add_role("book-pdf", BookPdfRole())
    app.connect("html-page-context", add_pdf_name)
