"""Staff: local admins invite staff into a unit with a role and deactivate accounts; anyone signs in for an
API token."""

from django.contrib.auth import authenticate, get_user
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from api.children import AtomicAPIView
from api.permissions import MayAdministerAccounts
from modules.accounts import strong_auth
from modules.accounts.lockout import is_locked_out, lockout_message
from modules.accounts.models import STAFF_ROLE_CHOICES, User
from modules.accounts.selectors import staff_of_site
from modules.accounts.services import api_token_create, staff_change, staff_invite, user_deactivate
from modules.organisations.models import Unit


class StaffDirectorySerializer(serializers.ModelSerializer):
    # None for an account without a unit (a local admin may have none).
    unit = serializers.CharField(source="unit.name", default=None, read_only=True, allow_null=True)
    organisation = serializers.CharField(source="unit.organisation.name", default=None, read_only=True, allow_null=True)
    organisation_id = serializers.IntegerField(
        source="unit.organisation_id", default=None, read_only=True, allow_null=True
    )
    role = serializers.CharField(read_only=True, help_text="local_admin, process_lead or staff")

    class Meta:
        model = User
        fields = ["id", "full_name", "email", "role", "unit", "organisation", "organisation_id"]


class StaffDirectory(ListAPIView):
    """Active colleagues with their unit and organisation: whom to add to a Barnteam or hand a role to."""

    serializer_class = StaffDirectorySerializer

    def get_queryset(self):
        return staff_of_site().filter(is_active=True)


class InviteSerializer(serializers.Serializer):
    email = serializers.EmailField()
    full_name = serializers.CharField(max_length=200)
    role = serializers.ChoiceField(choices=STAFF_ROLE_CHOICES)
    unit_id = serializers.IntegerField()


class InvitationCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    expires_at = serializers.DateTimeField()


class StaffInvite(AtomicAPIView):
    """Invite a staff member by e-mail (one-time link, valid seven days) into a unit with a role."""

    serializer_class = InviteSerializer
    permission_classes = [MayAdministerAccounts]

    @extend_schema(responses={201: InvitationCreatedSerializer})
    def post(self, request):
        data = InviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        unit = Unit.objects.filter(pk=values["unit_id"]).first()
        if unit is None:
            raise ValidationError({"unit_id": [_("Okänd enhet.")]})
        invitation = staff_invite(
            email=values["email"],
            full_name=values["full_name"],
            role=values["role"],
            unit=unit,
            acting_user=request.user,
        )
        return Response(InvitationCreatedSerializer(invitation).data, status=status.HTTP_201_CREATED)


class StaffDeactivate(AtomicAPIView):
    """Deactivate an account: no login, no session and no API token from now on; its history stays."""

    permission_classes = [MayAdministerAccounts]
    serializer_class = None

    @extend_schema(request=None, responses={204: None})
    def post(self, request, user_id):
        user = User.objects.filter(pk=user_id).first()
        if user is None:
            raise NotFound
        user_deactivate(user=user, acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class StaffChangeSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=STAFF_ROLE_CHOICES)
    unit_id = serializers.IntegerField()


class StaffChange(AtomicAPIView):
    """Change a staff member's role and unit. The change is kept with who made it and when, and audited
    (loggkontroll shows it in words)."""

    serializer_class = StaffChangeSerializer
    permission_classes = [MayAdministerAccounts]

    @extend_schema(responses={200: StaffDirectorySerializer})
    def put(self, request, user_id):
        user = User.objects.filter(pk=user_id).first()
        if user is None:
            raise NotFound
        data = StaffChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = Unit.objects.filter(pk=data.validated_data["unit_id"]).first()
        if unit is None:
            raise ValidationError({"unit_id": [_("Okänd enhet.")]})
        staff_change(user=user, role=data.validated_data["role"], unit=unit, acting_user=request.user, request=request)
        return Response(StaffDirectorySerializer(user).data)


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(required=False, help_text="not needed from a strongly authenticated session")
    password = serializers.CharField(
        max_length=128, required=False, style={"input_type": "password"}, help_text="with email"
    )
    code = serializers.CharField(
        max_length=64,
        required=False,
        help_text="the six digits the person's authenticator app shows, or one of their recovery codes",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField(help_text="after this the token is refused; fetch a new one")


class TokenThrottle(AnonRateThrottle):
    rate = "30/minute"


class ObtainToken(GenericAPIView):
    """An API token (``Authorization: Token <token>``), only for a strongly authenticated person: either this
    site's e-mail, password and second-factor code, or (with no body) a session signed in with both steps.
    Failures count towards the lockout (per account and per address) as on the sign-in page; a locked-out
    account or address is answered 403 ``locked_out`` with the time to try again."""

    serializer_class = TokenRequestSerializer
    permission_classes = [AllowAny]
    authentication_classes = []
    # Not an AtomicAPIView: a refusal's audit entry and its count towards the lockout must stay.
    throttle_classes = [TokenThrottle]

    @extend_schema(responses={201: TokenSerializer})
    def post(self, request):
        http_request = request._request
        # No authentication classes (DRF then sets an anonymous user on the request): the session is read here.
        session_user = get_user(http_request)
        if session_user.is_authenticated and strong_auth.is_strong(http_request):
            # The session's cookie is what authenticates here: refused without the CSRF token, as any session POST.
            SessionAuthentication().enforce_csrf(request)
            return self._issue(http_request, session_user)
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        missing = {field: [_("Detta fält måste fyllas i.")] for field in ("email", "password") if not values.get(field)}
        if missing:
            raise ValidationError(missing)
        email = values["email"].strip().lower()
        if is_locked_out(http_request, email=email):
            raise PermissionDenied(lockout_message(http_request, {"username": email}), code="locked_out")
        user = authenticate(http_request, username=email, password=values["password"])
        if getattr(http_request, "axes_locked_out", False):
            raise PermissionDenied(lockout_message(http_request, {"username": email}), code="locked_out")
        if user is None:  # also an inactive account: ModelBackend refuses it
            raise ValidationError({"detail": [_("Fel e-postadress eller lösenord.")]})
        if not strong_auth.has_second_factor(user):
            raise PermissionDenied(
                _(
                    "En API-nyckel kräver tvåstegsverifiering. Logga in på webbplatsen en gång och lägg till en "
                    "autentiseringsapp, och skicka sedan med koden från den."
                ),
                code="strong_auth_required",
            )
        if not values.get("code"):
            raise ValidationError({"code": [_("Ange koden från din autentiseringsapp eller en reservkod.")]})
        if strong_auth.second_factor_verify(request=http_request, user=user, code=values["code"]) is None:
            if getattr(http_request, "axes_locked_out", False):
                raise PermissionDenied(lockout_message(http_request, {"username": email}), code="locked_out")
            raise ValidationError({"code": [_("Koden stämmer inte.")]})
        return self._issue(http_request, user)

    def _issue(self, http_request, user):
        with transaction.atomic():
            issued = api_token_create(user=user)
            strong_auth.api_token_sign_in_record(request=http_request, user=user)
        return Response(
            TokenSerializer({"token": issued.key, "expires_at": issued.expires_at}).data, status=status.HTTP_201_CREATED
        )
