"""The glossary's terms kept in the search index by incremental builds.

Sphinx's search shows a page's index entries (the glossary's terms) first. Sphinx 7.4 collects
them when a page is written (``IndexBuilder.feed``) into the build environment
(``env._search_index_index_entries``), but it pickles the environment before pages are written,
and reading back ``searchindex.js`` for the pages it does not write again (``IndexBuilder.load``)
leaves the index entries out: after an incremental build that did not rewrite the glossary, the
search no longer knew its terms, and the site differed from a clean build of the same sources.
No public hook runs between loading the index and writing the pages; so each page's entries are
put where the index keeps them when the page is read, as ``feed`` would put them from the index
nodes the page has once read, and dropped with the page. The pickled environment then holds every
page's entries. When Sphinx cannot read ``searchindex.js`` back (it warns that the index will be
incomplete), the index lists only the pages written again; the entries of the others are dropped
before it is written, which would otherwise fail on a page the index does not list.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.index_entries import split_index_msg


def index_entries(doctree: nodes.document) -> list[tuple[str, str, str]]:
    """A page's entries as ``IndexBuilder.feed`` records them."""
    entries: set[tuple[str, str, str]] = set()
    for node in doctree.findall(addnodes.index):
        for entry_type, value, target_id, main, _category_key in node["entries"]:
            try:
                result = split_index_msg(entry_type, value)
            except ValueError:
                continue
            if entry_type in {"see", "seealso"}:
                entries.add((result[0], target_id or "", main))
            entries |= {(word, target_id or "", main) for word in result}
    return sorted(entries)


def record(app: Sphinx, doctree: nodes.document) -> None:
    app.env._search_index_index_entries[app.env.docname] = index_entries(doctree)


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    env._search_index_index_entries.pop(docname, None)


def merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    for docname in docnames:
        if docname in other._search_index_index_entries:
            env._search_index_index_entries[docname] = other._search_index_index_entries[docname]


def drop_entries_of_unlisted_pages(app: Sphinx) -> list:
    """Before the index is written (``html-collect-pages`` runs first), keep only listed pages' entries."""
    indexer = getattr(app.builder, "indexer", None)
    if indexer is not None:
        for docname in set(indexer._index_entries) - set(indexer._titles):
            del indexer._index_entries[docname]
    return []


def register(app: Sphinx) -> None:
    app.connect("doctree-read", record)
    app.connect("html-collect-pages", drop_entries_of_unlisted_pages)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
