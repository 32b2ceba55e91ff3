"""Tenants for the national console: list, detail, events, provisioning jobs, lifecycle actions."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView, RetrieveAPIView, get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import IsNationalCoordinator
from backa_platform.core.validators import LONG_TEXT_MAX_LENGTH
from tenants.models import County, Tenant, TenantEvent, TenantExport, TenantExportJob
from tenants.onboarding.selectors import checklist_view, checklist_views
from tenants.provisioning.models import ProvisioningJob, ProvisioningStep
from tenants.provisioning.services import provisioning_job_retry
from tenants.selectors import tenant_events, tenants_for_console, tenants_local
from tenants.services import tenant_archive, tenant_export_request, tenant_reactivate, tenant_suspend


class TenantSerializer(serializers.ModelSerializer):
    domain = serializers.SerializerMethodField()
    onboarding_percent = serializers.SerializerMethodField()

    class Meta:
        model = Tenant
        fields = [
            "id",
            "name",
            "kind",
            "county",
            "organisation_number",
            "status",
            "status_changed_at",
            "schema_name",
            "domain",
            "onboarding_percent",
            "last_activity_at",
            "created_at",
        ]

    def get_domain(self, tenant) -> str | None:
        domains = list(tenant.domains.all())
        return next((d.domain for d in domains if d.is_primary), None)

    def get_onboarding_percent(self, tenant) -> int | None:
        if tenant.status == Tenant.Status.ARCHIVED:
            return None
        views = self.context.get("checklists") or {}
        view = views.get(tenant.pk) or checklist_view(tenant=tenant)
        return view.percent


class TenantEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = TenantEvent
        fields = ["id", "kind", "actor_name", "reason", "detail", "application", "created_at"]


class ProvisioningStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProvisioningStep
        fields = [
            "position",
            "name",
            "state",
            "detail",
            "error",
            "attempts",
            "started_at",
            "finished_at",
            "duration_ms",
        ]


class ProvisioningJobSerializer(serializers.ModelSerializer):
    steps = ProvisioningStepSerializer(many=True, read_only=True)

    class Meta:
        model = ProvisioningJob
        fields = ["id", "tenant", "status", "attempts", "error", "created_at", "started_at", "finished_at", "steps"]


class TenantExportSerializer(serializers.ModelSerializer):
    class Meta:
        model = TenantExport
        fields = ["id", "size_bytes", "sha256", "manifest", "verified_at", "created_at"]


class TenantFilterSerializer(serializers.Serializer):
    """The console's filters, checked: an unknown value is a 400, not an empty list (nor, with a NUL, a 500)."""

    kind = serializers.ChoiceField(
        choices=[Tenant.Kind.MUNICIPALITY, Tenant.Kind.REGION], required=False, allow_blank=True
    )
    county = serializers.ChoiceField(choices=County.choices, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=Tenant.Status.choices, required=False, allow_blank=True)
    query = serializers.CharField(max_length=100, required=False, allow_blank=True)


class TenantList(ListAPIView):
    """Municipalities and regions, filtered by kind, county, status or a search on name/organisationsnummer."""

    serializer_class = TenantSerializer
    permission_classes = [IsNationalCoordinator]

    @extend_schema(parameters=[TenantFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        context = {**self.get_serializer_context(), "checklists": checklist_views(page)}
        return self.get_paginated_response(TenantSerializer(page, many=True, context=context).data)

    def get_queryset(self):
        filters = TenantFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return tenants_for_console(**filters.validated_data)


class TenantDetail(RetrieveAPIView):
    serializer_class = TenantSerializer
    permission_classes = [IsNationalCoordinator]
    queryset = tenants_local().prefetch_related("domains")


class TenantEventList(ListAPIView):
    serializer_class = TenantEventSerializer
    permission_classes = [IsNationalCoordinator]

    def get_queryset(self):
        tenant = get_object_or_404(tenants_local(), pk=self.kwargs["pk"])
        return tenant_events(tenant=tenant)


def _tenant_or_404(pk: int) -> Tenant:
    # A tenant's list of an unknown tenant is not an empty list: the tenant is not found.
    return get_object_or_404(tenants_local(), pk=pk)


class TenantProvisioningJobList(ListAPIView):
    serializer_class = ProvisioningJobSerializer
    permission_classes = [IsNationalCoordinator]

    def get_queryset(self):
        return ProvisioningJob.objects.filter(tenant=_tenant_or_404(self.kwargs["pk"])).prefetch_related("steps")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=LONG_TEXT_MAX_LENGTH, allow_blank=True)


class ArchiveSerializer(ReasonSerializer):
    confirmation = serializers.CharField(max_length=100, help_text="The tenant's schema name, typed to confirm.")


class _LifecycleAction(APIView):
    permission_classes = [IsNationalCoordinator]
    serializer = ReasonSerializer
    transition = None

    def _tenant(self, pk):
        return get_object_or_404(tenants_local(), pk=pk)

    @extend_schema(request=ReasonSerializer, responses={200: TenantSerializer})
    def post(self, request, pk: int):
        serializer = self.serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tenant = type(self).transition(tenant=self._tenant(pk), acting_user=request.user, **serializer.validated_data)
        return Response(TenantSerializer(tenant).data)


class TenantSuspend(_LifecycleAction):
    """Pause: users see a page saying so, the API answers 503 with code tenant_suspended, data is kept."""

    transition = staticmethod(tenant_suspend)


class TenantReactivate(_LifecycleAction):
    transition = staticmethod(tenant_reactivate)


class TenantArchive(_LifecycleAction):
    """Drop the schema of a paused tenant that has a verified export made since it was paused."""

    serializer = ArchiveSerializer
    transition = staticmethod(tenant_archive)

    @extend_schema(request=ArchiveSerializer, responses={200: TenantSerializer})
    def post(self, request, pk: int):
        return super().post(request, pk)


class TenantExportJobSerializer(serializers.ModelSerializer):
    class Meta:
        model = TenantExportJob
        fields = ["id", "status", "created_at", "finished_at", "export", "error"]
        read_only_fields = fields


class TenantExportCreate(APIView):
    """Start a complete export (pg_dump, manifest, checksum, verified restore) in a worker. 202."""

    permission_classes = [IsNationalCoordinator]

    @extend_schema(request=None, responses={202: TenantExportJobSerializer})
    def post(self, request, pk: int):
        tenant = get_object_or_404(tenants_local(), pk=pk)
        if tenant.status != Tenant.Status.SUSPENDED:
            raise ValidationError(_("Pausa instansen innan den exporteras."), code="not_suspended")
        job = tenant_export_request(tenant=tenant, acting_user=request.user)
        return Response(TenantExportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class TenantExportList(ListAPIView):
    serializer_class = TenantExportSerializer
    permission_classes = [IsNationalCoordinator]

    def get_queryset(self):
        return TenantExport.objects.filter(tenant=_tenant_or_404(self.kwargs["pk"]))


class ProvisioningJobRetry(APIView):
    """Queue a failed provisioning job again; finished steps are not repeated."""

    permission_classes = [IsNationalCoordinator]

    @extend_schema(request=None, responses={202: ProvisioningJobSerializer})
    def post(self, request, pk: int):
        job = get_object_or_404(ProvisioningJob, pk=pk)
        job = provisioning_job_retry(job=job, acting_user=request.user)
        return Response(ProvisioningJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ChecklistItemSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    state = serializers.CharField()
    note = serializers.CharField()
    automatic = serializers.BooleanField()


class ChecklistSerializer(serializers.Serializer):
    percent = serializers.IntegerField()
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    planned_go_live = serializers.DateField(source="checklist.planned_go_live", allow_null=True, default=None)
    actual_go_live = serializers.DateField(source="checklist.actual_go_live", allow_null=True, default=None)
    items = ChecklistItemSerializer(many=True)


class TenantChecklist(APIView):
    """The tenant's onboarding checklist: every item's state, progress and go-live dates."""

    permission_classes = [IsNationalCoordinator]

    @extend_schema(responses={200: ChecklistSerializer})
    def get(self, request, pk: int):
        tenant = get_object_or_404(tenants_local(), pk=pk)
        return Response(ChecklistSerializer(checklist_view(tenant=tenant)).data)
