"""Citation integrity both ways, and a verifiable record behind every bibliography entry."""

import re
from pathlib import Path

import pytest
from pybtex.database import parse_file

from lenvatinib_review.check import CITE_ROLE
from lenvatinib_review.datapackage import DEFAULT_BIBLIOGRAPHY, bibliography_keys, load_package
from lenvatinib_review.screening import canonical_link_problem

from conftest import prose_sources


def keys_cited_in_prose() -> dict[str, set[Path]]:
    cited: dict[str, set[Path]] = {}
    for path, text in prose_sources().items():
        for match in CITE_ROLE.finditer(text):
            for key in match.group(1).split(","):
                cited.setdefault(key.strip(), set()).add(path)
    return cited


def keys_cited_in_data() -> set[str]:
    return set().union(*(table.citation_keys() for table in load_package().values()))


def test_prose_keys_exist():
    known = bibliography_keys()
    unknown = {key: sorted(map(str, paths)) for key, paths in keys_cited_in_prose().items() if key not in known}
    assert not unknown, f"cited but not in references.bib: {unknown}"


def test_every_entry_is_cited():
    cited = set(keys_cited_in_prose()) | keys_cited_in_data()
    uncited = bibliography_keys() - cited
    assert not uncited, f"in references.bib but never cited: {sorted(uncited)}"


@pytest.fixture(scope="module")
def tables():
    return load_package()


def test_every_entry_has_a_canonical_link_and_a_screening_record(tables):
    records = {row.values["id"]: row.values for row in tables["records"].records}
    hosts = {row.values["host"]: row.values for row in tables["source_hosts"].records}
    for key, entry in parse_file(str(DEFAULT_BIBLIOGRAPHY)).entries.items():
        fields = {name.lower(): value for name, value in entry.fields.items()}
        assert key in records and records[key]["decision"] == "included", f"{key}: no included record in records.csv"
        assert "doi" in fields or "url" in fields, (
            f"{key}: no DOI and no url to PubMed, PMC, the publisher or a regulator"
        )
        if "url" in fields:
            problem = canonical_link_problem(fields["url"], hosts, records[key])
            assert not problem, f"references.bib, {key}: url {fields['url']}: {problem}"
        if "first-author" in (records[key]["not_seen"] or ()):
            assert "not shown" in fields.get("note", ""), f"{key}: no author seen, so the note must say what was not"
        else:
            assert entry.persons.get("author"), (
                f"{key}: no author (use the trial group or agency if no person is named)"
            )
        assert ("year" in fields and "title" in fields) or "note" in fields, f"{key}: no year or title, and no note why"
        if "doi" in fields:
            assert re.fullmatch(r"10\.\d{4,9}/\S+", fields["doi"]), f"{key}: malformed DOI {fields['doi']}"


def test_the_plugins_a_build_looks_up_are_found_without_scanning_entry_points(monkeypatch):
    """Rendering a citation as text finds pybtex's installed plugins among those registered at run time."""
    import pybtex.plugin
    from pybtex.richtext import Text

    from lenvatinib_review.sphinxext.bibliography_style import LOOKED_UP_PLUGINS, register_looked_up_plugins

    installed = {(group, name): pybtex.plugin.find_plugin(group, name) for group, name in LOOKED_UP_PLUGINS}
    register_looked_up_plugins()

    def no_scan(**selection):
        raise AssertionError(f"pybtex scanned the entry points for {selection}")

    monkeypatch.setattr(pybtex.plugin, "entry_points", no_scan)
    assert {key: pybtex.plugin.find_plugin(*key) for key in LOOKED_UP_PLUGINS} == installed
    assert Text.from_latex("{Lenvatinib} resistance").render_as("text") == "Lenvatinib resistance"
