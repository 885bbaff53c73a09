"""The PRISMA 2020 flow of records, from identification to inclusion."""

from __future__ import annotations

from matplotlib.figure import Figure

from ..figure_data import readable
from .style import OKABE_ITO, draw_arrow, draw_box, wrap

FONT = 9
LINE = FONT * 1.2 / 72  # inches per line of text
BOX_PAD = 0.35 * FONT / 72  # draw_box's padding, in inches
ROW_GAP = 0.45  # inches between one stage and the next, room for the arrow
WIDTH = 6.6  # inches
MAIN_X, SIDE_X = 1.75, 5.05  # centres of the stage boxes and of the boxes of records leaving the flow
MAIN_CHARACTERS, SIDE_CHARACTERS = 40, 34


def lines(text: str | None) -> int:
    return text.count("\n") + 1 if text else 0


def draw(flow) -> Figure:
    """``flow`` as ``screening.prisma_flow`` gives it."""
    main, side = OKABE_ITO["blue"], "#6E6E6E"
    excluded = "\n".join(f"{readable(reason)}: {n}" for reason, n in flow.excluded_at_screening.items())
    included = "\n".join(f"{readable(kind)}: {n}" for kind, n in flow.included.items())
    stages = [
        (
            f"Records identified: {flow.identified}\n"
            f"(searches: {flow.identified_by_search}; other routes: {flow.identified_other})",
            f"Duplicates removed: {flow.duplicates}",
        ),
        (f"Records screened: {flow.screened}", f"Excluded at screening:\n{excluded}"),
        (
            f"Records assessed for verification: {flow.screened - sum(flow.excluded_at_screening.values())}",
            f"Not verifiable: {flow.not_verifiable}",
        ),
        (f"Included: {flow.included_total}\n{included}", None),
    ]
    stages = [(wrap(text, MAIN_CHARACTERS), other and wrap(other, SIDE_CHARACTERS)) for text, other in stages]
    latest = flow.this_round
    heading = wrap(
        f"Round {latest.version} (after {latest.since}): {latest.new_records} new records; {latest.rescreened} "
        f"earlier records re-screened under the identity rule, {latest.admitted} admitted, {latest.dropped} dropped",
        80,
    )
    heights = [max(lines(text), lines(other)) * LINE + 2 * BOX_PAD for text, other in stages]
    height = lines(heading) * LINE + ROW_GAP + sum(heights) + ROW_GAP * (len(stages) - 1)
    figure = Figure(figsize=(WIDTH, height))
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, WIDTH)
    ax.set_ylim(height, 0)
    ax.axis("off")
    ax.text(WIDTH / 2, 0, heading, ha="center", va="top", fontsize=FONT)
    y = lines(heading) * LINE + ROW_GAP
    above = None
    for (text, other), row_height in zip(stages, heights):
        box = draw_box(ax, MAIN_X, y + row_height / 2, text, main, width=MAIN_CHARACTERS, fontsize=FONT)
        if other:
            leaving = draw_box(ax, SIDE_X, y + row_height / 2, other, side, width=SIDE_CHARACTERS, fontsize=FONT)
            draw_arrow(ax, box, leaving)
        if above:
            draw_arrow(ax, above, box, vertical=True)
        above = box
        y += row_height + ROW_GAP
    return figure
