"""Citability: CFF validity, generated metadata in sync, meta tags and cite blocks, sitemap, data package, workflow."""

import csv
import json
import re
import subprocess
import sys
import warnings
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest
import yaml
from pybtex.database import parse_string

from lenvatinib_review.book_metadata import (
    BASE_URL_VARIABLE,
    CITATION_FILE,
    LOCAL_BASE_URL,
    BookMetadata,
    zenodo_json,
)

from conftest import ROOT, build_sphinx_page, page, parsed, site_metadata, toc_pages, workflow_steps

CFF_SCHEMA = Path(__file__).parent / "schemas" / "citation-file-format-1.2.0.json"


def test_citation_file_is_valid_cff():
    schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(yaml.safe_load(CITATION_FILE.read_text(encoding="utf-8")), schema)


def test_an_invalid_citation_file_is_rejected():
    cff = yaml.safe_load(CITATION_FILE.read_text(encoding="utf-8"))
    del cff["authors"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(cff, json.loads(CFF_SCHEMA.read_text(encoding="utf-8")))


def test_zenodo_metadata_is_generated_from_the_citation_file():
    assert (ROOT / ".zenodo.json").read_text(encoding="utf-8") == zenodo_json(), "run `make zenodo`"
    assert "doi" not in json.loads(zenodo_json()), "no DOI is shown until one exists"


def test_data_package_validates_against_the_files():
    from frictionless import Package

    report = Package(str(ROOT / "data" / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_workflow_passes_actionlint():
    actionlint = Path(sys.executable).with_name("actionlint")
    workflows = sorted(str(path) for path in (ROOT / ".github" / "workflows").glob("*.yml"))
    assert workflows
    result = subprocess.run([str(actionlint), *workflows], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_prints_the_pdf_once_and_publishes_the_tested_site():
    """`make test` builds the site and prints the PDF into it (tests/conftest.py); nothing prints it again."""
    steps = workflow_steps()
    runs = [step.get("run", "") for step in steps]
    assert "make test" in runs and not any("make pdf" in run or "print_edition" in run for run in runs)
    (upload,) = [step for step in steps if step.get("uses", "").startswith("actions/upload-pages-artifact")]
    assert upload["with"]["path"] == "_build/html"


def test_every_page_has_meta_tags_and_a_cite_block_naming_it(built_site):
    metadata = site_metadata()
    for docname in toc_pages():
        soup = page(built_site, docname)
        title = soup.find("h1").get_text().rstrip("#").strip()
        meta = {tag["name"]: tag["content"] for tag in soup.find_all("meta", attrs={"name": True})}
        assert meta["citation_publication_date"] == metadata.released.strftime("%Y/%m/%d")
        assert meta["citation_public_url"] == metadata.page_url(docname)
        assert soup.find("link", rel="canonical")["href"] == metadata.page_url(docname)
        assert soup.find("meta", property="og:title")["content"] == meta["citation_title"]
        block = soup.select_one(".cite-this")
        assert block is not None, f"{docname}: no cite block"
        entry = next(iter(parse_string(block.find("pre").get_text(), "bibtex").entries.values()))
        if docname == "book/index":
            assert meta["citation_title"] == metadata.title and entry.type == "book"
        else:
            assert meta["citation_title"] == title and meta["citation_inbook_title"] == metadata.title
            assert entry.fields["title"] == title and entry.fields["booktitle"] == metadata.title
        assert entry.fields["url"] == metadata.page_url(docname)
        assert metadata.version in soup.select_one(".extra_footer").get_text()
        assert block.select_one(".cite-local") is None, f"{docname}: a build for an address says it is local"


def test_a_build_without_an_address_says_in_its_cite_block_that_its_address_is_local(project_copy, monkeypatch):
    """`make html` on a desk (no BOOK_BASE_URL, no url in CITATION.cff) names the local preview server,
    and its cite block says so."""
    monkeypatch.delenv(BASE_URL_VARIABLE, raising=False)
    citation = project_copy / "CITATION.cff"
    cff = yaml.safe_load(citation.read_text(encoding="utf-8"))
    cff.pop("url", None)
    citation.write_text(yaml.safe_dump(cff, allow_unicode=True), encoding="utf-8")
    result = build_sphinx_page(project_copy, "# A chapter\n\nA paragraph long enough to describe the page it opens.\n")
    assert result.returncode == 0, result.stderr
    block = parsed(project_copy / "_build" / "html" / "index.html").select_one(".cite-this")
    note = block.select_one(".cite-local")
    assert note is not None and LOCAL_BASE_URL in note.get_text()
    assert LOCAL_BASE_URL + "index.html" in block.get_text()


def test_every_page_is_described_by_its_own_first_paragraph(built_site):
    descriptions = {}
    for docname in toc_pages():
        soup = page(built_site, docname)
        description = soup.find("meta", attrs={"name": "description"})["content"]
        assert soup.find("meta", property="og:description")["content"] == description
        first = next(
            " ".join(p.get_text().split())
            for p in soup.select("article p")
            if not p.find_parent(["table", "aside", "div"], class_=["admonition", "cite-this", "data-table-download"])
            and len(p.get_text().strip()) >= 40
        )
        assert first.startswith(description.rstrip("…")), f"{docname}: {description!r} is not {first[:80]!r}"
        descriptions[docname] = description
    assert len(set(descriptions.values())) == len(descriptions), "two pages share a description"


def zotero_authors(values: list[str]) -> list[tuple[str, str]]:
    """(family, given) as Zotero's Embedded Metadata translator reads ``citation_author`` tags.

    A port of its processHighwireCreators() and of ZU.cleanAuthor() (zotero/translators,
    zotero/utilities): a lone tag is split into several authors at commas when both sides
    hold a space; a name with a comma is "Family, Given", else it is split at its last space.
    """
    authors = []
    for value in values:
        names = re.split(r"\s*;\s*", value)
        if len(names) == 1 and len(values) == 1:
            by_comma = re.split(r"\s*,\s*", names[0])
            if len(by_comma) > 1 and " " in by_comma[0] and " " in by_comma[1]:
                names = by_comma
        for name in (name.strip() for name in names):
            if not name or not re.search(r"[^\s,-.;]", name):
                continue
            use_comma = "," in name
            name = re.sub(r"[\s\u00a0.,/\[\]:]+$", "", re.sub(r"^[\s\u00a0.,/\[\]:]+", "", name))
            if use_comma:
                family, _, given = name.partition(",")
                authors.append((family, given.lstrip()))
            else:
                family_start = name.rfind(" ") + 1
                authors.append((name[family_start:], name[: family_start - 1] if family_start else ""))
    return authors


def check_citation_tags(soup, metadata: BookMetadata, docname: str, chapter: bool) -> dict[str, str]:
    """The page's citation metadata, checked against CITATION.cff; returns the tags by name."""
    tags = soup.find_all("meta", attrs={"name": True})
    meta = {tag["name"]: tag["content"] for tag in tags}
    authors = [tag["content"] for tag in tags if tag["name"] == "citation_author"]
    expected = [(c.name, "") if c.is_entity else (c.family_name, c.given) for c in metadata.creators]
    assert zotero_authors(authors) == expected, f"{docname}: {authors} are read as {zotero_authors(authors)}"
    assert meta["prism.edition"] == metadata.version
    assert meta["DC.rights"] == metadata.license
    assert meta["citation_publication_date"] == metadata.released.strftime("%Y/%m/%d")
    assert meta["citation_public_url"] == soup.find("link", rel="canonical")["href"] == metadata.page_url(docname)
    if chapter:
        assert meta["citation_inbook_title"] == metadata.title
        assert meta["citation_abstract"] == meta["description"] != metadata.abstract
    else:
        assert meta["citation_abstract"] == metadata.abstract
    return meta


def test_chapters_cite_as_book_sections_of_the_citation_file(built_site):
    """An entity author (this book's CITATION.cff) comes through whole; each chapter has its own abstract."""
    metadata = site_metadata()
    abstracts = set()
    for docname in toc_pages():
        meta = check_citation_tags(page(built_site, docname), metadata, docname, chapter=docname != "book/index")
        abstracts.add(meta["citation_abstract"])
    assert len(abstracts) == len(toc_pages())


def test_personal_authors_are_split_into_family_and_given_names(project_copy):
    """The same tags for a CITATION.cff that lists persons (a temporary copy)."""
    path = project_copy / "CITATION.cff"
    cff = yaml.safe_load(path.read_text(encoding="utf-8"))
    for authors in (
        [{"given-names": "Mary Ann", "family-names": "Doe", "name-particle": "van"}],
        [{"given-names": "Jane", "family-names": "Doe"}, {"given-names": "Li", "family-names": "Wei Chen"},
         {"name": "The Lenvatinib Resistance contributors"}],
    ):  # fmt: skip
        cff["authors"] = authors
        path.write_text(yaml.safe_dump(cff, allow_unicode=True), encoding="utf-8")
        jsonschema.validate(cff, json.loads(CFF_SCHEMA.read_text(encoding="utf-8")))
        (project_copy / "chapter.md").write_text(
            "# A chapter\n\nWhat this chapter says, in a sentence or two of prose.\n"
        )
        result = build_sphinx_page(
            project_copy,
            "# The book\n\nWhat the book is about, in more than forty characters.\n\n```{toctree}\nchapter\n```\n",
        )
        assert result.returncode == 0, result.stderr
        metadata = BookMetadata.load(path)
        site = project_copy / "_build" / "html"
        check_citation_tags(page(site, "chapter"), metadata, "chapter", chapter=True)
        check_citation_tags(page(site, "index"), metadata, "index", chapter=False)
        entry = next(
            iter(parse_string(page(site, "chapter").select_one(".cite-this pre").get_text(), "bibtex").entries.values())
        )
        assert [
            (" ".join(p.prelast_names + p.last_names), " ".join(p.first_names + p.middle_names))
            for p in entry.persons["author"]
        ] == [(c.family_name, c.given) for c in metadata.creators if not c.is_entity] + [
            ("{" + c.name + "}", "") for c in metadata.creators if c.is_entity
        ]


def test_only_a_build_without_an_address_is_local(monkeypatch):
    monkeypatch.delenv("BOOK_BASE_URL", raising=False)
    assert BookMetadata.load().is_local == ("url" not in yaml.safe_load(CITATION_FILE.read_text(encoding="utf-8")))
    assert not BookMetadata.load(base_url="https://example.org/book/").is_local
    monkeypatch.setenv("BOOK_BASE_URL", "https://example.org/book")
    assert not BookMetadata.load().is_local


def test_sitemap_lists_every_page(built_site):
    metadata = site_metadata()
    tree = ElementTree.parse(built_site / "sitemap.xml")
    listed = {element.text for element in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert listed == {metadata.page_url(docname) for docname in toc_pages()}


def test_every_table_offers_its_csv(built_site):
    for docname in toc_pages():
        soup = page(built_site, docname)
        # a table rendered from one CSV carries its name ("data-table-trials"); tables computed from
        # several (the certainty and risk-of-bias tables) do not, and link their sources in the text
        for table in soup.select("table.data-table"):
            if not any(name.startswith("data-table-") for name in table["class"]):
                continue
            link = table.find_next("p", class_="data-table-download").find("a")
            assert link["href"].endswith(".csv")
            assert (built_site / Path(docname).parent / link["href"]).resolve().is_file()


def released_version() -> tuple[str, date]:
    """The newest release that has a date in data/releases.csv (a newer one may be in preparation)."""
    with (ROOT / "data" / "releases.csv").open(encoding="utf-8", newline="") as handle:
        dated = [row for row in csv.DictReader(handle) if row["date"]]
    newest = max(dated, key=lambda row: tuple(int(part) for part in row["version"].split(".")))
    return newest["version"], date.fromisoformat(newest["date"])


def test_cite_blocks_give_an_apa_reference_with_the_book_in_italics_and_the_release_date(built_site):
    cff = yaml.safe_load(CITATION_FILE.read_text(encoding="utf-8"))
    version, released = released_version()
    assert (str(cff["version"]), str(cff["date-released"])) == (version, released.isoformat())
    (group,) = [author["name"] for author in cff["authors"]]  # the book's author, a group
    when = f"({released.year}, {released:%B} {released.day})"
    metadata = site_metadata()
    for docname in toc_pages():
        soup = page(built_site, docname)
        reference = soup.select_one(".cite-this p.cite-reference")
        text = " ".join(reference.get_text().split())
        address = metadata.page_url(docname)
        book = f"{cff['title']} (Version {version}) [Online book]. {address}"
        if docname == "book/index":
            assert text == f"{group}. {when}. {book}"
        else:
            title = soup.find("h1").get_text().rstrip("#").strip()
            assert text == f"{group}. {when}. {title}. In {book}", docname
        assert [em.get_text() for em in reference.find_all("em")] == [cff["title"]]
        assert [a["href"] for a in reference.find_all("a")] == [address]


def test_apa_names_persons_by_family_name_and_initials(tmp_path):
    cff = yaml.safe_load(CITATION_FILE.read_text(encoding="utf-8"))
    path = tmp_path / "CITATION.cff"
    for authors, expected in (
        ([{"given-names": "Jane", "family-names": "Doe"}], "Doe, J. ("),
        (
            [
                {"given-names": "Jane", "family-names": "Doe"},
                {"given-names": "Mary Ann", "family-names": "Berg", "name-particle": "van", "name-suffix": "Jr."},
                {"given-names": "Jean-Paul", "family-names": "Martin"},
                {"name": "The Lenvatinib Resistance contributors"},
            ],
            "Doe, J., van Berg, M. A., Jr., Martin, J.-P., & The Lenvatinib Resistance contributors. (",
        ),
        ([{"given-names": f"Ann{n}", "family-names": f"Author{n}"} for n in range(1, 23)], None),
    ):
        cff["authors"] = authors
        path.write_text(yaml.safe_dump(cff, allow_unicode=True), encoding="utf-8")
        reference = BookMetadata.load(path, base_url="https://example.org/").reference("book/index")
        if expected:
            assert reference.startswith(expected), reference
        else:  # APA 7: the first 19 authors, an ellipsis, the last
            assert reference.startswith("Author1, A., Author2, A.,")
            assert "Author19, A., . . . Author22, A. (" in reference
            assert "Author20" not in reference


def cite_block_entries(built_site) -> dict[str, str]:
    """The BibTeX of the book's cite block and of one chapter's."""
    return {docname: page(built_site, docname).select_one(".cite-this pre").get_text() for docname in CITED_PAGES}


CITED_PAGES = ("book/index", "book/strategies")


def test_cite_block_bibtex_reads_right_in_bibtex_standard_styles(built_site):
    """pybtex's plain and unsrt (BibTeX's standard styles) print the publisher, the version and the release month."""
    from pybtex.plugin import find_plugin

    metadata = site_metadata()
    for docname, bibtex in cite_block_entries(built_site).items():
        data = parse_string(bibtex, "bibtex")
        entry = next(iter(data.entries.values()))
        assert entry.fields["publisher"] == "; ".join(metadata.authors)
        for name in ("plain", "unsrt"):
            style = find_plugin("pybtex.style.formatting", name)()
            (formatted,) = style.format_entries(data.entries.values())
            text = formatted.text.render_as("text")
            released = f"{metadata.released:%B} {metadata.released.year}"
            assert f"{metadata.publisher}, {metadata.version} edition, {released}" in text, (name, text)
            assert f"URL: {metadata.page_url(docname)}" in text
            if docname != "book/index":
                assert f"{entry.fields['title']}. In {metadata.title}." in text, text
            assert "None" not in text and "version version" not in text.casefold()


def test_cite_block_bibtex_reads_right_in_a_csl_processor(built_site, tmp_path):
    """citeproc-py reads the BibTeX as CSL data and prints it in its bundled Harvard style."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.bibtex import BibTeX

    metadata = site_metadata()
    for docname, bibtex in cite_block_entries(built_site).items():
        key = next(iter(parse_string(bibtex, "bibtex").entries))
        path = tmp_path / f"{key}.bib"
        path.write_text(bibtex, encoding="utf-8")
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Unsupported BibTeX field 'url'")  # CSL's BibTeX reader has no url
            source = BibTeX(str(path), encoding="utf-8")
        bibliography = CitationStylesBibliography(
            CitationStylesStyle("harvard-cite-them-right", validate=False), source, formatter.plain
        )
        bibliography.register(Citation([CitationItem(key)]))
        (text,) = [str(item) for item in bibliography.bibliography()]
        assert text.startswith(f"{metadata.authors[0]} ({metadata.released.year})"), text
        assert metadata.title in text and f". {metadata.version}." in text, text
        if docname == "book/index":
            assert text.endswith(f"{metadata.publisher}."), text
        else:
            assert page(built_site, docname).find("h1").get_text().rstrip("#").strip() in text
