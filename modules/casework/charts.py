"""The compass over time as an inline SVG radar (wheel) chart: one axis per area, one polygon per
assessment. Computed here so the template only places numbers; the same figures go into a table."""

import math

from modules.casework.selectors import CompassOverTime

SIZE = 420
CENTRE = SIZE / 2
RADIUS = 150
# Distinguishable for colour-blind readers, each polygon also has its own dash pattern.
COLOURS = ["#005a9c", "#b35806", "#1b7837", "#762a83", "#4d4d4d"]
DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 2"]


def _point(index: int, count: int, fraction: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return round(CENTRE + RADIUS * fraction * math.cos(angle), 1), round(
        CENTRE + RADIUS * fraction * math.sin(angle), 1
    )


def radar(compass: CompassOverTime) -> dict:
    count = len(compass.areas)
    if count < 3:
        return {}
    rings = [
        " ".join(f"{x},{y}" for x, y in (_point(i, count, level / compass.max_value) for i in range(count)))
        for level in range(1, compass.max_value + 1)
    ]
    axes = []
    for index, (_key, name) in enumerate(compass.areas):
        x, y = _point(index, count, 1)
        lx, ly = _point(index, count, 1.18)
        anchor = "middle" if abs(lx - CENTRE) < 5 else ("start" if lx > CENTRE else "end")
        axes.append({"x": x, "y": y, "lx": lx, "ly": ly, "anchor": anchor, "name": name})
    shown = compass.series[-len(COLOURS) :]
    polygons = []
    for number, series in enumerate(shown):
        points = [
            _point(index, count, series.values.get(key, 0) / compass.max_value)
            for index, (key, _name) in enumerate(compass.areas)
        ]
        polygons.append(
            {
                "label": series.label,
                "points": " ".join(f"{x},{y}" for x, y in points),
                "colour": COLOURS[number],
                "dash": DASHES[number],
            }
        )
    return {"size": SIZE, "centre": CENTRE, "rings": rings, "axes": axes, "polygons": polygons}
