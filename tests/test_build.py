"""The strictly built site: every chapter exists with its tables and resolved citations."""

from pathlib import Path

from pybtex.database import parse_file

from lenvatinib_review.datapackage import bibliography_keys, load_package

from conftest import ROOT, page, toc_pages

NOT_A_CHAPTER = {"book/bibliography", "book/glossary", "book/screening-log", "book/whats-new"}


def test_every_toc_page_is_built(built_site):
    for docname in toc_pages():
        page(built_site, docname)


def test_every_chapter_has_a_data_table_and_resolved_citations(built_site):
    for docname in toc_pages():
        if docname in NOT_A_CHAPTER or docname.startswith("book/notebooks/"):
            continue
        soup = page(built_site, docname)
        tables = soup.select("table.data-table")
        assert tables, f"{docname}: no data table"
        for table in tables:
            assert table.find("caption").find(class_="caption-number"), f"{docname}: unnumbered table"
        citations = soup.select("span.bibtex-citation a[href*='bibliography.html#']")
        assert citations, f"{docname}: no resolved citation"
        text = soup.get_text()
        assert "??" not in text and "{cite" not in text, f"{docname}: unresolved reference or role"


# The screening and search logs and the certainty rule are shown in full with the method; every other table on
# the data page.
FULL_TABLE_PAGES = {
    "records": "book/screening-log",
    "searches": "book/search-log",
    "source_hosts": "book/methods",
    "certainty_rule": "book/methods",
}


def test_full_tables_render_every_row(built_site):
    for name, table in load_package().items():
        soup = page(built_site, FULL_TABLE_PAGES.get(name, "book/data-tables"))
        rendered = soup.select(f"table.data-table-{name} tbody tr")
        assert len(rendered) == len(table), f"{name}: {len(rendered)} rows rendered, {len(table)} in the file"


def test_filtered_tables_render_exactly_their_rows(built_site):
    mechanisms = load_package()["mechanisms"]
    for category, docname in [
        ("intracellular", "book/intracellular"),
        ("extracellular", "book/extracellular"),
        ("membrane-transport", "book/membrane-transport"),
    ]:
        expected = sum(record.values["category"] == category for record in mechanisms.records)
        assert len(page(built_site, docname).select("table.data-table-mechanisms tbody tr")) == expected


def test_bibliography_lists_every_cited_work_once(built_site):
    """One entry per work of references.bib (every one is cited: test_citations), each DOI in exactly one."""
    entries = [entry.get_text() for entry in page(built_site, "book/bibliography").select("div.citation")]
    assert len(entries) == len(bibliography_keys())
    for key, entry in parse_file(str(ROOT / "references.bib")).entries.items():
        if "doi" in entry.fields:
            holding = [text for text in entries if f"doi:{entry.fields['doi']}" in text]
            assert len(holding) == 1, f"{key}: DOI in {len(holding)} entries"


def test_every_figure_sits_numbered_in_one_chapter_and_its_notebook_shows_how(built_site):
    """Each figure of the registry: once in a chapter, numbered, alt text and size set, its file in the site."""
    from lenvatinib_review.figures import BOOK_FIGURES

    homes = {label: [] for label in BOOK_FIGURES}
    for docname in toc_pages():
        soup = page(built_site, docname)
        for figure in soup.select("figure.book-figure"):
            homes[figure["id"]].append(docname)
            image = figure.find("img")
            assert figure.find(class_="caption-number"), f"{docname}: {figure['id']} is not numbered"
            assert image["alt"] == BOOK_FIGURES[figure["id"]].alt
            assert int(image["width"]) > 0 and int(image["height"]) > 0 and image["loading"] == "lazy"
            assert (built_site / docname).parent.joinpath(image["src"]).resolve().is_file()
            if BOOK_FIGURES[figure["id"]].print_drawing:
                assert (built_site / docname).parent.joinpath(image["data-print-src"]).resolve().is_file()
            else:
                assert not image.has_attr("data-print-src")
            notebook = figure.find("figcaption").find("a", href=True)
            assert notebook["href"].endswith(f"{Path(BOOK_FIGURES[figure['id']].notebook).name}.html")
    for label, docnames in homes.items():
        assert len(docnames) == 1 and not docnames[0].startswith("book/notebooks/"), f"{label} is shown in {docnames}"


def test_notebook_pages_collapse_code_and_show_outputs(built_site):
    for docname in toc_pages():
        if not docname.startswith("book/notebooks/"):
            continue
        soup = page(built_site, docname)
        cells = soup.select("div.cell")
        assert cells, docname
        for cell in cells:
            source = cell.select_one("div.cell_input")
            assert source is not None and source.find_parent("details") is not None, f"{docname}: code not collapsed"
            assert source.find_parent("details").find("summary").get_text(strip=True), f"{docname}: toggle has no label"
        outputs = soup.select("div.cell_output")
        assert outputs and all(output.find_parent("details") is None for output in outputs), docname
        assert soup.select("div.cell_output img"), f"{docname}: the figure is not shown"


def test_truncated_author_lists_are_cited_as_et_al(built_site):
    """references.bib ends an author list seen only in part with "and others"."""
    for docname in toc_pages():
        text = page(built_site, docname).get_text()
        assert "and others," not in text, docname
    assert "Jin et al., 2021" in page(built_site, "book/bypass-signalling").get_text()
