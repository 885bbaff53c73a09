"""The repairs of the theme stack's markup, one test per module of the extension that makes one."""

from __future__ import annotations

from bs4 import BeautifulSoup

from lenvatinib_review.sphinxext.deferred_scripts import DEFERRABLE_SCRIPTS

from conftest import ROOT, build_sphinx_page, page, parsed


def test_bibliography_entries_are_list_items(built_site):
    """bibliography_list_items: every entry of the reference list is a list item, none a deprecated biblioentry."""
    bibliography = page(built_site, "book/bibliography")
    lists = bibliography.select('[role="list"]')
    assert lists, "the bibliography has no list"
    for listing in lists:
        entries = listing.find_all(recursive=False)
        assert entries and all(entry.get("role") == "listitem" for entry in entries)
    assert not bibliography.select('[role="doc-biblioentry"]')


def test_a_hidden_cells_toggle_is_labelled_with_phrasing_content(built_site):
    """cell_toggle_labels: the <summary> of a hidden notebook cell holds spans, no paragraph."""
    summaries = [
        summary
        for notebook in sorted((ROOT / "book" / "notebooks").glob("*.ipynb"))
        for summary in page(built_site, f"book/notebooks/{notebook.stem}").select("details.hide > summary")
    ]
    assert summaries, "no notebook page hides a cell"
    for summary in summaries:
        assert not summary.find("p")
        assert [span.get_text() for span in summary.select("span.admonition-title")] == [
            "Show code cell source",
            "Hide code cell source",
        ]


def test_section_toggles_in_the_sidebar_have_a_name(built_site):
    """section_toggle_names: each <summary> of the sidebar's navigation has an accessible name."""
    toggles = page(built_site, "book/methods").select("nav summary")
    assert toggles, "the sidebar has no section toggle"
    assert all(toggle.get("aria-label") for toggle in toggles)


def test_deferrable_scripts_are_deferred_except_on_the_search_page(built_site):
    """deferred_scripts: the scripts nothing runs before parsing carry defer; the search page's do not."""

    def deferrable(soup):
        return [s for s in soup.select("script[src]") if s["src"].split("?")[0].endswith(DEFERRABLE_SCRIPTS)]

    chapter = deferrable(page(built_site, "book/methods"))
    assert chapter and all(script.has_attr("defer") for script in chapter)
    search = deferrable(page(built_site, "search"))
    assert search and not any(script.has_attr("defer") for script in search)


def test_unused_assets_are_left_out(built_site):
    """unused_assets: no Thebe on any page; the copy button only on pages with code."""
    for docname in ("book/methods", "book/notebooks/exposure"):
        soup = page(built_site, docname)
        sources = " ".join(tag.get("src", "") + tag.get_text() for tag in soup.select("script"))
        assert "thebe" not in sources.casefold(), docname
        assert ("copybutton" in sources) == bool(soup.select('div[class*="highlight"]')), docname


def test_the_landing_page_is_a_valid_redirect_to_the_root_page(built_site):
    """landing_page: index.html is a whole HTML5 document pointing at the root page, canonically."""
    landing = parsed(built_site / "index.html")
    assert landing.html["lang"] == "en" and landing.title.get_text()
    assert landing.find("meta", attrs={"http-equiv": "refresh"})["content"].endswith("url=book/index.html")
    assert landing.find("link", rel="canonical")["href"].endswith("/book/index.html")
    assert landing.find("a")["href"] == "book/index.html"


def test_the_visitor_override_applies_to_a_one_page_book(project_copy):
    """A one-page project with a citation: its entry is a list item too (the override needs no full build)."""
    result = build_sphinx_page(project_copy, "# Page\n\n```{bibliography}\n:all:\n```\n")
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup((project_copy / "_build" / "html" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select('[role="listitem"]') and not soup.select('[role="doc-biblioentry"]')
