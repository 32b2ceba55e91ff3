"""The compass over time as an inline SVG radar (wheel) chart: one axis per area, one polygon per
assessment. Computed here so the template only places numbers; the same figures go into a table.

Every number is written here as text with a decimal point (``_n``): the template would localise a float,
and in Swedish ``x="210,0"`` is a list of two coordinates to an SVG reader, which then draws each label's
first letter alone and the rest at the origin."""

import math
import textwrap

from modules.casework.selectors import CompassOverTime

SIZE = 420
CENTRE = SIZE / 2
RADIUS = 150
# Distinguishable for colour-blind readers, each polygon also has its own dash pattern.
COLOURS = ["#005a9c", "#b35806", "#1b7837", "#762a83", "#4d4d4d"]
DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 2"]
# An area's name goes on lines of at most this many characters (the model configuration has no short
# names); a word longer than that keeps its own line rather than being cut.
LABEL_LINE = 12
LABEL_LINE_HEIGHT_EM = 1.1


def _n(value: float) -> str:
    """A coordinate as SVG reads it, whatever the language: one decimal, a point."""
    return f"{value:.1f}"


def _point(index: int, count: int, fraction: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return CENTRE + RADIUS * fraction * math.cos(angle), CENTRE + RADIUS * fraction * math.sin(angle)


def _points(points) -> str:
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in points)


def _label_lines(name: str) -> list[dict]:
    """The name's lines, each with its vertical offset, so the block is centred on the label's point."""
    lines = textwrap.wrap(name, width=LABEL_LINE, break_long_words=False, break_on_hyphens=False) or [name]
    first = -(len(lines) - 1) / 2 * LABEL_LINE_HEIGHT_EM
    return [
        {"text": line, "dy": f"{_n(first if number == 0 else LABEL_LINE_HEIGHT_EM)}em"}
        for number, line in enumerate(lines)
    ]


def radar(compass: CompassOverTime) -> dict:
    count = len(compass.areas)
    if count < 3:
        return {}
    rings = [
        _points(_point(i, count, level / compass.max_value) for i in range(count))
        for level in range(1, compass.max_value + 1)
    ]
    axes = []
    for index, (_key, name) in enumerate(compass.areas):
        x, y = _point(index, count, 1)
        lx, ly = _point(index, count, 1.18)
        anchor = "middle" if abs(lx - CENTRE) < 5 else ("start" if lx > CENTRE else "end")
        axes.append(
            {
                "x": _n(x),
                "y": _n(y),
                "lx": _n(lx),
                "ly": _n(ly),
                "anchor": anchor,
                "name": name,
                "lines": _label_lines(name),
            }
        )
    shown = compass.series[-len(COLOURS) :]
    polygons = []
    for number, series in enumerate(shown):
        points = [
            _point(index, count, series.values.get(key, 0) / compass.max_value)
            for index, (key, _name) in enumerate(compass.areas)
        ]
        polygons.append(
            {"label": series.label, "points": _points(points), "colour": COLOURS[number], "dash": DASHES[number]}
        )
    return {"size": SIZE, "centre": _n(CENTRE), "rings": rings, "axes": axes, "polygons": polygons}
