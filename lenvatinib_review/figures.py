"""One figure style for every notebook: fonts, sizes and a colour-blind-safe palette.

The palette is Okabe and Ito's eight colours, distinguishable with the common
forms of colour blindness. Output is SVG with fixed metadata and a fixed hash
salt, so that rebuilding a figure from the same data gives the same bytes.
"""

from __future__ import annotations

import matplotlib

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


def apply_style() -> None:
    """Use the book's style, and inline SVG output, for the rest of a notebook session."""
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    matplotlib.rcParams.update(STYLE)
    set_matplotlib_formats("svg", metadata={"Date": None})
