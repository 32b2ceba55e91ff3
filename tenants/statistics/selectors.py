"""Reads of published statistics: the current publication, its cubes, and tables cut from them.

Everything shown anywhere (pages, exports, API) is read from a ``PublishedCube``: disclosure control has
already been applied once to the whole cube, so no view can show a hidden count or build one from others.
"""

from dataclasses import dataclass

from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from modules.statistics.metrics import COMPASS_PREFIX, compass_metric_parts
from tenants.models import County, Tenant
from tenants.statistics.cube import NATION, TOTAL
from tenants.statistics.models import Publication, PublishedCube, SnapshotRun
from tenants.statistics.services import MARK_PROTECTING, MARK_UNDER_THRESHOLD, NO_COUNTY, statistics_publish

METRIC_LABELS = {
    "concerns_by_unit_kind": gettext_lazy("Oro som väckts, efter upptäckarens verksamhet"),
    "concern_ack_days": gettext_lazy("Dagar från oro till kvittens"),
    "concern_to_assessment_days": gettext_lazy("Dagar från första oro till första bedömning"),
    "children_by_support_level": gettext_lazy("Barn efter stödnivå (vid månadens slut)"),
    "support_level_moves": gettext_lazy("Byten av stödnivå vid uppföljning"),
    "plans_active": gettext_lazy("Aktiva planer, uppföljning i tid"),
    "goal_outcomes": gettext_lazy("Mål i Barnets plan efter utfall"),
    "meetings_held": gettext_lazy("Hållna möten, med vårdnadshavare och barn"),
    "consents": gettext_lazy("Samtycken givna, återkallade och utgångna"),
    "organisations_in_teams": gettext_lazy("Organisationer som deltar i barnteam"),
    "training__local_admin": gettext_lazy("Utbildning klar: lokala administratörer"),
    "training__process_lead": gettext_lazy("Utbildning klar: processledare"),
    "training__staff": gettext_lazy("Utbildning klar: medarbetare"),
}
CATEGORY_LABELS = {
    TOTAL: gettext_lazy("Totalt"),
    "unknown": gettext_lazy("Okänd verksamhet"),
    "forskola": gettext_lazy("Förskola"),
    "skola": gettext_lazy("Skola"),
    "elevhalsa": gettext_lazy("Elevhälsa"),
    "socialtjanst": gettext_lazy("Socialtjänst"),
    "bhv": gettext_lazy("BHV/BVC"),
    "barnmorskemottagning": gettext_lazy("Barnmorskemottagning"),
    "bup": gettext_lazy("BUP"),
    "habilitering": gettext_lazy("Habilitering"),
    "polis": gettext_lazy("Polis"),
    "kommun": gettext_lazy("Kommun"),
    "region": gettext_lazy("Region"),
    "d0_1": gettext_lazy("0–1 dagar"),
    "d2_7": gettext_lazy("2–7 dagar"),
    "d8_30": gettext_lazy("8–30 dagar"),
    "d31_plus": gettext_lazy("mer än 30 dagar"),
    "none": gettext_lazy("ingen bedömning än"),
    "same": gettext_lazy("Oförändrad"),
    "on_time": gettext_lazy("Uppföljning i tid"),
    "overdue": gettext_lazy("Uppföljning försenad"),
    "reached": gettext_lazy("Uppnått"),
    "partly": gettext_lazy("Delvis uppnått"),
    "not_reached": gettext_lazy("Inte uppnått"),
    "guardians_and_child": gettext_lazy("Vårdnadshavare och barnet deltog"),
    "guardians": gettext_lazy("Vårdnadshavare deltog"),
    "child": gettext_lazy("Barnet deltog"),
    "staff_only": gettext_lazy("Endast personal"),
    "given": gettext_lazy("Givna"),
    "withdrawn": gettext_lazy("Återkallade"),
    "expired": gettext_lazy("Utgångna"),
    "done": gettext_lazy("Klar"),
    "not_done": gettext_lazy("Inte klar"),
    "improved": gettext_lazy("Förbättrad"),
    "worse": gettext_lazy("Försämrad"),
}


def metric_label(key: str) -> str:
    if key in METRIC_LABELS:
        return str(METRIC_LABELS[key])
    if key.startswith(COMPASS_PREFIX):
        version, area = compass_metric_parts(key)
        return _("Behovskompassen, %(area)s (release %(version)s): förändring från första bedömning") % {
            "area": area.replace("-", " ").replace("_", " "),
            "version": version,
        }
    return key


def category_label(key: str) -> str:
    if key in CATEGORY_LABELS:
        return str(CATEGORY_LABELS[key])
    if "__" in key:  # a move between two support levels
        before, after = key.split("__", 1)
        return _("%(before)s till %(after)s") % {"before": before, "after": after}
    return key.replace("_", " ")


@dataclass
class Shown:
    """One cell as a reader gets it: a count, or why there is none."""

    value: int | None
    mark: str  # "", "under_threshold", "protecting"

    @property
    def is_shown(self) -> bool:
        return self.value is not None


@dataclass
class Cube:
    metric: str
    geography: list[tuple[str, str]]
    categories: list[str]
    periods: list[str]
    values: list[int]

    @classmethod
    def of(cls, stored: PublishedCube) -> "Cube":
        return cls(
            stored.metric, [tuple(g) for g in stored.geography], stored.categories, stored.periods, stored.values
        )

    def shown(self, geo: int, category: int, period: int) -> Shown:
        value = self.values[(geo * len(self.categories) + category) * len(self.periods) + period]
        if value == MARK_UNDER_THRESHOLD:
            return Shown(None, "under_threshold")
        if value == MARK_PROTECTING:
            return Shown(None, "protecting")
        return Shown(value, "")

    def geo_index(self, level: str, code: str) -> int | None:
        try:
            return self.geography.index((level, code))
        except ValueError:
            return None

    def rows(self, level: str) -> list[int]:
        return [i for i, (lvl, _code) in enumerate(self.geography) if lvl == level]

    @property
    def has_total(self) -> bool:
        return bool(self.categories) and self.categories[-1] == TOTAL

    def share(self, geo: int, category: int, period: int) -> int | None:
        """A category's share of its total in whole per cent, only when both are shown (never a ratio on a
        hidden base)."""
        if not self.has_total:
            return None
        part, whole = self.shown(geo, category, period), self.shown(geo, len(self.categories) - 1, period)
        if not part.is_shown or not whole.is_shown or not whole.value:
            return None
        return round(100 * part.value / whole.value)

    def period_index(self, period: str) -> int | None:
        """A year of a stock has no column of its own: it is its last month that has one."""
        if period in self.periods:
            return self.periods.index(period)
        months = [i for i, p in enumerate(self.periods) if p.startswith(f"{period}-")]
        return months[-1] if months else None


def publication_current() -> Publication | None:
    """The publication of the latest snapshot date, built here only if there is none yet: the nightly task (and
    ``manage.py statistics_snapshot``) builds it after the fan-out, since disclosure control over a national cube
    takes seconds to minutes, which no page view should wait for."""
    latest = SnapshotRun.objects.aggregate(on=Max("snapshot_on"))["on"]
    if latest is None:
        return None
    publication = Publication.objects.filter(snapshot_on=latest).first()
    return publication if publication is not None else statistics_publish(snapshot_on=latest)


def cubes_of(publication: Publication, *, metrics: list[str] | None = None) -> dict[str, Cube]:
    stored = PublishedCube.objects.filter(publication=publication).order_by("metric")
    if metrics is not None:
        stored = stored.filter(metric__in=metrics)
    return {cube.metric: Cube.of(cube) for cube in stored}


def metric_keys(publication: Publication) -> list[str]:
    return list(
        PublishedCube.objects.filter(publication=publication).order_by("metric").values_list("metric", flat=True)
    )


def geography_names(geography: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    tenant_ids = [int(code) for level, code in geography if level == "instance"]
    names = dict(Tenant.objects.filter(pk__in=tenant_ids).values_list("pk", "name"))
    counties = dict(County.choices)
    result = {}
    for level, code in geography:
        if level == "instance":
            result[(level, code)] = names.get(int(code), code)
        elif level == "county":
            result[(level, code)] = counties.get(code, _("Utan län") if code == NO_COUNTY else code)
        else:
            result[(level, code)] = _("Hela landet") if code == NATION else code
    return result


def rows_for_export(cube: Cube, *, levels: set[tuple[str, str]] | None = None, names=None) -> list[dict]:
    """Every cell of ``cube`` (or of the given geography only) as one flat row, marks as words."""
    names = names or geography_names(cube.geography)
    rows = []
    for g, geo in enumerate(cube.geography):
        if levels is not None and geo not in levels:
            continue
        for c, category in enumerate(cube.categories):
            for p, period in enumerate(cube.periods):
                shown = cube.shown(g, c, p)
                rows.append(
                    {
                        "metric": cube.metric,
                        "level": geo[0],
                        "code": geo[1],
                        "name": names[geo],
                        "category": category,
                        "period": period,
                        "value": shown.value,
                        "mark": shown.mark,
                    }
                )
    return rows
