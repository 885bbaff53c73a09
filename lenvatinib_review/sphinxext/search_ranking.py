"""Search results ranked by how much of a page is about the words searched for.

Sphinx's search ranks a page that has the words in a title above one that has them only in its
text, and orders pages of equal score alphabetically, so a search for a drug lists every page
that mentions it, A to Z. This module keeps Sphinx's ranking and breaks its ties by coverage:
the share of a page's sections that use the word, ``sections using it / (sections + 3)``
(the 3 keeps a one-section page from counting as wholly about every word it contains). A page
whose every part discusses a drug comes before one that names it once.

When a page is read, the sections of its doctree are counted, with the words of each as Sphinx's
English search stems them (its cite block and the keys inside citations left out); after an HTML
build the counts are written to ``_static/search-sections.js``, which only the search page loads.
``static/search-scorer.js``, the theme's search scorer (Sphinx's ``html_search_scorer``), reads
them. It also makes the result snippets skip what a reader does not see on the page (the theme's
print-only title and table of contents, the cite block).
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.search.en import SearchEnglish

from .static_files import STATIC_DIR

SCORER = STATIC_DIR / "search-scorer.js"
DATA_FILE = "search-sections.js"
# Sections whose words a page's ranking leaves out: the cite block, the same on every page.
NOT_COUNTED = ("cite-this",)


class MemoizedEnglish(SearchEnglish):
    """Sphinx's English search language, stemming each distinct word once. Registered for the search
    index (``app.add_search_language``), which otherwise stems every word of every page anew (about
    45,000 a build, a tenth of the time it takes to write the pages)."""

    def stem(self, word: str) -> str:
        return english_stem(word)


ENGLISH = MemoizedEnglish({})  # its stemmer and stop words take no options


@functools.cache
def english_stem(word: str) -> str:
    return SearchEnglish.stem(ENGLISH, word)


@functools.cache
def search_word(word: str) -> str | None:
    """``word`` as Sphinx's English search stems it, or None where its index leaves the word out."""
    stem = ENGLISH.stem(word).lower()
    return stem if ENGLISH.word_filter(stem) else None


def section_words(section: nodes.section) -> set[str]:
    """The stemmed search words of a section's own text (not of the sections inside it)."""
    words: set[str] = set()

    def visit(node: nodes.Node) -> None:
        if isinstance(node, nodes.Text):
            words.update(stem for stem in map(search_word, ENGLISH.split(node.astext())) if stem is not None)
            return
        if isinstance(node, nodes.section | nodes.comment | nodes.raw):
            return
        if isinstance(node, addnodes.pending_xref) and node.get("refdomain") == "cite":
            return  # a citation's text is its keys until it is resolved
        if isinstance(node, nodes.Element) and set(node["classes"]) & set(NOT_COUNTED):
            return
        for child in node.children:
            visit(child)

    for child in section.children:
        visit(child)
    return words


def count_sections(app: Sphinx, doctree: nodes.document) -> None:
    """For the page being read: its number of sections, and how many use each word."""
    sections = list(doctree.findall(nodes.section))
    uses: Counter[str] = Counter()
    for section in sections:
        uses.update(section_words(section))
    app.env.search_sections[app.env.docname] = (len(sections), dict(uses))


def initialise(app: Sphinx) -> None:
    if not hasattr(app.env, "search_sections"):
        app.env.search_sections = {}


def purge(app: Sphinx, env, docname: str) -> None:
    env.search_sections.pop(docname, None)


def merge(app: Sphinx, env, docnames: set[str], other) -> None:
    for docname in docnames:
        env.search_sections[docname] = other.search_sections[docname]


def search_sections_script(counts: dict[str, tuple[int, dict[str, int]]]) -> str:
    """``SEARCH_SECTIONS``: the pages, each page's number of sections, and per word the pages using it
    in two sections or more, as ``{page number: sections}``.

    A page that has a word in one section only is left out of that word's list (the scorer assumes
    one), which keeps the file small; Sphinx's own index decides which pages match at all.
    """
    docnames = sorted(counts)
    terms: dict[str, dict[int, int]] = {}
    for number, docname in enumerate(docnames):
        for word, uses in counts[docname][1].items():
            if uses > 1:
                terms.setdefault(word, {})[number] = uses
    data = {
        "docnames": docnames,
        "sections": [counts[docname][0] for docname in docnames],
        "terms": {word: terms[word] for word in sorted(terms)},
    }
    return f"var SEARCH_SECTIONS = {json.dumps(data, separators=(',', ':'), ensure_ascii=False)};\n"


def write_search_sections(app: Sphinx, builder) -> None:
    """Written once every page is read and before any is written: Sphinx adds the file's checksum to the
    search page's link to it only when the file is already there, so every build links it alike."""
    if builder.name != "html":
        return
    counts = {docname: app.env.search_sections[docname] for docname in app.env.found_docs}
    static = Path(app.outdir, "_static")
    static.mkdir(parents=True, exist_ok=True)
    (static / DATA_FILE).write_text(search_sections_script(counts), encoding="utf-8")


def load_on_search_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if pagename == "search":
        app.add_js_file(DATA_FILE)


def use_scorer(app: Sphinx, config) -> None:
    config.html_search_scorer = config.html_search_scorer or str(SCORER)


def register(app: Sphinx) -> None:
    app.add_search_language(MemoizedEnglish)
    app.connect("config-inited", use_scorer)
    app.connect("builder-inited", initialise)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("doctree-read", count_sections)
    app.connect("html-page-context", load_on_search_page, priority=400)
    app.connect("write-started", write_search_sections)
