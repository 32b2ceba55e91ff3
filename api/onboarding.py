"""Applications to join Backa barnet, and the national coordinators' decisions."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListCreateAPIView, RetrieveAPIView, get_object_or_404
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from api.permissions import IsNationalCoordinator
from api.schema import described
from backa_platform.core.validators import LONG_TEXT_MAX_LENGTH
from tenants.models import County, Tenant
from tenants.onboarding.models import Application, Partner
from tenants.onboarding.selectors import applications_all
from tenants.onboarding.services import application_approve, application_reject, application_submit


class ApplicationSerializer(serializers.ModelSerializer):
    # application_validate checks these and answers each beside its field; the schema states its rules. An
    # organisationsnummer's check digit (group 2: kommuner, regioner) or a subdomain taken no schema can say.
    partners = described(
        serializers.ListField, {"type": "array", "items": {"type": "string", "enum": Partner.values}, "minItems": 1}
    )(child=serializers.ChoiceField(choices=Partner.choices), allow_empty=True)
    organisation_number = described(
        serializers.CharField, {"type": "string", "pattern": r"^2[0-9]{5}-?[0-9]{4}$", "maxLength": 13}
    )(max_length=13)
    subdomain = described(
        serializers.CharField, {"type": "string", "pattern": r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", "maxLength": 63}
    )(max_length=100)
    contact_email = described(serializers.CharField, {"type": "string", "format": "email", "maxLength": 254})(
        max_length=254
    )
    kind = described(
        serializers.CharField, {"type": "string", "enum": [Tenant.Kind.MUNICIPALITY.value, Tenant.Kind.REGION.value]}
    )(max_length=20)
    county = described(serializers.CharField, {"type": "string", "enum": County.values})(max_length=2)

    class Meta:
        model = Application
        fields = [
            "id",
            "organisation_name",
            "organisation_number",
            "kind",
            "county",
            "subdomain",
            "contact_name",
            "contact_email",
            "contact_phone",
            "partners",
            "status",
            "decided_at",
            "decision_reason",
            "tenant",
            "created_at",
        ]
        read_only_fields = ["id", "status", "decided_at", "decision_reason", "tenant", "created_at"]


class ApplicationReceiptSerializer(serializers.ModelSerializer):
    class Meta:
        model = Application
        fields = ["id", "organisation_name", "organisation_number", "subdomain", "status", "created_at"]


class ApplicationFilterSerializer(serializers.Serializer):
    """An unknown status is a 400, not an empty queue (nor, with a NUL, a 500)."""

    status = serializers.ChoiceField(choices=Application.Status.choices, required=False, allow_blank=True)


class ApplicationThrottle(AnonRateThrottle):
    rate = "20/hour"


class ApplicationListCreate(ListCreateAPIView):
    """POST: anyone may apply (a municipality or region). GET: the queue, for national coordinators."""

    serializer_class = ApplicationSerializer

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsNationalCoordinator()]

    def get_throttles(self):
        return [ApplicationThrottle()] if self.request.method == "POST" else []

    def get_queryset(self):
        applications = applications_all()
        filters = ApplicationFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data.get("status")
        return applications.filter(status=wanted) if wanted else applications

    @extend_schema(parameters=[ApplicationFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(responses={201: ApplicationReceiptSerializer})
    def post(self, request, *args, **kwargs):
        serializer = ApplicationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        application = application_submit(**data)
        return Response(ApplicationReceiptSerializer(application).data, status=status.HTTP_201_CREATED)


class ApplicationDetail(RetrieveAPIView):
    serializer_class = ApplicationSerializer
    permission_classes = [IsNationalCoordinator]
    queryset = Application.objects.all()


class DecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=LONG_TEXT_MAX_LENGTH, required=False, allow_blank=True, default="")


class _Decision(APIView):
    permission_classes = [IsNationalCoordinator]
    decide = None

    @extend_schema(request=DecisionSerializer, responses={200: ApplicationSerializer})
    def post(self, request, pk: int):
        application = get_object_or_404(Application, pk=pk)
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = type(self).decide(
            application=application, acting_user=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(ApplicationSerializer(application).data)


class ApplicationApprove(_Decision):
    """Approve: the tenant is registered and a worker provisions it (see its provisioning job)."""

    decide = staticmethod(application_approve)


class ApplicationReject(_Decision):
    """Reject with a reason (required); the applicant is told by e-mail."""

    decide = staticmethod(application_reject)
