"""Published statistics: the national coordinator's (central site: every instance, county and the nation) and an
instance's own (its local admin and processledare: itself beside the nation). Only disclosure-controlled cells;
every call is logged as a tenant event, like the pages."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import IsNationalCoordinator, RulePermission
from modules.accounts import rules
from tenants.statistics.cube import NATION
from tenants.statistics.selectors import (
    cubes_of,
    geography_names,
    metric_keys,
    metric_label,
    publication_current,
    rows_for_export,
)
from tenants.statistics.services import statistics_view_record

MayReadLocalStatistics = RulePermission(rules.may_read_local_statistics, site=rules.TENANT)
LEVELS = ("instance", "county", "nation")


class MetricSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class CellSerializer(serializers.Serializer):
    metric = serializers.CharField()
    level = serializers.ChoiceField(choices=LEVELS)
    code = serializers.CharField(help_text="The tenant's id, the county's letter code, or SE.")
    name = serializers.CharField()
    category = serializers.CharField()
    period = serializers.CharField(help_text="YYYY-MM for a month, YYYY for a year.")
    value = serializers.IntegerField(allow_null=True, help_text="Null when the cell is not shown (see mark).")
    mark = serializers.ChoiceField(
        choices=["", "under_threshold", "protecting"],
        help_text="under_threshold: fewer than the threshold; protecting: hidden so that a smaller cell cannot be "
        "computed from the totals.",
    )


class StatisticsSerializer(serializers.Serializer):
    snapshot_on = serializers.DateField(allow_null=True)
    threshold = serializers.IntegerField(allow_null=True)
    instances = serializers.IntegerField(allow_null=True)
    metrics = MetricSerializer(many=True)
    cells = CellSerializer(many=True)


PARAMETERS = [
    OpenApiParameter("metric", str, description="A metric's key (from `metrics`); without it only the list."),
    OpenApiParameter("level", str, enum=list(LEVELS), description="Only this level of geography."),
    OpenApiParameter("period", str, description="Only this period: YYYY-MM or YYYY."),
]


class _Statistics(APIView):
    scope = ""

    def levels_shown(self, request) -> set | None:
        return None

    def record(self, request, metric: str) -> None:
        raise NotImplementedError

    def get(self, request):
        metric, level, period = (request.query_params.get(key, "") for key in ("metric", "level", "period"))
        publication = publication_current()
        body = {"snapshot_on": None, "threshold": None, "instances": None, "metrics": [], "cells": []}
        if "level" in request.query_params and level not in LEVELS:
            raise ValidationError({"level": [_("Välj instance, county eller nation.")]})
        if publication is not None:
            keys = metric_keys(publication)
            body.update(
                snapshot_on=publication.snapshot_on,
                threshold=publication.threshold,
                instances=publication.instances,
                metrics=[{"key": key, "label": metric_label(key)} for key in keys],
            )
            if metric:
                if metric not in keys:
                    raise ValidationError({"metric": [_("Okänt mått.")]})
                cube = cubes_of(publication, metrics=[metric])[metric]
                if period and period not in cube.periods:
                    raise ValidationError({"period": [_("Perioden finns inte i statistiken.")]})
                rows = rows_for_export(cube, levels=self.levels_shown(request), names=geography_names(cube.geography))
                body["cells"] = [
                    row
                    for row in rows
                    if (not level or row["level"] == level) and (not period or row["period"] == period)
                ]
        elif metric:
            raise ValidationError({"metric": [_("Okänt mått.")]})
        self.record(request, metric)
        return Response(StatisticsSerializer(body).data)


class NationalStatistics(_Statistics):
    permission_classes = [IsNationalCoordinator]

    def record(self, request, metric):
        statistics_view_record(
            tenant=request.tenant, scope="national", output="api", metric=metric, acting_user=request.user
        )

    @extend_schema(parameters=PARAMETERS, responses=StatisticsSerializer, operation_id="statistics_national")
    def get(self, request):
        """The published national statistics: every instance, county and the nation."""
        return super().get(request)


class LocalStatistics(_Statistics):
    permission_classes = [MayReadLocalStatistics]

    def levels_shown(self, request):
        return {("instance", str(request.tenant.pk)), ("nation", NATION)}

    def record(self, request, metric):
        user = request.user
        statistics_view_record(
            tenant=request.tenant,
            scope="instance",
            output="api",
            metric=metric,
            actor_name=f"{user.full_name} <{user.email}>",
        )

    @extend_schema(parameters=PARAMETERS, responses=StatisticsSerializer, operation_id="statistics_local")
    def get(self, request):
        """This instance's published statistics beside the nation's."""
        return super().get(request)
