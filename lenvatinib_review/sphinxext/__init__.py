"""The book's Sphinx extension: one ``setup()``, one module per feature.

``_config.yml`` loads this package alone (``lenvatinib_review.sphinxext``). Each
module below registers its own directives, config values and event handlers
through a ``register(app)`` function:

``data_tables``
    the ``data-table`` directive; the data are validated once, before any page is read;
``book_figures``
    the ``book-figure`` directive: each figure, drawn from the data, in the chapter that discusses it;
``certainty``
    the certainty of each mechanism (``certainty-table``), the risk of bias of the studies behind
    it (``risk-of-bias``), the blanks of the study tables and the exposure comparison, and the
    ``certainty`` role for counts in prose;
``evidence_explorer``
    the ``evidence-explorer`` directive (every finding, filtered and sorted in the browser)
    and the ``explore`` role that links to a view of it;
``notebook_cache``
    re-executes a notebook, and re-reads its page, only when the tables it declares or the modules it imports change;
``citability``
    the "Cite this chapter" block, the citation and OpenGraph meta tags, the sitemap;
``bibliography_style``
    author–year citations in round brackets, with "et al.", and the reference list sorted by author and year;
``citation_links``
    citations and bibliography linked both ways: the full reference on a citation's click or focus,
    and links from each bibliography entry back to where it is cited;
``screening``
    counts from the screening log in prose, and the coverage-gap sentence;
``whats_new``
    the What's-new page (releases and what each added) and its Atom feed;
``static_files``
    the book's style sheet, scripts and icon;
``landing_page``
    the site's ``index.html``, sending readers to the root page;
``bibliography_list_items``, ``cell_toggle_labels``
    visitor overrides: bibliography entries as list items, a hidden cell's toggle labelled with spans;
``unused_assets``, ``section_toggle_names``, ``deferred_scripts``, ``notebook_styles``, ``numref_targets``,
``search_index_entries``
    workarounds where the theme stack has no setting (each module names the upstream behaviour):
    other extensions' assets only where used, named sidebar toggles, deferred scripts, myst-nb's
    style sheet in place before the pages are written, each page read once for numbered references,
    the glossary's terms kept in the search index by incremental builds;
``collection_thresholds``
    CPython's garbage collector run less often while a build holds its doctrees;
``search_ranking``
    search results ordered by how much of each page is about the words searched for, with snippets
    from what the page shows;
``book_pdf``
    links to the book as one PDF (``make pdf``): in every page's header bar, and the ``book-pdf`` role;
``cell_labels``
    each table cell's column title as ``data-label``, for the stacked cards of narrow screens.

Its configuration values are typed and named ``review_*``: ``review_datapackage`` and
``review_bibliography`` (paths relative to the source directory), ``review_whats_new_page``
(the page whose releases make the Atom feed) and ``review_base_url`` (the hosted address,
set from ``CITATION.cff`` and ``BOOK_BASE_URL``).

Files are found from the Sphinx application's source directory (``app.srcdir``):
the data package, the bibliography and ``CITATION.cff`` sit beside ``_config.yml``.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from .. import __version__
from . import (
    bibliography_list_items,
    bibliography_style,
    book_figures,
    book_pdf,
    cell_labels,
    cell_toggle_labels,
    certainty,
    citability,
    citation_links,
    collection_thresholds,
    data_tables,
    deferred_scripts,
    evidence_explorer,
    landing_page,
    notebook_cache,
    notebook_styles,
    numref_targets,
    screening,
    search_index_entries,
    search_ranking,
    section_toggle_names,
    static_files,
    unused_assets,
    whats_new,
)

ENV_VERSION = 4
FEATURES = (
    collection_thresholds,
    bibliography_style,
    citation_links,
    data_tables,
    book_figures,
    certainty,
    evidence_explorer,
    notebook_cache,
    citability,
    screening,
    whats_new,
    static_files,
    landing_page,
    bibliography_list_items,
    cell_toggle_labels,
    unused_assets,
    section_toggle_names,
    deferred_scripts,
    notebook_styles,
    numref_targets,
    search_index_entries,
    search_ranking,
    book_pdf,
    cell_labels,
)


def load_then_prepare(app: Sphinx) -> None:
    """Validate the data before any page is read; then the figures' words, the drawings' folder, the releases,
    the ratings, the findings."""
    data_tables.load_and_validate(app)
    book_figures.join_figure_texts(app)
    book_figures.keep_current_drawings(app)
    whats_new.check_releases(app)
    certainty.prepare(app)
    evidence_explorer.prepare(app)


def setup(app: Sphinx) -> dict:
    for feature in FEATURES:
        feature.register(app)
    app.connect("builder-inited", load_then_prepare)
    return {
        "version": __version__,
        # Raise when what the extension stores in the environment changes: Sphinx then discards a pickled one.
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
