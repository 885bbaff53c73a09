"""The book as one PDF to print, cite and archive, made from the built website.

The website in ``_build/html`` is the input: no second Sphinx build. Every page of
``_toc.yml`` is taken in reading order: its article (with its "Cite this chapter"
block) without what only a browser uses (heading anchors, scripts); the site's
navigation, search and buttons lie outside the article and are never read. Element ids
are prefixed with the page they come from and internal links rewritten to them
(``glossary.html#term-HCC`` becomes ``#book-glossary--term-HCC``), so that links
between chapters, to the bibliography and to numbered figures and tables work inside
the one document; links to files that are not pages (the CSV downloads) point at the
hosted site. A title page (from ``CITATION.cff``) and a table of contents with page
numbers come first; ``print_edition.css`` lays the pages out (running headers, page
numbers, bookmarks); WeasyPrint writes the PDF.

A page, image or link target that is missing stops the run with a message naming it;
so does any warning from WeasyPrint, as a warning of Sphinx stops the website's build.

Run ``python -m lenvatinib_review.print_edition [SITE]`` (``make pdf``): it writes
``SITE/lenvatinib-resistance.pdf``, where the website links it.
"""

from __future__ import annotations

import argparse
import logging
import posixpath
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, Tag

from .book_metadata import CITATION_FILE_NAME, BookMetadata
from .book_toc import TocEntry, toc_entries
from .datapackage import REPOSITORY_ROOT

PDF_FILE_NAME = "lenvatinib-resistance.pdf"
STYLESHEET = Path(__file__).with_name("print_edition.css")
# What an article holds for the browser only: the "#" anchor beside each heading, scripts.
SITE_ONLY = ["a.headerlink", "script"]
# A table with more columns than this is set in a smaller type so that it fits the page's width.
NARROW_TABLE_COLUMNS = 4
# Table layout, in millimetres: the text width of an A4 page, upright and turned, within the
# margins of print_edition.css; the width of a character per point of type (half an em, a digit's);
# a cell's left and right padding. Type sizes in points, for tables of few and of many columns.
TEXT_WIDTH = {"portrait": 174, "landscape": 261}
CHARACTER_WIDTH = 0.5 * 0.3528
CELL_PADDING = 2.4
TABLE_TYPE_SIZE = {False: 8, True: 7}
# A column is at least as wide as its longest word, up to a word this long (a longer one is broken).
LONGEST_UNBROKEN_WORD = 14
# A section that holds a landscape table and at most this many characters besides turns with it.
SHORT_TEXT = 400


class PrintEditionError(Exception):
    """The built site cannot be printed: a page, image or link target is missing."""


def page_anchor(docname: str) -> str:
    return docname.replace("/", "-")


def page_html(docname: str) -> str:
    return f"{docname}.html"


def article(site: Path, docname: str) -> Tag:
    """A built page's article, or a clear error naming the page."""
    path = site / page_html(docname)
    if not path.is_file():
        raise PrintEditionError(f"{path}: page {docname!r} of _toc.yml is missing; build the website first (make html)")
    content = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one("article.bd-article")
    if content is None or content.find("h1") is None:
        raise PrintEditionError(f"{path}: page {docname!r} has no article with a title")
    return content


class Linker:
    """Rewrites a page's ids, links and image sources for the one printed document."""

    def __init__(self, site: Path, printed: set[str], base_url: str) -> None:
        self.site = site
        self.printed = printed
        self.base_url = base_url
        # Each rewritten internal link, with the page and the link it was written from.
        self.internal_links: dict[str, tuple[str, str]] = {}

    def localise(self, content: Tag, docname: str) -> None:
        prefix = page_anchor(docname) + "--"
        for element in content.find_all(id=True):
            element["id"] = prefix + element["id"]
        for link in content.find_all("a", href=True):
            link["href"] = self.href(docname, link["href"])
        for image in content.find_all("img"):
            # A figure drawn in a layout of its own for the printed page (book_figures) uses it here.
            image["src"] = self.image(docname, image.attrs.pop("data-print-src", None) or image.get("src", ""))

    def target(self, docname: str, reference: str) -> str:
        """The site path a relative reference of a page points at ("book/glossary.html")."""
        path = unquote(urlsplit(reference).path)
        return posixpath.normpath(posixpath.join(posixpath.dirname(page_html(docname)), path)) if path else ""

    def href(self, docname: str, href: str) -> str:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            return href
        path = self.target(docname, href)
        target = path.removesuffix(".html") if path else docname
        if target not in self.printed:
            return self.base_url + path + (f"#{parts.fragment}" if parts.fragment else "")
        anchor = page_anchor(target)
        local = f"#{anchor}--{unquote(parts.fragment)}" if parts.fragment else f"#{anchor}"
        self.internal_links.setdefault(local, (docname, href))
        return local

    def image(self, docname: str, src: str) -> str:
        if urlsplit(src).scheme:
            raise PrintEditionError(f"{page_html(docname)}: image {src!r} is not a file of the site")
        path = self.site / self.target(docname, src)
        if not path.is_file():
            raise PrintEditionError(f"{page_html(docname)}: image {src!r} is missing ({path})")
        return path.resolve().as_uri()


def title_page(soup: BeautifulSoup, metadata: BookMetadata, root_docname: str) -> Tag:
    page = soup.new_tag("section", attrs={"class": "title-page"})
    for css_class, text in [
        ("book-title", metadata.title),
        ("abstract", metadata.abstract),
        ("authors", "; ".join(metadata.authors)),
        ("edition", f"Version {metadata.version}, released {metadata.released.isoformat()}"),
    ]:
        page.append(soup.new_tag("p", attrs={"class": css_class}, string=text))
    facts = soup.new_tag("dl", attrs={"class": "colophon"})
    rows = [
        ("Licence", f"Text and data under {metadata.license}."),
        ("How to cite", metadata.reference_parts(root_docname)),
        ("Online", metadata.page_url(root_docname)),
        ("This PDF", metadata.base_url + PDF_FILE_NAME),
    ]
    rows += [("DOI", f"https://doi.org/{metadata.doi}")] if metadata.doi else []
    rows += [("Source", metadata.repository)] if metadata.repository else []
    for term, definition in rows:
        facts.append(soup.new_tag("dt", string=term))
        if isinstance(definition, str):
            facts.append(soup.new_tag("dd", string=definition))
            continue
        reference = soup.new_tag("dd")  # the reference's parts: its title in italics
        for text, kind in definition:
            reference.append(soup.new_tag("em", string=text) if kind == "title" else text)
        facts.append(reference)
    page.append(facts)
    return page


def contents(soup: BeautifulSoup, entries: list[TocEntry], titles: dict[str, str]) -> Tag:
    """The table of contents: parts, chapters and sections; the stylesheet adds each page number."""
    nav = soup.new_tag("nav", attrs={"class": "contents", "id": "contents"})
    nav.append(soup.new_tag("h1", string="Contents"))
    listing = soup.new_tag("ul")
    part = None
    for entry in entries:
        if entry.part and entry.part != part:
            part = entry.part
            listing.append(soup.new_tag("li", attrs={"class": "toc-part"}, string=part))
        item = soup.new_tag("li", attrs={"class": f"toc-entry depth-{entry.depth}"})
        item.append(soup.new_tag("a", href=f"#{page_anchor(entry.docname)}", string=titles[entry.docname]))
        listing.append(item)
    nav.append(listing)
    return nav


def print_document(site: Path, root: Path = REPOSITORY_ROOT) -> BeautifulSoup:
    """The whole book as one HTML document for print: ``_toc.yml`` and ``CITATION.cff`` from ``root``."""
    metadata = BookMetadata.load(root / CITATION_FILE_NAME)
    entries = toc_entries(root)
    articles = {entry.docname: article(site, entry.docname) for entry in entries}
    for content in articles.values():
        for element in content.select(", ".join(SITE_ONLY)):
            element.decompose()
    titles = {docname: content.find("h1").get_text(" ", strip=True) for docname, content in articles.items()}
    soup = BeautifulSoup(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/><title></title></head><body></body></html>',
        "html.parser",
    )
    soup.title.string = metadata.title
    for name, content in [
        ("author", "; ".join(metadata.authors)),
        ("description", metadata.abstract),
        ("keywords", ", ".join(metadata.keywords)),
        ("generator", "lenvatinib_review.print_edition"),
        ("dcterms.created", metadata.released.isoformat()),
        ("dcterms.modified", metadata.released.isoformat()),
    ]:
        soup.head.append(soup.new_tag("meta", attrs={"name": name, "content": content}))
    soup.body.append(title_page(soup, metadata, entries[0].docname))
    soup.body.append(contents(soup, entries, titles))
    linker = Linker(site, set(articles), metadata.base_url)
    part = None
    for entry in entries:
        content = articles[entry.docname]
        linker.localise(content, entry.docname)
        for table in content.find_all("table"):
            if not fit_to_page(soup, table):
                turn_to_landscape(table)
        page = soup.new_tag("section", attrs={"class": f"page depth-{entry.depth}", "id": page_anchor(entry.docname)})
        if entry.part and entry.part != part:
            part = entry.part
            page.append(soup.new_tag("p", attrs={"class": "part-title"}, string=part))
        page.extend(list(content.children))
        soup.body.append(page)
    ids = {element["id"] for element in soup.find_all(id=True)}
    broken = [
        f"{page_html(docname)} links to {href!r}"
        for local, (docname, href) in linker.internal_links.items()
        if local[1:] not in ids
    ]
    if broken:
        raise PrintEditionError("a link points at an anchor that no printed page has: " + "; ".join(sorted(broken)))
    return soup


def column_widths(floors: list[float], lengths: list[float], width: float) -> list[float]:
    """Widths that share ``width`` in proportion to the columns' text lengths, none below its floor.

    Proportional widths give the lowest rows (a row is as tall as its fullest cell); a column
    whose share would fall below its floor (its longest word) gets the floor instead.
    """
    fixed: set[int] = set()
    while True:
        free = [i for i in range(len(floors)) if i not in fixed]
        scale = (width - sum(floors[i] for i in fixed)) / (sum(lengths[i] for i in free) or 1)
        narrow = {i for i in free if scale * lengths[i] < floors[i]}
        if not narrow or len(fixed | narrow) == len(floors):
            return [floors[i] if i in fixed | narrow else scale * lengths[i] for i in range(len(floors))]
        fixed |= narrow


def fit_to_page(soup: BeautifulSoup, table: Tag) -> bool:
    """Fix a table's column widths so that it fits the page; False if only a landscape page is wide enough.

    With fixed widths no column can push the table past the page's edge (a word longer than
    its column wraps anywhere), and WeasyPrint need not measure the narrowest layout of every
    cell, which takes minutes for the screening log.
    """
    rows = [row.find_all(["th", "td"], recursive=False) for row in table.find_all("tr")]
    columns = max((len(cells) for cells in rows), default=0)
    if columns == 0 or any(cell.has_attr("colspan") for cells in rows for cell in cells):
        return True
    wide = columns > NARROW_TABLE_COLUMNS
    character = CHARACTER_WIDTH * TABLE_TYPE_SIZE[wide]
    floors, lengths = [], []
    for index in range(columns):
        texts = [cells[index].get_text(" ", strip=True) for cells in rows if index < len(cells)]
        longest = min(LONGEST_UNBROKEN_WORD, max(len(word) for text in texts for word in [*text.split(), ""]))
        floors.append(longest * character + CELL_PADDING)
        body = texts[1:] or texts
        lengths.append(sum(map(len, body)) / len(body))
    portrait = sum(floors) <= TEXT_WIDTH["portrait"]
    widths = column_widths(floors, lengths, TEXT_WIDTH["portrait" if portrait else "landscape"])
    group = soup.new_tag("colgroup")
    for width in widths:
        group.append(soup.new_tag("col", style=f"width: {100 * width / sum(widths):.2f}%"))
    if table.caption:
        table.caption.insert_after(group)
    else:
        table.insert(0, group)
    table["class"] = [*table.get("class", []), "fixed", *(["wide"] if wide else [])]
    return portrait


def turn_to_landscape(table: Tag) -> None:
    """Put a table on landscape pages, with its section when that holds little else (a heading, a line)."""
    holder = table.find_parent("div", class_="pst-scrollable-table-container") or table
    section = holder.find_parent("section")
    if section is not None and section.find_parent("section") is not None:
        rest = len(section.get_text(" ", strip=True)) - len(holder.get_text(" ", strip=True))
        if rest <= SHORT_TEXT and len(section.find_all("table")) == 1:
            holder = section
    holder["class"] = [*holder.get("class", []), "landscape"]


@contextmanager
def weasyprint_warnings_as_errors() -> Iterator[None]:
    """Stop on a warning of WeasyPrint: an image it cannot draw, a character no font has, a style it ignores."""
    messages: dict[str, None] = {}

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages[record.getMessage()] = None

    logger = logging.getLogger("weasyprint")
    handler = Collect(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    if messages:
        raise PrintEditionError("WeasyPrint: " + "; ".join(messages))


def write_pdf(site: Path, output: Path | None = None, root: Path = REPOSITORY_ROOT) -> Path:
    """Print the built website ``site`` to ``output`` (by default ``SITE/lenvatinib-resistance.pdf``)."""
    try:
        from weasyprint import CSS, HTML
        from weasyprint.urls import URLFetcher
    except OSError as error:  # WeasyPrint loads Pango from the system when it is imported
        raise PrintEditionError(
            f"{error}: WeasyPrint needs Pango (Debian: libpango-1.0-0 libpangoft2-1.0-0)"
        ) from error
    output = output or site / PDF_FILE_NAME
    document = print_document(site, root)
    # Only files of the site and the images inlined in its SVG figures: the PDF never asks the network.
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    with weasyprint_warnings_as_errors():
        html = HTML(string=str(document), base_url=site.resolve().as_uri() + "/", url_fetcher=fetcher)
        html.write_pdf(output, stylesheets=[CSS(filename=STYLESHEET)])
    return output


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, default=REPOSITORY_ROOT / "_build" / "html")
    parser.add_argument("--output", type=Path, help=f"where to write the PDF (default: SITE/{PDF_FILE_NAME})")
    arguments = parser.parse_args(argv)
    try:
        written = write_pdf(arguments.site, arguments.output)
    except PrintEditionError as error:
        sys.exit(f"make pdf: {error}")
    print(f"wrote {written}")


if __name__ == "__main__":
    main()
