"""Writes of national statistics: an instance's snapshot (run inside its schema) and a date's publication."""

import datetime

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from modules.statistics.metrics import metric_for
from modules.statistics.selectors import instance_figures, reported_months
from tenants.models import Tenant, TenantEvent
from tenants.services import record_event
from tenants.statistics.cube import Layout, publish
from tenants.statistics.disclosure import PRIMARY, PUBLISHED
from tenants.statistics.models import Publication, PublishedCube, SnapshotCell, SnapshotRun

NO_COUNTY = "none"
# How a hidden cell is stored in a published cube.
MARK_UNDER_THRESHOLD = -1
MARK_PROTECTING = -2


@transaction.atomic
def statistics_snapshot_take(*, today: datetime.date | None = None) -> int:
    """In the current tenant's schema: compute its figures and store them (counts only) for ``today``'s
    snapshot in public, replacing a snapshot it took earlier the same day. Returns the number of cells."""
    tenant = connection.tenant
    today = today or timezone.localdate()
    figures = instance_figures(today=today)
    SnapshotCell.objects.filter(snapshot_on=today, tenant_id=tenant.pk).delete()
    SnapshotCell.objects.bulk_create(
        SnapshotCell(snapshot_on=today, tenant_id=tenant.pk, metric=metric, category=category, month=month, value=value)
        for (metric, category, month), value in figures.items()
    )
    SnapshotRun.objects.update_or_create(
        snapshot_on=today, tenant_id=tenant.pk, defaults={"taken_at": timezone.now(), "cells": len(figures)}
    )
    return len(figures)


def _months_of(metric, snapshot_on: datetime.date) -> list[datetime.date]:
    if metric.key in SNAPSHOT_MONTH_ONLY or metric.key.startswith("training__"):
        return [snapshot_on.replace(day=1)]
    return reported_months(snapshot_on)


# Stocks counted only at the snapshot (the data keeps no history of them).
SNAPSHOT_MONTH_ONLY = {"plans_active", "organisations_in_teams"}


@transaction.atomic
def statistics_publish(*, snapshot_on: datetime.date) -> Publication | None:
    """Build the disclosure-controlled cubes of ``snapshot_on`` from every instance that took part."""
    runs = list(
        SnapshotRun.objects.filter(snapshot_on=snapshot_on)
        .select_related("tenant")
        .order_by("tenant__county", "tenant_id")
    )
    if not runs:
        return None
    threshold = settings.STATISTICS_MIN_CELL
    instances = [run.tenant_id for run in runs]
    counties = [run.tenant.county or NO_COUNTY for run in runs]
    row_of = {pk: i for i, pk in enumerate(instances)}
    by_metric: dict[str, list] = {}
    for tenant_id, metric, category, month, value in SnapshotCell.objects.filter(snapshot_on=snapshot_on).values_list(
        "tenant_id", "metric", "category", "month", "value"
    ):
        by_metric.setdefault(metric, []).append((tenant_id, category, month, value))
    Publication.objects.filter(snapshot_on=snapshot_on).delete()
    publication = Publication.objects.create(snapshot_on=snapshot_on, threshold=threshold, instances=len(runs))
    cubes = []
    for key in sorted(by_metric):
        metric = metric_for(key)
        if metric is None:
            continue
        rows = by_metric[key]
        categories = list(metric.categories) or sorted({category for _t, category, _m, _v in rows})
        months = _months_of(metric, snapshot_on)
        layout = Layout(
            instances=instances,
            instance_counties=counties,
            categories=categories,
            months=months,
            has_total=metric.has_total,
            flow=metric.flow,
        )
        base = np.zeros((len(instances), len(categories), len(months)), dtype=np.int64)
        category_index = {c: i for i, c in enumerate(categories)}
        month_index = {m: i for i, m in enumerate(months)}
        for tenant_id, category, month, value in rows:
            if tenant_id in row_of and category in category_index and month in month_index:
                base[row_of[tenant_id], category_index[category], month_index[month]] = value
        values, status = publish(layout, base, threshold)
        stored = np.where(
            status == PUBLISHED, values, np.where(status == PRIMARY, MARK_UNDER_THRESHOLD, MARK_PROTECTING)
        )
        cubes.append(
            PublishedCube(
                publication=publication,
                metric=key,
                geography=[list(g) for g in layout.geography],
                categories=layout.category_keys,
                periods=layout.periods,
                values=stored.ravel().tolist(),
            )
        )
    PublishedCube.objects.bulk_create(cubes)
    return publication


def statistics_view_record(
    *, tenant: Tenant, scope: str, output: str = "page", metric: str = "", acting_user=None, actor_name: str = ""
) -> None:
    """Every view of statistics is logged like the console's other national actions: a tenant event (the
    central tenant's for the national page, the instance's own for its page), with what was shown."""
    record_event(
        tenant=tenant,
        kind=TenantEvent.Kind.STATISTICS_VIEWED,
        acting_user=acting_user,
        actor_name=actor_name,
        scope=scope,
        output=output,
        metric=metric,
    )
