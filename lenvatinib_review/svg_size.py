"""The size an SVG drawing gives itself, read from its root element by an XML parser.

Used by the build (an image's width and height on the page) and by the print edition (how large a
figure prints, and so how large its labels print).
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

# Points in one unit of CSS length (96 px to the inch, 72 pt); a length without a unit is in px.
UNIT_POINTS = {"pt": 1.0, "px": 0.75, "": 0.75}
LENGTH = re.compile(r"([\d.]+)(pt|px)?")


def svg_size(svg: str) -> tuple[float, float, float]:
    """The drawing's width and height in points, and the points in one unit of its drawing (its view box's)."""
    parser = ElementTree.XMLPullParser(events=("start",))
    parser.feed(svg[: svg.index(">", svg.index("<svg")) + 1])
    _, root = next(parser.read_events())
    (width, unit), (height, height_unit) = (
        LENGTH.fullmatch(root.attrib[name]).groups() for name in ("width", "height")
    )
    width_pt, height_pt = float(width) * UNIT_POINTS[unit or ""], float(height) * UNIT_POINTS[height_unit or ""]
    view_box = root.attrib.get("viewBox", "").replace(",", " ").split()
    return width_pt, height_pt, width_pt / float(view_box[2]) if view_box else UNIT_POINTS[unit or ""]
