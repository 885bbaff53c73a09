"""Make every page citable, from ``CITATION.cff`` (beside ``_config.yml``) alone.

It sets the book's title, authors, version and base URL, appends a "Cite this
chapter" block (formatted reference and BibTeX) to every page, writes Highwire
Press ``citation_*``, description and OpenGraph meta tags into every page head
(each page described by its own first paragraph), shows the
version and release date in the footer, and writes ``sitemap.xml``.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from ..book_metadata import BASE_URL_VARIABLE, CITATION_FILE_NAME, BookMetadata


def configure(app: Sphinx, config) -> None:
    metadata = BookMetadata.load(Path(app.srcdir, CITATION_FILE_NAME))
    app.book_metadata = metadata
    names = "; ".join(metadata.authors)
    config.project = config.html_title = metadata.title
    config.author = names
    config.copyright = f"{metadata.released.year}, {names}"
    config.version = config.release = metadata.version
    config.html_baseurl = config.review_base_url = metadata.base_url
    options = config.html_theme_options
    options["extra_footer"] = (
        f"<p>Version {escape(metadata.version)}, released {metadata.released.isoformat()}. "
        f"Text and data under {escape(metadata.license)}.</p>"
    )
    if metadata.repository:
        options.update(repository_url=metadata.repository, use_repository_button=True, use_issues_button=True)


def chapter_title(app: Sphinx, docname: str) -> str | None:
    """The page title, or None for the landing page, which cites the whole book."""
    if docname == app.config.root_doc:
        return None
    return app.env.titles[docname].astext()


LOCAL_BUILD_NOTE = (
    "This is a local build: its address, {base_url}, is this computer's preview server, not where the book "
    f"is published. A build for publishing names the published address (the {BASE_URL_VARIABLE} variable)."
)


def reference_paragraph(parts: list[tuple[str, str]]) -> nodes.paragraph:
    """The APA reference with its title in italics and its address a link."""
    paragraph = nodes.paragraph(classes=["cite-reference"])
    for text, kind in parts:
        if kind == "title":
            paragraph += nodes.emphasis(text, text)
        elif kind == "link":
            paragraph += nodes.reference(text, text, refuri=text)
        else:
            paragraph += nodes.Text(text)
    return paragraph


def append_cite_block(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    section = doctree.next_node(nodes.section)
    if section is None:
        return
    chapter = None if docname == app.config.root_doc else section[0].astext()
    metadata: BookMetadata = app.book_metadata
    block = nodes.container(classes=["cite-this"])
    block += nodes.rubric(text="Cite this chapter" if chapter else "Cite this book")
    block += reference_paragraph(metadata.reference_parts(docname, chapter))
    bibtex = metadata.bibtex(docname, chapter)
    block += nodes.literal_block(bibtex, bibtex, language="bibtex")
    if metadata.is_local:
        block += nodes.paragraph(text=LOCAL_BUILD_NOTE.format(base_url=metadata.base_url), classes=["cite-local"])
    section += block


DESCRIPTION_LENGTH = 300
NOT_PROSE = (nodes.table, nodes.Admonition, nodes.topic, nodes.sidebar, nodes.footnote, nodes.citation)


def first_paragraph(doctree: nodes.document, length: int = DESCRIPTION_LENGTH) -> str:
    """The text of a page's first paragraph of prose (not a table cell, note or cite block), shortened."""
    for paragraph in doctree.findall(nodes.paragraph):
        parents = []
        parent = paragraph.parent
        while parent is not None:
            parents.append(parent)
            parent = parent.parent
        if any(isinstance(p, NOT_PROSE) or "cite-this" in p.get("classes", ()) for p in parents):
            continue
        text = " ".join(paragraph.astext().split())
        if len(text) < 40:
            continue
        if len(text) > length:
            text = text[: length - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
        return text
    return ""


def add_meta_tags(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if doctree is None:
        return
    metadata: BookMetadata = app.book_metadata
    tags = metadata.meta_tags(pagename, chapter_title(app, pagename), first_paragraph(doctree))
    context["metatags"] = context.get("metatags", "") + "".join(
        f'\n<meta {attribute}="{escape(name)}" content="{escape(content)}" />' for attribute, name, content in tags
    )


def write_sitemap(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html" or app.builder.name != "html":
        return
    metadata: BookMetadata = app.book_metadata
    urls = "".join(
        f"  <url><loc>{escape(metadata.page_url(docname))}</loc></url>\n" for docname in sorted(app.env.found_docs)
    )
    sitemap = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n'
    Path(app.outdir, "sitemap.xml").write_text(sitemap, encoding="utf-8")


def register(app: Sphinx) -> None:
    # An "env" value, so that a new base URL re-reads the pages whose cite blocks contain it.
    app.add_config_value("review_base_url", "", "env", types=[str])
    app.connect("config-inited", configure)
    app.connect("doctree-read", append_cite_block)
    app.connect("html-page-context", add_meta_tags)
    app.connect("build-finished", write_sitemap)
