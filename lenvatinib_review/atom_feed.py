"""An Atom feed (RFC 4287) of the book's releases, one entry per release, newest first.

Everything in it comes from the data and ``CITATION.cff``: the entries from
:func:`lenvatinib_review.releases.releases`, the title, authors and licence from
:class:`lenvatinib_review.book_metadata.BookMetadata`. The feed is dated by the
newest release, never by the build, so two builds of the same sources write the
same bytes. Ids are the addresses of the What's-new page and of each release's
section on it, so they stay the same for as long as the site keeps its address.
ElementTree escapes every text, so nothing from the data is read as markup.
"""

from __future__ import annotations

from xml.etree import ElementTree

from .book_metadata import BookMetadata
from .releases import Release, counted

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml"
ATOM_MEDIA_TYPE = "application/atom+xml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _element(parent: ElementTree.Element, name: str, text: str | None = None, **attributes) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, name, attributes)
    element.text = text
    return element


def add_content(entry: ElementTree.Element, release: Release) -> None:
    """What a release added, as XHTML: its summary and literature cut-off, the evidence rows it added as a list,
    its screening counts.

    Atom's ``type="xhtml"`` content is one XHTML ``div`` (RFC 4287, section 4.1.3.3); feed readers
    show it as HTML, and its text stays text.
    """
    div = _element(_element(entry, "content", type="xhtml"), "div", xmlns=XHTML_NAMESPACE)
    _element(div, "p", release.summary)
    _element(div, "p", release.cutoff_sentence)
    if release.evidence:
        _element(div, "p", f"{counted(len(release.evidence), 'evidence row')} added:")
        rows = _element(div, "ul")
        for row in release.evidence:
            _element(rows, "li", f"{row.process}: {row.label}")
    else:
        _element(div, "p", "No evidence rows were added.")
    _element(div, "p", release.screening.sentence())


def atom_feed(releases: list[Release], metadata: BookMetadata, page_url: str, feed_url: str) -> bytes:
    """The feed document; ``page_url`` is the What's-new page, ``feed_url`` where the feed is served.

    A release in preparation has no date yet, so it is not an entry until it is released.
    """
    releases = [release for release in releases if release.released]
    if not releases:
        raise ValueError("a feed needs at least one release")
    # Names without a namespace prefix, under a default namespace declared on the root.
    feed = ElementTree.Element("feed", {"xmlns": ATOM_NAMESPACE, XML_LANG: "en"})
    _element(feed, "id", page_url)
    _element(feed, "title", f"{metadata.title}: what's new")
    _element(feed, "subtitle", "What each release of the book added: evidence rows and records of the screening log.")
    _element(feed, "updated", max(releases, key=lambda release: release.date).timestamp)
    for name in metadata.authors:
        _element(_element(feed, "author"), "name", name)
    _element(feed, "link", rel="self", type=ATOM_MEDIA_TYPE, href=feed_url)
    _element(feed, "link", rel="alternate", type="text/html", href=page_url)
    _element(feed, "rights", f"Text and data under {metadata.license}.")
    for release in releases:
        entry = _element(feed, "entry")
        _element(entry, "id", f"{page_url}#{release.anchor}")
        _element(entry, "title", f"{metadata.title}, version {release.version}")
        _element(entry, "updated", release.timestamp)
        _element(entry, "link", rel="alternate", type="text/html", href=f"{page_url}#{release.anchor}")
        _element(entry, "summary", release.summary)
        add_content(entry, release)
    ElementTree.indent(feed)
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"
