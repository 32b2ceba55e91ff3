"""Statistics pages: the national coordinator's (central console) and an instance's own (its local admin and
processledare), each with CSV and JSON exports. Every view and export is recorded as a tenant event."""

import csv
import json

from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import render

from modules.accounts import rules
from modules.accounts.decorators import rule_required
from tenants.models import TenantEvent
from tenants.onboarding.selectors import checklist_views
from tenants.selectors import tenants_ready
from tenants.statistics.charts import trend
from tenants.statistics.cube import NATION
from tenants.statistics.models import SnapshotRun
from tenants.statistics.selectors import (
    Cube,
    category_label,
    cubes_of,
    geography_names,
    metric_keys,
    metric_label,
    publication_current,
    rows_for_export,
)
from tenants.statistics.services import statistics_view_record

coordinator_required = rule_required(rules.is_national_coordinator, site=rules.CENTRAL)
local_reader_required = rule_required(rules.may_read_local_statistics, site=rules.TENANT)

EXPORT_FIELDS = ["metric", "level", "code", "name", "category", "period", "value", "mark"]


def _period_choices(cube: Cube) -> list[str]:
    years = [p for p in cube.periods if "-" not in p]
    if not years:  # a stock: its years are its last months
        years = sorted({p[:4] for p in cube.periods})
    months = [p for p in cube.periods if "-" in p]
    return [*reversed(years), *reversed(months)]


def _table(cube: Cube, rows: list[int], period: int, names: dict) -> dict:
    """Rows of the geography given, a column per category: the count (or why not) and its share of the total."""
    return {
        "categories": [category_label(c) for c in cube.categories],
        "rows": [
            {
                "name": names[cube.geography[g]],
                "cells": [
                    {"shown": cube.shown(g, c, period), "share": cube.share(g, c, period)}
                    for c in range(len(cube.categories))
                ],
            }
            for g in rows
        ],
    }


def _trend(cube: Cube, geo: int) -> dict:
    """The months of one geography: the chart and, transposed, its table."""
    months = [i for i, p in enumerate(cube.periods) if "-" in p]
    if len(months) < 2:
        return {}
    lines = [cube.categories.index("total")] if cube.has_total else range(len(cube.categories))
    series = [(category_label(cube.categories[c]), [cube.shown(geo, c, p) for p in months]) for c in lines]
    return {
        "chart": trend([cube.periods[p] for p in months], series),
        "categories": [category_label(c) for c in cube.categories],
        "rows": [
            {
                "period": cube.periods[p],
                "cells": [{"shown": cube.shown(geo, c, p), "share": None} for c in range(len(cube.categories))],
            }
            for p in months
        ],
    }


def _chosen(request, publication):
    keys = metric_keys(publication)
    if not keys:
        return keys, None, None, None
    key = request.GET.get("metric") or keys[0]
    if key not in keys:
        raise Http404
    cube = cubes_of(publication, metrics=[key])[key]
    choices = _period_choices(cube)
    period = request.GET.get("period") or choices[0]
    if cube.period_index(period) is None:
        raise Http404
    return keys, cube, period, choices


def _common(publication, keys, cube, period, choices) -> dict:
    return {
        "publication": publication,
        "metrics": [(key, metric_label(key)) for key in keys],
        "metric": cube.metric if cube else "",
        "metric_name": metric_label(cube.metric) if cube else "",
        "period": period,
        "periods": choices,
        "threshold": publication.threshold,
    }


@coordinator_required
def national(request):
    publication = publication_current()
    context = {"publication": publication}
    if publication is not None:
        keys, cube, period, choices = _chosen(request, publication)
        context.update(_common(publication, keys, cube, period, choices))
        if cube is not None:
            names = geography_names(cube.geography)
            index = cube.period_index(period)
            nation = cube.geo_index("nation", NATION)
            context.update(
                {
                    "trend": _trend(cube, nation),
                    "by_county": _table(cube, [*cube.rows("county"), nation], index, names),
                    "by_instance": _table(cube, cube.rows("instance"), index, names),
                }
            )
        tenants = list(tenants_ready())
        checklists = checklist_views(tenants)
        went_live = dict(
            TenantEvent.objects.filter(kind=TenantEvent.Kind.WENT_LIVE)
            .values_list("tenant_id")
            .annotate(on=Max("created_at"))
            .values_list("tenant_id", "on")
        )
        reported = set(
            SnapshotRun.objects.filter(snapshot_on=publication.snapshot_on).values_list("tenant_id", flat=True)
        )
        context["onboarding"] = [
            {
                "tenant": t,
                "percent": checklists[t.pk].percent,
                "went_live": went_live.get(t.pk),
                "reported": t.pk in reported,
            }
            for t in tenants
        ]
    statistics_view_record(
        tenant=request.tenant, scope="national", metric=context.get("metric", ""), acting_user=request.user
    )
    return render(request, "statistics/national.html", context)


def _export(rows: list[dict], output: str, filename: str) -> HttpResponse:
    if output == "json":
        response = HttpResponse(json.dumps(rows, ensure_ascii=False, indent=1), content_type="application/json")
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.DictWriter(response, fieldnames=EXPORT_FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{output}"'
    return response


@coordinator_required
def national_export(request, output: str):
    publication = publication_current()
    if publication is None:
        raise Http404
    keys = metric_keys(publication)
    key = request.GET.get("metric") or (keys[0] if keys else "")
    if key not in keys:
        raise Http404
    cube = cubes_of(publication, metrics=[key])[key]
    statistics_view_record(tenant=request.tenant, scope="national", output=output, metric=key, acting_user=request.user)
    return _export(rows_for_export(cube), output, f"statistik-{key}-{publication.snapshot_on}")


def _actor_name(user) -> str:
    return f"{user.full_name} <{user.email}>"


@local_reader_required
def local(request):
    publication = publication_current()
    context = {"publication": publication, "own_name": request.tenant.name}
    if publication is not None:
        keys, cube, period, choices = _chosen(request, publication)
        context.update(_common(publication, keys, cube, period, choices))
        if cube is not None:
            own = cube.geo_index("instance", str(request.tenant.pk))
            nation = cube.geo_index("nation", NATION)
            index = cube.period_index(period)
            rows = [g for g in (own, nation) if g is not None]
            context.update(
                {
                    "reported": own is not None,
                    "beside": _table(cube, rows, index, geography_names(cube.geography)),
                    "trend": _trend(cube, own) if own is not None else {},
                }
            )
    statistics_view_record(
        tenant=request.tenant, scope="instance", metric=context.get("metric", ""), actor_name=_actor_name(request.user)
    )
    return render(request, "statistics/local.html", context)


@local_reader_required
def local_export(request, output: str):
    publication = publication_current()
    if publication is None:
        raise Http404
    wanted = {("instance", str(request.tenant.pk)), ("nation", NATION)}
    rows = []
    for cube in cubes_of(publication).values():
        rows += rows_for_export(cube, levels=wanted)
    statistics_view_record(tenant=request.tenant, scope="instance", output=output, actor_name=_actor_name(request.user))
    return _export(rows, output, f"statistik-{request.tenant.schema_name}-{publication.snapshot_on}")
