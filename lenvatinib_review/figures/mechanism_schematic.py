"""The mechanism schematic: lenvatinib, the kinases it inhibits, and each route of resistance in the cell where it acts.

A route is a process group of the book. From the target families a line runs down the middle of
the drawing; an arrow leaves it for each route, into the endothelium, the immune and stromal cells,
or the tumour cell (around it, across its membrane or inside it). The arrow's line style is the
route's certainty, one arrow per certainty level among its mechanisms; until mechanisms are rated,
every arrow is drawn in one neutral style, "not yet rated".

The drawing is SVG text written here rather than with matplotlib, so that the page can carry it
inline and each route's box can be a link (``links``) that a keyboard reaches, with an accessible
name. Text stays text, 12 CSS pixels or more at the drawn width, laid out with the metrics of the
book's font; routes stack in rows, so more routes make the drawing taller, never smaller.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from ..figure_data import NOT_YET_RATED, Route, Schematic, readable
from .style import CATEGORY_COLOURS, GROUP_COLOURS, OKABE_ITO, STYLE, tint

WIDTH = 440  # CSS pixels; in a 390-pixel phone's column (342 pixels) the smallest text stays above 9 pixels
MARGIN = 8
FONT = 12  # the smallest text
NODE_FONT = 12.5
TITLE_FONT = 13.5
LINE_HEIGHT = 1.3  # in font sizes
WIDTH_SLACK = 1.06  # room for a browser's font to run a little wider than the book font's metrics
SPINE = WIDTH / 2
ARROW = 36  # from the spine to a route's box
SPINE_GAP = 14  # from the spine to the edge of the endothelium and of the immune cells
NODE_LEFT = MARGIN + 10
NODE_WIDTH = SPINE - ARROW - NODE_LEFT
PAD = 7  # inside a route's box
ROW_GAP = 10
ARROW_SPACING = 17  # between the arrows of one route (one per certainty level), room for each one's count
TAG_HEIGHT = FONT + 6
SAMPLE_LENGTH = 34  # of the legend's line samples
TEXT_COLOUR = "#1a1a1a"
TAG_COLOUR = "#5f5f5f"  # white text on it has a contrast above 6:1
LINE_COLOUR = "#444444"
FONT_FAMILY = "DejaVu Sans, Verdana, sans-serif"

COMPARTMENT_TITLES = {
    "endothelium": "Endothelium",
    "immune-cells": "Immune and stromal cells",
    "tumour-cell": "Tumour cell",
}
COMPARTMENT_COLOURS = {
    "endothelium": OKABE_ITO["reddish purple"],
    "immune-cells": OKABE_ITO["bluish green"],
    "tumour-cell": OKABE_ITO["blue"],
}
MEMBRANE_COLOUR = CATEGORY_COLOURS["membrane-transport"]
WHERE = {
    "endothelium": "in the endothelium",
    "immune-cells": "in the immune and stromal cells",
    "extracellular": "around the tumour cell",
    "membrane-transport": "across the tumour cell's membrane",
    "intracellular": "inside the tumour cell",
}
# Line styles of the certainty levels, strongest first; a route not yet rated is drawn grey and solid.
LEVEL_STYLES = (
    {"colour": "#000000", "width": 2.6, "dashes": None},
    {"colour": "#000000", "width": 2.2, "dashes": "7 4"},
    {"colour": "#000000", "width": 2.2, "dashes": "2 3"},
    {"colour": "#000000", "width": 1.6, "dashes": "9 3 2 3"},
)
UNRATED_STYLE = {"colour": "#767676", "width": 2.2, "dashes": None}
INHIBITION_STYLE = {"colour": LINE_COLOUR, "width": 1.6, "dashes": None}
_metrics = TextToPath()


def text_width(text: str, size: float, weight: str = "normal") -> float:
    """Width in CSS pixels of one line of text at ``size`` pixels in the book's font."""
    font = FontProperties(family=STYLE["font.family"], size=size, weight=weight)
    return _metrics.get_text_width_height_descent(text, font, ismath=False)[0] * WIDTH_SLACK


def wrap_to_width(text: str, size: float, width: float, weight: str = "normal") -> list[str]:
    """``text`` in lines no wider than ``width`` pixels, broken at spaces (a single long word stays whole)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size, weight) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def where(route: Route) -> str:
    return WHERE[route.category if route.compartment == "tumour-cell" else route.compartment]


def sentence(identifier: str) -> str:
    text = readable(identifier)
    return text[0].upper() + text[1:]


def mechanisms(count: int) -> str:
    return f"{count} mechanism{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def right(self) -> float:
        return self.x + self.width


@dataclass(frozen=True)
class Text:
    """One line of text; (x, y) is the left end of its baseline."""

    text: str
    x: float
    y: float
    size: float
    weight: str = "normal"
    colour: str = TEXT_COLOUR
    italic: bool = False
    role: str = ""  # a class for the page's stylesheet ("route-name")

    @property
    def box(self) -> Box:
        """The space the text takes (from the top of its capitals to the bottom of its descenders)."""
        return Box(self.x, self.y - self.size * 0.93, text_width(self.text, self.size, self.weight), self.size * 1.17)


def lines_of(text: str, x: float, first_baseline: float, size: float, width: float, weight: str = "normal"):
    return [
        Text(line, x, first_baseline + index * size * LINE_HEIGHT, size, weight)
        for index, line in enumerate(wrap_to_width(text, size, width, weight))
    ]


@dataclass(frozen=True)
class Tag:
    """A target family: white text on a grey chip."""

    box: Box
    text: Text


def tag_at(family: str, x: float, top: float, height: float = TAG_HEIGHT) -> Tag:
    box = Box(x, top, text_width(family, FONT) + 10, height)
    return Tag(box, Text(family, x + 5, top + height / 2 + FONT * 0.35, FONT, colour="#ffffff"))


@dataclass(frozen=True)
class Arrow:
    level: str
    y: float
    count: Text | None  # the number of mechanisms at this level, when the route has several levels


@dataclass(frozen=True)
class Node:
    """A route's box: its name, its number of mechanisms, the families they name, and its arrows."""

    route: Route
    box: Box
    side: str  # "left" or "right" of the spine
    texts: tuple[Text, ...]
    tags: tuple[Tag, ...]
    arrows: tuple[Arrow, ...]


def node_for(route: Route, x: float, y: float, side: str) -> Node:
    inner = NODE_WIDTH - 2 * PAD
    texts = lines_of(sentence(route.group), x + PAD, y + PAD + NODE_FONT, NODE_FONT, inner, "bold")
    texts = [Text(t.text, t.x, t.y, t.size, t.weight, role="route-name") for t in texts]
    row_top = texts[-1].y + NODE_FONT * 0.3 + 3
    summary = mechanisms(len(route.mechanisms))
    texts.append(Text(summary, x + PAD, row_top + TAG_HEIGHT / 2 + FONT * 0.35, FONT))
    tags, cursor = [], x + PAD + text_width(summary, FONT) + 8
    for family in route.families:
        tag = tag_at(family, cursor, row_top)
        if tag.box.right > x + NODE_WIDTH - PAD:
            row_top += TAG_HEIGHT + 4
            tag = tag_at(family, x + PAD, row_top)
        tags.append(tag)
        cursor = tag.box.right + 5
    levels = len(route.certainty)
    height = max(row_top + TAG_HEIGHT + PAD - y, (levels - 1) * ARROW_SPACING + 2 * PAD)
    arrows = []
    for index, (level, count) in enumerate(route.certainty):
        arrow_y = y + height / 2 + (index - (levels - 1) / 2) * ARROW_SPACING
        label = None
        if levels > 1:
            label_x = SPINE - 4 - text_width(str(count), FONT) if side == "left" else SPINE + 4
            label = Text(str(count), label_x, arrow_y - 3, FONT)
        arrows.append(Arrow(level, arrow_y, label))
    return Node(route, Box(x, y, NODE_WIDTH, height), side, tuple(texts), tuple(tags), tuple(arrows))


def stack(routes: list[Route], top: float, side: str | None = None) -> tuple[list[Node], float]:
    """Routes in rows from ``top``: all on one ``side``, or two to a row, left then right; and the bottom."""
    nodes, row, y = [], [], top
    for index, route in enumerate(routes):
        place = side or ("left" if index % 2 == 0 else "right")
        x = NODE_LEFT if place == "left" else WIDTH - NODE_LEFT - NODE_WIDTH
        row.append(node_for(route, x, y, place))
        if side or place == "right" or index == len(routes) - 1:
            nodes += row
            y = max(node.box.bottom for node in row) + ROW_GAP
            row = []
    return nodes, y - ROW_GAP


@dataclass(frozen=True)
class Shape:
    """A cell compartment: a rounded box with its title."""

    compartment: str
    box: Box
    title: tuple[Text, ...]
    radius: float


@dataclass(frozen=True)
class Plan:
    width: float
    height: float
    levels: tuple[str, ...]  # the certainty scale, strongest first
    drug: Box
    drug_text: Text
    families: tuple[Tag, ...]
    inhibitions: tuple[tuple[tuple[float, float], tuple[float, float]], ...]  # drug -> family
    bus: float  # the height of the line that gathers the families, where the spine starts
    spine_end: float
    shapes: tuple[Shape, ...]
    nodes: tuple[Node, ...]
    texts: tuple[Text, ...]  # labels outside the boxes and the legend's text
    samples: tuple[tuple[str, float, float], ...]  # the legend's line samples: "inhibits" or a level, (x, y)
    tags: tuple[Tag, ...]  # the legend's tag sample

    def style(self, what: str) -> dict:
        """The line style of an inhibition ("inhibits") or of a certainty level."""
        if what == "inhibits":
            return INHIBITION_STYLE
        if what == NOT_YET_RATED:
            return UNRATED_STYLE
        return LEVEL_STYLES[[level for level in self.levels if level != NOT_YET_RATED].index(what)]

    @property
    def labels(self) -> list[Text]:
        """Every piece of text in the drawing."""
        return [
            self.drug_text,
            *(tag.text for tag in (*self.families, *self.tags)),
            *(line for shape in self.shapes for line in shape.title),
            *(text for node in self.nodes for text in node.texts),
            *(tag.text for node in self.nodes for tag in node.tags),
            *(arrow.count for node in self.nodes for arrow in node.arrows if arrow.count),
            *self.texts,
        ]


def other_cells(routes: list[Route], top: float) -> tuple[list[Shape], list[Node], float]:
    """The endothelium left of the spine and the immune and stromal cells right of it, side by side."""
    columns = []
    for compartment, side in (("endothelium", "left"), ("immune-cells", "right")):
        members = [r for r in routes if r.compartment == compartment]
        if members:
            left = MARGIN if side == "left" else SPINE + SPINE_GAP
            width = SPINE - SPINE_GAP - MARGIN
            title = lines_of(
                COMPARTMENT_TITLES[compartment], left + 10, top + 4 + TITLE_FONT, TITLE_FONT, width - 20, "bold"
            )
            nodes, bottom = stack(members, title[-1].y + 10, side)
            columns.append((compartment, Box(left, top, width, 0), title, nodes, bottom + 10))
    if not columns:
        return [], [], top
    bottom = max(column[-1] for column in columns)
    shapes = [Shape(c, Box(box.x, top, box.width, bottom - top), tuple(title), 12) for c, box, title, *_ in columns]
    return shapes, [node for *_, nodes, _ in columns for node in nodes], bottom + 18


def tumour_cell(routes: list[Route], top: float) -> tuple[list[Shape], list[Node], list[Text], float]:
    """Routes around the tumour cell, then across its membrane (the first row straddling it), then inside."""
    around = [r for r in routes if r.compartment == "tumour-cell" and r.category == "extracellular"]
    membrane = [r for r in routes if r.compartment == "tumour-cell" and r.category == "membrane-transport"]
    inside = [r for r in routes if r.compartment == "tumour-cell" and r.category == "intracellular"]
    if not (around or membrane or inside):
        return [], [], [], top
    nodes, texts, y = [], [], top
    if around:
        texts.append(Text("Around the tumour cell", MARGIN, y + FONT, FONT, italic=True))
        placed, bottom = stack(around, y + FONT + 8)
        nodes += placed
        y = bottom + 18
    cell_top = y
    if membrane:
        placed, bottom = stack(membrane[:2], y)
        cell_top = y + min(node.box.height for node in placed) / 2
        if len(membrane) > 2:
            more, bottom = stack(membrane[2:], bottom + ROW_GAP)
            placed += more
        nodes += placed
        y = bottom
    title = lines_of(COMPARTMENT_TITLES["tumour-cell"], MARGIN + 16, y + 6 + TITLE_FONT, TITLE_FONT, 200, "bold")
    y = title[-1].y + 10
    if inside:
        placed, y = stack(inside, y)
        nodes += placed
    cell = Box(MARGIN, cell_top, WIDTH - 2 * MARGIN, y + 14 - cell_top)
    return [Shape("tumour-cell", cell, tuple(title), 26)], nodes, texts, cell.bottom


def layout(content: Schematic) -> Plan:
    """Place every element; the width is fixed and the height follows from the routes."""
    rated = [level for level in content.levels if level != NOT_YET_RATED]
    if len(rated) > len(LEVEL_STYLES):
        raise ValueError(f"{len(rated)} certainty levels, but line styles for {len(LEVEL_STYLES)} only: {rated}")
    drug_width = text_width("Lenvatinib", TITLE_FONT, "bold") + 24
    drug = Box(SPINE - drug_width / 2, MARGIN, drug_width, TITLE_FONT * LINE_HEIGHT + 8)
    drug_text = Text("Lenvatinib", drug.x + 12, drug.bottom - 4 - TITLE_FONT * 0.35, TITLE_FONT, "bold")
    widths = [text_width(family, FONT) + 14 for family in content.families]
    families, x = [], SPINE - (sum(widths) + 12 * (len(widths) - 1)) / 2
    for family in content.families:
        families.append(tag_at(family, x, drug.bottom + 30, TAG_HEIGHT + 4))
        x = families[-1].box.right + 12
    inhibitions = tuple(((SPINE, drug.bottom), (tag.box.x + tag.box.width / 2, tag.box.y - 5)) for tag in families)
    bus = families[0].box.bottom + 12

    routes = list(content.routes)
    shapes, nodes, y = other_cells(routes, bus + 22)
    cell_shapes, cell_nodes, texts, y = tumour_cell(routes, y)
    shapes, nodes = shapes + cell_shapes, nodes + cell_nodes

    samples, tags = [], []
    entries = [("inhibits", "Lenvatinib inhibits the kinase family")]
    entries += [(level, f"Route of resistance; certainty: {readable(level)}") for level in content.levels]
    named = [family for route in content.routes for family in route.families]
    if named:
        entries.append(("tag", "Kinase family that the route's mechanisms name"))
    y += 22
    text_x = MARGIN + max([SAMPLE_LENGTH, *(tag_at(family, 0, 0).box.width for family in named[:1])]) + 14
    for what, text in entries:
        if what == "tag":
            tags.append(tag_at(named[0], MARGIN, y - FONT - 2))
        else:
            samples.append((what, MARGIN, y - FONT * 0.35))
        texts += lines_of(text, text_x, y, FONT, WIDTH - MARGIN - text_x)
        y = texts[-1].y + FONT * LINE_HEIGHT + 2
    return Plan(
        width=WIDTH,
        height=math.ceil(texts[-1].y + FONT * 0.4 + MARGIN),
        levels=content.levels,
        drug=drug,
        drug_text=drug_text,
        families=tuple(families),
        inhibitions=inhibitions,
        bus=bus,
        spine_end=max(arrow.y for node in nodes for arrow in node.arrows),
        shapes=tuple(shapes),
        nodes=tuple(nodes),
        texts=tuple(texts),
        samples=tuple(samples),
        tags=tuple(tags),
    )


def accessible_name(node: Node) -> str:
    certainty = ", ".join(f"{count} {readable(level)}" for level, count in node.route.certainty)
    names = f"; its mechanisms name {' and '.join(node.route.families)}" if node.route.families else ""
    summary = f"{mechanisms(len(node.route.mechanisms))} ({certainty}){names}"
    return f"{sentence(node.route.group)}, {where(node.route)}: {summary}"


def description(plan: Plan, families: tuple[str, ...]) -> str:
    """The long description: everything the drawing shows, as sentences."""
    named = ", ".join(families[:-1]) + f" and {families[-1]}" if len(families) > 1 else families[0]
    routes = "; ".join(accessible_name(node) for node in plan.nodes)
    return f"Lenvatinib inhibits the kinase families {named}. Routes of resistance: {routes}."


def part_title(content: Schematic) -> str:
    """The title (alternative text) of the part of the schematic that one chapter shows."""
    routes = "; ".join(f"{sentence(route.group)}, {where(route)}" for route in content.routes)
    return (
        "Part of the mechanism schematic: lenvatinib with flat-headed lines to the kinase families it inhibits, "
        f"and an arrow to each route of resistance that this chapter reviews: {routes}."
    )


def number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def svg_rect(box: Box, radius: float, **attributes: str) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in attributes.items())
    return (
        f'<rect x="{number(box.x)}" y="{number(box.y)}" width="{number(box.width)}" height="{number(box.height)}" '
        f'rx="{number(radius)}"{extra}/>'
    )


def svg_text(text: Text) -> str:
    attributes = "".join(
        [
            f' class="{text.role}"' if text.role else "",
            ' font-weight="bold"' if text.weight == "bold" else "",
            ' font-style="italic"' if text.italic else "",
            f' fill="{text.colour}"' if text.colour != TEXT_COLOUR else "",
        ]
    )
    position = f'x="{number(text.x)}" y="{number(text.y)}" font-size="{number(text.size)}"'
    return f"<text {position}{attributes}>{escape(text.text)}</text>"


def svg_tag(tag: Tag) -> str:
    return svg_rect(tag.box, 4, fill=TAG_COLOUR) + svg_text(tag.text)


def svg_line(start: tuple[float, float], end: tuple[float, float], style: dict, head: str) -> str:
    """A line from ``start`` to ``end`` in a line style, ending in an "arrow" head or the "bar" of an inhibition."""
    (x0, y0), (x1, y1) = start, end
    length = math.hypot(x1 - x0, y1 - y0)
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    shaft = (x1 - ux * 8, y1 - uy * 8) if head == "arrow" else (x1, y1)
    dashes = f' stroke-dasharray="{style["dashes"]}"' if style["dashes"] else ""
    stroke = f'stroke="{style["colour"]}" stroke-width="{number(style["width"])}"'
    parts = [f'<path d="M{number(x0)} {number(y0)}L{number(shaft[0])} {number(shaft[1])}" {stroke}{dashes}/>']
    if head == "arrow":
        corners = (
            (x1, y1),
            (x1 - ux * 10 - uy * 5, y1 - uy * 10 + ux * 5),
            (x1 - ux * 10 + uy * 5, y1 - uy * 10 - ux * 5),
        )
        points = " ".join(f"{number(px)},{number(py)}" for px, py in corners)
        parts.append(f'<polygon points="{points}" fill="{style["colour"]}"/>')
    else:
        a, b = (x1 - uy * 7, y1 + ux * 7), (x1 + uy * 7, y1 - ux * 7)
        bar = f'stroke="{style["colour"]}" stroke-width="{number(style["width"] + 0.6)}"'
        parts.append(f'<path d="M{number(a[0])} {number(a[1])}L{number(b[0])} {number(b[1])}" {bar}/>')
    return "".join(parts)


class SvgDrawing(str):
    """SVG text that a notebook shows as the drawing, with its title as ``alt`` (its alternative text)."""

    alt: str

    def _repr_svg_(self) -> str:
        return str(self)


def draw(content: Schematic, title: str, links: dict[str, str] | None = None) -> SvgDrawing:
    """The schematic as SVG text; each route whose process group ``links`` gives an address is a link there."""
    plan = layout(content)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="mechanism-schematic" width="{plan.width}" '
        f'height="{plan.height}" viewBox="0 0 {plan.width} {plan.height}" font-family="{FONT_FAMILY}" '
        f'fill="{TEXT_COLOUR}">',
        f"<title>{escape(title)}</title><desc>{escape(description(plan, content.families))}</desc>",
    ]
    for shape in plan.shapes:
        colour = COMPARTMENT_COLOURS[shape.compartment]
        stroke, width = (MEMBRANE_COLOUR, 4) if shape.compartment == "tumour-cell" else (colour, 2)
        out.append(svg_rect(shape.box, shape.radius, fill=tint(colour, 0.12), stroke=stroke, stroke_width=width))
        out += [svg_text(line) for line in shape.title]
    drug_colour = GROUP_COLOURS["drug"]
    out.append(svg_rect(plan.drug, plan.drug.height / 2, fill=tint(drug_colour), stroke=drug_colour, stroke_width=2))
    out.append(svg_text(plan.drug_text))
    out += [svg_line(start, end, INHIBITION_STYLE, "bar") for start, end in plan.inhibitions]
    out += [svg_tag(tag) for tag in plan.families]
    centres = [tag.box.x + tag.box.width / 2 for tag in plan.families]
    drops = "".join(
        f"M{number(x)} {number(tag.box.bottom)}V{number(plan.bus)}" for x, tag in zip(centres, plan.families)
    )
    bus = f"M{number(min(centres))} {number(plan.bus)}H{number(max(centres))}"
    spine = f"M{number(SPINE)} {number(plan.bus)}V{number(plan.spine_end)}"
    out.append(f'<path d="{drops}{bus}{spine}" stroke="{LINE_COLOUR}" stroke-width="2" fill="none"/>')
    for node in plan.nodes:
        edge = node.box.right if node.side == "left" else node.box.x
        for arrow in node.arrows:
            out.append(svg_line((SPINE, arrow.y), (edge, arrow.y), plan.style(arrow.level), "arrow"))
            if arrow.count:
                out.append(svg_text(arrow.count))
        stroke = CATEGORY_COLOURS[node.route.category]
        body = svg_rect(node.box, 6, fill="#ffffff", stroke=stroke, stroke_width=2, **{"class": "route"})
        body += "".join(map(svg_text, node.texts)) + "".join(map(svg_tag, node.tags))
        href = (links or {}).get(node.route.group)
        if href is None:
            out.append(f"<g>{body}</g>")
        else:
            out.append(f'<a href="{escape(href)}" aria-label="{escape(accessible_name(node))}">{body}</a>')
    for what, x, y in plan.samples:
        out.append(svg_line((x, y), (x + SAMPLE_LENGTH, y), plan.style(what), "bar" if what == "inhibits" else "arrow"))
    out += [svg_tag(tag) for tag in plan.tags]
    out += [svg_text(text) for text in plan.texts]
    out.append("</svg>")
    drawing = SvgDrawing("\n".join(out) + "\n")
    drawing.alt = title
    return drawing
