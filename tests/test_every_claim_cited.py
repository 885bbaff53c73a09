"""Every paragraph and list item of a content chapter is traceable to a source.

A paragraph passes when it cites a work, refers to a numbered table or figure,
or links to another chapter that carries the evidence. The book's own reasoning
is allowed without a source only inside an "Our reading" box (an admonition
with the class ``inference``), so a reader can see that it is inference.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from conftest import page, toc_pages

# Pages about the book itself rather than about the evidence.
NOT_CONTENT = {
    "book/methods",
    "book/search-log",
    "book/search-log-2026-11-28",
    "book/glossary",
    "book/bibliography",
    "book/data-tables",
    "book/coverage",
    "book/notes-on-sources",
    "book/whats-new",
}
EXEMPT_CONTAINERS = ("table", "figure", "nav", "aside", "footer")
# A box title ("Key points") and the summary the risk-of-bias directive counts from the data are not claims.
EXEMPT_CLASSES = {
    "inference", "cite-this", "toctree-wrapper", "bibliography", "caption", "highlight", "cell_output",
    "admonition-title", "risk-of-bias-summary",
}  # fmt: skip
CONTENT_PAGES = [name for name in toc_pages() if name not in NOT_CONTENT and not name.startswith("book/notebooks/")]


def is_exempt(element) -> bool:
    for parent in (element, *element.parents):
        if parent.name in EXEMPT_CONTAINERS or EXEMPT_CLASSES & set(parent.get("class") or ()):
            return True
    return False


def traces_to_a_source(element) -> bool:
    for link in element.find_all("a", href=True):
        classes = set(link.get("class") or ())
        if "headerlink" in classes or "glossary.html" in link["href"]:
            continue
        if "reference" in classes:
            return True
    return False


def untraced_passages(soup: BeautifulSoup) -> list[str]:
    article = soup.find("article") or soup
    passages = []
    for element in article.find_all(["p", "li"]):
        if is_exempt(element) or (element.name == "p" and element.find_parent("li")):
            continue
        if element.name == "li" and element.find_parent("li") and traces_to_a_source(element.find_parent("li")):
            continue
        text = " ".join(element.get_text(" ").split())
        if text and not traces_to_a_source(element):
            passages.append(text[:120])
    return passages


@pytest.mark.parametrize("docname", CONTENT_PAGES)
def test_every_passage_cites_a_source_or_is_marked_as_inference(built_site, docname):
    untraced = untraced_passages(page(built_site, docname))
    assert not untraced, f"{docname}: passages without a source or an inference box:\n" + "\n".join(untraced)


def test_the_check_flags_an_uncited_paragraph_and_accepts_an_inference_box():
    soup = BeautifulSoup(
        "<article><p>A claim with no source.</p>"
        '<p>Cited <a class="reference internal" href="bibliography.html#x">(A, 2020)</a>.</p>'
        '<div class="admonition inference"><p>Our own reasoning.</p></div>'
        '<p>Only a term <a class="reference internal" href="glossary.html#term-EMT">EMT</a>.</p></article>',
        "html.parser",
    )
    assert untraced_passages(soup) == ["A claim with no source.", "Only a term EMT ."]
