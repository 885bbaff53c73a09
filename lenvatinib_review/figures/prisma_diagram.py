"""The PRISMA 2020 flow of records, from identification to inclusion."""

from __future__ import annotations

from matplotlib.figure import Figure

from ..figure_data import readable
from .style import OKABE_ITO, draw_box


def draw(flow) -> Figure:
    """``flow`` as ``screening.prisma_flow`` gives it."""
    figure = Figure(figsize=(7.2, 6.4))
    ax = figure.subplots()
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10.6)
    ax.axis("off")
    main, side = OKABE_ITO["blue"], "#6E6E6E"
    excluded = "\n".join(f"{readable(reason)}: {n}" for reason, n in flow.excluded_at_screening.items())
    included = "\n".join(f"{readable(kind)}: {n}" for kind, n in flow.included.items())
    stages = [
        (
            9.0,
            f"Records identified: {flow.identified}\n"
            f"(searches: {flow.identified_by_search}; other routes: {flow.identified_other})",
            f"Duplicates removed: {flow.duplicates}",
        ),
        (6.6, f"Records screened: {flow.screened}", f"Excluded at screening:\n{excluded}"),
        (
            4.0,
            f"Records assessed for verification: {flow.screened - sum(flow.excluded_at_screening.values())}",
            f"Not verifiable: {flow.not_verifiable}",
        ),
        (1.4, f"Included: {flow.included_total}\n{included}", None),
    ]
    latest = flow.this_round
    ax.text(
        5.0,
        10.2,
        f"Round {latest.version} (after {latest.since}): {latest.new_records} new records; {latest.rescreened} "
        f"earlier records re-screened under the identity rule, {latest.admitted} admitted, {latest.dropped} dropped",
        ha="center",
        va="center",
        fontsize=8.5,
        wrap=True,
    )
    for y, text, excluded_text in stages:
        draw_box(ax, 3.0, y, text, main, width=60, fontsize=9)
        if excluded_text:
            draw_box(ax, 8.0, y, excluded_text, side, width=60, fontsize=9)
            ax.annotate("", xy=(6.7, y), xytext=(5.4, y), arrowprops={"arrowstyle": "-|>", "color": "#444444"})
    for (upper, *_), (lower, *_) in zip(stages, stages[1:]):
        ax.annotate(
            "", xy=(3.0, lower + 0.9), xytext=(3.0, upper - 0.9), arrowprops={"arrowstyle": "-|>", "color": "#444444"}
        )
    return figure
