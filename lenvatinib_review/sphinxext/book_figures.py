"""Figures in the chapters that discuss them.

``book-figure`` places one of the book's figures (:data:`lenvatinib_review.figures.BOOK_FIGURES`)
in a page, numbered and labelled with its key (``fig-…``), so ``{numref}`` finds it from any page.
The figure is drawn from the validated data when the page is read, by the same function the
figure's notebook calls; its caption links to that notebook ("How the figures are made").

The drawing is written to ``_images/`` as SVG when the page is written, and shown with an
``<img>`` that has the alt text, its size (no layout shift) and lazy loading.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ..figures import BOOK_FIGURES
from .data_tables import data_paths

SVG_SIZE = re.compile(r'<svg[^>]*?width="([\d.]+)pt" height="([\d.]+)pt"')
CSS_PX_PER_PT = 96 / 72


class drawing(nodes.General, nodes.Element):
    """An SVG drawing written beside the page.

    Attributes: ``svg``, ``print_svg`` (text, or None), ``alt``, ``label``, ``fits_phone``.
    """


class BookFigureDirective(SphinxDirective):
    """``book-figure`` with a figure label as its argument; no body (the caption belongs to the figure)."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        label = self.arguments[0]
        if label not in BOOK_FIGURES:
            raise self.error(f'unknown figure "{label}"; known figures: {", ".join(sorted(BOOK_FIGURES))}')
        figure = BOOK_FIGURES[label]
        # A figure may read any table, and the bibliography: redraw it when any of them changes.
        for path in [*data_paths(self.env.app), *(table.schema.path for table in self.env.review_tables.values())]:
            self.env.note_dependency(str(path))
        try:
            svg = figure.svg(self.env.review_tables)
            print_svg = figure.svg(self.env.review_tables, for_print=True) if figure.print_drawing else None
        except Exception as error:  # a drawing bug must name the figure and the page, not end in a traceback
            raise self.error(f'figure "{label}" could not be drawn: {type(error).__name__}: {error}') from error

        node = nodes.figure(classes=["book-figure"])
        node += drawing(svg=svg, print_svg=print_svg, alt=figure.alt, label=label, fits_phone=figure.fits_phone)
        caption_nodes, messages = self.state.inline_text(figure.caption, self.lineno)
        caption = nodes.caption(figure.caption, "", *caption_nodes)
        notebook = nodes.inline()
        notebook += nodes.Text(" How it is made: ")
        reference, more = self.state.inline_text(f"{{doc}}`/{figure.notebook}`.", self.lineno)
        notebook += reference
        caption += notebook
        node += caption
        self.set_source_info(node)
        self.options["name"] = label
        self.add_name(node)
        return [node, *messages, *more]


def write_image(translator, label: str, svg: str) -> str:
    """Write the SVG into the site's image folder (named after its content); its address from the page."""
    filename = f"{label}-{hashlib.sha256(svg.encode('utf-8')).hexdigest()[:16]}.svg"
    folder = Path(translator.builder.outdir) / translator.builder.imagedir
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / filename).is_file():
        (folder / filename).write_text(svg, encoding="utf-8")
    return f"{translator.builder.imgpath}/{filename}"


def visit_drawing_html(translator, node: drawing) -> None:
    svg = node["svg"]
    width, height = (float(value) * CSS_PX_PER_PT for value in SVG_SIZE.search(svg).groups())
    classes = "book-figure fits-phone" if node["fits_phone"] else "book-figure"
    # The printed book (lenvatinib_review.print_edition) uses the print layout where there is one.
    print_source = (
        f' data-print-src="{write_image(translator, node["label"], node["print_svg"])}"' if node["print_svg"] else ""
    )
    translator.body.append(
        f'<img src="{write_image(translator, node["label"], svg)}" alt="{translator.attval(node["alt"])}" '
        f'width="{width:.0f}" height="{height:.0f}" class="{classes}" loading="lazy" decoding="async"{print_source}>'
    )
    raise nodes.SkipNode


def visit_drawing_text(translator, node: drawing) -> None:
    """A plain-text page shows the figure's alt text where the image would be."""
    translator.add_text(f"[{node['alt']}]")
    raise nodes.SkipNode


def skip_drawing(translator, node: drawing) -> None:
    """LaTeX, manual pages and Texinfo cannot show an SVG drawing; its caption stays (``make pdf`` prints figures)."""
    raise nodes.SkipNode


def register(app: Sphinx) -> None:
    app.add_node(
        drawing,
        html=(visit_drawing_html, None),
        text=(visit_drawing_text, None),
        latex=(skip_drawing, None),
        man=(skip_drawing, None),
        texinfo=(skip_drawing, None),
    )
    app.add_directive("book-figure", BookFigureDirective)
