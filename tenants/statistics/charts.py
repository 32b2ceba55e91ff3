"""A trend over months as an inline SVG line chart: one line per series, a gap where a cell is hidden.

Computed here so the template only places numbers (written with a decimal point, as modules/casework/charts.py
explains); every value is also in the table beside the chart.
"""

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40
COLOURS = ["#005a9c", "#b35806", "#1b7837", "#762a83", "#4d4d4d"]
DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 2"]


def _n(value: float) -> str:
    return f"{value:.1f}"


def trend(periods: list[str], series: list[tuple[str, list]]) -> dict:
    """``series``: (label, [Shown per period]); at most five lines are drawn (the table has them all)."""
    series = series[: len(COLOURS)]
    values = [shown.value for _label, cells in series for shown in cells if shown.is_shown]
    if not periods or not values:
        return {}
    top = max(max(values), 1)
    step = (WIDTH - LEFT - RIGHT) / max(len(periods) - 1, 1)

    def x(i):
        return LEFT + i * step

    def y(v):
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - v / top)

    lines = []
    for number, (label, cells) in enumerate(series):
        segments, current = [], []
        for i, shown in enumerate(cells):
            if shown.is_shown:
                current.append(f"{_n(x(i))},{_n(y(shown.value))}")
            elif current:
                segments.append(" ".join(current))
                current = []
        if current:
            segments.append(" ".join(current))
        points = [{"x": _n(x(i)), "y": _n(y(shown.value))} for i, shown in enumerate(cells) if shown.is_shown]
        lines.append(
            {"label": label, "segments": segments, "points": points, "colour": COLOURS[number], "dash": DASHES[number]}
        )
    ticks = [{"y": _n(y(v)), "label": str(v)} for v in sorted({0, top // 2, top})]
    every = max(1, len(periods) // 8)
    labels = [{"x": _n(x(i)), "label": period} for i, period in enumerate(periods) if i % every == 0]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": _n(WIDTH - RIGHT),
        "bottom": _n(HEIGHT - BOTTOM),
        "label_y": _n(HEIGHT - BOTTOM + 18),
        "ticks": ticks,
        "labels": labels,
        "lines": lines,
    }
