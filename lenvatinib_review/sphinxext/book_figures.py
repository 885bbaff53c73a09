"""Figures in the chapters that discuss them.

``book-figure`` places one of the book's figures (:data:`lenvatinib_review.figures.BOOK_FIGURES`)
in a page, numbered and labelled with its key (``fig-…``), so ``{numref}`` finds it from any page.
The figure is drawn from the validated data when the page is read, by the same function the
figure's notebook calls. Its caption and alt text are its row of ``data/figures.csv``, checked
against the drawings when the build starts; the caption links to the notebook the row names
("How the figures are made"), and that notebook's drawing gets the row's alt text when the
notebook is read.

A drawing is kept beside the doctrees (``_build/.book-figures``), named after the figure, its
options and a fingerprint of everything it is drawn from (the data, the bibliography and the
drawing code, as for the notebook cache): a page read again for another reason (an edited
sentence, a full rebuild) reuses it instead of drawing again, and drawings of an older
fingerprint are removed when the build starts.

A drawing is written to ``_images/`` as SVG when the page is written, and shown with an ``<img>``
that has the alt text, its size (no layout shift) and lazy loading. An interactive figure (the
mechanism schematic) is written into the page instead, so that its boxes are links: each route
links to the page (and section) of :data:`PROCESS_GROUP_SECTIONS` that reviews its process group.
With ``:filter: column=value`` (on the mechanisms table, as in ``data-table``) a chapter shows the
part of an interactive figure that it reviews, numbered and labelled ``fig-…-value``.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.errors import NoUri
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..datapackage import DataError, fingerprint
from ..figures import BOOK_FIGURES, FIGURES, figure_texts
from ..svg_size import svg_size
from .data_tables import InvalidData, data_paths, filtered
from .notebook_cache import inputs_of_notebook, notebook_inputs

# The call that draws a figure in its notebook's code, naming the figure's label.
NOTEBOOK_DRAWING = re.compile(r'BOOK_FIGURES\["(fig-[a-z0-9-]+)"\]\.draw\(')
CSS_PX_PER_PT = 96 / 72
# The page, and the section when the page reviews more than it, of each process group of the mechanisms table.
PROCESS_GROUP_SECTIONS = {
    "target-expression": "book/on-target-off-target#target-level-and-isoform-use",
    "cell-death-and-survival": "book/cell-death",
    "stemness-and-emt": "book/stemness",
    "proliferative-signalling": "book/signalling",
    "metabolic-remodelling": "book/metabolism",
    "epigenetic-regulation": "book/rna-and-epigenetics",
    "drug-efflux": "book/membrane-transport",
    "extracellular-vesicles": "book/extracellular-vesicles",
    "tumour-microenvironment": "book/microenvironment",
    "hypoxia-and-angiogenesis": "book/hypoxia-angiogenesis",
    "bypass-signalling": "book/bypass-signalling",
}
logger = logging.getLogger(__name__)


class drawing(nodes.General, nodes.Element):
    """An SVG drawing: an image beside the page, or with ``inline`` the page's own markup.

    Attributes: ``svg`` (text), ``alt``, ``label``, ``fits_phone``, ``inline``, ``targets`` (the
    "page#section" addresses an inline drawing links to).
    """


class BookFigureDirective(SphinxDirective):
    """``book-figure`` with a figure label as its argument; no body (the caption belongs to the figure)."""

    required_arguments = 1
    has_content = False
    option_spec = {"filter": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        label = self.arguments[0]
        if label not in BOOK_FIGURES:
            raise self.error(f'unknown figure "{label}"; known figures: {", ".join(sorted(BOOK_FIGURES))}')
        figure, text = BOOK_FIGURES[label], self.env.review_figure_texts[label]
        if "filter" in self.options and not figure.interactive:
            raise self.error(f'figure "{label}" cannot be filtered; only {", ".join(interactive_labels())} can')
        # A figure reads what its notebook reads (the tables the notebook declares, the bibliography and the
        # package's modules it imports): re-read the page when one of them changes. Without its notebook (a
        # project that places the figure only), it may read any table and the bibliography.
        tables = self.env.review_tables
        notebook_file = Path(self.env.srcdir, f"{text.notebook}.ipynb")
        if notebook_file.is_file():
            inputs = inputs_of_notebook(self.env.app, notebook_file)
        else:
            inputs = [*data_paths(self.env.app), *(table.schema.path for table in tables.values())]
        for path in [*inputs, tables["figures"].schema.path]:
            self.env.note_dependency(str(path))
        options, targets, name = {}, [], label
        if figure.interactive:
            if "filter" in self.options:
                try:
                    kept = filtered(tables, tables["mechanisms"], self.options["filter"])
                except ValueError as error:
                    raise self.error(str(error)) from None
                options["mechanisms"] = {record.values["id"] for record in kept}
                name = nodes.make_id(f"{label}-{self.options['filter'].partition('=')[2]}")
            options["links"], targets = self.links(tables, options.get("mechanisms"))
        svg, alt = self.drawn(label, options, text.alt)
        node = nodes.figure(classes=["book-figure"])
        node += drawing(
            svg=svg,
            alt=alt,
            label=label,
            fits_phone=figure.fits_phone,
            inline=figure.interactive,
            targets=targets,
        )
        caption_text = text.part_caption if "filter" in self.options else text.caption
        caption_nodes, messages = self.state.inline_text(caption_text, self.lineno)
        caption = nodes.caption(caption_text, "", *caption_nodes)
        notebook = nodes.inline()
        notebook += nodes.Text(" How it is made: ")
        reference, more = self.state.inline_text(f"{{doc}}`/{text.notebook}`.", self.lineno)
        notebook += reference
        caption += notebook
        node += caption
        self.set_source_info(node)
        self.options["name"] = name
        self.add_name(node)
        return [node, *messages, *more]

    def drawn(self, label: str, options: dict, alt: str) -> tuple[str, str]:
        """The figure's SVG and alt text (a part of a figure has its own), drawn once for the same inputs."""
        chosen = {name: sorted(value) if isinstance(value, set) else value for name, value in options.items()}
        key = json.dumps([label, chosen], sort_keys=True)
        stored = drawings_folder(self.env.app) / f"{hashlib.sha256(key.encode()).hexdigest()[:24]}.json"
        if stored.is_file():
            kept = json.loads(stored.read_text(encoding="utf-8"))
            return kept["svg"], kept["alt"]
        try:
            svg = BOOK_FIGURES[label].svg(self.env.review_tables, **options)
        except Exception as error:  # a drawing bug must name the figure and the page, not end in a traceback
            raise self.error(f'figure "{label}" could not be drawn: {type(error).__name__}: {error}') from error
        alt = getattr(svg, "alt", alt)
        partial = stored.with_suffix(f".{self.env.docname.replace('/', '-')}.part")  # parallel readers never clash
        partial.write_text(json.dumps({"svg": str(svg), "alt": alt}), encoding="utf-8")
        partial.replace(stored)
        return str(svg), alt

    def links(self, tables, mechanisms: set[str] | None) -> tuple[dict[str, str], list[str]]:
        """Each drawn process group's address from this page (none for this page itself), and the targets."""
        groups = {
            record.values["process_group"]
            for record in tables["mechanisms"].records
            if mechanisms is None or record.values["id"] in mechanisms
        }
        missing = sorted(groups - set(PROCESS_GROUP_SECTIONS))
        if missing:
            raise self.error(
                f"no page is named for the process group {', '.join(missing)}: add it to "
                "PROCESS_GROUP_SECTIONS in lenvatinib_review/sphinxext/book_figures.py"
            )
        links, targets = {}, []
        for group in sorted(groups):
            target = PROCESS_GROUP_SECTIONS[group]
            docname, _, anchor = target.partition("#")
            if docname == self.env.docname and not anchor:
                continue
            try:
                uri = self.env.app.builder.get_relative_uri(self.env.docname, docname)
            except NoUri:  # a builder of one document (LaTeX) has no address for a page; it skips the drawing
                continue
            targets.append(target)
            links[group] = uri + (f"#{anchor}" if anchor else "")
        return links, targets


# Beside the doctrees, not among them: a full rebuild (doctrees removed) still finds the drawings.
DRAWINGS = ".book-figures"


def drawings_folder(app: Sphinx) -> Path:
    return Path(app.doctreedir).parent / DRAWINGS / app.env.review_drawing_inputs


def join_figure_texts(app: Sphinx) -> None:
    """Each figure's caption and alt text from the figures table; a row without a drawing stops the build."""
    try:
        app.env.review_figure_texts = figure_texts(app.env.review_tables)
    except DataError as error:
        raise InvalidData(str(error)) from None


def give_notebook_drawings_their_alt(app: Sphinx, docname: str, source: list[str]) -> None:
    """Put each figure's alt text from ``data/figures.csv`` into the metadata of the notebook cell that draws it.

    myst-nb takes an image's alt text only from its cell's metadata (``mystnb.image.alt``), not from the
    output; so the stored notebooks carry none, and the notebook the build reads (``source-read``) gets it.
    """
    texts = app.env.review_figure_texts
    if docname not in {text.notebook for text in texts.values()} or Path(app.env.doc2path(docname)).suffix != ".ipynb":
        return
    app.env.note_dependency(str(app.env.review_tables[FIGURES].schema.path))
    notebook = json.loads(source[0])
    for cell in notebook["cells"]:
        drawn = NOTEBOOK_DRAWING.search("".join(cell["source"])) if cell["cell_type"] == "code" else None
        if drawn:
            cell["metadata"].setdefault("mystnb", {}).setdefault("image", {})["alt"] = texts[drawn.group(1)].alt
    source[0] = json.dumps(notebook, ensure_ascii=False)


def keep_current_drawings(app: Sphinx) -> None:
    """Name the drawings' folder after what they are drawn from; remove the folders of older inputs."""
    app.env.review_drawing_inputs = fingerprint(notebook_inputs(app))[:16]
    current = drawings_folder(app)
    for older in current.parent.glob("*"):
        if older != current:
            shutil.rmtree(older)
    current.mkdir(parents=True, exist_ok=True)


def interactive_labels() -> list[str]:
    return sorted(label for label, figure in BOOK_FIGURES.items() if figure.interactive)


def check_targets(env, node: drawing) -> None:
    """Warn (an error in the strict build) about a link target that is no page of the book or no section of it."""
    for target in node["targets"]:
        docname, _, anchor = target.partition("#")
        if docname not in env.all_docs:
            logger.warning(f'figure "{node["label"]}" links to "{target}": no such page', location=node)
        elif anchor and anchor not in env.get_doctree(docname).ids:
            logger.warning(f'figure "{node["label"]}" links to "{target}": no such section', location=node)


def write_image(translator, label: str, svg: str) -> str:
    """Write the SVG into the site's image folder (named after its content); its address from the page."""
    filename = f"{label}-{hashlib.sha256(svg.encode('utf-8')).hexdigest()[:16]}.svg"
    folder = Path(translator.builder.outdir) / translator.builder.imagedir
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / filename).is_file():
        (folder / filename).write_text(svg, encoding="utf-8")
    return f"{translator.builder.imgpath}/{filename}"


def drawing_size(svg: str) -> tuple[float, float]:
    """The width and height, in CSS pixels, that a drawing gives itself (as matplotlib writes it, the size
    of what is drawn)."""
    width, height, _ = svg_size(svg)
    return width * CSS_PX_PER_PT, height * CSS_PX_PER_PT


def visit_drawing_html(translator, node: drawing) -> None:
    svg = node["svg"]
    if node["inline"]:
        check_targets(translator.builder.env, node)
        translator.body.append(svg)
        raise nodes.SkipNode
    width, height = drawing_size(svg)
    classes = "book-figure fits-phone" if node["fits_phone"] else "book-figure"
    translator.body.append(
        f'<img src="{write_image(translator, node["label"], svg)}" alt="{translator.attval(node["alt"])}" '
        f'width="{width:.0f}" height="{height:.0f}" class="{classes}" loading="lazy" decoding="async">'
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
    app.connect("source-read", give_notebook_drawings_their_alt)
