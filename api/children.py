"""Children, their relationships and chronology. Every view reaches a child only through
``children_visible_to`` (lists) or ``ChildAccessPermission`` (one child); what a user may not see is a 404
exactly like a child that does not exist. Every read commits its audit entries before it answers; every change
writes them in its own transaction (``AtomicAPIView``)."""

from functools import wraps

from django.db import transaction
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from api.pagination import ChildCursorPagination
from api.permissions import ChildAccessPermission
from backa_platform.core.validators import LONG_TEXT_MAX_LENGTH, PHONE_MAX_LENGTH, validate_phone_number
from modules.accounts.models import User
from modules.audit.services import audit_record_children
from modules.casework.documents import casework_export
from modules.children.models import ChildContact, LegalGround, SupportCoordinator, TeamMember
from modules.children.permissions import ANY, FULL, MANAGE, SAFE_METHODS
from modules.children.selectors import (
    child_guardians_and_units,
    children_search,
    children_visible_to,
    current_child_contact,
    current_support_coordinator,
    own_concerns,
    team_with_access,
)
from modules.children.services import (
    CONCERN_RECEIVED,
    GuardianData,
    child_register,
    child_role_hand_over,
    child_units_set,
    emergency_access_grant,
    guardian_add,
    personnummer_reveal,
    team_member_add,
    team_member_end,
)
from modules.chronology.models import Event
from modules.chronology.selectors import chronology_of
from modules.consent.models import Consent
from modules.consent.selectors import consents_of
from modules.organisations.models import Unit


class AtomicAPIView(GenericAPIView):
    """A change (POST, PUT, PATCH, DELETE) is one transaction with its audit entries. A read (GET, HEAD,
    OPTIONS) runs outside one: its audit entry is one INSERT that commits by itself before the answer is built
    (no answer without its entry; if the insert fails, the request fails), so the tenant's audit chain lock,
    taken by that insert, is held for the insert alone and not until the response is rendered. No read here
    writes anything else, and at READ COMMITTED a transaction gave reads no common snapshot anyway."""

    @classmethod
    def as_view(cls, **initkwargs):
        view = super().as_view(**initkwargs)
        atomic_view = transaction.atomic(view)

        @wraps(view)
        def reads_without_transaction(request, *args, **kwargs):
            return (view if request.method in SAFE_METHODS else atomic_view)(request, *args, **kwargs)

        return csrf_exempt(reads_without_transaction)


class ChildScopedView(AtomicAPIView):
    permission_classes = [IsAuthenticated, ChildAccessPermission]
    child_access = FULL


# Plain serializers, not ModelSerializer, for what every child read returns: ModelSerializer introspects the
# model to build its fields on every instance, about a third of a child detail request's time (measured).
class ChildListSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    given_name = serializers.CharField(read_only=True)
    family_name = serializers.CharField(read_only=True)
    personnummer = serializers.CharField(source="personnummer_masked", read_only=True)
    birth_date = serializers.DateField(read_only=True)
    access = serializers.SerializerMethodField()

    def get_access(self, child) -> str:
        if child.is_child_contact or child.is_support_coordinator or child.is_team_member:
            return "full"
        if getattr(child, "has_emergency_access", False):
            return "emergency"  # the whole record, to read only, until the grant expires
        # The recipient of an open routed concern (a processledare): that concern, until acknowledged.
        return "routed_concern" if getattr(child, "is_concern_recipient", False) else "own_concern"


class GuardianSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    relation = serializers.CharField(read_only=True)
    phone = serializers.CharField(read_only=True)
    email = serializers.CharField(read_only=True)


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    organisation = serializers.CharField(read_only=True, help_text="the organisation's name")


class ConcernSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    raised_at = serializers.DateTimeField(read_only=True)
    description = serializers.CharField(read_only=True)


class ChildDetailSerializer(ChildListSerializer):
    """Guardians and units come with the child and its access decision (``child_visible``, ``related``): already
    as the API shows them (``GuardianSerializer``, ``UnitRefSerializer``)."""

    is_coordination_number = serializers.BooleanField(read_only=True)
    guardians = GuardianSerializer(source="guardians_shown", many=True, read_only=True)
    units = UnitRefSerializer(source="units_shown", many=True, read_only=True)
    own_concerns = serializers.SerializerMethodField()

    def get_own_concerns(self, child) -> list[dict]:
        if not child.raised_concern:  # the access decision already knows: no query
            return []
        return ConcernSerializer(own_concerns(child=child, user=self.context["request"].user), many=True).data

    def to_representation(self, child) -> dict:
        # The fields above, written out: building them (a deep copy of every field and nested serializer) and
        # walking them cost ~0.7 ms of the hottest read, as much as its whole access decision (measured). The
        # declared fields stay what the schema documents; tests/api/test_child_read_one_statement.py holds the
        # two to the same keys.
        return {
            "id": child.pk,
            "given_name": child.given_name,
            "family_name": child.family_name,
            "personnummer": child.personnummer_masked,
            "birth_date": child.birth_date.isoformat(),
            "access": self.get_access(child),
            "is_coordination_number": child.is_coordination_number,
            "guardians": child.guardians_shown,
            "units": child.units_shown,
            "own_concerns": self.get_own_concerns(child),
        }


class GuardianInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    relation = serializers.CharField(max_length=60, required=False, default="")
    phone = serializers.CharField(
        max_length=PHONE_MAX_LENGTH, required=False, default="", validators=[validate_phone_number]
    )
    email = serializers.EmailField(required=False, default="")


@extend_schema_field(
    {
        "type": "string",
        "maxLength": 20,
        # What identity_number_parse reads: 10 or 12 ASCII digits, - or + before the last four, blanks around.
        # The date and the check digit a pattern cannot say: a number with either wrong is answered with 400.
        "pattern": r"^ *([0-9]{2})?[0-9]{6} *[-+]? *[0-9]{4} *$",
        "description": "Personnummer or samordningsnummer: ÅÅÅÅMMDD-NNNN or ÅÅMMDD-NNNN (+ for 100 years or older).",
    }
)
class PersonnummerField(serializers.CharField):
    def __init__(self, **kwargs):
        super().__init__(max_length=20, **kwargs)


class ChildRegisterSerializer(serializers.Serializer):
    personnummer = PersonnummerField()
    given_name = serializers.CharField(max_length=100)
    family_name = serializers.CharField(max_length=100)
    concern = serializers.CharField(max_length=LONG_TEXT_MAX_LENGTH, required=False, default="", allow_blank=True)
    as_child_contact = serializers.BooleanField(required=False, default=False)
    guardians = GuardianInputSerializer(many=True, required=False, default=list)
    unit_ids = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)


class ReceivedSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="the concern was received and routed; says nothing of the child")


class ChildList(AtomicAPIView):
    """GET: the children you may see (masked numbers), in name order, a page at a time: ``next`` and
    ``previous`` carry a cursor, the fast way to any depth (``page=N`` still works, slower the deeper it
    goes); each one listed is logged. POST: register a child, or
    find the one already registered with that number (201 created, 200 found, both for whoever has the whole
    record); whoever has not gets 202 "received", the same for a known child and a new one."""

    serializer_class = ChildListSerializer
    pagination_class = ChildCursorPagination

    @extend_schema(operation_id="children_list", responses=ChildListSerializer(many=True))
    def get(self, request):
        page = self.paginator.paginate_children(request, user=request.user)
        audit_record_children(acting_user=request.user, action="list", child_ids=[c.pk for c in page], request=request)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request=ChildRegisterSerializer,
        responses={200: ChildListSerializer, 201: ChildListSerializer, 202: ReceivedSerializer},
    )
    def post(self, request):
        data = ChildRegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        units = list(Unit.objects.filter(pk__in=values["unit_ids"]))
        if len(units) != len(set(values["unit_ids"])):
            raise ValidationError({"unit_ids": [_("Okänd enhet.")]})
        registration = child_register(
            personnummer=values["personnummer"],
            given_name=values["given_name"],
            family_name=values["family_name"],
            concern=values["concern"],
            as_child_contact=values["as_child_contact"],
            guardians=tuple(GuardianData(**g) for g in values["guardians"]),
            units=units,
            acting_user=request.user,
            request=request,
        )
        if registration.received:
            # The same status and body whether the child was known or new: no existence oracle.
            return Response({"detail": str(CONCERN_RECEIVED)}, status=status.HTTP_202_ACCEPTED)
        child = children_visible_to(user=request.user).get(pk=registration.child.pk)
        return Response(
            ChildListSerializer(child).data,
            status=status.HTTP_201_CREATED if registration.created else status.HTTP_200_OK,
        )


class EmergencyAccessRequestSerializer(serializers.Serializer):
    personnummer = PersonnummerField(help_text="the child's personnummer or samordningsnummer")
    reason = serializers.CharField(max_length=LONG_TEXT_MAX_LENGTH, help_text="why the record is needed now")


class EmergencyAccessSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    child_id = serializers.IntegerField(read_only=True)
    user = serializers.CharField(source="user.full_name", read_only=True)
    reason = serializers.CharField(read_only=True)
    granted_at = serializers.DateTimeField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)
    reviewed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    reviewed_by = serializers.CharField(source="reviewed_by.full_name", default=None, read_only=True)


class EmergencyAccessRequest(AtomicAPIView):
    """Nödåtkomst: read access to one child outside your relationships, for a few hours
    (``EMERGENCY_ACCESS_HOURS``), with a reason; logged, the Barnkontakt told, reviewed by the local admin.
    The number travels in the body, never in a URL."""

    serializer_class = EmergencyAccessSerializer

    @extend_schema(request=EmergencyAccessRequestSerializer, responses={201: EmergencyAccessSerializer})
    def post(self, request):
        data = EmergencyAccessRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        grant = emergency_access_grant(
            personnummer=data.validated_data["personnummer"],
            reason=data.validated_data["reason"],
            acting_user=request.user,
            request=request,
        )
        return Response(EmergencyAccessSerializer(grant).data, status=status.HTTP_201_CREATED)


class ChildSearchSerializer(serializers.Serializer):
    q = serializers.CharField(max_length=100, help_text="a name, or a full personnummer / samordningsnummer")


class ChildSearch(AtomicAPIView):
    """Search the children you may see, by name or exact number. A POST, so a name or number never ends up
    in a URL; every hit is logged as a search hit."""

    serializer_class = ChildListSerializer
    pagination_class = None  # at most 50 hits, one list

    @extend_schema(request=ChildSearchSerializer, responses=ChildListSerializer(many=True))
    def post(self, request):
        data = ChildSearchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        hits = children_search(user=request.user, query=data.validated_data["q"], limit=50)
        audit_record_children(
            acting_user=request.user, action="search_hit", child_ids=[c.pk for c in hits], request=request
        )
        return Response(ChildListSerializer(hits, many=True).data)


class GuardianAdd(ChildScopedView):
    """Add a guardian (Barnkontakt, Stödsamordnare)."""

    serializer_class = GuardianInputSerializer
    child_access = MANAGE

    @extend_schema(responses={201: GuardianSerializer})
    def post(self, request, child_id):
        data = GuardianInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        guardian = guardian_add(
            child=request.child,
            guardian=GuardianData(**data.validated_data),
            acting_user=request.user,
            request=request,
        )
        return Response(GuardianSerializer(guardian).data, status=status.HTTP_201_CREATED)


class UnitIdsSerializer(serializers.Serializer):
    unit_ids = serializers.ListField(child=serializers.IntegerField())


class ChildUnitsSet(ChildScopedView):
    """Set the units the child attends (Barnkontakt, Stödsamordnare)."""

    serializer_class = UnitIdsSerializer
    child_access = MANAGE

    @extend_schema(responses={204: None})
    def post(self, request, child_id):
        data = UnitIdsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        units = list(Unit.objects.filter(pk__in=data.validated_data["unit_ids"]))
        if len(units) != len(set(data.validated_data["unit_ids"])):
            raise ValidationError({"unit_ids": [_("Okänd enhet.")]})
        child_units_set(child=request.child, units=units, acting_user=request.user, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ChildDetail(ChildScopedView):
    """One child: the whole record for its Barnkontakt, Barnteam and Stödsamordnare, only the name and one's
    own concerns for whoever raised a concern."""

    serializer_class = ChildDetailSerializer
    child_access = ANY
    # Guardians and units come with the access decision (``child_visible``): only the whole record shows them;
    # whoever raised a concern sees neither.
    child_related = True

    def get(self, request, child_id):
        return Response(self.get_serializer(request.child).data)


class RevealedPersonnummerSerializer(serializers.Serializer):
    personnummer = serializers.CharField()


class ChildRevealPersonnummer(ChildScopedView):
    """The full personnummer; the reveal is logged."""

    serializer_class = RevealedPersonnummerSerializer

    @extend_schema(request=None)
    def post(self, request, child_id):
        return Response(
            {"personnummer": personnummer_reveal(child=request.child, acting_user=request.user, request=request)}
        )


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.full_name", default=None, read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    # What changed, in the request's language: rendered from ``code`` and ``params`` (older events: as stored).
    summary = serializers.CharField(source="detail", read_only=True)

    class Meta:
        model = Event
        fields = ["id", "at", "kind", "kind_display", "actor", "summary", "code", "params"]


class ChildChronology(ChildScopedView):
    """The child's timeline, oldest first."""

    serializer_class = EventSerializer
    pagination_class = None

    @extend_schema(responses=EventSerializer(many=True))
    def get(self, request, child_id):
        return Response(self.get_serializer(chronology_of(child=request.child), many=True).data)


class PersonRefSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name", default=None, read_only=True)
    organisation = serializers.CharField(source="unit.organisation.name", default=None, read_only=True)

    class Meta:
        model = User
        fields = ["id", "full_name", "email", "unit", "organisation"]


class TeamMemberSerializer(serializers.ModelSerializer):
    user = PersonRefSerializer(read_only=True)
    has_access = serializers.BooleanField(read_only=True, help_text="set by team_with_access: the access rule's answer")

    class Meta:
        model = TeamMember
        fields = [
            "id",
            "user",
            "team_role",
            "started_on",
            "ends_on",
            "ended_at",
            "consent",
            "legal_ground",
            "has_access",
        ]


class RelationshipsSerializer(serializers.Serializer):
    child_contact = PersonRefSerializer(allow_null=True)
    support_coordinator = PersonRefSerializer(allow_null=True)
    team = TeamMemberSerializer(many=True)


class ChildRelationships(ChildScopedView):
    """Barnkontakt, Stödsamordnare and Barnteam (with who still has access)."""

    serializer_class = RelationshipsSerializer

    def get(self, request, child_id):
        child = request.child
        contact = current_child_contact(child=child)
        coordinator = current_support_coordinator(child=child)
        return Response(
            RelationshipsSerializer(
                {
                    "child_contact": contact.user if contact else None,
                    "support_coordinator": coordinator.user if coordinator else None,
                    "team": team_with_access(child=child),
                }
            ).data
        )


def _active_user(user_id) -> User:
    user = User.objects.select_related("unit__organisation").filter(pk=user_id, is_active=True).first()
    if user is None:
        raise ValidationError({"user_id": [_("Okänd eller inaktiverad medarbetare.")]})
    return user


class UserIdSerializer(serializers.Serializer):
    user_id = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField(
        max_length=LONG_TEXT_MAX_LENGTH, help_text="why the role changes hands; kept with the decision"
    )


class ChildContactSet(ChildScopedView):
    """Hand the Barnkontakt role to another staff member (Barnkontakt or Stödsamordnare only)."""

    serializer_class = UserIdSerializer
    child_access = MANAGE

    def post(self, request, child_id):
        data = UserIdSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        child_role_hand_over(
            role=ChildContact,
            child=request.child,
            user=_active_user(data.validated_data["user_id"]),
            reason=data.validated_data["reason"],
            acting_user=request.user,
            request=request,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class SupportCoordinatorSet(ChildScopedView):
    """Appoint the Stödsamordnare (``user_id`` null ends coordinated support)."""

    serializer_class = UserIdSerializer
    child_access = MANAGE

    def post(self, request, child_id):
        data = UserIdSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user_id = data.validated_data["user_id"]
        child_role_hand_over(
            role=SupportCoordinator,
            child=request.child,
            user=_active_user(user_id) if user_id else None,
            reason=data.validated_data["reason"],
            acting_user=request.user,
            request=request,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class TeamMemberInputSerializer(serializers.Serializer):
    user_id = serializers.IntegerField()
    team_role = serializers.CharField(max_length=100)
    started_on = serializers.DateField(required=False, allow_null=True, default=None)
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    legal_ground = serializers.ChoiceField(choices=LegalGround.choices, required=False, default="")


class TeamMemberAdd(ChildScopedView):
    """Add a member to the Barnteam; from another organisation only under consent or a legal ground."""

    serializer_class = TeamMemberInputSerializer
    child_access = MANAGE

    @extend_schema(responses={201: TeamMemberSerializer})
    def post(self, request, child_id):
        data = TeamMemberInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        member = team_member_add(
            child=request.child,
            user=_active_user(values["user_id"]),
            team_role=values["team_role"],
            started_on=values["started_on"],
            ends_on=values["ends_on"],
            legal_ground=values["legal_ground"],
            acting_user=request.user,
            request=request,
        )
        (member,) = team_with_access(child=request.child, members=[member])
        return Response(TeamMemberSerializer(member).data, status=status.HTTP_201_CREATED)


class TeamMemberEnd(ChildScopedView):
    """End a member's place in the Barnteam."""

    child_access = MANAGE
    serializer_class = None

    @extend_schema(request=None, responses={204: None})
    def post(self, request, child_id, member_id):
        member = request.child.team_members.select_related("user").filter(pk=member_id).first()
        if member is None:
            raise NotFound
        team_member_end(member=member, acting_user=request.user, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ChildExport(ChildScopedView):
    """The whole record as one JSON document (download); logged as an export."""

    audit_action = "export"
    serializer_class = None

    @extend_schema(responses={200: dict})
    def get(self, request, child_id):
        child = request.child
        contact = current_child_contact(child=child)
        coordinator = current_support_coordinator(child=child)
        guardians, units = child_guardians_and_units(child=child)
        document = {
            "child": ChildListSerializer(child).data,
            "guardians": GuardianSerializer(guardians, many=True).data,
            "units": UnitRefSerializer(units, many=True).data,
            "child_contact": PersonRefSerializer(contact.user).data if contact else None,
            "support_coordinator": PersonRefSerializer(coordinator.user).data if coordinator else None,
            "team": TeamMemberSerializer(team_with_access(child=child), many=True).data,
            "consents": ConsentExportSerializer(consents_of(child=child), many=True).data,
            "chronology": EventSerializer(chronology_of(child=child), many=True).data,
            "casework": casework_export(child=child),
        }
        response = Response(document)
        response["Content-Disposition"] = f'attachment; filename="barn-{child.pk}.json"'
        response["Cache-Control"] = "no-store"
        return response


class ConsentExportSerializer(serializers.ModelSerializer):
    organisations = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = Consent
        fields = ["id", "given_on", "valid_until", "organisations", "purpose", "method", "withdrawn_at"]
