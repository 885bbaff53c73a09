"""One figure style for every figure: fonts, sizes and a colour-blind-safe palette.

The palette is Okabe and Ito's eight colours, distinguishable with the common
forms of colour blindness. Output is SVG with fixed metadata and a fixed hash
salt, so that rebuilding a figure from the same data gives the same bytes.
"""

from __future__ import annotations

import contextlib

import matplotlib
import matplotlib.colors
import matplotlib.text
import numpy as np
from matplotlib.transforms import Bbox, TransformedBbox

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


@contextlib.contextmanager
def cut_to_drawing(figure):
    """While saving, ``bbox_inches="tight"`` measures only what the figure draws.

    Matplotlib's tight box always counts an axes' whole area, even with its axis turned off
    (``Axes.get_tightbbox`` adds ``get_window_extent``), so a diagram drawn in an axes whose limits
    leave room around the boxes gets empty bands above and below. Savefig asks the figure's
    ``get_tightbbox`` with the renderer of the output format; here, for the length of the save, it
    gets the same box except that an axes with its axis off counts only the artists drawn in it.
    """

    def drawn_extent(renderer, bbox_extra_artists=None):
        boxes = [
            artist.get_tightbbox(renderer)
            for artist in figure.get_children()
            if artist not in figure.axes and artist.get_visible() and artist.get_in_layout()
        ]
        for ax in figure.axes:
            if ax.axison:
                boxes.append(ax.get_tightbbox(renderer))
                continue
            furniture = {ax.patch, *ax.spines.values(), ax.xaxis, ax.yaxis}
            boxes += [
                artist.get_tightbbox(renderer)
                for artist in ax.get_children()
                if artist not in furniture and artist.get_visible() and artist.get_in_layout()
            ]
        drawn = [box for box in boxes if box is not None and np.isfinite(box.extents).all() and box.width + box.height]
        return TransformedBbox(Bbox.union(drawn), figure.dpi_scale_trans.inverted())

    figure.get_tightbbox = drawn_extent
    try:
        yield
    finally:
        del figure.get_tightbbox


def to_svg(figure) -> str:
    """The figure as SVG text, in the book's style, cut to what it draws, with the same bytes for the same figure."""
    import io

    with matplotlib.rc_context(STYLE), cut_to_drawing(figure):
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
    """Break each line of a label into lines of at most ``width`` characters, at spaces (never at a hyphen)."""
    import textwrap

    return "\n".join("\n".join(textwrap.wrap(line, width, break_on_hyphens=False)) or line for line in text.split("\n"))


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


def draw_arrow(ax, source, target, style: str = "-|>", dashed: bool = False, vertical: bool = False) -> None:
    """Join the right edge of one box to the left edge of another, or with ``vertical`` the bottom of
    one to the top of the other below it (boxes from ``draw_box``).

    Anchoring on the artists rather than on data coordinates keeps the heads at the
    box edges whatever the label lengths. ``style="-["`` draws the flat head of an inhibition.
    """
    ax.annotate(
        "",
        xy=(0.5, 1.0) if vertical else (0.0, 0.5),
        xycoords=target,
        xytext=(0.5, 0.0) if vertical else (1.0, 0.5),
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
