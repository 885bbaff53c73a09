"""The resistance pathway map: lenvatinib, the kinases it inhibits, and every mechanism, layered by where it acts.

The map is drawn for a phone: one narrow column whose labels keep their size as the table
grows, so more mechanisms only make it taller. Each mechanism is a label chip inside its
process group, inside the layer where resistance acts (around the cell, at the membrane,
inside the cell). Containment replaces lines, so nothing crosses: the only lines join the
drug to the kinase families it inhibits.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import FancyBboxPatch
from matplotlib.textpath import TextToPath

from ..figure_data import PathwayLayers, readable
from .style import CATEGORY_COLOURS, GROUP_COLOURS, STYLE, tint

WIDTH = 4.0  # inches: 384 CSS pixels, about a phone's column, so the map is drawn near its natural size there
MARGIN = 0.06
PAD = 0.07  # inside a layer's panel
GAP = 0.05  # between chips
COLUMN_GAP = 0.15
PRINT_WIDTH = 6.7  # inches: an A4 page's text width, where the map runs in columns
PRINT_COLUMNS = 3
CHIP_FONT = 8.0
HEADING_FONT = 8.5
TITLE_FONT = 9.5
LINE_SPACING = 1.2
WIDTH_SLACK = 1.03  # renderers' hinting draws text a little wider than the font metrics say
TEXT_COLOUR = "#1a1a1a"
LAYER_TITLES = {
    "extracellular": "Around the tumour cell",
    "membrane-transport": "At the cell membrane",
    "intracellular": "Inside the tumour cell",
}
# Layers from the outside in: the order in which the drug meets them.
LAYER_ORDER = ("extracellular", "membrane-transport", "intracellular")
RELATION_OUTLINES = {
    "on-target": {"edgecolor": "#000000", "linewidth": 1.4, "linestyle": "-"},
    "target-level": {"edgecolor": "#000000", "linewidth": 1.0, "linestyle": (0, (1, 1))},
    "drug-exposure": {"edgecolor": "#000000", "linewidth": 1.0, "linestyle": (0, (4, 2))},
    "off-target": {"edgecolor": "none", "linewidth": 0.0, "linestyle": "-"},
}
ACRONYMS = {"emt": "EMT"}
FAMILY_MARK = "\u25b8"  # a small right-pointing triangle after the family a mechanism names
_text_metrics = TextToPath()


@dataclass(frozen=True)
class Label:
    """A piece of text placed on the map; (x, y) is its top-left corner in inches from the top-left of the figure."""

    text: str
    x: float
    y: float
    width: float
    height: float
    size: float
    colour: str = TEXT_COLOUR
    weight: str = "normal"
    box: dict | None = None  # FancyBboxPatch keywords when the label sits in a chip
    pad: float = 0.0  # between the text and the chip's edge


@dataclass(frozen=True)
class Panel:
    x: float
    y: float
    width: float
    height: float
    colour: str


@dataclass(frozen=True)
class MapLayout:
    width: float
    height: float
    labels: tuple[Label, ...]
    panels: tuple[Panel, ...]
    lines: tuple[tuple[tuple[float, float], tuple[float, float]], ...]  # drug -> kinase family


def text_size(text: str, size: float, weight: str = "normal") -> tuple[float, float]:
    """Width and height in inches of (possibly multi-line) text in the book's font."""
    font = FontProperties(family=STYLE["font.family"], size=size, weight=weight)
    lines = text.split("\n")
    width = max(_text_metrics.get_text_width_height_descent(line, font, ismath=False)[0] for line in lines)
    return width / 72 * WIDTH_SLACK, len(lines) * size * LINE_SPACING / 72


def wrap_to_width(text: str, size: float, width: float, weight: str = "normal") -> str:
    """Break ``text`` at spaces into lines no wider than ``width`` inches (a single long word stays whole)."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and text_size(candidate, size, weight)[0] <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return "\n".join(lines)


def flow(texts: list[str], size: float, left: float, top: float, width: float, pad: float = 0.04) -> list[Label]:
    """Chips laid out left to right and wrapped to the next row, like words in a paragraph."""
    chips, x, y, row_height = [], left, top, 0.0
    for text in texts:
        wrapped = wrap_to_width(text, size, width - 2 * pad)
        text_width, text_height = text_size(wrapped, size)
        chip_width, chip_height = text_width + 2 * pad, text_height + 2 * pad
        if x > left and x + chip_width > left + width:
            x, y, row_height = left, y + row_height + GAP, 0.0
        chips.append(Label(wrapped, x + pad, y + pad, text_width, text_height, size, pad=pad))
        x += chip_width + GAP
        row_height = max(row_height, chip_height)
    return chips


def mechanism_text(mechanism) -> str:
    """The chip's text: the kinase families a mechanism names, unless its label already says them, then the label."""
    named = "".join(f"{family} {FAMILY_MARK} " for family in mechanism.families if family not in mechanism.label)
    return named + mechanism.label


def group_heading(name: str, count: int) -> str:
    words = [ACRONYMS.get(word, word) for word in readable(name).split()]
    return " ".join([words[0].capitalize(), *words[1:], f"({count})"])


@dataclass(frozen=True)
class Block:
    """A layer's title or one process group, laid out from its own top-left corner (0, 0)."""

    category: str
    labels: tuple[Label, ...]
    height: float
    is_title: bool


def shifted(label: Label, dx: float, dy: float) -> Label:
    return replace(label, x=label.x + dx, y=label.y + dy)


def title_block(layer, width: float, continued: bool = False) -> Block:
    count = sum(len(group.mechanisms) for group in layer.groups)
    title = f"{LAYER_TITLES[layer.category]} ({readable(layer.category)}): {count}"
    text = wrap_to_width(title + (" (continued)" if continued else ""), TITLE_FONT, width - 2 * PAD, "bold")
    text_width, height = text_size(text, TITLE_FONT, "bold")
    colour = CATEGORY_COLOURS[layer.category]
    label = Label(text, PAD, 0, text_width, height, TITLE_FONT, colour, "bold")
    return Block(layer.category, (label,), height + 0.06, True)


def group_block(category: str, group, width: float) -> Block:
    heading = wrap_to_width(group_heading(group.name, len(group.mechanisms)), HEADING_FONT, width - 2 * PAD, "bold")
    heading_width, heading_height = text_size(heading, HEADING_FONT, "bold")
    labels = [Label(heading, PAD, 0, heading_width, heading_height, HEADING_FONT, weight="bold")]
    chips = flow([mechanism_text(m) for m in group.mechanisms], CHIP_FONT, PAD, heading_height + 0.04, width - 2 * PAD)
    fill = tint(CATEGORY_COLOURS[category])
    labels += [_chip(chip, fill, mechanism.relation) for chip, mechanism in zip(chips, group.mechanisms)]
    return Block(category, tuple(labels), max(c.y + c.height for c in chips) + 0.12, False)


def balanced_columns(blocks: list[Block], columns: int) -> list[list[Block]]:
    """Blocks in reading order, cut into at most ``columns`` runs whose tallest is as short as possible."""

    def runs_within(height: float) -> list[list[Block]]:
        runs: list[list[Block]] = [[]]
        used = 0.0
        for block in blocks:
            if runs[-1] and used + block.height > height:
                runs.append([])
                used = 0.0
            runs[-1].append(block)
            used += block.height
        return runs

    low, high = max(block.height for block in blocks), sum(block.height for block in blocks)
    for _ in range(40):  # bisect the height of the tallest column
        middle = (low + high) / 2
        low, high = (low, middle) if len(runs_within(middle)) <= columns else (middle, high)
    return runs_within(high)


def layout(content: PathwayLayers, width: float = WIDTH, columns: int = 1) -> MapLayout:
    """Place every label of the map; the height follows from the content, the width is fixed.

    With more than one column (the printed book's page), the layers run on from column to column,
    a layer that continues repeating its title.
    """
    labels: list[Label] = []
    panels: list[Panel] = []
    lines = []
    inner = width - 2 * MARGIN
    column_width = (inner - (columns - 1) * COLUMN_GAP) / columns

    drug_width, drug_height = text_size("Lenvatinib", TITLE_FONT, "bold")
    drug = Label(
        "Lenvatinib",
        (width - drug_width) / 2,
        MARGIN + 0.05,
        drug_width,
        drug_height,
        TITLE_FONT,
        colour="white",
        weight="bold",
        box={"facecolor": GROUP_COLOURS["drug"], "edgecolor": "none"},
        pad=0.06,
    )
    labels.append(drug)
    families = flow(list(content.families), CHIP_FONT, MARGIN, drug.y + drug.height + 0.35, inner, pad=0.05)
    row_width = max(f.x + f.width for f in families) - min(f.x for f in families)
    shift = (inner - row_width) / 2  # centre the row of kinase families under the drug
    for family in families:
        placed = Label(
            family.text,
            family.x + shift,
            family.y,
            family.width,
            family.height,
            CHIP_FONT,
            colour="white",
            box={"facecolor": GROUP_COLOURS["target"], "edgecolor": "none"},
            pad=family.pad,
        )
        labels.append(placed)
        lines.append(((width / 2, drug.y + drug.height + 0.06), (placed.x + placed.width / 2, placed.y - 0.07)))
    y = max(f.y + f.height for f in families) + 0.12

    legend = [("on-target", "on target"), ("target-level", "target level"), ("drug-exposure", "drug exposure")]
    note = (
        f"Outline: how a mechanism relates to lenvatinib's targets. {FAMILY_MARK}: names a kinase lenvatinib inhibits."
    )
    note_text = wrap_to_width(note, CHIP_FONT, inner)
    note_width, note_height = text_size(note_text, CHIP_FONT)
    labels.append(Label(note_text, MARGIN, y, note_width, note_height, CHIP_FONT))
    y += note_height + 0.06
    for chip in flow([text for _, text in legend], CHIP_FONT, MARGIN, y, inner):
        relation = next(key for key, text in legend if text == chip.text)
        labels.append(_chip(chip, "#ffffff", relation))
    top = labels[-1].y + labels[-1].height + 0.16

    layers = sorted(content.layers, key=lambda layer: LAYER_ORDER.index(layer.category))
    by_category = {layer.category: layer for layer in layers}
    blocks = [
        block
        for layer in layers
        for block in (
            title_block(layer, column_width),
            *(group_block(layer.category, g, column_width) for g in layer.groups),
        )
    ]
    bottom = top
    for column, run in enumerate(balanced_columns(blocks, columns)):
        x = MARGIN + column * (column_width + COLUMN_GAP)
        y = top
        segments: list[list[Block]] = []
        for block in run:
            if not segments or segments[-1][-1].category != block.category:
                if not block.is_title:
                    segments.append([title_block(by_category[block.category], column_width, continued=True)])
                else:
                    segments.append([])
            segments[-1].append(block)
        for segment in segments:
            segment_top = y
            y += PAD
            for block in segment:
                labels.extend(shifted(label, x, y) for label in block.labels)
                y += block.height
            panels.append(Panel(x, segment_top, column_width, y - segment_top, CATEGORY_COLOURS[segment[0].category]))
            y += 0.1
        bottom = max(bottom, y)
    return MapLayout(width, bottom + MARGIN - 0.1, tuple(labels), tuple(panels), tuple(lines))


def _chip(chip: Label, fill: str, relation: str) -> Label:
    outline = RELATION_OUTLINES[relation]
    return Label(
        chip.text, chip.x, chip.y, chip.width, chip.height, chip.size, box={"facecolor": fill, **outline}, pad=chip.pad
    )


def draw(content: PathwayLayers, width: float = WIDTH, columns: int = 1) -> Figure:
    """The map as a figure, in inches from the top-left corner."""
    plan = layout(content, width, columns)
    figure = Figure(figsize=(plan.width, plan.height))
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, plan.width)
    ax.set_ylim(plan.height, 0)
    ax.axis("off")
    for panel in plan.panels:
        ax.add_patch(
            FancyBboxPatch(
                (panel.x, panel.y),
                panel.width,
                panel.height,
                boxstyle="round,pad=0,rounding_size=0.06",
                facecolor="none",
                edgecolor=panel.colour,
                linewidth=1.5,
            )
        )
    for start, end in plan.lines:
        ax.annotate(
            "",
            xy=end,
            xytext=start,
            arrowprops={
                "arrowstyle": "-[,widthB=0.3,lengthB=0.15",
                "color": "#444444",
                "lw": 0.9,
                "shrinkA": 0,
                "shrinkB": 0,
            },
        )
    for label in plan.labels:
        if label.box:
            ax.add_patch(
                FancyBboxPatch(
                    (label.x - label.pad, label.y - label.pad),
                    label.width + 2 * label.pad,
                    label.height + 2 * label.pad,
                    boxstyle="round,pad=0,rounding_size=0.04",
                    **label.box,
                )
            )
        ax.text(
            label.x,
            label.y + label.height / 2,
            label.text,
            ha="left",
            va="center",
            multialignment="left",
            linespacing=LINE_SPACING,
            fontsize=label.size,
            fontweight=label.weight,
            color=label.colour,
        )
    return figure
