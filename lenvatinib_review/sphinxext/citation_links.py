"""Citations and the bibliography linked both ways.

Each bibliography entry shows the work (formatted by the reference-list style of
:mod:`.bibliography_style`), its BibTeX ``note`` (what was and was not verified) as a
smaller second line, and links back to every place it is cited, grouped by page in
reading order. The links use the ids that sphinxcontrib-bibtex gives each citation
(``BibtexDomain.citation_refs``), so they need no anchors of their own; they are added
by a post-transform that runs after sphinxcontrib-bibtex's ``BibliographyTransform``
has filled the bibliography, and before references are resolved.

In the text, each citation is a link to its bibliography entry. On a page that cites,
``static/citation-details.js`` turns each such link into a disclosure: a click, Enter,
or focus from the keyboard shows the full reference below it, with its DOI, PubMed and
PubMed Central links and a link to the entry. The references it shows are the entries
of the bibliography, rendered once per page into an inert ``<template>`` (not read by
the search index, not shown without JavaScript; without it the link still leads to the
entry).
"""

from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

import pybtex_docutils
from docutils import nodes
from pybtex.richtext import Text
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinxcontrib.bibtex.domain import BibtexDomain, Citation, get_docnames
from sphinxcontrib.bibtex.transforms import BibliographyTransform

SCRIPT = "citation-details.js"
# Bibliography anchors named after the key: "bibliography.html#ref-jin2021egfr".
CITE_ID = "ref-{key}"
TEMPLATE_ID = "citation-details"
DOCUTILS = pybtex_docutils.Backend()


def entry_nodes(citation: Citation, container: type[nodes.Element] = nodes.paragraph) -> list[nodes.Element]:
    """The reference as the bibliography shows it: the formatted work, then its note (if any)."""
    shown = [container("", "", *citation.formatted_entry.text.render(DOCUTILS), classes=["reference-work"])]
    note = citation.entry.fields.get("note")
    if note:
        text = Text.from_latex(note).add_period().render(DOCUTILS)
        shown.append(container("", "", *text, classes=["reference-note"]))
    return shown


def document_order(node_id: str) -> tuple[str, int]:
    """Docutils numbers the ids it makes ("id7"); sort "id10" after "id9"."""
    prefix, number = re.fullmatch(r"(.*?)(\d*)", node_id).groups()
    return prefix, int(number or 0)


class ReferenceListEntries(SphinxPostTransform):
    """Each bibliography entry without its numeric label, with its note and its links back."""

    default_priority = BibliographyTransform.default_priority + 1

    def run(self, **kwargs) -> None:
        entries = list(self.document.findall(nodes.citation))
        if not entries:
            return
        domain: BibtexDomain = self.env.get_domain("cite")
        citations = {citation.citation_id: citation for citation in domain.citations}
        cited_at = citation_places(domain)
        reading_order = list(get_docnames(self.env))
        for entry in entries:
            citation = citations.get(entry["ids"][0] if entry["ids"] else None)
            if citation is None:
                continue
            del entry[:]  # the numeric label and sphinxcontrib-bibtex's rendering of the entry
            entry.extend(entry_nodes(citation))
            places = cited_at.get(citation.key)
            if places:
                entry += self.backlinks(citation, places, reading_order)

    def backlinks(self, citation: Citation, places: dict[str, list[str]], reading_order: list[str]) -> nodes.paragraph:
        """ "Cited in Page A, 2, 3; Page B.": the page title links to the first citation, numbers to the others."""
        here = citation.bibliography_key.docname
        paragraph = nodes.paragraph("", "Cited in ", classes=["reference-backlinks"])
        pages = [docname for docname in reading_order if docname in places]
        for number, docname in enumerate(pages):
            if number:
                paragraph += nodes.Text("; ")
            uri = self.app.builder.get_relative_uri(here, docname)
            for occurrence, node_id in enumerate(sorted(places[docname], key=document_order), start=1):
                text = self.env.titles[docname].astext() if occurrence == 1 else str(occurrence)
                if occurrence > 1:
                    paragraph += nodes.Text(", ")
                paragraph += nodes.reference("", text, refuri=f"{uri}#{node_id}", internal=True)
        paragraph += nodes.Text(".")
        return paragraph


def citation_places(domain: BibtexDomain) -> dict[str, dict[str, list[str]]]:
    """Where each work is cited: the ids of its citations by page, by the work's key."""
    places: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for reference in domain.citation_refs:
        for key in dict.fromkeys(target.key for target in reference.targets):
            places[key][reference.docname].append(reference.citation_ref_id)
    return places


def cited_on_page(domain: BibtexDomain, doctree: nodes.document) -> list[Citation]:
    """The works a page cites, in the order first cited, from the links of its citations."""
    citations = {citation.citation_id: citation for citation in domain.citations}
    cited: dict[str, Citation] = {}
    for group in doctree.findall(nodes.inline):
        if "bibtex-citation" not in group["classes"]:
            continue
        for link in group.findall(nodes.reference):
            target = link.get("refid") or urlsplit(link.get("refuri", "")).fragment
            if target in citations:
                cited.setdefault(target, citations[target])
    return list(cited.values())


# Each work's full reference as a page's template holds it, rendered once a build for every page that
# cites the work (it names no page); forgotten when the references are formatted again (env-updated).
RENDERED_DETAILS: WeakKeyDictionary[Builder, dict[str, str]] = WeakKeyDictionary()


def forget_rendered_details(app: Sphinx, env) -> None:
    RENDERED_DETAILS.pop(app.builder, None)


def add_reference_details(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """The full references a page cites, in a ``<template>`` that the disclosure script shows from."""
    if doctree is None or app.builder.format != "html" or "body" not in context:
        return
    cited = cited_on_page(app.env.get_domain("cite"), doctree)
    if not cited:
        return
    rendered = RENDERED_DETAILS.setdefault(app.builder, {})
    for citation in cited:
        if citation.citation_id not in rendered:
            holder = nodes.inline(classes=["reference-details"])
            holder["ids"] = []
            holder += entry_nodes(citation, container=nodes.inline)
            html = app.builder.render_partial(holder)["fragment"]
            rendered[citation.citation_id] = html.replace("<span ", f'<span data-citation="{citation.citation_id}" ', 1)
    details = "".join(rendered[citation.citation_id] for citation in cited)
    context["body"] += f'<template id="{TEMPLATE_ID}">{details}</template>\n'
    app.add_js_file(SCRIPT, loading_method="defer")


def rewrite_bibliography_when_any_page_changes(app: Sphinx, env) -> list[str]:
    """The back-links of the bibliography follow every page: write it again whenever a page was read."""
    if not getattr(env, "citation_links_pages_read", False):
        return []
    env.citation_links_pages_read = False
    domain: BibtexDomain = env.get_domain("cite")
    return sorted({key.docname for key in domain.bibliographies})


def note_pages_read(app: Sphinx, env, docnames: list[str]) -> None:
    env.citation_links_pages_read = bool(docnames)


def configure(app: Sphinx, config) -> None:
    """Entries anchored by key; no hover tooltip (the disclosure shows the reference instead)."""
    config.bibtex_cite_id = config.bibtex_cite_id or CITE_ID
    config.bibtex_tooltips = False


def register(app: Sphinx) -> None:
    app.connect("config-inited", configure)
    app.add_post_transform(ReferenceListEntries)
    app.connect("env-before-read-docs", note_pages_read)
    app.connect("env-get-updated", rewrite_bibliography_when_any_page_changes)
    app.connect("env-updated", forget_rendered_details)
    # Before unused_assets.drop_unused_assets copies the page's script list.
    app.connect("html-page-context", add_reference_details, priority=400)
