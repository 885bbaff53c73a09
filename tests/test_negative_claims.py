"""A negative claim is a finding: it links the logged search that backs it.

"No lenvatinib study of X was found", "the only study", "none was found": each
such sentence of a page about the evidence must carry, in the same paragraph or
list item, a ``{search}`` link to a row of ``data/searches.csv``. Otherwise the
claim says more than the book knows, and goes.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from lenvatinib_review.sphinxext.screening import SEARCH_ANCHOR_PREFIX

from conftest import page, toc_pages

# Pages about the method or the book itself, whose negatives are about the book ("no second screen").
ABOUT_THE_BOOK = {
    "book/methods",
    "book/screening-log",
    "book/search-log",
    "book/search-log-2026-11-28",
    "book/bibliography",
    "book/data-tables",
    "book/whats-new",
    "book/evidence-explorer",
}
EVIDENCE_PAGES = [name for name in toc_pages() if name not in ABOUT_THE_BOOK and not name.startswith("book/notebooks/")]

_WORDS = r"(?:[\w-]+ ){0,3}"
NEGATIVE_CLAIM = re.compile(
    r"\b(?:"
    rf"no {_WORDS}(?:study|studies|trial|trials|screen|screens|report|reports)"
    r"|none (?:was|were) found"
    r"|(?:was|were|could) not (?:be )?found"
    r"|has not been (?:studied|tested|reported)"
    rf"|the only {_WORDS}(?:study|trial|cohort|report|screen)"
    r"|only one (?:[\w-]+ ){0,2}(?:study|trial|screen)"
    r")\b",
    re.IGNORECASE,
)


def unbacked_negative_claims(soup: BeautifulSoup) -> list[str]:
    article = soup.find("article") or soup
    unbacked = []
    for element in article.find_all(["p", "li"]):
        if element.name == "p" and element.find_parent("li"):
            continue
        if element.find_parent("table") or element.find_parent("figure"):
            continue
        text = " ".join(element.get_text(" ").split())
        claim = NEGATIVE_CLAIM.search(text)
        if claim and not element.select(f'a[href*="#{SEARCH_ANCHOR_PREFIX}-"]'):
            unbacked.append(f"“{claim.group(0)}” in: {text[:140]}")
    return unbacked


@pytest.mark.parametrize("docname", EVIDENCE_PAGES)
def test_every_negative_claim_links_its_logged_search(built_site, docname):
    unbacked = unbacked_negative_claims(page(built_site, docname))
    assert not unbacked, f"{docname}: negative claims without a {{search}} link:\n" + "\n".join(unbacked)


def test_the_check_finds_a_negative_claim_and_accepts_a_linked_one():
    soup = BeautifulSoup(
        "<article><p>No lenvatinib study of Hedgehog was found.</p>"
        '<p>No lenvatinib study of X was found (<a class="reference internal" href="methods.html#search-r3-x-1">'
        '<span class="std std-ref">search r3-x-1</span></a>).</p>'
        "<li>This was the only prospective study.</li>"
        "<p>Lenvatinib was studied in three trials.</p></article>",
        "html.parser",
    )
    found = unbacked_negative_claims(soup)
    assert [claim.split("” in")[0] for claim in found] == ["“No lenvatinib study", "“the only prospective study"]
