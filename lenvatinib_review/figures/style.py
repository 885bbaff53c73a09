"""One figure style for every figure: fonts, sizes and a colour-blind-safe palette.

The palette is Okabe and Ito's eight colours, distinguishable with the common
forms of colour blindness. Output is SVG with fixed metadata and a fixed hash
salt, so that rebuilding a figure from the same data gives the same bytes.
"""

from __future__ import annotations

import matplotlib
import matplotlib.colors
import matplotlib.text

OKABE_ITO = {
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "black": "#000000",
}

CATEGORY_COLOURS = {
    "intracellular": OKABE_ITO["blue"],
    "membrane-transport": OKABE_ITO["orange"],
    "extracellular": OKABE_ITO["bluish green"],
}

STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": matplotlib.cycler(color=list(OKABE_ITO.values())),
    "figure.figsize": (6.4, 3.6),
    "figure.dpi": 100,
    "savefig.bbox": "tight",
    "svg.fonttype": "path",
    "svg.hashsalt": "lenvatinib-review",
}


def tint(colour: str, strength: float = 0.22) -> str:
    """A light version of ``colour`` (mixed with white) as a background that dark text stays readable on."""
    red, green, blue = matplotlib.colors.to_rgb(colour)
    return matplotlib.colors.to_hex([1 - strength * (1 - red), 1 - strength * (1 - green), 1 - strength * (1 - blue)])


def to_svg(figure) -> str:
    """The figure as SVG text, in the book's style, with the same bytes for the same figure."""
    import io

    with matplotlib.rc_context(STYLE):
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def smallest_font(figure) -> float:
    """The smallest font size, in points, of any visible text in the figure (tick labels included)."""
    return min(
        text.get_fontsize() for text in figure.findobj(matplotlib.text.Text) if text.get_visible() and text.get_text()
    )


def apply_style() -> None:
    """Use the book's style, and inline SVG output, for the rest of a notebook session."""
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    matplotlib.rcParams.update(STYLE)
    set_matplotlib_formats("svg", metadata={"Date": None})


GROUP_COLOURS = {**CATEGORY_COLOURS, "drug": OKABE_ITO["vermillion"], "target": "#6E6E6E"}


def wrap(text: str, width: int) -> str:
    """Break a label into lines of at most ``width`` characters, at spaces."""
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def draw_box(ax, x: float, y: float, text: str, colour: str, width: int = 22, fontsize: float = 8.5):
    """A rounded, filled label box centred on (x, y), white text on the group colour; returns the text artist."""
    return ax.text(
        x,
        y,
        wrap(text, width),
        ha="center",
        va="center",
        fontsize=fontsize,
        color="white",
        zorder=3,
        bbox={"boxstyle": "round,pad=0.35", "facecolor": colour, "edgecolor": "none"},
    )


def draw_arrow(ax, source, target, style: str = "-|>", dashed: bool = False) -> None:
    """Join the right edge of one box to the left edge of another (boxes from ``draw_box``).

    Anchoring on the artists rather than on data coordinates keeps the heads at the
    box edges whatever the label lengths. ``style="-["`` draws the flat head of an inhibition.
    """
    ax.annotate(
        "",
        xy=(0.0, 0.5),
        xycoords=target,
        xytext=(1.0, 0.5),
        textcoords=source,
        arrowprops={
            "arrowstyle": style,
            "color": "#444444",
            "lw": 0.9,
            "linestyle": "--" if dashed else "-",
            "shrinkA": 5,
            "shrinkB": 5,
        },
    )
