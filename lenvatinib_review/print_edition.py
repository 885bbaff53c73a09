"""The book as one PDF to print, cite and archive, made from the built website.

The website in ``_build/html`` is the input: no second Sphinx build. Every page of
``_toc.yml`` is taken in reading order: its article (with its "Cite this chapter"
block) without what only a browser uses (heading anchors, scripts); the site's
navigation, search and buttons lie outside the article and are never read. Element ids
are prefixed with the page they come from and internal links rewritten to them
(``glossary.html#term-HCC`` becomes ``#book-glossary--term-HCC``), so that links
between chapters, to the bibliography and to numbered figures and tables work inside
the one document; links to files that are not pages (the CSV downloads) point at the
hosted site, whose address is read from the built root page's canonical link. A title
page (from ``CITATION.cff``) and a table of contents with page numbers come first;
``print_edition.css`` lays the pages out (running headers, page numbers, bookmarks);
WeasyPrint writes the PDF.

A page, image or link target that is missing stops the run with a message naming it;
so does any warning from WeasyPrint, as a warning of Sphinx stops the website's build.

Run ``python -m lenvatinib_review.print_edition [SITE]`` (``make pdf``): it writes
``SITE/lenvatinib-resistance.pdf``, where the website links it.
"""

from __future__ import annotations

import argparse
import logging
import posixpath
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, NavigableString, SoupStrainer, Tag

from .book_metadata import CITATION_FILE_NAME, BookMetadata
from .book_toc import TocEntry, toc_entries
from .collection_thresholds import fewer_collections
from .datapackage import REPOSITORY_ROOT
from .svg_size import svg_size

PDF_FILE_NAME = "lenvatinib-resistance.pdf"
STYLESHEET = Path(__file__).with_name("print_edition.css")
# What an article holds for the browser only: the "#" anchor beside each heading, scripts, and the
# references its citations show when clicked (citation_links), which the bibliography prints.
SITE_ONLY = ["a.headerlink", "script", "template"]
# A table with more columns than this is set in a smaller type so that it fits the page's width.
NARROW_TABLE_COLUMNS = 4
# Table layout, in millimetres: the text width of an A4 page, upright and turned, within the
# margins of print_edition.css; a cell's left and right padding. Type sizes in points, for tables
# of few and of many columns.
TEXT_WIDTH = {"portrait": 174, "landscape": 261}
MM_PER_POINT = 25.4 / 72
CELL_PADDING = 2.4
TABLE_TYPE_SIZE = {False: 8, True: 7}
# A column is at least as wide as its longest word, up to a word this long (a longer one is hyphenated).
LONGEST_UNBROKEN_WORD = 14
# Character widths in ems, on the wide side of Liberation Serif's: half an em for a lower-case letter
# or a digit, 0.72 em for a capital; bold (a header cell) a tenth wider.
LETTER_WIDTH, CAPITAL_WIDTH, BOLD_WIDTH = 0.5, 0.72, 1.1
# A token that names rather than says (an address, DOI, record id, number): hyphenating it would change
# it, so it is never hyphenated; one longer than a column's floor may be broken anywhere (print_edition.css).
IDENTIFIER = re.compile(r"\S*(?:[/:@_=?&%]|\d|[A-Za-z]\.[A-Za-z])\S*")
# Figures: the smallest label printed at this size or larger. A figure is printed at its drawn size,
# smaller only to fit the page; one whose labels would shrink below this goes on a landscape page, and
# one that fits neither on an A3 fold-out page. The boxes (width, height in mm) leave room for a caption.
SMALLEST_PRINTED_LABEL = 7
FIGURE_BOX = {"portrait": (174, 215), "landscape": (261, 140), "foldout": (267, 365)}
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


def site_address(site: Path, root_docname: str) -> str:
    """The address the site was built for, from its root page's canonical link: the PDF names the
    same addresses as the pages it is printed from, whatever the printing process's environment."""
    path = site / page_html(root_docname)
    links = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser", parse_only=SoupStrainer("link"))
    canonical = links.find("link", rel="canonical")
    suffix = page_html(root_docname)
    if canonical is None or not canonical.get("href", "").endswith(suffix):
        raise PrintEditionError(f"{path}: no canonical link ending in {suffix!r}, so the site's address is unknown")
    return canonical["href"].removesuffix(suffix)


class Linker:
    """Rewrites a page's ids, links and image sources for the one printed document."""

    def __init__(self, site: Path, printed: set[str], base_url: str) -> None:
        self.site = site
        self.printed = printed
        self.base_url = base_url
        # Each rewritten internal link, with the page and the link it was written from.
        self.internal_links: dict[str, tuple[str, str]] = {}
        # Ids of what is not printed (an interactive part of a page, the search log); links to them lead
        # to the website.
        self.unprinted: dict[str, set[str]] = {}

    def localise(self, content: Tag, docname: str) -> None:
        prefix = page_anchor(docname) + "--"
        for element in content.find_all(id=True):
            element["id"] = prefix + element["id"]
        for link in content.find_all("a", href=True):
            link["href"] = self.href(docname, link["href"])
        for image in content.find_all("img"):
            image["src"] = self.image(docname, image.get("src", ""))

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
        fragment = unquote(parts.fragment)
        if fragment in self.unprinted.get(target, set()):  # a row of the search log, a view of the explorer
            return self.base_url + path + (f"?{parts.query}" if parts.query else "") + f"#{parts.fragment}"
        local = f"#{anchor}--{fragment}" if fragment else f"#{anchor}"
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


@fewer_collections()
def print_document(site: Path, root: Path = REPOSITORY_ROOT) -> BeautifulSoup:
    """The whole book as one HTML document for print: ``_toc.yml`` and ``CITATION.cff`` from ``root``."""
    entries = toc_entries(root)
    articles = {entry.docname: article(site, entry.docname) for entry in entries}
    metadata = BookMetadata.load(root / CITATION_FILE_NAME, base_url=site_address(site, entries[0].docname))
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
    for docname, content in articles.items():
        linker.unprinted[docname] = print_note_for_interactive(soup, content, metadata.page_url(docname))
    refer_to_redrawn_figures(soup, articles)
    part = None
    for entry in entries:
        content = articles[entry.docname]
        linker.localise(content, entry.docname)
        for table in content.find_all("table"):
            mark_identifiers(soup, table)
            if not fit_to_page(soup, table):
                turn_to_landscape(table)
        for image in content.find_all("img"):
            if not size_figure(image):
                refer_to_the_website(soup, image, metadata.page_url(entry.docname))
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


INTERACTIVE = "div.evidence-explorer"
# The search log's tables: thousands of queries, about a hundred printed pages that a reader of the
# PDF would not read through; they print as a note that leads to them online and to the CSV file.
SEARCH_LOG = "table.data-table-searches"


def print_note_for_interactive(soup: BeautifulSoup, content: Tag, page_url: str) -> set[str]:
    """A page built around an interactive part (the evidence explorer) or the search log prints as its
    title, a note with its address, and its cite block; returns the ids of what is left out."""
    online = content.select_one(f"{INTERACTIVE}, {SEARCH_LOG}")
    if online is None:
        return set()
    rows = len(online.select("tbody tr"))
    section = online.find_parent("section")
    download = section.select_one("a.reference.download[href$='.csv']")
    left_out = set()
    for child in list(section.children):
        if isinstance(child, Tag) and (child.name == "h1" or "cite-this" in child.get("class", [])):
            continue
        if isinstance(child, Tag):
            left_out |= {element["id"] for element in [child, *child.find_all(id=True)] if element.has_attr("id")}
        child.extract()
    note = soup.new_tag("p", attrs={"class": "print-note"})
    caption = online.find("caption")
    if caption is not None:  # the table keeps its number in the printed book, and its caption
        note.append(
            soup.new_tag(
                "span",
                attrs={"class": "caption-number"},
                string=caption.select_one(".caption-number").get_text(strip=True),
            )
        )
        note.append(f" {caption.select_one('.caption-text').get_text(' ', strip=True)} ")
    if online.name == "table":
        note.append(f"This table of {rows} searches is not printed: it is on the website, at ")
        note.append(soup.new_tag("a", href=page_url, string=page_url))
        if download is not None:
            note.append(", and in the data file ")
            note.append(soup.new_tag("a", href=download["href"], string="searches.csv"))
        note.append(". A statement that rests on a search links to its row there.")
    else:
        note.append(
            f"This table is interactive: on the website it lists the {rows} findings of the evidence table, "
            "filtered and sorted by mechanism, molecule, effect, evidence level, kind of model, drug or year, at "
        )
        note.append(soup.new_tag("a", href=page_url, string=page_url))
        note.append(". The printed book gives the same findings in each chapter's tables.")
    section.find("h1").insert_after(note)
    return left_out


def refer_to_redrawn_figures(soup: BeautifulSoup, articles: dict[str, Tag]) -> None:
    """A notebook's drawing of a figure printed in a chapter becomes a note that links to it.

    Each figure's caption links the notebook that draws it ("How it is made"); printing the same
    drawing again, in the notebook's layout (which may be a phone's), would repeat it less legibly.
    """
    for docname, content in articles.items():
        for figure in content.select("figure[id]"):
            number = figure.select_one(".caption-number")
            for link in figure.select("figcaption a.reference.internal[href]"):
                path = unquote(urlsplit(link["href"]).path)
                notebook = posixpath.normpath(posixpath.join(posixpath.dirname(docname), path)).removesuffix(".html")
                if notebook not in articles or number is None:
                    continue
                back = posixpath.relpath(page_html(docname), posixpath.dirname(page_html(notebook)))
                for image in articles[notebook].select("div.cell_output img"):
                    note = soup.new_tag("p", attrs={"class": "print-note"}, string="This code draws ")
                    note.append(soup.new_tag("a", href=f"{back}#{figure['id']}", string=number.get_text(strip=True)))
                    note.append(", printed in its chapter.")
                    image.replace_with(note)


# Matplotlib draws text as paths (the book's svg.fonttype), each text in a group "text_N" whose glyphs,
# 100 units high, are scaled by size/100 (matplotlib.textpath.TextToPath.FONT_SCALE); text kept as
# text has a font size.
MATPLOTLIB_TEXT_SCALE = re.compile(r"scale\(([\d.]+) -\1\)")
FONT_SIZE = re.compile(r"font-size(?:=\"|:\s*)([\d.]+)")


def svg_geometry(svg: str) -> tuple[float, float, float | None]:
    """An SVG figure's drawn width and height in millimetres, and its smallest text in points (None: no text)."""
    width_pt, height_pt, points_per_unit = svg_size(svg)
    sizes = [100 * float(scale) for chunk in svg.split('<g id="text_')[1:] for scale in
             MATPLOTLIB_TEXT_SCALE.findall(chunk)[:1]]  # fmt: skip
    sizes += [float(size) for size in FONT_SIZE.findall(svg)]
    smallest = min(sizes) * points_per_unit if sizes else None
    return width_pt * MM_PER_POINT, height_pt * MM_PER_POINT, smallest


def size_figure(image: Tag) -> bool:
    """Print an SVG figure as large as its page allows up to its drawn size, its labels 7 pt or larger.

    The first page shape in :data:`FIGURE_BOX` on which the smallest label stays at
    :data:`SMALLEST_PRINTED_LABEL` is used: upright, turned, or an A3 fold-out. False when even the
    fold-out would print its labels smaller: such a figure is not printed (:func:`refer_to_the_website`).
    """
    path = Path(unquote(urlsplit(image["src"]).path))
    if path.suffix != ".svg":
        return True
    width, height, smallest = svg_geometry(path.read_text(encoding="utf-8"))
    for layout, (box_width, box_height) in FIGURE_BOX.items():  # noqa: B007 (the layout found is used below)
        scale = min(1, box_width / width, box_height / height)
        if smallest is None or smallest * scale >= SMALLEST_PRINTED_LABEL:
            break
    else:
        return False
    image["style"] = f"width: {width * scale:.1f}mm; height: {height * scale:.1f}mm"
    if layout != "portrait":
        holder = image.find_parent("figure") or image.find_parent("div", class_="cell_output") or image
        holder["class"] = [*holder.get("class", []), layout]
    return True


def refer_to_the_website(soup: BeautifulSoup, image: Tag, page_url: str) -> None:
    """A figure too tall to print legibly even on an A3 fold-out prints as a note with its address; its
    caption stays."""
    figure = image.find_parent("figure")
    if figure is not None and figure.has_attr("id"):
        page_url = f"{page_url}#{figure['id']}"
    note = soup.new_tag("p", attrs={"class": "print-note"})
    note.append(
        f"This figure is too tall to print with labels of {SMALLEST_PRINTED_LABEL} points or more; it is on the "
        "website at "
    )
    note.append(soup.new_tag("a", href=page_url, string=page_url))
    note.append(".")
    image.replace_with(note)


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


def word_width(word: str, bold: bool = False) -> float:
    """A word's printed width in ems, estimated on the wide side (:data:`LETTER_WIDTH`)."""
    width = sum(CAPITAL_WIDTH if character.isupper() else LETTER_WIDTH for character in word)
    return width * (BOLD_WIDTH if bold else 1)


def mark_identifiers(soup: BeautifulSoup, table: Tag) -> None:
    """Wrap each identifier in a table's cells in ``span.identifier``, which is never hyphenated.

    Identifiers are the tokens :data:`IDENTIFIER` matches, and everything in a column headed "ID".
    """
    rows = [row.find_all(["th", "td"], recursive=False) for row in table.find_all("tr")]
    header = rows[0] if rows else []
    id_columns = {index for index, cell in enumerate(header) if cell.get_text(strip=True) == "ID"}
    for cells in rows:
        for index, cell in enumerate(cells):
            for text in cell.find_all(string=True):
                tokens = re.split(r"(\s+)", str(text))
                if index not in id_columns and not any(IDENTIFIER.fullmatch(token) for token in tokens):
                    continue
                parts = []
                for token in tokens:
                    if token.strip() and (index in id_columns or IDENTIFIER.fullmatch(token)):
                        long = ["long"] if len(token) > LONGEST_UNBROKEN_WORD else []
                        parts.append(soup.new_tag("span", attrs={"class": ["identifier", *long]}, string=token))
                    elif token:
                        parts.append(NavigableString(token))
                text.replace_with(*parts)


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
    em = TABLE_TYPE_SIZE[wide] * MM_PER_POINT
    floors, lengths = [], []
    for index in range(columns):
        cells = [cells[index] for cells in rows if index < len(cells)]
        texts = [cell.get_text(" ", strip=True) for cell in cells]
        widest = max(
            (word_width(word[:LONGEST_UNBROKEN_WORD], cell.name == "th") for cell, text in zip(cells, texts)
             for word in text.split()),
            default=0,
        )  # fmt: skip
        floors.append(widest * em + CELL_PADDING)
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


def write_pdf(
    site: Path, output: Path | None = None, root: Path = REPOSITORY_ROOT, document: BeautifulSoup | None = None
) -> Path:
    """Print the built website ``site`` to ``output`` (by default ``SITE/lenvatinib-resistance.pdf``):
    its :func:`print_document`, or ``document`` where the caller has made that already."""
    try:
        from weasyprint import CSS, HTML
        from weasyprint.urls import URLFetcher
    except OSError as error:  # WeasyPrint loads Pango from the system when it is imported
        raise PrintEditionError(
            f"{error}: WeasyPrint needs Pango (Debian: libpango-1.0-0 libpangoft2-1.0-0)"
        ) from error
    output = output or site / PDF_FILE_NAME
    # Only files of the site and the images inlined in its SVG figures: the PDF never asks the network.
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    if document is None:
        document = print_document(site, root)
    with fewer_collections():
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
