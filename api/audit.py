"""Loggkontroll: who accessed a given child and when, or who accessed what during a period."""

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView

from api.children import AtomicAPIView
from api.permissions import MayReviewAccess
from modules.accounts.models import User
from modules.audit.models import AuditEntry
from modules.audit.services import access_review


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
