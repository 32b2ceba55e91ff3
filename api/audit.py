"""Loggkontroll: who accessed a given child and when, or who accessed what during a period."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.response import Response

from api.children import AtomicAPIView, EmergencyAccessSerializer
from api.permissions import IsLocalAdmin, MayReviewAccess
from modules.accounts.models import User
from modules.audit.models import AuditEntry
from modules.audit.services import access_review, audit_record_children
from modules.children.models import EmergencyAccess
from modules.children.selectors import emergency_accesses_to_review
from modules.children.services import emergency_access_review


class AccessReviewFilter(serializers.Serializer):
    # A child's id, never its personnummer: query strings end up in logs and browser history.
    child_id = serializers.IntegerField(required=False, help_text="the child whose accesses to show")
    actor_id = serializers.IntegerField(required=False)
    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False)


class AuditEntrySerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.full_name", default=None, read_only=True)
    actor_email = serializers.CharField(source="actor.email", default=None, read_only=True)

    class Meta:
        model = AuditEntry
        fields = ["id", "at", "actor", "actor_email", "child_id", "action", "object_type", "object_id", "ip_address"]


def access_review_query(*, user, params, request):
    """Parse the filter and run the review (which is itself logged)."""
    data = AccessReviewFilter(data=params)
    data.is_valid(raise_exception=True)
    values = data.validated_data
    actor = None
    if values.get("actor_id"):
        actor = User.objects.filter(pk=values["actor_id"]).first()
        if actor is None:
            raise ValidationError({"actor_id": [_("Okänd användare.")]})
    return access_review(
        acting_user=user,
        child_id=values.get("child_id"),
        actor=actor,
        since=values.get("since"),
        until=values.get("until"),
        request=request,
    )


class AccessReview(AtomicAPIView, ListAPIView):
    """Loggkontroll for local admins and processledare; the review is itself logged."""

    serializer_class = AuditEntrySerializer
    permission_classes = [MayReviewAccess]

    def get_queryset(self):
        return access_review_query(user=self.request.user, params=self.request.query_params, request=self.request)


class EmergencyAccessOpen(AtomicAPIView, ListAPIView):
    """Nödåtkomster waiting for the local admin's review, oldest first (loggkontroll shows them first). Showing
    them is logged as a review of each child concerned."""

    serializer_class = EmergencyAccessSerializer
    permission_classes = [MayReviewAccess]

    def get_queryset(self):
        return emergency_accesses_to_review()

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        rows = response.data["results"] if isinstance(response.data, dict) else response.data
        audit_record_children(
            acting_user=request.user,
            action="access_review",
            child_ids=sorted({row["child_id"] for row in rows}),
            request=request,
        )
        return response


class EmergencyAccessReview(AtomicAPIView):
    """The local admin closes the review of one Nödåtkomst (400, code "reviewed", if it was closed already)."""

    serializer_class = EmergencyAccessSerializer
    permission_classes = [IsLocalAdmin]

    @extend_schema(request=None, responses={200: EmergencyAccessSerializer})
    def post(self, request, grant_id):
        grant = EmergencyAccess.objects.filter(pk=grant_id).first() if grant_id <= 2**63 - 1 else None
        if grant is None:
            raise NotFound
        grant = emergency_access_review(grant=grant, acting_user=request.user, request=request)
        return Response(EmergencyAccessSerializer(grant).data)
