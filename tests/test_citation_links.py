"""The bibliography as a reference list: sorted by author and year, notes on a second line, links back
to every citation; and each page's full references for its citations' disclosures.

Expected orders and links are worked out here from references.bib and the built pages, not taken
from the code that writes them.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections import defaultdict
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from pybtex.database import parse_file
from pybtex.richtext import Text

from lenvatinib_review.datapackage import DEFAULT_BIBLIOGRAPHY

from conftest import build_sphinx_page, page, toc_pages

BIBLIOGRAPHY = "book/bibliography"


def plain(latex: str) -> str:
    return Text.from_latex(latex).render_as("text")


def folded(text: str) -> str:
    text = unicodedata.normalize("NFKD", plain(text)).encode("ascii", "ignore").decode().casefold().strip()
    return re.sub(r"^(a|an|the)\s+", "", text)


@pytest.fixture(scope="module")
def entries():
    return parse_file(str(DEFAULT_BIBLIOGRAPHY)).entries


@pytest.fixture(scope="module")
def listed(built_site):
    """The bibliography's entries in page order: key -> the entry's element."""
    soup = page(built_site, BIBLIOGRAPHY)
    return {element["id"].removeprefix("ref-"): element for element in soup.select("div.citation-list > div.citation")}


def expected_order(entries) -> list[str]:
    def key(name):
        entry = entries[name]
        authors = [person for person in entry.persons.get("author", []) if str(person) != "others"]
        if authors:
            first = " ".join(authors[0].prelast_names + authors[0].last_names)
        else:
            first = entry.fields.get("title") or next(
                entry.fields[field] for field in ("pmcid", "pmid", "doi") if field in entry.fields
            )
        year = entry.fields.get("year", "n.d.")
        return folded(first), year != "n.d.", year, folded(entry.fields.get("title", "")), name

    return sorted(entries, key=key)


def test_bibliography_is_sorted_by_first_author_then_year_title_and_key(entries, listed):
    assert list(listed) == expected_order(entries)
    surnames = [folded(entries[key].persons["author"][0].last_names[0]) for key in listed if entries[key].persons]
    assert surnames == sorted(surnames)


def test_each_entry_starts_with_its_authors_or_title_or_identifier_and_year(entries, listed):
    for key, element in listed.items():
        entry = entries[key]
        work = " ".join(element.select_one("p.reference-work").get_text().split())
        year = entry.fields.get("year", "n.d.")
        if entry.persons.get("author"):
            lead = plain(entry.persons["author"][0].last_names[0])
        elif "title" in entry.fields:
            lead = plain(entry.fields["title"])[:20]
        else:
            lead = next(entry.fields[field] for field in ("pmcid", "pmid", "doi") if field in entry.fields)
        assert work.casefold().startswith(lead.casefold()), (key, work[:80])  # titles in sentence case
        assert f"({year})." in work, (key, work[:120])
        assert element.select_one("span.label") is None, "no numeric label in an author–year list"
        links = [a["href"] for a in element.select("p.reference-work a")]
        if "doi" in entry.fields:
            assert f"https://doi.org/{entry.fields['doi']}" in links, key
        if "pmid" in entry.fields:
            assert f"https://pubmed.ncbi.nlm.nih.gov/{entry.fields['pmid']}/" in links, key
        if "pmcid" in entry.fields:
            assert f"https://pmc.ncbi.nlm.nih.gov/articles/{entry.fields['pmcid']}/" in links, key


def test_a_note_is_a_second_line_of_its_own(entries, listed):
    for key, element in listed.items():
        notes = element.select("p.reference-note")
        note = entries[key].fields.get("note")
        assert len(notes) == (1 if note else 0), key
        if note:
            assert " ".join(notes[0].get_text().split()).rstrip(".") == " ".join(plain(note).split()).rstrip(".")
            assert note[:30] not in element.select_one("p.reference-work").get_text()


def citations_in_site(built_site) -> dict[str, list[tuple[str, str]]]:
    """key -> every (page, citation id) that cites it, in reading order, read from the built pages."""
    cited = defaultdict(list)
    for docname in toc_pages():
        for group in page(built_site, docname).select("article span.bibtex-citation[id]"):
            for link in group.select("a[href*='bibliography.html#ref-']"):
                cited[urlsplit(link["href"]).fragment.removeprefix("ref-")].append((docname, group["id"]))
    return cited


def test_every_entry_links_back_to_each_citation_of_it_grouped_by_page_in_reading_order(built_site, listed):
    cited = citations_in_site(built_site)
    # each page's first element of each id, found once (a search of the page for each of some 3,000 links took 18 s)
    ids = {docname: {} for docname in toc_pages()}
    for docname, found in ids.items():
        for element in page(built_site, docname).find_all(id=True):
            found.setdefault(element["id"], element)
    assert set(cited) == set(listed), "every entry is cited and every citation has its entry"
    pages = toc_pages()
    for key, element in listed.items():
        links = element.select("p.reference-backlinks a")
        targets = []
        for link in links:
            path, fragment = urlsplit(link["href"])[2], urlsplit(link["href"]).fragment
            docname = posixpath.normpath(posixpath.join(posixpath.dirname(BIBLIOGRAPHY), path)).removesuffix(".html")
            targets.append((docname, fragment))
            cited_group = ids[docname].get(fragment)
            assert cited_group is not None and cited_group.select_one(f"a[href$='#ref-{key}']"), (key, link["href"])
        assert sorted(targets) == sorted(set(cited[key])), key
        order = [docname for docname, _ in targets]
        assert order == sorted(order, key=pages.index), f"{key}: pages not in reading order"
        first_of_each_page = [link.get_text() for link, (docname, _) in zip(links, targets)]
        titles = [text for text in first_of_each_page if not text.isdigit()]
        assert len(titles) == len(set(order)), f"{key}: each page named once, its later citations numbered"


def test_each_page_carries_the_full_references_it_cites_and_the_script_that_shows_them(built_site, listed):
    for docname in toc_pages():
        soup = page(built_site, docname)
        cited = {urlsplit(a["href"]).fragment for a in soup.select("article span.bibtex-citation a[href*='#ref-']")}
        template = soup.find("template", id="citation-details")
        script = soup.select("script[src*='citation-details.js']")
        if not cited:
            assert template is None and not script, docname
            continue
        assert len(script) == 1 and script[0].has_attr("defer"), docname
        inert = BeautifulSoup(template.decode_contents(), "html.parser")  # bs4 hides a template's strings
        details = {node["data-citation"]: node for node in inert.select("[data-citation]")}
        assert set(details) == cited, docname
        for target, node in details.items():
            entry = listed[target.removeprefix("ref-")]
            shown = " ".join(node.get_text(" ").split())
            assert shown == " ".join(entry.select_one("p.reference-work").get_text(" ").split()) + "".join(
                " " + " ".join(note.get_text(" ").split()) for note in entry.select("p.reference-note")
            ), (docname, target)
    assert not page(built_site, BIBLIOGRAPHY).find("template"), "the bibliography cites nothing"


AUTHORLESS = """
@article{known2021bytitle,
    title = "A study whose authors were not seen",
    journal = "Some Journal",
    year = "2021",
    doi = "10.1000/example.1"
}
@misc{pmc1234567only,
    pmcid = "PMC1234567",
    url = "https://pmc.ncbi.nlm.nih.gov/articles/PMC1234567/",
    note = "Authors, title, journal and year not shown"
}
@article{zed2020first,
    author = "Zed, Ann and others",
    title = "{EGFR} and more",
    journal = "Journal",
    year = "2020",
    volume = "3",
    pages = "1--9"
}
"""


def test_works_without_authors_or_title_build_strictly_and_are_cited_by_title_or_identifier(project_copy):
    bibliography = project_copy / "references.bib"
    bibliography.write_text(bibliography.read_text(encoding="utf-8") + AUTHORLESS, encoding="utf-8")
    result = build_sphinx_page(
        project_copy,
        "# Page\n\nCited {cite:p}`known2021bytitle`, {cite:t}`pmc1234567only` and {cite:p}`zed2020first`.\n\n"
        "```{bibliography}\n```\n",
    )
    assert result.returncode == 0, result.stderr
    soup = page(project_copy / "_build" / "html", "index")
    works = [" ".join(p.get_text().split()) for p in soup.select("p.reference-work")]
    assert works == [  # filed under "PMC1234567", "study …" (the article ignored) and "Zed"
        "PMC1234567. (n.d.). PMCID: PMC1234567.",
        "A study whose authors were not seen. (2021). Some Journal. doi:10.1000/example.1.",
        "Zed, A., et al. (2020). EGFR and more. Journal, 3, 1–9.",
    ]
    assert soup.select_one("#ref-pmc1234567only p.reference-note").get_text() == (
        "Authors, title, journal and year not shown."
    )
    assert [group.get_text() for group in soup.select("span.bibtex-citation")] == [
        "(A study whose authors were not seen, 2021)",
        "PMC1234567 (n.d.)",
        "(Zed et al., 2020)",
    ]


def test_a_rebuild_formats_again_only_the_works_that_changed(project_copy, monkeypatch):
    from lenvatinib_review.sphinxext.bibliography_style import AuthorYearReferenceList

    bibliography = project_copy / "references.bib"
    bibliography.write_text(bibliography.read_text(encoding="utf-8") + AUTHORLESS, encoding="utf-8")
    formatted = []
    format_anew = AuthorYearReferenceList.format_anew
    monkeypatch.setattr(
        AuthorYearReferenceList,
        "format_anew",
        lambda self, label, entry: formatted.append(entry.key) or format_anew(self, label, entry),
    )

    def build(sentence: str) -> list[str]:
        formatted.clear()
        cited = "{cite:p}`known2021bytitle` and {cite:p}`zed2020first`"
        text = f"# Page\n\n{sentence} {cited}.\n\n```{{bibliography}}\n```\n"
        result = build_sphinx_page(project_copy, text)
        assert result.returncode == 0, result.stderr
        soup = page(project_copy / "_build" / "html", "index")
        in_text = " ".join(soup.select_one("p:has(.bibtex-citation)").get_text().split())
        return [in_text, *(" ".join(p.get_text().split()) for p in soup.select("p.reference-work"))]

    first = build("Cited")
    assert sorted(formatted) == ["known2021bytitle", "zed2020first"]
    assert build("Cited again")[1:] == first[1:]  # the page was read again, the bibliography formatted again
    assert formatted == []
    bibliography.write_text(
        bibliography.read_text(encoding="utf-8").replace("{EGFR} and more", "{FGFR4} alone"), encoding="utf-8"
    )
    changed = build("Cited once more")
    assert formatted == ["zed2020first"]
    assert changed[1:] == [first[1], "Zed, A., et al. (2020). FGFR4 alone. Journal, 3, 1–9."]
    assert changed[0].endswith("(Zed et al., 2020).")
    bibliography.write_text(
        bibliography.read_text(encoding="utf-8").replace("Zed, Ann and others", "Able, Ann and others"),
        encoding="utf-8",
    )  # now filed first, so the other work's label changes too
    moved = build("Cited by its new author")
    assert formatted == ["zed2020first"]
    assert moved[0].endswith("(Able et al., 2020).") and "Zed" not in moved[0]
    assert moved[1:] == ["Able, A., et al. (2020). FGFR4 alone. Journal, 3, 1–9.", first[1]]
