"""Loggkontroll: who accessed a given child and when, or who accessed what during a period."""

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.permissions import BasePermission

from api.children import AtomicAPIView
from modules.accounts.models import User
from modules.audit.models import AuditEntry
from modules.audit.selectors import access_review_entries
from modules.audit.services import audit_record


class MayReviewAccess(BasePermission):
    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.role in (User.Role.LOCAL_ADMIN, User.Role.PROCESS_LEAD))


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
    """Shared by the API, the page and the CSV: parse the filter, log the review itself, return entries."""
    data = AccessReviewFilter(data=params)
    data.is_valid(raise_exception=True)
    values = data.validated_data
    child_id = values.get("child_id")
    actor = None
    if values.get("actor_id"):
        actor = User.objects.filter(pk=values["actor_id"]).first()
        if actor is None:
            raise ValidationError({"actor_id": [_("Okänd användare.")]})
    if child_id is None and actor is None and not (values.get("since") or values.get("until")):
        raise ValidationError({"detail": [_("Ange ett barns personnummer, en användare eller en period.")]})
    audit_record(actor=user, action="access_review", child=child_id, request=request)
    return access_review_entries(child_id=child_id, actor=actor, since=values.get("since"), until=values.get("until"))


class AccessReview(AtomicAPIView, ListAPIView):
    """Loggkontroll for local admins and processledare; the review is itself logged."""

    serializer_class = AuditEntrySerializer
    permission_classes = [MayReviewAccess]
    filter_serializer = AccessReviewFilter

    def get_queryset(self):
        return access_review_query(user=self.request.user, params=self.request.query_params, request=self.request)
