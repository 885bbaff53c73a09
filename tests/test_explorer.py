"""The evidence explorer: its table, its script in Chromium, and the build-time check of links to it.

Every expected row set and order is computed here from the data, read with ``load_package`` and
the bibliography, never written down.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from collections import Counter
from urllib.parse import parse_qs, urlparse

import pytest
from bs4 import BeautifulSoup

from lenvatinib_review.certainty import RATINGS, assess, rating_label
from lenvatinib_review.datapackage import bibliography_entries, load_package
from lenvatinib_review.evidence_filters import COLUMNS

from conftest import build_sphinx_page, page, parsed, run_sphinx_build, set_cell
from test_browser import PageVisit, follow_citation

EXPLORER = "book/evidence-explorer"
SCRIPT = "evidence-explorer.js"


# The data, as the chapters' tables read it (once: the tests below only read it).


@functools.cache
def tables():
    return load_package()


def evidence():
    return tables()["evidence"].records


def mechanisms():
    return {m.values["id"]: m for m in tables()["mechanisms"].records}


@functools.cache
def bibliography():
    return bibliography_entries()


@functools.cache
def ratings():
    """Each mechanism's certainty, recomputed by the rule (tests/test_certainty.py checks the rule itself)."""
    return assess(tables(), bibliography())


def years(record) -> list[str]:
    """The year of each work a finding cites, as the bibliography writes it ("n.d." where none was seen)."""
    entries = bibliography()
    return [entries[key].fields.get("year", "n.d.") for key in record.values["citations"]]


def year_order(record) -> tuple[bool, int]:
    """Ascending order by year: the earliest cited year; undated findings after the dated ones."""
    dated = [int(y) for y in years(record) if y.isdigit()]
    return (not dated, min(dated, default=0))


def most_common(values) -> str:
    return Counter(values).most_common(1)[0][0]


# Reading the page.


def typographic(text: str) -> str:
    """Text with the apostrophes and quotes Sphinx's smart quotes write, for comparison with the CSV."""
    return text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


def visible_ids(visit: PageVisit) -> list[str]:
    return visit.page.eval_on_selector_all(
        "table.evidence-explorer-table tbody tr", "rows => rows.filter(r => !r.hidden).map(r => r.id.slice(8))"
    )


def status(visit: PageVisit) -> str:
    return visit.page.inner_text(".evidence-explorer-status")


def sort_state(visit: PageVisit) -> dict[str, str]:
    return dict(
        visit.page.eval_on_selector_all(
            "table.evidence-explorer-table thead th[aria-sort]",
            "headers => headers.map(h => [h.textContent.trim(), h.getAttribute('aria-sort')])",
        )
    )


@pytest.fixture
def explorer(browser, site_url):  # noqa: F811
    visit = PageVisit(browser, site_url, f"{EXPLORER}.html")
    yield visit
    assert not visit.errors, "\n".join(visit.errors)  # no console error, no request to another host
    visit.close()


def test_every_finding_is_a_row_of_text_and_readable_without_javascript(built_site, browser, site_url):  # noqa: F811
    soup = page(built_site, EXPLORER)
    rows = soup.select("table.evidence-explorer-table tbody tr")
    assert [row["id"] for row in rows] == [f"finding-{r.values['id']}" for r in evidence()]
    for row, record in zip(rows, evidence()):
        assert typographic(row.find("td").get_text(" ", strip=True)) == typographic(record.text["finding"])
        process = mechanisms()[record.values["mechanism"]].values["process"]
        assert typographic(row.find_all("td")[1].get_text(" ", strip=True)).startswith(typographic(process))
    context = browser.new_context(java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(f"{site_url}{EXPLORER}.html")
        assert plain.locator("table.evidence-explorer-table tbody tr:visible").count() == len(evidence())
        assert not plain.locator("form.evidence-explorer-controls").is_visible()
    finally:
        context.close()


def test_the_script_and_its_styles_load_on_the_explorer_page_only(built_site):
    loading = [
        path.relative_to(built_site).as_posix()
        for path in sorted(built_site.rglob("*.html"))
        if "_static/evidence-explorer."
        in " ".join(tag.get("src", "") + tag.get("href", "") for tag in parsed(path).select("script, link"))
    ]
    assert loading == [f"{EXPLORER}.html"]


# Each filter's values for an evidence row and its mechanism, read from the data directly.
FILTER_VALUES = {
    "mechanism": lambda r, m: [m.values["id"]],
    "category": lambda r, m: [m.values["category"]],
    "process_group": lambda r, m: [m.values["process_group"]],
    "certainty": lambda r, m: [ratings()[m.values["id"]].rating],
    "molecule": lambda r, m: r.values["molecules"],
    "effect": lambda r, m: [r.values["effect"]],
    "level": lambda r, m: [r.values["evidence_level"]],
    "shown_in": lambda r, m: r.values["shown_in"],
    "drug": lambda r, m: [r.values["drug"]],
    "year": lambda r, m: years(r),
}


def test_each_filter_shows_exactly_the_rows_that_match_in_the_data(explorer):
    """For every filter, its least common value (a small set) and its most common one, against the CSV."""
    assert explorer.page.eval_on_selector_all("form select", "s => s.map(e => e.name)") == list(FILTER_VALUES)
    for key, values_of in FILTER_VALUES.items():
        by_row = {r.values["id"]: values_of(r, mechanisms()[r.values["mechanism"]]) for r in evidence()}
        counts = Counter(value for values in by_row.values() for value in values)
        for value in {min(counts, key=lambda v: (counts[v], v)), most_common(counts.elements())}:
            explorer.page.select_option(f"#explorer-{key}", value)
            expected = [row for row, values in by_row.items() if value in values]
            assert visible_ids(explorer) == expected, f"{key}={value}"
            assert status(explorer) == f"{len(expected)} of {len(by_row)} findings shown"
            assert parse_qs(urlparse(explorer.page.url).query) == {key: [value]}
        explorer.page.select_option(f"#explorer-{key}", "")
    assert len(visible_ids(explorer)) == len(evidence()) and "?" not in explorer.page.url


def test_two_filters_together_show_the_rows_that_match_both(explorer):
    records = evidence()
    level = most_common(r.values["evidence_level"] for r in records)
    category = most_common(mechanisms()[r.values["mechanism"]].values["category"] for r in records)
    explorer.page.select_option("#explorer-level", level)
    explorer.page.select_option("#explorer-category", category)
    expected = [
        r.values["id"]
        for r in records
        if r.values["evidence_level"] == level and mechanisms()[r.values["mechanism"]].values["category"] == category
    ]
    assert expected and visible_ids(explorer) == expected


def test_sorting_by_year_orders_the_rows_undated_last(explorer):
    records = evidence()  # ties keep the file's order
    ascending = [r.values["id"] for r in sorted(records, key=year_order)]
    descending = [r.values["id"] for r in sorted(records, key=lambda r: (year_order(r)[0], -year_order(r)[1]))]
    explorer.page.click("th >> button:text-is('Year')")
    assert visible_ids(explorer) == ascending
    assert sort_state(explorer) == {"Year": "ascending"}
    explorer.page.click("th >> button:text-is('Year')")
    assert visible_ids(explorer) == descending
    assert sort_state(explorer) == {"Year": "descending"}
    assert "sort=year&order=descending" in explorer.page.url


def test_sorting_by_certainty_puts_the_best_supported_mechanisms_first_when_descending(explorer):
    records = evidence()  # ties keep the file's order

    def weakest_first(record):
        rated = ratings()[record.values["mechanism"]]
        return (-RATINGS.index(rated.rating), rated.score)

    ascending = [r.values["id"] for r in sorted(records, key=weakest_first)]
    descending = [r.values["id"] for r in sorted(records, key=lambda r: tuple(-k for k in weakest_first(r)))]
    explorer.page.click("th >> button:text-is('Certainty of the mechanism')")
    assert visible_ids(explorer) == ascending
    explorer.page.click("th >> button:text-is('Certainty of the mechanism')")
    assert visible_ids(explorer) == descending
    assert "sort=certainty&order=descending" in explorer.page.url
    best = next(r for r in records if r.values["id"] == descending[0])
    shown = explorer.page.inner_text(f"#finding-{descending[0]} td:nth-child(3)")
    assert shown == rating_label(ratings()[best.values["mechanism"]].rating)


def test_options_name_their_labels_and_counts_and_the_two_level_filters_say_how_they_differ(explorer):
    """Each option reads "<label> (<findings it keeps>)", counted from the data; "Strongest evidence" and
    "Shown in any model" each carry a hint that tells them apart."""
    labels = {r.values["code"]: r.values["label"] for r in tables()["labels"].records}
    for key in ("level", "shown_in"):
        values_of = FILTER_VALUES[key]
        counts = Counter(value for r in evidence() for value in values_of(r, mechanisms()[r.values["mechanism"]]))
        options = explorer.page.eval_on_selector_all(
            f"#explorer-{key} option:not([value=''])", "os => os.map(o => [o.value, o.textContent])"
        )
        assert options and all(text == f"{labels[value]} ({counts[value]})" for value, text in options), options
    hints = [explorer.page.inner_text(f"#explorer-{key}-hint") for key in ("level", "shown_in")]
    assert all(hints) and hints[0] != hints[1]
    assert explorer.page.get_attribute("#explorer-level", "aria-describedby") == "explorer-level-hint"


def test_the_copy_button_copies_the_address_of_the_view(browser, site_url):  # noqa: F811
    visit = PageVisit(browser, site_url, f"{EXPLORER}.html", permissions=["clipboard-read", "clipboard-write"])
    try:
        level = most_common(r.values["evidence_level"] for r in evidence())
        visit.page.select_option("#explorer-level", level)
        visit.page.click("button.evidence-explorer-copy")
        copied = visit.page.evaluate("() => navigator.clipboard.readText()")
        assert copied == visit.page.url and parse_qs(urlparse(copied).query) == {"level": [level]}
        assert visit.page.inner_text(".evidence-explorer-notice") == "Link to this view copied."
    finally:
        visit.close()


def test_on_a_phone_the_filters_fold_behind_a_toggle_that_counts_them(browser, site_url):  # noqa: F811
    visit = PageVisit(browser, site_url, f"{EXPLORER}.html?effect=resistance", viewport={"width": 390, "height": 844})
    try:
        toggle = visit.page.locator("button.evidence-explorer-toggle")
        form = visit.page.locator("form.evidence-explorer-controls")
        assert toggle.is_visible() and not form.is_visible()
        assert toggle.inner_text() == "Filters (1)" and toggle.get_attribute("aria-expanded") == "false"
        toggle.click()
        assert form.is_visible() and toggle.get_attribute("aria-expanded") == "true"
        visit.page.fill("#explorer-q", "lenvatinib")
        assert toggle.inner_text() == "Filters (2)"
    finally:
        visit.close()
    desktop = PageVisit(browser, site_url, f"{EXPLORER}.html", viewport={"width": 1366, "height": 768})
    try:
        assert not desktop.page.locator("button.evidence-explorer-toggle").is_visible()
        assert desktop.page.locator("form.evidence-explorer-controls").is_visible()
    finally:
        desktop.close()


def test_the_address_restores_filters_and_sort_after_a_reload(explorer):
    records = evidence()
    shown_in = most_common(kind for r in records for kind in r.values["shown_in"])
    explorer.page.select_option("#explorer-shown_in", shown_in)
    explorer.page.fill("#explorer-q", "lenvatinib")
    explorer.page.click("th >> button:text-is('Strongest evidence (all models)')")
    before = (visible_ids(explorer), sort_state(explorer), status(explorer))
    explorer.page.reload(wait_until="networkidle")
    assert explorer.page.input_value("#explorer-shown_in") == shown_in
    assert explorer.page.input_value("#explorer-q") == "lenvatinib"
    assert (visible_ids(explorer), sort_state(explorer), status(explorer)) == before
    assert before[0] and len(before[0]) < len(records)


def test_a_chapter_link_opens_its_view(browser, site_url):  # noqa: F811
    visit = PageVisit(browser, site_url, "book/cell-death.html")
    try:
        visit.page.click("a.explore-link")
        visit.page.wait_for_load_state("networkidle")
        assert urlparse(visit.page.url).path.endswith(f"/{EXPLORER}.html")
        group = parse_qs(urlparse(visit.page.url).query)["process_group"][0]
        expected = {
            r.values["id"] for r in evidence() if mechanisms()[r.values["mechanism"]].values["process_group"] == group
        }
        assert set(visible_ids(visit)) == expected
        assert visit.page.input_value("#explorer-process_group") == group
        assert not visit.errors, "\n".join(visit.errors)
    finally:
        visit.close()


def test_an_unknown_value_in_the_address_is_named_and_ignored(browser, site_url):  # noqa: F811
    visit = PageVisit(browser, site_url, f"{EXPLORER}.html?level=nonsense&colour=blue")
    try:
        assert visit.page.inner_text(".evidence-explorer-notice") == (
            "Not understood in the page address, so ignored: level=nonsense, colour=blue."
        )
        assert len(visible_ids(visit)) == len(evidence())
    finally:
        visit.close()


def test_keyboard_alone_sets_a_filter_and_sorts(explorer):
    """Tab to the evidence-level list, choose with the arrow key; Tab to a column's button, Enter and Space."""
    keyboard = explorer.page.keyboard

    def tab_to(selector: str) -> None:
        for _ in range(300):
            keyboard.press("Tab")
            if explorer.page.evaluate(f"document.activeElement.matches({json.dumps(selector)})"):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("#explorer-level")
    keyboard.press("ArrowDown")
    chosen = explorer.page.input_value("#explorer-level")
    assert chosen
    assert visible_ids(explorer) == [r.values["id"] for r in evidence() if r.values["evidence_level"] == chosen]
    tab_to("th button.evidence-explorer-sort")  # the first column's button
    keyboard.press("Tab")  # the second column: mechanism
    keyboard.press("Enter")
    assert sort_state(explorer) == {"Mechanism (category / process group)": "ascending"}
    keyboard.press("Space")
    assert sort_state(explorer) == {"Mechanism (category / process group)": "descending"}


def test_a_citation_in_the_table_jumps_to_its_bibliography_entry(explorer):
    first = evidence()[0]
    entries = bibliography()
    surname = entries[first.values["citations"][0]].persons["author"][0].last_names[0]
    follow_citation(explorer.page, f"#finding-{first.values['id']} span.bibtex-citation a")
    assert "book/bibliography.html#" in explorer.page.url
    target = explorer.page.locator(f"[id='{urlparse(explorer.page.url).fragment}']")
    assert target.count() == 1 and target.is_visible()
    assert surname in target.inner_text()


# Links to the explorer, checked when the book is built.

EXPLORER_PAGE = """# Page

See {{explore}}`a view <{view}>`.

:::{{evidence-explorer}}
:name: tbl-explorer
A caption.
:::

```{{bibliography}}
```
"""


def test_a_link_to_a_view_is_relative_and_canonical(project_copy):
    level = most_common(r.values["evidence_level"] for r in evidence())
    result = build_sphinx_page(project_copy, EXPLORER_PAGE.format(view=f"sort=year&level={level}"))
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup((project_copy / "_build" / "html" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one("a.explore-link")["href"] == f"?level={level}&sort=year"


@pytest.mark.parametrize(
    "view, message",
    [
        ("level=nonsense", 'no finding has level="nonsense"; its values: '),
        ("colour=blue", 'unknown key "colour"; keys: mechanism, category'),
        ("sort=colour", 'cannot sort on "colour"; columns: finding, mechanism'),
    ],
)
def test_a_link_with_an_unknown_key_or_value_stops_the_build(project_copy, view, message):
    result = run_sphinx_build(project_copy, EXPLORER_PAGE.format(view=view))  # what an author sees
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"index.md:3: {{explore}} link <{view}>: {message}" in output
    assert "Traceback" not in output


def test_a_link_to_an_empty_view_stops_the_build(project_copy):
    """A mechanism and a level that no finding has together: a link that would show an empty table."""
    records = evidence()
    pairs = {(r.values["mechanism"], r.values["evidence_level"]) for r in records}
    levels = {r.values["evidence_level"] for r in records}
    mechanism, level = next((m, lv) for m, _ in sorted(pairs) for lv in sorted(levels) if (m, lv) not in pairs)
    result = build_sphinx_page(project_copy, EXPLORER_PAGE.format(view=f"mechanism={mechanism}&level={level}"))
    assert result.returncode != 0
    assert "these filters together match no finding" in result.stderr


def test_data_markup_stays_text_in_the_table_the_controls_and_the_script_data(project_copy):
    set_cell(project_copy, "evidence", 2, "molecules", "A</script><b>bold</b>; B")
    result = build_sphinx_page(project_copy, EXPLORER_PAGE.format(view="molecule=B"))
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup((project_copy / "_build" / "html" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.find("b", string="bold") is None
    data = json.loads(soup.select_one("script.evidence-explorer-data").string)
    first = next(iter(data["rows"].values()))
    assert first["values"]["molecule"] == ["A</script><b>bold</b>", "B"]
    assert "A</script><b>bold</b> (1)" in [option.get_text() for option in soup.select("#explorer-molecule option")]
    assert "A</script><b>bold</b>; B" in soup.select_one("table.evidence-explorer-table tbody tr").get_text()


ORDERS_UNDER_A_SEED = """
import json
from lenvatinib_review.datapackage import bibliography_entries, load_package
from lenvatinib_review.evidence_filters import COLUMNS
from lenvatinib_review.evidence_filters import filter_options, findings, sort_ranks
tables = load_package()
rows = findings(tables, bibliography_entries())
print(json.dumps([filter_options(tables, rows), sort_ranks(rows)]))
"""


def test_filter_options_and_sort_ranks_do_not_depend_on_the_hash_seed():
    """Options and ranks come from sets of strings: under four hash seeds they are the same, and no rank is shared."""
    outputs = [
        subprocess.run(
            [sys.executable, "-c", ORDERS_UNDER_A_SEED],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("0", "1", "2", "3")
    ]
    assert len(set(outputs)) == 1
    options, ranks = json.loads(outputs[0])
    for key, pairs in options.items():
        assert len({label for _, label in pairs}) == len(pairs), f"{key}: two options with one label"
    texts = Counter(record.text["molecules"] for record in evidence())
    molecules_column = [column.key for column in COLUMNS].index("molecules")
    distinct = {ranks[record.values["id"]][molecules_column] for record in evidence()}
    assert len(distinct) == len(texts), "findings with different molecules share a rank"
