"""The printed book (`make pdf`): title page, contents with page numbers, numbered pages, no site chrome,
working links, numbered figures and tables that fit the page; and clear errors for a site it cannot print."""

from __future__ import annotations

import copy
import gc
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from lenvatinib_review.book_metadata import LOCAL_BASE_URL
from lenvatinib_review.print_edition import (
    PDF_FILE_NAME,
    SMALLEST_PRINTED_LABEL,
    STYLESHEET,
    PrintEditionError,
    page_anchor,
    print_document,
    svg_geometry,
    write_pdf,
)

from conftest import ROOT, page, printed_document, site_metadata, toc_pages

# What the website shows around a page and a printed book must not: skip link, search field and its
# shortcut, header buttons (download, print, full screen, colour mode), sidebar toggles, page outline.
SITE_CHROME = (
    "Skip to main content",
    "Back to top",
    "Search this book",
    "Download source file",
    "Download this page",
    "Print to PDF",
    "Fullscreen mode",
    "Toggle primary sidebar",
    "Color mode",
    "On this page",
)
# The right margin of print_edition.css (18 mm), in points.
RIGHT_MARGIN = 18 / 25.4 * 72


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def reader(book_pdf: Path) -> PdfReader:
    return PdfReader(book_pdf)


@pytest.fixture(scope="module")
def document(built_site: Path, book_pdf: Path) -> BeautifulSoup:
    """The document the PDF is printed from, shared: a test reads it and never changes it."""
    return printed_document(built_site)


@pytest.fixture(scope="module")
def texts(book_pdf: Path) -> list[str]:
    """Each page's text as pdfium extracts it (pypdf took about 40 s for the book, pdfium about 1 s), with
    pypdf's line ends: pdfium marks a hyphen that ends a line with U+FFFE and joins the lines."""
    import pypdfium2

    pages = pypdfium2.PdfDocument(book_pdf)
    return [page.get_textpage().get_text_range().replace("\r\n", "\n").replace("\ufffe", "-\n") for page in pages]


@pytest.fixture(scope="module")
def outline(reader: PdfReader) -> list[tuple[str, int]]:
    """Every bookmark: its title and the index of its page."""
    marks = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                marks.append((item.title, reader.get_destination_page_number(item)))

    walk(reader.outline)
    return marks


def contents_pages(outline: list[tuple[str, int]]) -> range:
    """The indexes of the pages of the table of contents: from its bookmark to the first page after it."""
    contents = next(index for title, index in outline if title == "Contents")
    return range(contents, min(index for title, index in outline if index > contents))


def page_title(site: Path, docname: str) -> str:
    heading = copy.copy(page(site, docname).find("h1"))
    for anchor in heading.select("a.headerlink"):
        anchor.decompose()
    return words(heading.get_text(" "))


def test_title_page_says_what_the_book_is_and_how_to_cite_it(reader, texts):
    metadata = site_metadata()
    assert (reader.metadata.title, reader.metadata.author) == (metadata.title, "; ".join(metadata.authors))
    title_page = words(texts[0])
    assert title_page.startswith(metadata.title)
    squeezed = "".join(title_page.split())  # a long address may wrap anywhere
    for fact in (
        f"Version {metadata.version}, released {metadata.released.isoformat()}",
        "; ".join(metadata.authors),
        f"Licence Text and data under {metadata.license}.",
        f"How to cite {metadata.reference(toc_pages()[0])}",
    ):
        assert "".join(fact.split()) in squeezed, fact
    assert "None" not in title_page.split()
    assert "Page 1" not in title_page  # the title page has no header or footer


def test_the_pdf_names_the_address_the_site_was_built_for_never_the_local_machine(document, texts):
    local_host = urlsplit(LOCAL_BASE_URL).hostname
    assert local_host not in str(document) and not any(local_host in text for text in texts)
    assert document.find("dd", string=site_metadata().base_url + PDF_FILE_NAME), "the title page names the PDF online"


def test_contents_list_every_page_at_the_page_it_starts_on(built_site, texts, outline):
    listing = words(" ".join(texts[index] for index in contents_pages(outline)))
    listed = []
    for docname in toc_pages():
        title = page_title(built_site, docname)
        match = re.search(re.escape(title) + r"[ .]*?(\d+)\b", listing)
        assert match, f"{title!r} is not in the contents"
        number = int(match.group(1))
        assert (title, number - 1) in outline, f"{title!r} is listed at page {number} but starts elsewhere"
        assert title in words(texts[number - 1]), title
        listed.append(number)
    assert listed == sorted(listed), "the contents are not in reading order"


def test_every_page_after_the_title_page_is_numbered(texts):
    unnumbered = [index + 1 for index, text in enumerate(texts) if f"Page {index + 1} of {len(texts)}" not in text]
    assert unnumbered == [1]


# The search log quotes each query exactly as run, and a query made of a stored page's words may
# contain a site's "Skip to main content"; on its pages such words are data, not the book's chrome.
SEARCH_LOG_ROW = re.compile(r"\br3-\s?[a-z0-9]+-\s?\d+")  # a narrow cell may break the id after a hyphen


def test_no_page_carries_the_websites_navigation_or_buttons(texts):
    for number, text in enumerate(texts, start=1):
        flat = words(text)
        quoted = bool(SEARCH_LOG_ROW.search(flat))
        assert not [chrome for chrome in SITE_CHROME if chrome in flat and not quoted], number
        assert not re.search(r"Ctrl\s*\+\s*K", flat), number
        assert "None" not in text.splitlines(), number


def test_links_lead_to_chapters_citations_figures_and_tables(reader, outline):
    destinations = {
        name: reader.get_destination_page_number(target) for name, target in reader.named_destinations.items()
    }
    links = []  # (page index, destination name)
    for index, pdf_page in enumerate(reader.pages):
        for annotation in pdf_page.get("/Annots", []):
            annotation = annotation.get_object()
            if annotation["/Subtype"] == "/Link" and "/Dest" in annotation:
                links.append((index, str(annotation["/Dest"])))
    assert {name for _, name in links} <= set(destinations), "a link leads nowhere"
    contents = contents_pages(outline)
    chapters = {page_anchor(docname) for docname in toc_pages()}
    assert chapters <= {name for index, name in links if index in contents}
    assert any(name in chapters for index, name in links if index > contents[-1]), "no link between chapters"
    bibliography = next(index for title, index in outline if title == "Bibliography")
    citations = [name for index, name in links if index < bibliography and name.startswith("book-bibliography--")]
    assert len(citations) > 100 and all(destinations[name] >= bibliography for name in citations)
    assert any("--fig-" in name for _, name in links) and any("--tbl-" in name for _, name in links)


def test_figures_are_drawn_with_their_numbered_captions(built_site, reader, texts):
    captions = [
        words(figure.figcaption.get_text(" ")).removesuffix("#").strip()
        for docname in toc_pages()
        for figure in page(built_site, docname).select("article figure")
    ]
    assert captions
    for caption in captions:
        start = caption[:60]
        found = [index for index, text in enumerate(texts) if start in words(text)]
        assert found, f"caption {start!r} is not in the PDF"
        left_out = any("too tall to print" in texts[index] for index in found)  # the note with its address
        assert left_out or any(draws_a_figure(reader.pages[index]) for index in found), f"no figure above {start!r}"


# A figure printed from an image is an XObject; an SVG written into the page (the schematic) is drawn in the
# page's own content, with curves, which text and table rules do not use.
CURVE_TO = re.compile(rb"\sc\n")


def draws_a_figure(pdf_page) -> bool:
    curves = CURVE_TO.findall(pdf_page.get_contents().get_data())
    return bool(pdf_page["/Resources"].get("/XObject")) or len(curves) >= 20


def test_numbered_tables_are_printed_and_none_runs_past_the_margin(built_site, reader, texts):
    flat = words(" ".join(texts))
    for docname in toc_pages():
        for caption in page(built_site, docname).select("article table caption"):
            number = words(caption.select_one(".caption-number").get_text(" "))
            text = words(caption.select_one(".caption-text").get_text(" "))
            assert f"{number} {text[:40]}" in flat, (docname, number)
    # A table too wide for its page would push its last column, which holds the citation links, past
    # the right margin; so would any other overflowing box that holds a link.
    overflowing = []
    for number, pdf_page in enumerate(reader.pages, start=1):
        edge = float(pdf_page.mediabox.width) - RIGHT_MARGIN
        for annotation in pdf_page.get("/Annots", []):
            rectangle = annotation.get_object()["/Rect"]
            if max(float(rectangle[0]), float(rectangle[2])) > edge + 0.5:
                overflowing.append(number)
    assert not overflowing, f"links past the right margin on pages {sorted(set(overflowing))}"


# Failure cases, on a small site made here: each problem stops the printing with a message naming it.

CHAPTER = '<article class="bd-article"><section id="top"><h1>{title}</h1>{body}</section></article>'
SMALL_BOOK_ADDRESS = "https://example.org/small/"


def small_book(tmp_path: Path, index_body: str = "", chapter: bool = True, address: bool = True) -> tuple[Path, Path]:
    """A book of two pages (book/index, book/chapter) and its site, built for SMALL_BOOK_ADDRESS (the root
    page's canonical link) unless ``address`` is false; returns (root, site)."""
    root, site = tmp_path / "book", tmp_path / "site"
    (site / "book").mkdir(parents=True)
    (site / "_images").mkdir()
    root.mkdir()
    shutil.copy(ROOT / "CITATION.cff", root)
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: book/index\nparts:\n  - caption: Part\n    chapters:\n      - file: book/chapter\n",
        encoding="utf-8",
    )
    canonical = f'<link rel="canonical" href="{SMALL_BOOK_ADDRESS}book/index.html"/>' if address else ""
    index = canonical + CHAPTER.format(title="Home", body=index_body)
    (site / "book" / "index.html").write_text(index, encoding="utf-8")
    if chapter:
        body = '<section id="one"><h2>One</h2></section>'
        (site / "book" / "chapter.html").write_text(CHAPTER.format(title="Chapter", body=body), encoding="utf-8")
    return root, site


def test_the_small_book_prints(tmp_path):
    root, site = small_book(tmp_path, '<a href="chapter.html#one">one</a><img alt="" src="../_images/figure.svg"/>')
    (site / "_images" / "figure.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>')
    document = print_document(site, root)
    assert document.find("a", string="one")["href"] == "#book-chapter--one"
    assert document.find(id="book-chapter--one") is not None
    assert document.find("img")["src"] == (site / "_images" / "figure.svg").resolve().as_uri()
    assert document.find("dd", string=SMALL_BOOK_ADDRESS + PDF_FILE_NAME), "the title page names the site's address"
    assert PdfReader(write_pdf(site, tmp_path / "small.pdf", root)).pages


def test_the_printing_runs_with_fewer_garbage_collections(tmp_path, monkeypatch):
    import weasyprint

    from lenvatinib_review.collection_thresholds import FEWER_COLLECTIONS

    thresholds, print_pdf = [], weasyprint.HTML.write_pdf

    def recording(self, *arguments, **options):
        thresholds.append(gc.get_threshold())
        return print_pdf(self, *arguments, **options)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", recording)
    root, site = small_book(tmp_path)
    write_pdf(site, tmp_path / "small.pdf", root)
    assert thresholds == [FEWER_COLLECTIONS] and gc.get_threshold() != FEWER_COLLECTIONS


@pytest.mark.parametrize("canonical", ["", '<link rel="canonical" href="https://example.org/small/book/other.html"/>'])
def test_a_site_that_does_not_say_its_address_is_named(tmp_path, canonical):
    root, site = small_book(tmp_path, address=False)
    index = site / "book" / "index.html"
    index.write_text(canonical + index.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(PrintEditionError, match=r"book/index\.html: no canonical link .* address is unknown"):
        print_document(site, root)


def test_a_missing_page_is_named(tmp_path):
    root, site = small_book(tmp_path, chapter=False)
    with pytest.raises(PrintEditionError, match=r"book/chapter\.html: page 'book/chapter' of _toc\.yml is missing"):
        print_document(site, root)


def test_a_missing_image_is_named_with_its_page(tmp_path):
    root, site = small_book(tmp_path, '<img alt="" src="../_images/lost.svg"/>')
    with pytest.raises(PrintEditionError, match=r"book/index\.html: image '\.\./_images/lost\.svg' is missing"):
        print_document(site, root)


def test_a_link_to_an_anchor_that_no_page_has_is_named(tmp_path):
    root, site = small_book(tmp_path, '<a href="chapter.html#nowhere">lost</a>')
    with pytest.raises(PrintEditionError, match=r"book/index\.html links to 'chapter\.html#nowhere'"):
        print_document(site, root)


def test_an_image_weasyprint_cannot_draw_stops_the_printing(tmp_path):
    root, site = small_book(tmp_path, '<img alt="" src="../_images/broken.png"/>')
    (site / "_images" / "broken.png").write_bytes(b"not a PNG")
    with pytest.raises(PrintEditionError, match=r"WeasyPrint: .*broken\.png"):
        write_pdf(site, tmp_path / "small.pdf", root)


def test_make_pdf_before_the_website_is_built_says_so(tmp_path):
    command = [sys.executable, "-m", "lenvatinib_review.print_edition", str(tmp_path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "book/index.html: page 'book/index' of _toc.yml is missing; build the website first" in result.stderr


# Words, figures and interactive pages as printed


HYPHENS = "-\u2010"
# Chinese, Japanese and Korean text is written without spaces and may break between any two characters,
# so its characters are not letters of words here.
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
LETTERS = re.compile(rf"[^\W\d_{CJK}]+")


def broken_words(texts: list[str], document: BeautifulSoup) -> dict[str, str]:
    """Pieces of words that a line break cut without a hyphen, each with its context in the PDF's text.

    A piece is a run of letters in the PDF's text that is no word of the printed document, but is the
    start or the end of one of its words, and not the end of a word hyphenated on the lines before (whose
    part before it ends in a piece printed with a hyphen).
    Identifiers (span.identifier: addresses, DOIs, ids), which may be broken anywhere, are not words.
    """
    text = "\n".join(texts)
    vocabulary = {run.casefold() for run in LETTERS.findall(document.get_text(" "))}
    spans = document.select("span.identifier")
    identifiers = {run.casefold() for span in spans for run in LETTERS.findall(span.text)}
    in_identifiers = {id(string) for span in spans for string in span.strings}
    words = set()
    for token in " ".join(string for string in document.strings if id(string) not in in_identifiers).split():
        token = token.strip("()[]{},;:.!?\"'\u201c\u201d\u2018\u2019")
        if re.fullmatch(r"[^\W\d_]+(?:[-'\u2019][^\W\d_]+)*", token):
            words |= {part.casefold() for part in re.split(r"[-'\u2019]", token)}
    pieces = {word[:i] for word in words for i in range(1, len(word))}
    pieces |= {word[i:] for word in words for i in range(1, len(word))}
    hyphenated = {match.group(1).casefold() for match in re.finditer(rf"({LETTERS.pattern})[{HYPHENS}]", text)}
    # The ends of words hyphenated across lines: what follows a part printed with a hyphen.
    continued = {
        word[cut:]
        for word in words
        for cut in range(1, len(word))
        if any(word[start:cut] in hyphenated for start in range(cut))
    }
    broken, seen = {}, set()
    for match in re.finditer(rf"{LETTERS.pattern}(?![{HYPHENS}\w])", text):
        piece = match.group(0).casefold()
        if piece in seen:
            continue
        seen.add(piece)
        if piece in vocabulary or piece not in pieces or piece in continued:
            continue
        if any(piece in run for run in identifiers):
            continue  # a part of an identifier broken where it had to be
        broken[piece] = text[max(0, match.start() - 40) : match.end() + 20]
    return broken


def test_no_word_is_cut_without_a_hyphen_and_narrow_columns_hyphenate(document, texts):
    broken = broken_words(texts, document)
    assert not broken, "\n".join(f"{piece!r}: {context!r}" for piece, context in sorted(broken.items())[:20])
    hyphenated = re.findall(rf"[^\W\d_]{{2,}}[{HYPHENS}]\n", "\n".join(texts))
    assert hyphenated, "no word was hyphenated at a line end: is hyphens: auto (with the page's language) in force?"


NARROW_TABLE = (
    '<table class="data-table"><thead><tr><th>Agency</th><th>Sources</th></tr></thead><tbody>'
    "<tr><td>European Medicines Agency</td><td>(Nair et al., 2015; Eisai Inc., n.d.; Reuters Staff, 2015)</td></tr>"
    "<tr><td>microenvironment chemoembolisation</td><td>unknown2021sorafenibres https://doi.org/10.1000/abc</td></tr>"
    "</tbody></table>"
)


def test_the_word_check_finds_words_cut_anywhere(tmp_path):
    """The same narrow table printed with the old rule (overflow-wrap: anywhere) has cut words; ours has none."""
    from weasyprint import CSS, HTML

    root, site = small_book(tmp_path, '<div style="width: 24mm">' + NARROW_TABLE + "</div>")
    document = print_document(site, root)
    ours = tmp_path / "ours.pdf"
    write_pdf(site, ours, root)
    assert not broken_words([page.extract_text() for page in PdfReader(ours).pages], print_document(site, root))
    anywhere = tmp_path / "anywhere.pdf"
    cells = CSS(string="th, td { hyphens: manual !important; overflow-wrap: anywhere !important }")
    HTML(string=str(document), base_url=str(site)).write_pdf(anywhere, stylesheets=[CSS(filename=STYLESHEET), cells])
    assert broken_words([page.extract_text() for page in PdfReader(anywhere).pages], print_document(site, root))


def test_figure_labels_print_at_7_points_or_larger_on_a4_or_an_a3_foldout(built_site, reader, document):
    from lenvatinib_review.datapackage import load_package
    from lenvatinib_review.figures import BOOK_FIGURES
    from lenvatinib_review.figures.style import smallest_font

    tables = load_package()
    for label, figure in BOOK_FIGURES.items():  # the size read from the SVG is the one drawn
        drawn = figure.draw(tables)
        if not isinstance(drawn, str):  # the schematic is SVG text, written into the page
            assert svg_geometry(figure.svg(tables))[2] == pytest.approx(smallest_font(drawn)), label
    images = document.select("img")
    assert images
    website_figures = [
        figure for figure in page(built_site, "book/methods").select("figure[id]") if figure.select_one("img")
    ]
    too_tall = [note for note in document.select("p.print-note") if "too tall to print" in note.get_text()]
    for note in too_tall:  # a figure left out says where it is, and keeps its caption
        assert note.find("a")["href"].startswith("http") and note.find_parent("figure").select_one("figcaption")
    assert len(images) + len(too_tall) >= len(website_figures)
    for image in images:
        width, height, smallest = svg_geometry(Path(unquote(urlsplit(image["src"]).path)).read_text(encoding="utf-8"))
        printed = float(re.search(r"width: ([\d.]+)mm", image["style"]).group(1))
        assert printed <= width + 0.1
        assert smallest is None or smallest * printed / width >= SMALLEST_PRINTED_LABEL - 0.05, (image["src"], printed)
    sizes = [(round(float(page.mediabox.width)), round(float(page.mediabox.height))) for page in reader.pages]
    assert set(sizes) <= {(595, 842), (842, 595), (842, 1191)}, "A4 upright and turned, and A3 fold-outs"
    assert sizes.count((842, 1191)) == len(document.select(".foldout"))


def test_interactive_parts_print_as_a_note_with_their_address(built_site, texts, document):
    assert not document.select("form, select, input, button, template, script")
    metadata = site_metadata()
    explorer = next(docname for docname in toc_pages() if page(built_site, docname).select_one("div.evidence-explorer"))
    printed = document.find(id=page_anchor(explorer))
    note = printed.select_one("p.print-note")
    assert note.find("a")["href"] == metadata.page_url(explorer)
    assert not printed.select("table") and printed.select_one(".cite-this")
    findings = len(page(built_site, explorer).select("div.evidence-explorer tbody tr"))
    assert f"the {findings} findings" in words(note.get_text())
    squeezed = "".join("".join(texts).split())
    assert "".join(words(note.get_text()).split()) in squeezed


def test_the_search_log_prints_as_a_note_with_its_address_and_links_to_its_rows_lead_online(built_site, document):
    metadata = site_metadata()
    logs = [docname for docname in toc_pages() if page(built_site, docname).select_one("table.data-table-searches")]
    assert logs
    for docname in logs:
        printed = document.find(id=page_anchor(docname))
        note = printed.select_one("p.print-note")
        rows = len(page(built_site, docname).select("table.data-table-searches tbody tr"))
        assert f"This table of {rows} searches is not printed" in words(note.get_text()), docname
        addresses = [link["href"] for link in note.find_all("a")]
        assert addresses[0] == metadata.page_url(docname) and addresses[1].endswith("searches.csv"), addresses
        assert addresses[1].startswith(metadata.base_url), "the CSV file is linked on the website"
        assert not printed.select("table") and printed.select_one(".cite-this")
    to_rows = [link["href"] for link in document.select("a[href*='search-log'][href*='#search-']")]
    assert to_rows and all(href.startswith(metadata.base_url) for href in to_rows), to_rows[:3]
