"""The section counts the search scorer ranks by (_static/search-sections.js), checked against the built pages."""

from __future__ import annotations

import copy
import json
import re

from sphinx.search.en import SearchEnglish

from conftest import build_sphinx_page, page, toc_pages


def search_sections(built_site) -> dict:
    script = (built_site / "_static" / "search-sections.js").read_text(encoding="utf-8")
    return json.loads(re.fullmatch(r"var SEARCH_SECTIONS = (.*);\n", script, re.DOTALL).group(1))


def own_text(section) -> str:
    """A built section's text without its subsections, citations and cite block."""
    parts = []
    for child in section.children:
        if getattr(child, "name", None) == "section":
            continue
        if getattr(child, "select", None):
            child = copy.copy(child)  # the page's tree is shared (conftest.page)
            for skipped in child.select("span.bibtex-citation, div.cite-this"):
                skipped.decompose()
            parts.append(child.get_text(" "))
        else:
            parts.append(str(child))
    return " ".join(parts).casefold()


def test_every_page_is_counted_with_its_sections_and_the_sections_using_a_word(built_site):
    data = search_sections(built_site)
    assert set(data["docnames"]) >= set(toc_pages())
    assert data["docnames"] == sorted(data["docnames"]) and len(data["sections"]) == len(data["docnames"])
    for docname, word in (("book/strategies", "pembrolizumab"), ("book/cell-death", "ferroptosis")):
        sections = page(built_site, docname).select("article section")
        number = data["docnames"].index(docname)
        assert data["sections"][number] == len(sections), docname
        using = sum(word in own_text(section) for section in sections)
        stem = SearchEnglish({}).stem(word)  # the scorer's words are stemmed as Sphinx's search stems them
        assert using >= 2 and data["terms"][stem][str(number)] == using, (docname, word, using)
    assert all(uses >= 2 for pages in data["terms"].values() for uses in pages.values()), "one section is implied"


def test_the_index_stems_as_sphinx_does_each_word_once(project_copy):
    from sphinx.search import languages

    from lenvatinib_review.sphinxext.search_ranking import MemoizedEnglish, english_stem

    words = ["resistance", "resistant", "lenvatinib", "ferroptosis", "signalling", "cells", "Studies"]
    assert [MemoizedEnglish({}).stem(word) for word in words] == [SearchEnglish({}).stem(word) for word in words]
    assert english_stem.cache_info().currsize >= len(set(words))
    assert build_sphinx_page(project_copy, "# Resistance\n\nResistant cells.\n").returncode == 0
    assert languages["en"] is MemoizedEnglish, "the extension registers it for the search index"
