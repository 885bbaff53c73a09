"""The pathway map stays legible as the table grows: fixed width, fixed font sizes, nothing overlapping.

Checked on the real table and on a synthetic one three times its size (every mechanism
copied twice more, labels kept), on the laid-out labels and on the drawn figure.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from lenvatinib_review.datapackage import load_package
from lenvatinib_review.figure_data import pathway_layers
from lenvatinib_review.figures import BOOK_FIGURES, pathway_map
from lenvatinib_review.figures.style import smallest_font

SMALLEST_FONT_PT = 8.0  # at the map's width this is at least 9 CSS pixels on a 360-pixel phone column


def tripled(content):
    """The same layers with every process group holding each mechanism three times (new keys, same labels)."""
    layers = tuple(
        replace(
            layer,
            groups=tuple(
                replace(
                    group,
                    mechanisms=tuple(replace(m, key=f"{m.key}-{copy}") for copy in range(3) for m in group.mechanisms),
                )
                for group in layer.groups
            ),
        )
        for layer in content.layers
    )
    return replace(content, layers=layers)


@pytest.fixture(scope="module", params=["table", "three times the table"])
def content(request):
    real = pathway_layers(load_package())
    return real if request.param == "table" else tripled(real)


# The map as the site shows it (one column, a phone's width) and as the printed book does (columns on a page).
SHAPES = {"phone": (pathway_map.WIDTH, 1), "print": (pathway_map.PRINT_WIDTH, pathway_map.PRINT_COLUMNS)}


@pytest.fixture(scope="module", params=list(SHAPES))
def shape(request):
    return SHAPES[request.param]


def overlaps(a, b) -> bool:
    return a.x < b.x + b.width and b.x < a.x + a.width and a.y < b.y + b.height and b.y < a.y + a.height


def test_every_mechanism_has_a_label_of_its_own(content, shape):
    plan = pathway_map.layout(content, *shape)
    texts = [label.text.replace("\n", " ") for label in plan.labels]
    for mechanism in content.mechanisms:
        assert any(text.endswith(mechanism.label) for text in texts), mechanism.key
    assert len(plan.labels) >= len(content.mechanisms) + len(content.families) + 1


def test_no_two_labels_or_chips_overlap_and_all_fit_the_width(content, shape):
    plan = pathway_map.layout(content, *shape)
    boxes = [
        replace(
            label,
            x=label.x - label.pad,
            y=label.y - label.pad,
            width=label.width + 2 * label.pad,
            height=label.height + 2 * label.pad,
        )
        for label in plan.labels
    ]
    for a, b in itertools.combinations(boxes, 2):
        assert not overlaps(a, b), f"{a.text!r} overlaps {b.text!r}"
    for box in boxes:
        assert 0 <= box.x and box.x + box.width <= plan.width, f"{box.text!r} leaves the figure"
        assert 0 <= box.y and box.y + box.height <= plan.height, f"{box.text!r} leaves the figure"
    for a, b in itertools.combinations(plan.panels, 2):
        assert not overlaps(a, b)
    for box in boxes:
        holding = [panel for panel in plan.panels if overlaps(box, panel)]
        assert all(panel.x <= box.x and box.x + box.width <= panel.x + panel.width for panel in holding), (
            f"{box.text!r} crosses the edge of its panel"
        )


def test_width_and_font_sizes_do_not_shrink_as_the_table_grows(content, shape):
    plan = pathway_map.layout(content, *shape)
    assert plan.width == shape[0]
    assert min(label.size for label in plan.labels) >= SMALLEST_FONT_PT
    figure = pathway_map.draw(content, *shape)
    assert tuple(figure.get_size_inches()) == pytest.approx((plan.width, plan.height))
    assert smallest_font(figure) >= SMALLEST_FONT_PT


def test_drawn_text_stays_inside_its_chip(content, shape):
    """The renderer's own text extents (not the layout's estimate) fit the chips drawn around them."""
    figure = pathway_map.draw(content, *shape)
    plan = pathway_map.layout(content, *shape)
    renderer = FigureCanvasAgg(figure).get_renderer()
    ax = figure.axes[0]
    chips = [patch.get_window_extent(renderer) for patch in ax.patches[len(plan.panels) :]]
    texts = [text.get_window_extent(renderer) for text in ax.texts if text.get_text()]
    boxed = [label for label in plan.labels if label.box]
    boxed_texts = [extent for extent, label in zip(texts, plan.labels) if label.box]
    assert len(chips) == len(boxed) == len(boxed_texts)
    for chip, text in zip(chips, boxed_texts):
        assert chip.x0 <= text.x0 + 0.5 and text.x1 <= chip.x1 + 0.5, "text wider than its chip"


def test_the_only_lines_join_the_drug_to_each_family_without_crossing(content):
    lines = pathway_map.layout(content).lines
    assert len(lines) == len(content.families)
    starts = {start for start, _ in lines}
    assert len(starts) == 1
    ends = [end[0] for _, end in lines]
    assert ends == sorted(ends), "lines fanning out from one point cross only if their ends are out of order"


def test_the_print_layout_is_at_most_as_tall_as_the_page_allows_it_to_be_wide():
    """Columns make the printed map shorter than the phone's single column, relative to its width."""
    content = pathway_layers(load_package())
    phone, printed = (pathway_map.layout(content, *shape) for shape in SHAPES.values())
    assert printed.height / printed.width < phone.height / phone.width / 2


def test_the_book_figure_is_this_map():
    figure = BOOK_FIGURES["fig-pathway-map"]
    assert figure.fits_phone
    tables = load_package()
    assert figure.draw(tables).get_size_inches()[0] == pathway_map.WIDTH
    assert figure.draw(tables, for_print=True).get_size_inches()[0] == pathway_map.PRINT_WIDTH
