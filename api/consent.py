"""Consent (samtycke) for a child: list, record, withdraw. Through the child permission like every child view."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from api.children import ChildScopedView
from backa_platform.core.validators import LONG_TEXT_MAX_LENGTH
from modules.children.permissions import MANAGE
from modules.consent.models import Consent
from modules.consent.selectors import consents_of
from modules.consent.services import consent_record, consent_withdraw
from modules.organisations.models import Organisation


class ConsentSerializer(serializers.ModelSerializer):
    organisations = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    given_by_guardian = serializers.CharField(source="given_by_guardian.name", default=None, read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.full_name", read_only=True)

    class Meta:
        model = Consent
        fields = [
            "id",
            "given_by_guardian",
            "given_by_child",
            "given_on",
            "organisations",
            "purpose",
            "valid_until",
            "method",
            "recorded_by",
            "recorded_at",
            "withdrawn_at",
            "withdrawal_reason",
        ]


class ConsentInputSerializer(serializers.Serializer):
    given_by_guardian_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    given_by_child = serializers.BooleanField(required=False, default=False)
    given_on = serializers.DateField()
    organisation_ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    purpose = serializers.CharField(max_length=LONG_TEXT_MAX_LENGTH)
    valid_until = serializers.DateField()
    method = serializers.ChoiceField(choices=Consent.Method.choices)


class ConsentList(ChildScopedView):
    """GET: the child's consents (Barnteam may read). POST: record one (Barnkontakt, Stödsamordnare)."""

    serializer_class = ConsentSerializer
    pagination_class = None

    def get_permissions(self):
        self.child_access = MANAGE if self.request.method == "POST" else self.child_access
        return super().get_permissions()

    @extend_schema(responses=ConsentSerializer(many=True))
    def get(self, request, child_id):
        return Response(self.get_serializer(consents_of(child=request.child), many=True).data)

    def post(self, request, child_id):
        data = ConsentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        child = request.child
        guardian = None
        if values["given_by_guardian_id"]:
            guardian = child.guardians.filter(pk=values["given_by_guardian_id"]).first()
            if guardian is None:
                raise ValidationError({"given_by_guardian_id": [_("Okänd vårdnadshavare för barnet.")]})
        organisations = list(Organisation.objects.filter(pk__in=values["organisation_ids"]))
        if len(organisations) != len(set(values["organisation_ids"])):
            raise ValidationError({"organisation_ids": [_("Okänd organisation.")]})
        consent = consent_record(
            child=child,
            acting_user=request.user,
            organisations=organisations,
            purpose=values["purpose"],
            given_on=values["given_on"],
            valid_until=values["valid_until"],
            method=values["method"],
            given_by_guardian=guardian,
            given_by_child=values["given_by_child"],
            request=request,
        )
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=LONG_TEXT_MAX_LENGTH, required=False, allow_blank=True, default="")


class ConsentWithdraw(ChildScopedView):
    """Withdraw a consent: access resting on it ends at once; those affected are told."""

    serializer_class = WithdrawSerializer
    child_access = MANAGE

    def post(self, request, child_id, consent_id):
        consent = request.child.consents.filter(pk=consent_id).first()
        if consent is None:
            raise NotFound
        data = WithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        consent_withdraw(
            consent=consent, acting_user=request.user, reason=data.validated_data["reason"], request=request
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
