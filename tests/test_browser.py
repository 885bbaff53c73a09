"""The site as a reader gets it: every page in headless Chromium, served from 127.0.0.1.

Chromium is Debian's package (``make test`` installs it); Playwright drives it and
never downloads a browser. A missing Chromium fails these tests, it does not skip them.
"""

from __future__ import annotations

import functools
import gzip
import json
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe

from lenvatinib_review.figures import BOOK_FIGURES
from lenvatinib_review.print_edition import svg_geometry

from conftest import figure_label, page as page_html, toc_pages

EXTRA_PAGES = ["search", "genindex"]
DEFAULT_THEME_PAGE_BYTES = 2.4e6  # a default sphinx-book-theme page, as measured when the book began


class PageVisit:
    """Opens one page and records what went wrong while it loaded, and what it loaded."""

    def __init__(self, browser, site_url: str, path: str, **context_options):
        self.errors: list[str] = []
        self.responses = []
        self.context = browser.new_context(**context_options)
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
        # Figures load lazily, when scrolled to; a reader who reads to the end loads them all, and so does this visit.
        self.page.evaluate(
            """async () => {
                const images = [...document.images];
                images.forEach(image => { image.loading = "eager"; });
                await Promise.all(images.map(image => image.decode().catch(() => null)));
            }"""
        )
        self.page.wait_for_load_state("networkidle")

    def weight(self, assets_only: bool = False, compressed: bool = False) -> int:
        """Bytes of the page and everything it loaded, or of its assets alone; gzip level 6 as a host serves them."""
        bodies = [
            response.body()
            for response in self.responses
            if response.ok and (not assets_only or response.request.resource_type in ASSET_TYPES)
        ]
        return sum(len(gzip.compress(body, 6)) if compressed else len(body) for body in bodies)

    def close(self) -> None:
        self.context.close()


# Budgets as a static host serves the pages (gzip level 6), each page with every figure loaded.
# Every page's theme assets (scripts, styles, fonts) stay under a third of a default theme page,
# uncompressed. The whole page stays under PAGE_GZIP_BUDGET; pages that list whole data tables
# grow with the data and have a larger budget: past it, such a page should be split.
PAGE_GZIP_BUDGET = 200e3
DATA_PAGE_GZIP_BUDGET = 300e3
# The evidence explorer lists every finding (about 2 kB of table and filter data each, uncompressed);
# its own script and stylesheet, which no other page loads, stay under 10 kB together.
EXPLORER_PAGE = "book/evidence-explorer"
EXPLORER_OWN_ASSET_BYTES = 10e3
FULL_DATA_PAGES = {
    "book/data-tables", "book/screening-log", "book/search-log", "book/search-log-2026-11-28", "book/methods",
    "book/whats-new", EXPLORER_PAGE,
}  # fmt: skip
ASSET_TYPES = {"script", "stylesheet", "font"}


def gzip_budget(docname: str) -> float:
    return DATA_PAGE_GZIP_BUDGET if docname in FULL_DATA_PAGES else PAGE_GZIP_BUDGET


def all_pages() -> list[str]:
    return [f"{docname}.html" for docname in toc_pages()] + [f"{name}.html" for name in EXTRA_PAGES]


# axe's colour-contrast rule takes most of a long page's time (about 17 of 19 s for the data tables),
# going through thousands of table rows and bibliography entries that one piece of code wrote with the
# same classes. axe's other rules check the whole page first. Then, in each list of REPEATED_ITEMS or
# more siblings (rows, entries, links), an item is emptied when an earlier one has the same markup at a
# place of the same parity: the same tags and nesting, and the same values of the attributes that style
# (class, style, SVG presentation attributes such as fill and font-size, ARIA, language, hidden) or that
# the site's style sheets select on by value (src, type). Text, the other attributes' values (ids,
# addresses) and how many times an element repeats in a row are not compared: no style rule of the site
# depends on them (`:target` would, on a page opened at an anchor; the pages are visited without one).
# The last item is kept, and an emptied item keeps its place (styles such as `tr:nth-child(odd)` count
# places); style sheets, scripts and templates are never emptied. Colour contrast is then checked on
# what is left.
REPEATED_ITEMS = 12
EMPTY_REPEATED_ITEMS = """minimum => {
    const styled = /^(class|style|role|lang|dir|hidden|aria-[\\w-]+|src|type|fill|stroke|color|bgcolor|font-[\\w-]+)=/;
    const kept = new Set(["STYLE", "SCRIPT", "TEMPLATE", "LINK"]);
    const markup = item => item.outerHTML
        .replace(/>[^<]*</g, "><")
        .replace(/\\s([\\w:-]+)="[^"]*"/g, (whole, name) => styled.test(name + "=") ? whole : " " + name)
        .replace(/(<[^<>]+>(?:<[^<>]+><\\/[^<>]+>)*<\\/[^<>]+>)\\1+/g, "$1");
    let emptied = 0;
    for (const parent of document.querySelectorAll("body *")) {
        const items = [...parent.children];
        if (items.length < minimum) continue;
        const seen = new Set();
        items.forEach((item, place) => {
            const key = (place % 2) + markup(item);
            if (seen.has(key) && place < items.length - 1 && !kept.has(item.tagName)) {
                item.replaceChildren();
                emptied += 1;
            }
            seen.add(key);
        });
    }
    return emptied;
}"""


def axe_violations(page) -> list[dict]:
    """axe's violations: every rule on the whole page, then colour contrast once repeated items are emptied."""
    page.evaluate(Axe().axe_script)  # axe-core, as axe-playwright-python pins it, loaded once for both runs
    run = "options => axe.run(document, options).then(results => results.violations)"
    violations = page.evaluate(run, {"resultTypes": ["violations"], "rules": {"color-contrast": {"enabled": False}}})
    page.evaluate(EMPTY_REPEATED_ITEMS, REPEATED_ITEMS)
    only_contrast = {"type": "rule", "values": ["color-contrast"]}
    return violations + page.evaluate(run, {"resultTypes": ["violations"], "runOnly": only_contrast})


def axe_violations_within(page, *selectors: str) -> list[dict]:
    """axe's violations, every rule, in the elements the CSS ``selectors`` select and what they hold."""
    page.evaluate(Axe().axe_script)
    return page.evaluate(
        "([include, options]) => axe.run({include}, options).then(results => results.violations)",
        [[[selector] for selector in selectors], {"resultTypes": ["violations"]}],
    )


REPEATED_ROW = "<tr><td><a href='#a'>a link</a> and text</td></tr>"


@pytest.mark.parametrize("odd_one", ["<tr class='faint'><td>faint text</td></tr>", "<tr><td><em>faint</em></td></tr>"])
def test_colour_contrast_still_checks_a_row_unlike_the_rows_before_it(browser, odd_one):
    """A row whose markup differs from the rows before it, in a long table of alike rows, is checked."""
    rows = [REPEATED_ROW] * 30
    rows[17] = odd_one
    style = "<style>td { color: #222; } .faint td, em { color: #c8c8c8; }</style>"
    context = browser.new_context()
    page = context.new_page()
    try:
        page.set_content(
            f"<html lang='en'><title>t</title>{style}<main><table><tbody>{''.join(rows)}</tbody></table></main>"
        )
        failing = [node["html"] for v in axe_violations(page) if v["id"] == "color-contrast" for node in v["nodes"]]
        assert failing and all("faint" in node for node in failing), failing
        emptied = page.eval_on_selector_all("tbody tr", "rows => rows.filter(row => !row.children.length).length")
        assert emptied == 30 - 4, "kept: the first alike row at an even and at an odd place, the odd one, the last"
    finally:
        context.close()


PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
DESKTOP = {"width": 1280, "height": 800}  # the text column is about 670 pixels wide
BOOK_FIGURE = "figure.book-figure"


def test_axe_within_elements_checks_them_and_nothing_else(browser):
    context = browser.new_context()
    page = context.new_page()
    try:
        faint = "<p id='{}' style='color: #c8c8c8'>faint text</p>"
        page.set_content(f"<html lang='en'><title>t</title><main>{faint.format('in')}{faint.format('out')}</main>")
        violations = axe_violations_within(page, "#in")
        assert [node["target"] for v in violations if v["id"] == "color-contrast" for node in v["nodes"]] == [["#in"]]
    finally:
        context.close()


@pytest.mark.parametrize("path", all_pages())
def test_page_works_offline_is_accessible_legible_and_light(browser, site_url, built_site, path):
    """On a desktop: no console error, failed request or foreign host; the page keeps to its weight
    budgets; images load with alt text; every figure's smallest text (and that of each part of a figure)
    is 11 CSS pixels or more; axe finds nothing serious."""
    visit = PageVisit(browser, site_url, path, viewport=DESKTOP)
    try:
        assert not visit.errors, "\n".join(visit.errors)
        docname = path.removesuffix(".html")
        if docname in toc_pages():
            assets = visit.weight(assets_only=True)
            assert assets <= DEFAULT_THEME_PAGE_BYTES / 3, f"{path}: assets {assets / 1e3:.0f} kB"
            hosted = visit.weight(compressed=True)
            assert hosted <= gzip_budget(docname), f"{path}: {hosted / 1e3:.0f} kB gzip"
        if docname == EXPLORER_PAGE:
            own = [r for r in visit.responses if "/_static/evidence-explorer." in r.url]
            assert len(own) == 2 and sum(len(r.body()) for r in own) <= EXPLORER_OWN_ASSET_BYTES
        images = visit.page.eval_on_selector_all(
            "img", "imgs => imgs.map(i => ({src: i.src, loaded: i.complete && i.naturalWidth > 0, alt: i.alt}))"
        )
        for image in images:
            assert image["loaded"], f"image did not load: {image['src']}"
            assert image["alt"].strip(), f"image without alt text: {image['src']}"
        figures = visit.page.eval_on_selector_all(BOOK_FIGURE, "figures => figures.map(f => f.id)")
        assert figures == [figure["id"] for figure in page_html(built_site, docname).select(BOOK_FIGURE)]
        for figure_id in figures:
            smallest, _ = smallest_text(visit.page, built_site, figure_id)
            assert smallest >= 11, f"{figure_id}: text drawn at {smallest:.1f} px"
        serious = [v for v in axe_violations(visit.page) if v["impact"] in ("serious", "critical")]
        summary = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in serious
        ]
        assert not serious, "\n".join(summary)
    finally:
        visit.close()


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_key_findings_are_in_the_first_screen(browser, site_url, viewport):
    """The landing page's key findings (5 to 7, each with a link to its chapter) are on screen before any
    scrolling: the whole block on a laptop; on a phone its title and first findings, the block starting
    in the top half."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        page.goto(f"{site_url}book/index.html", wait_until="networkidle")
        block = page.locator(".key-findings")
        items = block.locator("li")
        assert 5 <= items.count() <= 7
        for index in range(items.count()):
            assert items.nth(index).locator("a.reference.internal").count(), f"finding {index + 1} has no link"
        top, bottom = block.evaluate("b => [b.getBoundingClientRect().top, b.getBoundingClientRect().bottom]")
        height = viewport["height"]
        if viewport is LAPTOP:
            assert bottom <= height, f"the key findings end at {bottom:.0f} px, below the {height} px screen"
        else:
            assert top <= height / 2, f"the key findings start at {top:.0f} px"
            second = items.nth(1).evaluate("item => item.getBoundingClientRect().bottom")
            assert second <= height, f"the second finding ends at {second:.0f} px, below the {height} px screen"
    finally:
        context.close()


def test_a_table_row_is_a_card_of_labelled_values_on_a_phone(browser, site_url):
    """On a phone each cell of a data table shows its column's title above its value."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(f"{site_url}book/strategies.html", wait_until="load")
        cell = page.locator("table.data-table-trials tbody tr").first.locator("td").nth(6)
        label = cell.evaluate("cell => getComputedStyle(cell, '::before').content")
        assert label == '"Result (hazard ratio; confidence interval)"'
        header = page.locator("table.data-table-trials thead th").nth(6)
        assert header.inner_text().strip() == "Result (hazard ratio; confidence interval)"
    finally:
        context.close()


def search_results(browser, site_url: str, query: str, **context_options) -> tuple[PageVisit, list[dict]]:
    """Search the book; each result's page, score and snippet, in the order listed, once every snippet is in."""
    visit = PageVisit(browser, site_url, f"search.html?q={query}", **context_options)
    visit.page.wait_for_selector("#search-results .search-summary:not(:empty)", timeout=20000)
    visit.page.wait_for_function(
        "[...document.querySelectorAll('#search-results ul.search > li')].every(li => li.querySelector('p.context'))"
    )
    results = visit.page.eval_on_selector_all(
        "#search-results ul.search > li",
        """items => items.map(li => {
            const link = li.querySelector(":scope > a");
            return {page: new URL(link.href).pathname.replace(/^\\//, ""), title: link.textContent,
                    score: Number(link.dataset.score), snippet: li.querySelector("p.context").textContent};
        })""",
    )
    return visit, results


def test_search_finds_a_molecule_and_links_to_its_chapter(browser, site_url):
    visit, results = search_results(browser, site_url, "STOML2")
    try:
        assert any(result["page"] == "book/intracellular.html" for result in results), results
    finally:
        visit.close()


def test_search_ranks_title_matches_first_then_pages_that_discuss_the_word_throughout(browser, site_url):
    """A search for a drug lists the chapter that discusses it near the top, not the alphabet's first pages."""
    visit, results = search_results(browser, site_url, "pembrolizumab")
    try:
        pages = [result["page"] for result in results]
        # beside the clinic, the other-cancers and the approvals pages
        assert "book/strategies.html" in pages[:4], pages
        scores = [result["score"] for result in results]
        assert scores == sorted(scores, reverse=True)
        titled = [result for result in results if "pembrolizumab" in result["snippet"].casefold()]
        assert len(titled) == len(results), "every result shows the word in its snippet"
        text_only = [result for result in results if result["score"] < 7]  # Sphinx: 5 for a word in the text
        assert [result["title"] for result in text_only] != sorted(result["title"] for result in text_only)
        assert all(result["score"] % 1 for result in text_only), "the scorer adds each page's coverage"
    finally:
        visit.close()


def test_search_snippets_skip_the_pages_contents_list(browser, site_url, built_site):
    """A word in a section title first occurs, in the page's main text, in the theme's print-only contents."""
    visit, results = search_results(browser, site_url, "synthesis")
    try:
        assert len(results) >= 3
        for result in results:
            soup = page_html(built_site, result["page"].removesuffix(".html"))
            titles = [" ".join(h.get_text().rstrip("#").split()) for h in soup.select("article section h2")]
            snippet = " ".join(result["snippet"].split())
            listed = [" ".join(titles[i : i + 3]) for i in range(len(titles) - 2)]
            assert not any(run in snippet for run in listed), (result["page"], snippet)
            assert not snippet.startswith("...Contents") and " Contents " not in snippet[:40], snippet
    finally:
        visit.close()


@pytest.mark.parametrize("width", [390, 1366])
def test_search_icon_does_not_cover_the_query(browser, site_url, width):
    visit, _ = search_results(browser, site_url, "pembrolizumab", viewport={"width": width, "height": 800})
    try:
        icon, text_start = visit.page.eval_on_selector(
            ".bd-search-container form.bd-search",
            """form => {
                const input = form.querySelector("input");
                const icon = form.querySelector(".fa-magnifying-glass").getBoundingClientRect();
                return [[icon.left, icon.right, icon.width],
                        input.getBoundingClientRect().left + parseFloat(getComputedStyle(input).paddingLeft)];
            }""",
        )
        left, right, size = icon
        assert size > 0 and right <= text_start, (icon, text_start)
    finally:
        visit.close()


def follow_citation(page, citation: str) -> None:
    """Open a citation's reference with a click, then follow its link to the bibliography entry."""
    page.click(citation)
    page.click(f"#{page.get_attribute(citation, 'aria-controls')} a.citation-details-entry")
    page.wait_for_load_state()


def test_citation_in_a_table_jumps_to_its_bibliography_entry(browser, site_url):
    visit = PageVisit(browser, site_url, "book/intracellular.html")
    try:
        follow_citation(visit.page, "table.data-table-mechanisms span.bibtex-citation a >> nth=0")
        assert "book/bibliography.html#" in visit.page.url
        anchor = urlparse(visit.page.url).fragment
        target = visit.page.locator(f"[id='{anchor}']")
        assert target.count() == 1 and target.is_visible()
        assert "STOML2" in target.inner_text()
    finally:
        visit.close()


CITATION = "article span.bibtex-citation a.reference.internal"


def tab_to(page, selector: str, presses: int = 400) -> None:
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({json.dumps(selector)})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


@pytest.mark.parametrize("width", [390, 1366])
def test_a_citation_shows_its_full_reference_on_keyboard_focus_click_and_enter(browser, site_url, built_site, width):
    """Tab to a citation: its full reference, with its identifier links, shows below it inside the screen; Enter
    keeps it open without leaving the page, Tab enters it, Escape closes it; a click opens another, whose link leads
    to the bibliography entry. With a reference open, axe finds nothing serious in it or its citation (the rest
    of the page is checked on its own)."""
    entries = {
        element["id"]: " ".join(element.select_one("p.reference-work").get_text().split())
        for element in page_html(built_site, "book/bibliography").select("div.citation")
    }
    visit = PageVisit(browser, site_url, "book/strategies.html", viewport={"width": width, "height": 900})
    page = visit.page
    try:
        tab_to(page, CITATION)
        link = page.locator(":focus")
        target = urlparse(link.get_attribute("href")).fragment
        controls = link.get_attribute("aria-controls")
        details = page.locator(f"#{controls}")
        assert link.get_attribute("aria-expanded") == "true" and details.is_visible()
        assert " ".join(details.locator(".reference-work").inner_text().split()) == entries[target]
        identifiers = details.locator("a[href^='https://doi.org/'], a[href^='https://pubmed'], a[href^='https://pmc']")
        assert identifiers.count() >= 1
        box = details.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, box

        address = page.url
        page.keyboard.press("Enter")
        assert page.url == address and link.get_attribute("aria-expanded") == "true" and details.is_visible()
        page.keyboard.press("Tab")
        assert page.evaluate("el => el.contains(document.activeElement)", details.element_handle())
        page.keyboard.press("Escape")
        assert not details.is_visible() and link.get_attribute("aria-expanded") == "false"
        assert page.evaluate("el => document.activeElement === el", link.element_handle())
        page.keyboard.press("Enter")
        assert details.is_visible()
        assert not visit.errors, visit.errors
        opened = axe_violations_within(page, f"#{controls}", f"a[aria-controls='{controls}']")
        serious = [v["id"] for v in opened if v["impact"] in ("serious", "critical")]
        assert not serious, serious
        visit.errors.clear()  # axe's own fetch of the stylesheets' imports, which it resolves from the page

        other = page.locator(CITATION).nth(3)
        other_target = urlparse(other.get_attribute("href")).fragment
        other.click()
        assert other.get_attribute("aria-expanded") == "true"
        page.click(f"#{other.get_attribute('aria-controls')} a.citation-details-entry")
        page.wait_for_load_state()
        arrived = urlparse(page.url)
        assert arrived.path.endswith("book/bibliography.html") and arrived.fragment == other_target
        assert page.locator(f"[id='{other_target}']").is_visible()
        assert not visit.errors, visit.errors
    finally:
        visit.close()


def test_without_javascript_a_citation_is_a_link_to_its_entry(browser, site_url):
    visit = PageVisit(browser, site_url, "book/strategies.html", java_script_enabled=False)
    try:
        citation = visit.page.locator(CITATION).first
        target = urlparse(citation.get_attribute("href")).fragment
        citation.click()
        visit.page.wait_for_load_state()
        assert urlparse(visit.page.url).fragment == target and "book/bibliography.html" in visit.page.url
    finally:
        visit.close()


def test_figure_reference_jumps_to_its_figure(browser, site_url):
    visit = PageVisit(browser, site_url, "book/index.html")
    try:
        visit.page.click("a[href$='#fig-evidence-map']")
        visit.page.wait_for_load_state()
        assert visit.page.url.endswith("book/methods.html#fig-evidence-map")
        figure = visit.page.locator("#fig-evidence-map")
        assert figure.is_visible() and figure.locator("img").count() == 1
    finally:
        visit.close()


IMAGE_LOADED = "id => { const i = document.getElementById(id).querySelector('img'); return !i || i.naturalWidth; }"
SMALLEST_TEXT = """figure => {
    const svg = figure.querySelector(":scope > svg");
    if (svg) {  // written into the page: measure its text as drawn
        const sizes = [...svg.querySelectorAll("text")].map(
            text => parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a);
        return {inline: true, smallest: Math.min(...sizes), width: svg.getBoundingClientRect().width};
    }
    const img = figure.querySelector("img");
    return {inline: false, width: img.getBoundingClientRect().width, natural: img.naturalWidth, src: img.src};
}"""


@pytest.fixture
def desktop(browser):
    """A page in a DESKTOP window."""
    context = browser.new_context(viewport=DESKTOP)
    yield context.new_page()
    context.close()


@functools.cache
def smallest_font_served(svg: Path) -> float | None:
    """The smallest text of an SVG figure as the site serves it, in points (None: no text).
    tests/test_pdf.py checks that this reading of the SVG gives the size each figure is drawn with."""
    return svg_geometry(svg.read_text(encoding="utf-8"))[2]


def smallest_text(page, site: Path, figure_id: str) -> tuple[float, float]:
    """The smallest text of a figure on the page, in CSS pixels as drawn, and the figure's width."""
    figure = page.locator(f"[id='{figure_id}']")
    figure.scroll_into_view_if_needed()  # lazy images load when scrolled to
    page.wait_for_function(IMAGE_LOADED, arg=figure_id)
    drawn = figure.evaluate(SMALLEST_TEXT)
    if drawn["inline"]:
        return drawn["smallest"], drawn["width"]
    points = smallest_font_served(site / unquote(urlparse(drawn["src"]).path).lstrip("/"))
    assert points is not None, f"{figure_id}: no text found in {drawn['src']}"
    return points * 96 / 72 * drawn["width"] / drawn["natural"], drawn["width"]


NOTEBOOK_OUTPUT_WIDTHS = """async images => Promise.all(images.map(async image => {
    image.loading = "eager";
    await image.decode();
    return image.getBoundingClientRect().width;
}))"""


def test_on_a_phone_no_page_scrolls_sideways_and_figures_stay_legible(browser, site_url, built_site):
    """At 390 pixels no page is wider than the screen: wide tables become cards, wide figures scroll in
    place. A figure drawn for phones keeps its smallest text at 9 CSS pixels or more; any other figure (in
    a chapter or a notebook) is drawn at least 600 pixels wide, scrolling sideways."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    wide, shown = [], set()
    try:
        for path in all_pages():
            page.goto(f"{site_url}{path}", wait_until="load")
            for figure_id in page.eval_on_selector_all(BOOK_FIGURE, "figures => figures.map(f => f.id)"):
                label = figure_label(figure_id)
                shown.add(label)
                smallest, width = smallest_text(page, built_site, figure_id)
                if BOOK_FIGURES[label].fits_phone:
                    assert smallest >= 9, f"{path}: {figure_id} text drawn at {smallest:.1f} px"
                else:
                    assert width >= 600, f"{path}: {figure_id} drawn {width:.0f} px wide on a 390 px screen"
            if path.startswith("book/notebooks/"):
                widths = page.eval_on_selector_all(".cell_output img", NOTEBOOK_OUTPUT_WIDTHS)
                assert widths and min(widths) >= 600, f"{path}: a figure is drawn narrower than 600 px on a phone"
            width, screen = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            if width > screen:
                wide.append(f"{path}: {width} px")
    finally:
        context.close()
    assert not wide, f"pages wider than a {PHONE['width']} px screen: {wide}"
    assert shown == set(BOOK_FIGURES), f"figures on no page: {sorted(set(BOOK_FIGURES) - shown)}"


def test_schematic_routes_are_reached_by_keyboard_and_show_where_the_focus_is(desktop, site_url):
    """Tab reaches every route of Figure 1 in reading order; the focused box is outlined more heavily."""
    desktop.goto(f"{site_url}book/index.html", wait_until="networkidle")
    links = desktop.locator("#fig-mechanism-schematic svg a")
    names = links.evaluate_all("links => links.map(link => link.getAttribute('aria-label'))")
    assert len(names) > 5
    reached = []
    for _ in range(400):
        desktop.keyboard.press("Tab")
        focused = desktop.evaluate(
            "() => document.activeElement.closest('#fig-mechanism-schematic svg a')?.getAttribute('aria-label')"
        )
        if focused:
            reached.append(focused)
        elif reached:
            break
    assert reached == names
    desktop.keyboard.press("Shift+Tab")
    focus = desktop.evaluate(
        """() => {
            const width = link => parseFloat(getComputedStyle(link.querySelector('rect.route')).strokeWidth);
            const all = [...document.querySelectorAll('#fig-mechanism-schematic svg a')];
            const focused = document.activeElement;
            const other = all.find(link => link !== focused);
            return [width(focused), width(other), getComputedStyle(focused).outlineStyle];
        }"""
    )
    assert focus[0] > focus[1] and focus[2] != "none", f"focus not visible: {focus}"


def test_schematic_text_stays_inside_its_boxes_as_the_browser_draws_it(desktop, site_url):
    """The browser's own text extents (not the layout's estimate) fit the route boxes and family tags."""
    desktop.goto(f"{site_url}book/index.html", wait_until="networkidle")
    escapes = desktop.evaluate(
        """() => {
            const inside = (inner, outer) => inner.x >= outer.x - 0.5 && inner.y >= outer.y - 0.5
                && inner.x + inner.width <= outer.x + outer.width + 0.5
                && inner.y + inner.height <= outer.y + outer.height + 0.5;
            const svg = document.querySelector('#fig-mechanism-schematic svg');
            const wrong = [];
            for (const route of svg.querySelectorAll('rect.route')) {
                const box = route.getBBox();
                for (const text of route.parentNode.querySelectorAll('text')) {
                    if (!inside(text.getBBox(), box)) wrong.push(text.textContent);
                }
            }
            for (const text of svg.querySelectorAll('text[fill="#ffffff"]')) {
                if (!inside(text.getBBox(), text.previousElementSibling.getBBox())) wrong.push(text.textContent);
            }
            return wrong;
        }"""
    )
    assert not escapes, f"text wider than its box: {escapes}"


def test_figures_have_no_empty_bands_around_what_they_draw(browser):
    """Each figure's SVG is cut to its content: at most 12 units (points, or pixels for the schematic)
    between the drawn content and each edge of the viewBox."""
    from lenvatinib_review.datapackage import load_package

    tables = load_package()
    page = browser.new_page()
    try:
        for label, figure in BOOK_FIGURES.items():
            page.set_content(f"<!DOCTYPE html><html><body style='margin:0'>{figure.svg(tables)}</body></html>")
            gaps = page.evaluate(
                """() => {
                    const svg = document.querySelector('svg');
                    const root = svg.querySelector('#figure_1') || svg;  // matplotlib's figure group, or the SVG
                    const view = svg.viewBox.baseVal;
                    const skip = new Set(['patch_1']);  // matplotlib's figure background
                    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
                    for (const child of root.children) {
                        if (skip.has(child.id) || ['title', 'desc', 'defs', 'style'].includes(child.tagName)) continue;
                        const box = child.getBBox();
                        if (!box.width && !box.height) continue;
                        x0 = Math.min(x0, box.x); y0 = Math.min(y0, box.y);
                        x1 = Math.max(x1, box.x + box.width); y1 = Math.max(y1, box.y + box.height);
                    }
                    return {top: y0 - view.y, bottom: view.y + view.height - y1,
                            left: x0 - view.x, right: view.x + view.width - x1};
                }"""
            )
            assert all(-1 <= gap <= 12 for gap in gaps.values()), f"{label}: space around the drawing {gaps}"
    finally:
        page.close()
