"""One metric's published cube: its axes, its cells (parents built as sums) and the equations that tie them.

Axis 0, geography: the instances (grouped by county), then the counties, then the nation.
Axis 1, category: the metric's categories, then their total (when the metric has one).
Axis 2, period: the months, then (for a flow, counted per event) the years as sums of their months. A stock
(children by support level at a month's end) has no year of its own: a year shows its last month.
"""

import datetime
from dataclasses import dataclass, field

import numpy as np

from tenants.statistics.disclosure import Equation, suppress

TOTAL = "total"
NATION = "SE"


@dataclass
class Layout:
    instances: list[int]  # tenant ids, grouped by county
    instance_counties: list[str]
    categories: list[str]
    months: list[datetime.date]
    has_total: bool = True
    flow: bool = True
    counties: list[str] = field(init=False)
    years: list[int] = field(init=False)

    def __post_init__(self):
        self.counties = sorted(set(self.instance_counties))
        self.years = sorted({month.year for month in self.months}) if self.flow else []

    @property
    def geography(self) -> list[tuple[str, str]]:
        """(level, code) per row: ("instance", "<tenant id>"), ("county", "M"), ("nation", "SE")."""
        return (
            [("instance", str(pk)) for pk in self.instances]
            + [("county", code) for code in self.counties]
            + [("nation", NATION)]
        )

    @property
    def category_keys(self) -> list[str]:
        return [*self.categories, TOTAL] if self.has_total else list(self.categories)

    @property
    def periods(self) -> list[str]:
        return [f"{month:%Y-%m}" for month in self.months] + [str(year) for year in self.years]

    def equations(self) -> list[Equation]:
        count = len(self.instances)
        county_index = {code: count + i for i, code in enumerate(self.counties)}
        nation = count + len(self.counties)
        equations = [
            Equation(0, county_index[code], tuple(i for i, c in enumerate(self.instance_counties) if c == code))
            for code in self.counties
        ]
        equations.append(Equation(0, nation, tuple(county_index.values())))
        if self.has_total:
            equations.append(Equation(1, len(self.categories), tuple(range(len(self.categories)))))
        for offset, year in enumerate(self.years):
            months = tuple(i for i, month in enumerate(self.months) if month.year == year)
            equations.append(Equation(2, len(self.months) + offset, months))
        return equations

    def build(self, base: np.ndarray) -> np.ndarray:
        """The whole cube from the instances' own cells ``base[instance, category, month]``."""
        instances, categories, months = len(self.instances), len(self.categories), len(self.months)
        assert base.shape == (instances, categories, months)
        geo = np.zeros((instances + len(self.counties) + 1, categories, months), dtype=np.int64)
        geo[:instances] = base
        for i, code in enumerate(self.counties):
            geo[instances + i] = base[[j for j, c in enumerate(self.instance_counties) if c == code]].sum(axis=0)
        geo[-1] = base.sum(axis=0)
        if self.has_total:
            geo = np.concatenate([geo, geo.sum(axis=1, keepdims=True)], axis=1)
        years = [geo[:, :, [i for i, m in enumerate(self.months) if m.year == year]].sum(axis=2) for year in self.years]
        if years:
            geo = np.concatenate([geo, np.stack(years, axis=2)], axis=2)
        return geo


def publish(layout: Layout, base: np.ndarray, threshold: int) -> tuple[np.ndarray, np.ndarray]:
    """(values, status) of the whole cube, status from the one suppression function."""
    values = layout.build(base)
    instances = tuple(range(len(layout.instances)))
    return values, suppress(values, layout.equations(), threshold, detail_rows=instances)
