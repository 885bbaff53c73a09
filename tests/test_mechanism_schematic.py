"""The mechanism schematic: drawn from the tables, legible as the table grows, its routes links with names.

Checked on the real table and on a synthetic one three times its size (every process group in
three copies), on the laid-out plan and on the SVG text itself.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ElementTree
from dataclasses import replace

import pytest

from lenvatinib_review.certainty import RATINGS
from lenvatinib_review.datapackage import load_package
from lenvatinib_review.figure_data import NOT_YET_RATED, OTHER_CELLS, names_any, readable, schematic_routes
from lenvatinib_review.figures import BOOK_FIGURES, figure_texts, mechanism_schematic
from lenvatinib_review.figures.mechanism_schematic import Box

SVG = "{http://www.w3.org/2000/svg}"
LEVELS = ("established", "probable", "speculative")


@pytest.fixture(scope="module")
def tables():
    return load_package()


def tripled(content):
    """The same schematic with every route three times over (new mechanism ids, same names)."""
    routes = tuple(
        replace(route, mechanisms=tuple(f"{key}-{copy}" for key in route.mechanisms))
        for route in content.routes
        for copy in range(3)
    )
    return replace(content, routes=routes)


@pytest.fixture(scope="module", params=["table", "three times the table", "rated"])
def content(request, tables):
    if request.param == "rated":  # three levels and some mechanisms left unrated
        keys = [m.values["id"] for m in tables["mechanisms"].records]
        return schematic_routes(tables, {key: LEVELS[i % 3] for i, key in enumerate(keys) if i % 4}, LEVELS)
    real = schematic_routes(tables)
    return real if request.param == "table" else tripled(real)


def overlaps(a: Box, b: Box) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


def inside(inner: Box, outer: Box) -> bool:
    return outer.x <= inner.x and inner.right <= outer.right and outer.y <= inner.y and inner.bottom <= outer.bottom


def test_every_mechanism_is_in_one_route_of_its_category_and_group_in_its_compartment(tables):
    content = schematic_routes(tables)
    rows = {m.values["id"]: m.values for m in tables["mechanisms"].records}
    drawn = [key for route in content.routes for key in route.mechanisms]
    assert sorted(drawn) == sorted(rows)
    for route in content.routes:
        for key in route.mechanisms:
            assert (rows[key]["category"], rows[key]["process_group"]) == (route.category, route.group)
        other = OTHER_CELLS.get(route.group) if route.category == "extracellular" else None
        assert route.compartment == (other or "tumour-cell")
    assert len({(r.category, r.group) for r in content.routes}) == len(content.routes)
    families = {t.values["family"] for t in tables["targets"].records}
    assert len(content.families) == len(families)


def test_a_route_names_a_family_its_molecules_name_as_a_word(tables):
    assert names_any(("FGFR; EGFR; PAK2",), ("FGFR",)) and names_any(("USP1", "c-KIT"), ("KIT",))
    assert not names_any(("NRP-1", "PDGFRβ"), ("PDGFR", "PDGFRα")) and not names_any(("VEGF",), ("VEGFR",))
    assert names_any(("FGFR4; FGF19",), ("FGFR", "FGFR1", "FGFR4"))
    content = schematic_routes(tables)
    rows = {m.values["id"]: m.values for m in tables["mechanisms"].records}
    for route in content.routes:
        for family in route.families:
            assert any(family in "; ".join(rows[key]["molecules"]) or family == "PDGFRα" for key in route.mechanisms)


def test_certainty_is_not_yet_rated_by_default_and_counted_per_level_when_given(tables):
    content = schematic_routes(tables)
    assert content.levels == (NOT_YET_RATED,)
    assert all(route.certainty == ((NOT_YET_RATED, len(route.mechanisms)),) for route in content.routes)
    first, second = (m.values["id"] for m in tables["mechanisms"].records[:2])
    rated = schematic_routes(tables, {first: "probable", second: "established"}, LEVELS)
    assert rated.levels == (*LEVELS, NOT_YET_RATED)
    counts = {level: 0 for level in rated.levels}
    for route in rated.routes:
        assert [level for level, _ in route.certainty] == [lv for lv in rated.levels if dict(route.certainty).get(lv)]
        for level, count in route.certainty:
            counts[level] += count
    assert counts == {"established": 1, "probable": 1, "speculative": 0, NOT_YET_RATED: len(tables["mechanisms"]) - 2}


@pytest.mark.parametrize(
    ("certainty", "levels", "message"),
    [
        ({"no-such-mechanism": "probable"}, LEVELS, "not in the table: no-such-mechanism"),
        ({"stoml2-mitophagy": "certain"}, LEVELS, "certain are not on the scale"),
        ({}, ("high", NOT_YET_RATED), "not 'not yet rated'"),
    ],
)
def test_a_certainty_the_schematic_cannot_draw_is_refused_with_a_reason(tables, certainty, levels, message):
    with pytest.raises(ValueError, match=message):
        schematic_routes(tables, certainty, levels)


def test_more_levels_than_line_styles_are_refused(tables):
    levels = tuple(f"level {i}" for i in range(len(mechanism_schematic.LEVEL_STYLES) + 1))
    with pytest.raises(ValueError, match="line styles for"):
        mechanism_schematic.layout(schematic_routes(tables, {}, levels))


def test_nothing_overlaps_and_everything_fits_the_fixed_width(content):
    plan = mechanism_schematic.layout(content)
    assert plan.width == mechanism_schematic.WIDTH
    everything = [Box(0, 0, plan.width, plan.height)]
    nodes = [node.box for node in plan.nodes]
    for a, b in itertools.combinations(nodes, 2):
        assert not overlaps(a, b), "two routes overlap"
    for node in plan.nodes:
        for text in node.texts:
            assert inside(text.box, node.box), f"{text.text!r} leaves its box"
        for tag in node.tags:
            assert inside(tag.box, node.box), f"tag {tag.text.text!r} leaves its box"
            assert inside(tag.text.box, tag.box)
    loose = [text.box for text in plan.texts] + [line.box for shape in plan.shapes for line in shape.title]
    for box in loose:
        assert not any(overlaps(box, node) for node in nodes), "a label runs into a route"
    for a, b in itertools.combinations(loose + [tag.box for tag in (*plan.families, *plan.tags)], 2):
        assert not overlaps(a, b), "two labels overlap"
    for text in plan.labels:
        assert inside(text.box, everything[0]), f"{text.text!r} leaves the drawing"
    for shape in plan.shapes:
        for line in shape.title:
            assert inside(line.box, shape.box), f"{line.text!r} leaves its compartment"


def test_each_route_has_one_arrow_per_certainty_level_that_crosses_no_other_route(content):
    plan = mechanism_schematic.layout(content)
    assert len(plan.nodes) == len(content.routes)
    for node in plan.nodes:
        assert [arrow.level for arrow in node.arrows] == [level for level, _ in node.route.certainty]
        start, end = mechanism_schematic.SPINE, node.box.right if node.side == "left" else node.box.x
        for arrow in node.arrows:
            assert node.box.y < arrow.y < node.box.bottom
            segment = Box(min(start, end), arrow.y - 1, abs(end - start), 2)
            assert not any(overlaps(segment, other.box) for other in plan.nodes if other is not node)
            assert (arrow.count is not None) == (len(node.arrows) > 1)
    styles = [str(plan.style(level)) for level in content.levels]
    assert len(set(styles)) == len(styles), "two certainty levels share a line style"


def test_text_keeps_its_size_as_the_table_grows(content):
    plan = mechanism_schematic.layout(content)
    assert min(text.size for text in plan.labels) >= mechanism_schematic.FONT
    svg = ElementTree.fromstring(mechanism_schematic.draw(content, "title"))
    assert min(float(text.get("font-size")) for text in svg.iter(f"{SVG}text")) >= mechanism_schematic.FONT
    assert float(svg.get("width")) == mechanism_schematic.WIDTH


def test_the_svg_links_each_route_with_a_name_and_has_a_title_and_description(tables):
    """Figure 1 as the book draws it: rated by the certainty rule, each route a named link."""
    content = schematic_routes(tables)
    links = {route.group: f"{route.group}.html" for route in content.routes}
    svg_text = BOOK_FIGURES["fig-mechanism-schematic"].svg(tables, links=links)
    assert svg_text == BOOK_FIGURES["fig-mechanism-schematic"].svg(tables, links=links), "not reproducible"
    svg = ElementTree.fromstring(svg_text)
    assert svg.find(f"{SVG}title").text == figure_texts(tables)["fig-mechanism-schematic"].alt
    description = svg.find(f"{SVG}desc").text
    anchors = list(svg.iter(f"{SVG}a"))
    assert len(anchors) == len(content.routes)
    for anchor, route in zip(anchors, content.routes):
        assert anchor.get("href") == f"{route.group}.html"
        name = anchor.get("aria-label")
        assert name.startswith(mechanism_schematic.sentence(route.group)) and name in description
        assert f"{len(route.mechanisms)} mechanism" in name
        assert any(readable(rating) in name for rating in RATINGS), "the route's certainty is not named"
    assert not [element for element in svg.iter() if element.get("id")], "ids would collide between drawings"


@pytest.mark.parametrize("group", sorted({m.values["process_group"] for m in load_package()["mechanisms"].records}))
def test_each_chapter_part_draws_only_its_routes_and_names_them(tables, group):
    keep = {m.values["id"] for m in tables["mechanisms"].records if m.values["process_group"] == group}
    content = schematic_routes(tables, mechanisms=keep)
    assert {route.group for route in content.routes} == {group}
    assert {key for route in content.routes for key in route.mechanisms} == keep
    svg = ElementTree.fromstring(BOOK_FIGURES["fig-mechanism-schematic"].svg(tables, mechanisms=keep))
    title = svg.find(f"{SVG}title").text
    assert title.startswith("Part of the mechanism schematic")
    assert title.count(mechanism_schematic.sentence(group)) == len(content.routes)
    assert not list(svg.iter(f"{SVG}a")), "a route without an address is no link"
