"""The site as a reader gets it: every page in headless Chromium, served from 127.0.0.1.

Chromium is Debian's package (``make test`` installs it); Playwright drives it and
never downloads a browser. A missing Chromium fails these tests, it does not skip them.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from conftest import toc_pages
from site_check import launch_chromium, serve

EXTRA_PAGES = ["search", "genindex"]
DEFAULT_THEME_PAGE_BYTES = 2.4e6  # a default sphinx-book-theme page, as measured when the book began


@pytest.fixture(scope="module")
def site_url(built_site):
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


class PageVisit:
    """Opens one page and records what went wrong while it loaded, and what it loaded."""

    def __init__(self, browser, site_url: str, path: str):
        self.errors: list[str] = []
        self.responses = []
        self.context = browser.new_context()
        self.page = self.context.new_page()
        local_host = urlparse(site_url).netloc
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"script error: {e}"))
        self.page.on("requestfailed", lambda r: self.errors.append(f"failed request: {r.url}"))
        self.page.on("response", lambda r: r.status >= 400 and self.errors.append(f"HTTP {r.status}: {r.url}"))
        self.page.on("response", lambda r: self.responses.append(r))

        def only_local(route):
            if urlparse(route.request.url).netloc == local_host or route.request.url.startswith("data:"):
                route.continue_()
            else:
                self.errors.append(f"request to another host: {route.request.url}")
                route.abort()

        self.page.route("**/*", only_local)
        self.page.goto(site_url + path, wait_until="networkidle")

    def weight(self, assets_only: bool = False) -> int:
        """Bytes of the page and everything it loaded (uncompressed); or of what it loaded alone."""
        return sum(
            len(response.body())
            for response in self.responses
            if response.ok and (not assets_only or response.request.resource_type in ASSET_TYPES)
        )

    def close(self) -> None:
        self.context.close()


# Pages that list whole data tables or draw whole-data figures grow with the data: for them only the
# theme's assets (scripts, styles, fonts) are budgeted; every other page is budgeted whole.
FULL_DATA_PAGES = {"book/data-tables", "book/screening-log", "book/methods"}
ASSET_TYPES = {"script", "stylesheet", "font"}
# The evidence explorer lists every finding too, but has a budget of its own: the whole page under
# 1.1 MB (0.8 MB when it was added: a chapter's assets plus about 2 kB of table and filter data per
# finding), and its own script and stylesheet, which no other page loads, under 10 kB together.
EXPLORER_PAGE = "book/evidence-explorer"
EXPLORER_PAGE_BYTES = 1.1e6
EXPLORER_OWN_ASSET_BYTES = 10e3


def grows_with_the_data(docname: str) -> bool:
    return docname in FULL_DATA_PAGES or docname == EXPLORER_PAGE or docname.startswith("book/notebooks/")


def all_pages() -> list[str]:
    return [f"{docname}.html" for docname in toc_pages()] + [f"{name}.html" for name in EXTRA_PAGES]


@pytest.mark.parametrize("path", all_pages())
def test_page_works_offline_is_accessible_and_light(browser, site_url, path):
    """No console error, failed request or foreign host; a book page weighs under a third of the
    default theme's; images load with alt text; axe finds nothing serious."""
    visit = PageVisit(browser, site_url, path)
    try:
        assert not visit.errors, "\n".join(visit.errors)
        budget = DEFAULT_THEME_PAGE_BYTES / 3
        if path.removesuffix(".html") in toc_pages():
            assert visit.weight(assets_only=True) <= budget, f"{path}: assets {visit.weight(True) / 1e3:.0f} kB"
        if path.removesuffix(".html") in toc_pages() and not grows_with_the_data(path.removesuffix(".html")):
            assert visit.weight() <= budget, f"{path}: {visit.weight() / 1e3:.0f} kB"
        if path.removesuffix(".html") == EXPLORER_PAGE:
            assert visit.weight() <= EXPLORER_PAGE_BYTES, f"{path}: {visit.weight() / 1e3:.0f} kB"
            own = [r for r in visit.responses if "/_static/evidence-explorer." in r.url]
            assert len(own) == 2 and sum(len(r.body()) for r in own) <= EXPLORER_OWN_ASSET_BYTES
        images = visit.page.eval_on_selector_all(
            "img", "imgs => imgs.map(i => ({src: i.src, loaded: i.complete && i.naturalWidth > 0, alt: i.alt}))"
        )
        for image in images:
            assert image["loaded"], f"image did not load: {image['src']}"
            assert image["alt"].strip(), f"image without alt text: {image['src']}"
        results = Axe().run(visit.page)
        serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        summary = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in serious
        ]
        assert not serious, "\n".join(summary)
    finally:
        visit.close()


def test_search_finds_a_molecule_and_links_to_its_chapter(browser, site_url):
    visit = PageVisit(browser, site_url, "search.html?q=STOML2")
    try:
        visit.page.wait_for_selector("#search-results li a", timeout=20000)
        links = visit.page.eval_on_selector_all("#search-results li a", "as => as.map(a => a.href)")
        assert any("book/intracellular.html" in link for link in links), links
    finally:
        visit.close()


def test_citation_in_a_table_jumps_to_its_bibliography_entry(browser, site_url):
    visit = PageVisit(browser, site_url, "book/intracellular.html")
    try:
        visit.page.click("table.data-table-mechanisms span.bibtex-citation a >> nth=0")
        visit.page.wait_for_load_state()
        assert "book/bibliography.html#" in visit.page.url
        anchor = urlparse(visit.page.url).fragment
        target = visit.page.locator(f"[id='{anchor}']")
        assert target.count() == 1 and target.is_visible()
        assert "STOML2" in target.inner_text()
    finally:
        visit.close()


def test_figure_reference_jumps_to_its_figure(browser, site_url):
    visit = PageVisit(browser, site_url, "book/index.html")
    try:
        visit.page.click("a[href$='#fig-pathway-map']")
        visit.page.wait_for_load_state()
        assert visit.page.url.endswith("book/notebooks/pathway-map.html#fig-pathway-map")
        figure = visit.page.locator("#fig-pathway-map")
        assert figure.is_visible() and figure.locator("img").count() == 1
    finally:
        visit.close()


def test_figures_keep_legible_size_on_a_phone(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    try:
        for docname in toc_pages():
            if not docname.startswith("book/notebooks/"):
                continue
            page.goto(f"{site_url}{docname}.html", wait_until="networkidle")
            widths = page.eval_on_selector_all("figure img", "imgs => imgs.map(i => i.getBoundingClientRect().width)")
            assert widths and min(widths) >= 600, f"{docname}: figure drawn {widths} px wide on a 390 px screen"
    finally:
        context.close()
