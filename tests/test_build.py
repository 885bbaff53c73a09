"""The strictly built site: every chapter exists with its tables and resolved citations."""

import re
from pathlib import Path

from pybtex.database import parse_file

from lenvatinib_review.datapackage import bibliography_keys, load_package, value_labels

from conftest import ROOT, figure_label, page, toc_pages

NOT_A_CHAPTER = {
    "book/bibliography", "book/glossary", "book/screening-log", "book/search-log", "book/search-log-2026-11-28",
    "book/whats-new",
}  # fmt: skip


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
    "searches": ("book/search-log", "book/search-log-2026-11-28"),
    "source_hosts": "book/methods",
    "certainty_rule": "book/methods",
}


def test_full_tables_render_every_row(built_site):
    for name, table in load_package().items():
        pages = FULL_TABLE_PAGES.get(name, "book/data-tables")
        pages = (pages,) if isinstance(pages, str) else pages
        rendered = [row for doc in pages for row in page(built_site, doc).select(f"table.data-table-{name} tbody tr")]
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
    """Each figure of the registry: once in a chapter, numbered, with the caption and alt text of its row of
    figures.csv, drawn as an image of the site with its size set, or (interactive figures) written into the
    page with its title; a part of an interactive figure (``fig-…-value``) may sit in other chapters. The
    notebook the row names shows the drawing with the same alt text."""
    from lenvatinib_review.figures import BOOK_FIGURES, figure_texts

    texts = figure_texts(load_package())

    homes = {label: [] for label in BOOK_FIGURES}
    for docname in toc_pages():
        soup = page(built_site, docname)
        for figure in soup.select("figure.book-figure"):
            name = figure["id"]
            label = figure_label(name)
            drawn, text = BOOK_FIGURES[label], texts[label]
            assert figure.find(class_="caption-number"), f"{docname}: {name} is not numbered"
            if name == label:
                homes[label].append(docname)
                shown = figure.select_one(".caption-text").get_text().replace("’", "'")  # Sphinx's smart quotes
                assert shown.startswith(f"{text.caption} How it is made: "), f"{docname}: {name} caption"
            else:
                assert drawn.interactive, f"{docname}: {name} is a part of a figure that has none"
            if drawn.interactive:
                svg = figure.find("svg", recursive=False)
                assert svg is not None and figure.find("img") is None, f"{docname}: {name} is not in the page"
                title = svg.find("title").get_text()
                assert title == text.alt if name == label else title.startswith("Part of the"), docname
                assert all(link["href"] and link["aria-label"] for link in svg.find_all("a")), docname
            else:
                image = figure.find("img")
                assert image["alt"] == text.alt
                assert int(image["width"]) > 0 and int(image["height"]) > 0 and image["loading"] == "lazy"
                assert (built_site / docname).parent.joinpath(image["src"]).resolve().is_file()
            links = [a["href"] for a in figure.find("figcaption").find_all("a", href=True)]
            assert any(href.endswith(f"{Path(text.notebook).name}.html") for href in links), f"{name}: no notebook"
    for label, docnames in homes.items():
        assert len(docnames) == 1 and not docnames[0].startswith("book/notebooks/"), f"{label} is shown in {docnames}"
    for label, text in texts.items():
        images = page(built_site, text.notebook).select("div.cell_output img")
        assert [image["alt"] for image in images] == [text.alt], f"{text.notebook}: not the alt text of {label}"


def test_each_chapter_a_route_links_to_shows_its_part_of_the_schematic(built_site):
    """Every process group's chapter carries the schematic's part with that group's route."""
    from lenvatinib_review.figures.mechanism_schematic import sentence
    from lenvatinib_review.sphinxext.book_figures import PROCESS_GROUP_SECTIONS

    groups = {m.values["process_group"] for m in load_package()["mechanisms"].records}
    linked = set()
    for link in page(built_site, "book/index").select("#fig-mechanism-schematic svg a"):
        linked.add(link["href"])
    for group in groups:
        docname = PROCESS_GROUP_SECTIONS[group].partition("#")[0]
        parts = page(built_site, docname).select("figure[id^='fig-mechanism-schematic-'] svg")
        assert any(sentence(group) in part.get_text(" ") for part in parts), f"{docname}: no part showing {group}"
    assert len(linked) == len({PROCESS_GROUP_SECTIONS[group] for group in groups}), "Figure 1 misses a route's link"


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


def test_readers_see_labels_not_codes(built_site):
    """Every cell of a coded column of a data table, every coded cell of the evidence explorer and every
    filter option shows labels from data/labels.csv (hcc, phase-3, not-stated and in-vivo never appear);
    the labels table itself is the one place that shows codes beside their labels."""
    tables = load_package()
    labels = value_labels(tables)
    words = set(labels.values())
    shown, checked = [], 0
    for docname in toc_pages():
        soup = page(built_site, docname)
        texts = []
        for table in soup.select("table.data-table"):
            name = next((c.removeprefix("data-table-") for c in table["class"] if c.startswith("data-table-")), "")
            if name in tables and name != "labels":
                coded = {column.title for column in tables[name].schema.fields if column.labelled}
                texts += [cell.get_text(strip=True) for cell in table.select("td") if cell.get("data-label") in coded]
        for kind in ("effect", "level", "drug"):
            texts += [cell.get_text(strip=True) for cell in soup.select(f"p.evidence-explorer-{kind}:first-child")]
        coded_filters = ("category", "process_group", "certainty", "effect", "level", "shown_in", "drug")
        for option in soup.select("select option[value]:not([value=''])"):
            if option.find_parent("select")["name"] in coded_filters:
                texts.append(re.sub(r" \(\d+\)$", "", option.get_text(strip=True)))
        for text in filter(None, texts):
            checked += 1
            if not {part.strip() for part in text.split(";")} <= words:
                shown.append(f"{docname}: {text}")
    assert checked > 500, f"only {checked} coded cells found"
    assert not shown, "codes shown to readers:\n" + "\n".join(shown[:20])
    trials = page(built_site, "book/strategies").select("table.data-table-trials td")
    assert any(cell.get_text(strip=True) == labels["phase-3"] for cell in trials)


def test_key_findings_show_each_mechanisms_rating_by_the_rule(built_site):
    """The landing page's `{certainty}`rating:<id>`` roles render the rule's rating of each mechanism named."""
    from lenvatinib_review.certainty import assess, rating_label
    from lenvatinib_review.datapackage import bibliography_entries

    ratings = assess(load_package(), bibliography_entries())
    named = re.findall(r"\{certainty\}`rating:([\w-]+)`", (ROOT / "book" / "index.md").read_text(encoding="utf-8"))
    shown = [span.get_text() for span in page(built_site, "book/index").select(".key-findings .certainty-rating")]
    assert len(named) >= 4
    assert shown == [rating_label(ratings[mechanism].rating) for mechanism in named]
