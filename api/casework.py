"""The process for one child: concerns, Behovskompassen assessments and the compass over time, Barnets plan,
closing, and the staff member's start list. Every view reaches the child through ``ChildAccessPermission``
(404 for a child one may not see, every read logged); writes go through modules/casework/services."""

from datetime import date

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from api.children import AtomicAPIView, ChildScopedView
from api.permissions import IsLocalAdmin
from api.plan import ActionOutSerializer, GoalOutSerializer, ResponsibleInputSerializer, responsible_of
from backa_platform.core.validators import (
    LONG_TEXT_MAX_LENGTH,
    SHORT_TEXT_MAX_LENGTH,
)
from modules.accounts.models import User
from modules.audit.services import audit_record_children
from modules.casework import services
from modules.casework.models import Action, AreaRating, Assessment, Goal, PerspectiveRating, Plan
from modules.casework.perspectives import PerspectiveRatingData
from modules.casework.plan_selectors import agreement_state, review_suggestion
from modules.casework.selectors import (
    assessments_of,
    attention_for,
    compass_over_time,
    concerns_of,
    plan_of,
    retention_months,
)
from modules.children.models import Concern
from modules.children.permissions import ANY, CONCERN, FULL, MANAGE


class ConcernSerializer(serializers.ModelSerializer):
    raised_by = serializers.CharField(source="raised_by.full_name", read_only=True)

    class Meta:
        model = Concern
        fields = [
            "id",
            "raised_by",
            "raised_at",
            "description",
            "area_keys",
            "urgency",
            "guardians_informed",
            "routed_to",
            "acknowledged_at",
        ]
        read_only_fields = fields


class ConcernInputSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=LONG_TEXT_MAX_LENGTH)
    area_keys = serializers.ListField(child=serializers.CharField(max_length=60), required=False, default=list)
    urgency = serializers.ChoiceField(choices=["low", "normal", "high"], default="normal")
    guardians_informed = serializers.BooleanField(allow_null=True, required=False, default=None)


class ConcernList(ChildScopedView):
    """GET: the child's concerns (full access). POST: raise a concern (anyone with a relationship to the child,
    the Upptäckaren included); it goes to the Barnkontakt, who is notified."""

    serializer_class = ConcernInputSerializer

    @property
    def child_access(self):
        return ANY if self.request.method == "POST" else FULL

    @extend_schema(responses={200: ConcernSerializer(many=True)})
    def get(self, request, child_id):
        return Response(ConcernSerializer(concerns_of(child=request.child), many=True).data)

    @extend_schema(responses={201: ConcernSerializer})
    def post(self, request, child_id):
        data = ConcernInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        concern = services.concern_raise(
            child=request.child, raised_by=request.user, request=request, **data.validated_data
        )
        return Response(ConcernSerializer(concern).data, status=status.HTTP_201_CREATED)


class ConcernAcknowledgeInputSerializer(serializers.Serializer):
    child_contact = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True, default=None
    )


class ConcernAcknowledge(ChildScopedView):
    """Acknowledge a concern routed to one (or as the Barnkontakt). A child without a Barnkontakt needs one
    named (``child_contact``, a staff member's id). The recipient of an open routed concern may do this
    without other access to the child; that access ends with the acknowledgement."""

    serializer_class = ConcernAcknowledgeInputSerializer
    child_access = CONCERN

    @extend_schema(responses={200: ConcernSerializer})
    def post(self, request, child_id, concern_id):
        concern = request.child.concerns.filter(pk=concern_id).first()
        if concern is None:
            raise NotFound
        data = ConcernAcknowledgeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.concern_acknowledge(
            concern=concern,
            acting_user=request.user,
            child_contact=data.validated_data["child_contact"],
            request=request,
        )
        return Response(ConcernSerializer(concern).data)


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = AreaRating
        fields = ["area_key", "level_key", "level_value", "description"]


class PerspectiveRatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = PerspectiveRating
        fields = ["perspective_key", "area_key", "level_key", "level_value"]


class AssessmentSerializer(serializers.ModelSerializer):
    release_version = serializers.IntegerField(source="release.version", read_only=True)
    ratings = RatingSerializer(many=True, read_only=True)
    perspective_ratings = PerspectiveRatingSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "assessed_on",
            "is_follow_up",
            "release_version",
            "perspective_keys",
            "participants",
            "support_level_key",
            "support_level_reason",
            "resilience",
            "triangle_notes",
            "ratings",
            "perspective_ratings",
        ]
        read_only_fields = fields


class RatingInputSerializer(serializers.Serializer):
    area_key = serializers.CharField(max_length=60)
    level_key = serializers.CharField(max_length=20)
    description = serializers.CharField(max_length=LONG_TEXT_MAX_LENGTH, required=False, allow_blank=True, default="")


class GoalOutcomeSerializer(serializers.Serializer):
    goal_id = serializers.IntegerField()
    outcome = serializers.ChoiceField(choices=[c for c in Goal.Outcome.values if c])


class PerspectiveRatingInputSerializer(serializers.Serializer):
    perspective_key = serializers.CharField(max_length=60)
    area_key = serializers.CharField(max_length=60)
    level_key = serializers.CharField(max_length=20)


class AssessmentInputSerializer(serializers.Serializer):
    assessed_on = serializers.DateField()
    ratings = RatingInputSerializer(many=True)
    perspective_keys = serializers.ListField(child=serializers.CharField(max_length=60))
    participants = serializers.CharField(max_length=SHORT_TEXT_MAX_LENGTH)
    support_level_key = serializers.CharField(max_length=60)
    support_level_reason = serializers.CharField(max_length=LONG_TEXT_MAX_LENGTH)
    resilience = serializers.DictField(required=False, default=dict)
    triangle_notes = serializers.DictField(
        child=serializers.CharField(max_length=LONG_TEXT_MAX_LENGTH), required=False, default=dict
    )
    goal_outcomes = GoalOutcomeSerializer(many=True, required=False, default=list)
    perspective_ratings = PerspectiveRatingInputSerializer(
        many=True, required=False, default=list, help_text="areas rated from a perspective taken part (optional)"
    )


class AssessmentList(ChildScopedView):
    """GET: the child's assessments, each with the release it was made with. POST: a new assessment or a
    follow-up (with goal outcomes) under the current release."""

    serializer_class = AssessmentInputSerializer

    @extend_schema(responses={200: AssessmentSerializer(many=True)})
    def get(self, request, child_id):
        return Response(AssessmentSerializer(assessments_of(child=request.child), many=True).data)

    @extend_schema(responses={201: AssessmentSerializer})
    def post(self, request, child_id):
        data = AssessmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["ratings"] = [services.RatingData(**rating) for rating in values["ratings"]]
        values["goal_outcomes"] = {row["goal_id"]: row["outcome"] for row in values["goal_outcomes"]}
        values["perspective_ratings"] = [PerspectiveRatingData(**row) for row in values["perspective_ratings"]]
        assessment = services.assessment_make(child=request.child, acting_user=request.user, request=request, **values)
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)


class CompassChangeSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    first = serializers.IntegerField(allow_null=True)
    last = serializers.IntegerField(allow_null=True)
    delta = serializers.IntegerField(allow_null=True)


class CompassSeriesSerializer(serializers.Serializer):
    assessment_id = serializers.IntegerField(source="assessment.pk")
    assessed_on = serializers.DateField(source="assessment.assessed_on")
    values = serializers.DictField(child=serializers.IntegerField())


class CompassSerializer(serializers.Serializer):
    max_value = serializers.IntegerField()
    series = CompassSeriesSerializer(many=True)
    changes = CompassChangeSerializer(many=True)


class CompassOverTime(ChildScopedView):
    """The compass over time: per assessment a value per area (1 = going well), and the change per area
    since the first assessment."""

    serializer_class = CompassSerializer

    def get(self, request, child_id):
        compass = compass_over_time(child=request.child)
        if compass is None:
            return Response({"max_value": 0, "series": [], "changes": []})
        return Response(CompassSerializer(compass).data)


class GoalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Goal
        fields = ["id", "area_key", "text", "child_words", "guardian_words", "outcome"]
        read_only_fields = ["id", "outcome"]


class ActionInputSerializer(ResponsibleInputSerializer):
    what = serializers.CharField(max_length=LONG_TEXT_MAX_LENGTH)
    due_on = serializers.DateField()
    goal = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)


class PlanSerializer(serializers.ModelSerializer):
    release_version = serializers.IntegerField(source="release.version", read_only=True)
    goals = GoalOutSerializer(many=True, read_only=True)
    actions = ActionOutSerializer(many=True, read_only=True)
    agreement_state = serializers.SerializerMethodField(
        help_text="agreed, partly, changed (needs new agreement), under_revision or not_agreed"
    )
    review_suggested_on = serializers.SerializerMethodField(
        help_text="the next review date the support level suggests, counted from today"
    )

    class Meta:
        model = Plan
        fields = [
            "id",
            "release_version",
            "version",
            "next_review_on",
            "review_suggested_on",
            "agreement_state",
            "goals",
            "actions",
        ]
        read_only_fields = ["id", "release_version", "version", "goals", "actions"]

    def get_agreement_state(self, plan) -> str:
        return agreement_state(plan=plan).code if plan.pk else "not_agreed"

    def get_review_suggested_on(self, plan) -> date | None:
        return review_suggestion(plan=plan) if plan.pk else None


class PlanView(ChildScopedView):
    """GET: Barnets plan (404 without one). POST: start it (one child, one plan). PATCH: the next review date."""

    serializer_class = PlanSerializer

    def get(self, request, child_id):
        plan = plan_of(child=request.child)
        if plan is None:
            raise NotFound
        return Response(PlanSerializer(plan).data)

    def post(self, request, child_id):
        data = PlanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = services.plan_start(
            child=request.child,
            acting_user=request.user,
            next_review_on=data.validated_data["next_review_on"],
            request=request,
        )
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    def patch(self, request, child_id):
        plan = plan_of(child=request.child)
        if plan is None:
            raise NotFound
        data = PlanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.plan_review_set(
            plan=plan,
            next_review_on=data.validated_data["next_review_on"],
            acting_user=request.user,
            request=request,
        )
        return Response(PlanSerializer(plan).data)


def _plan(request) -> Plan:
    plan = plan_of(child=request.child)
    if plan is None:
        raise NotFound
    return plan


class GoalAdd(ChildScopedView):
    serializer_class = GoalSerializer

    def post(self, request, child_id):
        data = GoalSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        goal = services.goal_add(plan=_plan(request), acting_user=request.user, request=request, **data.validated_data)
        return Response(GoalSerializer(goal).data, status=status.HTTP_201_CREATED)


class ActionAdd(ChildScopedView):
    """Add an action: what, by when, and who is responsible: a staff member working with the child
    (``responsible_user``), a unit (``responsible_unit``), the guardians or the child."""

    serializer_class = ActionInputSerializer

    @extend_schema(responses={201: ActionOutSerializer})
    def post(self, request, child_id):
        plan = _plan(request)
        data = ActionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        goal = None
        if values["goal"]:
            goal = plan.goals.filter(pk=values["goal"]).first()
            if goal is None:
                raise serializers.ValidationError({"goal": ["Målet hör inte till planen."]})
        action = services.action_add(
            plan=plan,
            what=values["what"],
            due_on=values["due_on"],
            responsible=responsible_of(values),
            goal=goal,
            acting_user=request.user,
            request=request,
        )
        return Response(ActionOutSerializer(action).data, status=status.HTTP_201_CREATED)


class ActionDone(ChildScopedView):
    serializer_class = None

    @extend_schema(request=None, responses={200: ActionOutSerializer})
    def post(self, request, child_id, action_id):
        action = Action.objects.filter(pk=action_id, plan__child=request.child).first()
        if action is None:
            raise NotFound
        services.action_complete(action=action, acting_user=request.user, request=request)
        return Response(ActionOutSerializer(action).data)


class CloseInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=LONG_TEXT_MAX_LENGTH)


class CaseClose(ChildScopedView):
    """Close the child's case with a reason; culled after the tenant's retention period."""

    serializer_class = CloseInputSerializer
    child_access = MANAGE

    @extend_schema(responses={204: None})
    def post(self, request, child_id):
        data = CloseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.case_close(
            child=request.child, acting_user=request.user, reason=data.validated_data["reason"], request=request
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class AttentionSerializer(serializers.Serializer):
    child_id = serializers.IntegerField(source="child.pk")
    name = serializers.CharField(source="child.full_name")
    open_concerns = serializers.IntegerField()
    overdue_actions = serializers.IntegerField()
    review_on = serializers.DateField(allow_null=True)
    meeting_at = serializers.DateTimeField(allow_null=True)
    needs_attention = serializers.BooleanField()


class MyAttention(AtomicAPIView):
    """The children one works with and what needs attention, those that need something first (each logged)."""

    serializer_class = AttentionSerializer
    pagination_class = None  # one list, not paged

    @extend_schema(responses=AttentionSerializer(many=True))
    def get(self, request):
        rows = attention_for(user=request.user)
        audit_record_children(
            acting_user=request.user, action="list", child_ids=[r["child"].pk for r in rows], request=request
        )
        return Response(AttentionSerializer(rows, many=True).data)


class RetentionSerializer(serializers.Serializer):
    months = serializers.IntegerField(min_value=1, max_value=1200)


class RetentionPeriod(AtomicAPIView):
    """The tenant's retention period for closed cases (gallring), in months; local admins set it. Without a
    setting, the installed model configuration's default (or 60 months) applies."""

    serializer_class = RetentionSerializer
    permission_classes = [IsAuthenticated, IsLocalAdmin]

    def get(self, request):
        return Response({"months": retention_months()})

    def put(self, request):
        data = RetentionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.retention_set(months=data.validated_data["months"], acting_user=request.user)
        return Response({"months": retention_months()})
