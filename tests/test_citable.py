"""Citability: CFF validity, generated metadata in sync, meta tags and cite blocks, sitemap, data package, workflow."""

import json
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest
import yaml
from pybtex.database import parse_string

from lenvatinib_review.book_metadata import CITATION_FILE, LOCAL_BASE_URL, BookMetadata, zenodo_json

from conftest import ROOT, build_sphinx_page, page, toc_pages

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


def test_every_page_has_meta_tags_and_a_cite_block_naming_it(built_site):
    metadata = BookMetadata.load()
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
        # A build without BOOK_BASE_URL (make test on a desk) says its address is local; a hosted one does not.
        local_note = block.select_one(".cite-local")
        assert (local_note is not None) == metadata.is_local, f"{docname}: local build note {local_note}"
        if local_note is not None:
            assert LOCAL_BASE_URL in local_note.get_text()


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
    metadata = BookMetadata.load()
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
    metadata = BookMetadata.load()
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
