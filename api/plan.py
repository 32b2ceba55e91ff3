"""Barnets plan over time: goals and actions changed and ended with a reason, follow-ups, revisions as new
versions and earlier versions, the family's agreement, and the actions one is responsible for. Every child
endpoint reaches the child through ``ChildAccessPermission`` (404 for a child one may not see, every read
logged); writes go through modules/casework/plan_services."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from api.children import AtomicAPIView, ChildScopedView
from backa_platform.core.validators import LONG_TEXT_MAX_LENGTH
from modules.accounts.models import User
from modules.audit.services import audit_record_children
from modules.casework import plan_services
from modules.casework.models import Action, Goal, PlanAgreement, PlanFollowUp, PlanVersion
from modules.casework.plan_selectors import actions_responsible, agreement_state
from modules.casework.selectors import plan_of
from modules.organisations.models import Unit


def _plan(request):
    plan = plan_of(child=request.child)
    if plan is None:
        raise NotFound
    return plan


def _goal_of(plan, goal_id) -> Goal:
    goal = plan.goals.filter(pk=goal_id).first()
    if goal is None:
        raise NotFound
    return goal


def _action_of(plan, action_id) -> Action:
    action = plan.actions.filter(pk=action_id).select_related("responsible_user", "responsible_unit").first()
    if action is None:
        raise NotFound
    return action


class ResponsibleInputSerializer(serializers.Serializer):
    responsible_kind = serializers.ChoiceField(choices=Action.ResponsibleKind.choices)
    responsible_user = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, help_text="a staff member's id (kind staff)"
    )
    responsible_unit = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, help_text="a unit's id (kind unit)"
    )


def responsible_of(values: dict) -> plan_services.Responsible:
    """The input's responsible party; an id that names nobody is left empty, and the service refuses it."""
    kind = values["responsible_kind"]
    user = unit = None
    if kind == Action.ResponsibleKind.STAFF and values.get("responsible_user"):
        user = User.objects.filter(pk=values["responsible_user"]).first()
    if kind == Action.ResponsibleKind.UNIT and values.get("responsible_unit"):
        unit = Unit.objects.filter(pk=values["responsible_unit"]).first()
    return plan_services.Responsible(kind=kind, user=user, unit=unit)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=LONG_TEXT_MAX_LENGTH, help_text="why: kept with the change")


class GoalChangeSerializer(ReasonSerializer):
    area_key = serializers.CharField(max_length=60, required=False)
    text = serializers.CharField(max_length=LONG_TEXT_MAX_LENGTH, required=False)
    child_words = serializers.CharField(max_length=LONG_TEXT_MAX_LENGTH, required=False, allow_blank=True)
    guardian_words = serializers.CharField(max_length=LONG_TEXT_MAX_LENGTH, required=False, allow_blank=True)


class GoalOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = Goal
        fields = ["id", "area_key", "text", "child_words", "guardian_words", "outcome", "ended_at", "ended_reason"]
        read_only_fields = fields


class GoalChange(ChildScopedView):
    """PATCH: change a goal (its area, wording, the child's or guardians' words) with a reason; the change is
    kept with who, when and why, and shown in the chronology. The plan then needs the family's agreement anew."""

    serializer_class = GoalChangeSerializer

    @extend_schema(responses={200: GoalOutSerializer})
    def patch(self, request, child_id, goal_id):
        goal = _goal_of(_plan(request), goal_id)
        data = GoalChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan_services.goal_edit(goal=goal, acting_user=request.user, request=request, **data.validated_data)
        return Response(GoalOutSerializer(goal).data)


class GoalEnd(ChildScopedView):
    """End a goal with a reason (never deleted: it stays in the plan's history)."""

    serializer_class = ReasonSerializer

    @extend_schema(responses={200: GoalOutSerializer})
    def post(self, request, child_id, goal_id):
        goal = _goal_of(_plan(request), goal_id)
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan_services.goal_end(goal=goal, acting_user=request.user, request=request, **data.validated_data)
        return Response(GoalOutSerializer(goal).data)


class ActionOutSerializer(serializers.ModelSerializer):
    responsible = serializers.CharField(source="responsible_name", read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "goal",
            "what",
            "responsible_kind",
            "responsible_user",
            "responsible_unit",
            "responsible",
            "due_on",
            "done_at",
            "ended_at",
            "ended_reason",
        ]
        read_only_fields = fields


class ActionChangeSerializer(ReasonSerializer):
    what = serializers.CharField(max_length=LONG_TEXT_MAX_LENGTH, required=False)
    due_on = serializers.DateField(required=False)
    responsible_kind = serializers.ChoiceField(choices=Action.ResponsibleKind.choices, required=False)
    responsible_user = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    responsible_unit = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    goal = serializers.IntegerField(required=False, allow_null=True, min_value=1, help_text="a goal of the plan")


class ActionChange(ChildScopedView):
    """PATCH: change an open action (what, who is responsible, by when, its goal) with a reason."""

    serializer_class = ActionChangeSerializer

    @extend_schema(responses={200: ActionOutSerializer})
    def patch(self, request, child_id, action_id):
        plan = _plan(request)
        action = _action_of(plan, action_id)
        data = ActionChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        goal = False
        if "goal" in values:
            goal = _goal_of(plan, values["goal"]) if values["goal"] else None
        plan_services.action_edit(
            action=action,
            acting_user=request.user,
            reason=values["reason"],
            what=values.get("what"),
            due_on=values.get("due_on"),
            responsible=responsible_of(values) if "responsible_kind" in values else None,
            goal=goal,
            request=request,
        )
        return Response(ActionOutSerializer(action).data)


class ActionEnd(ChildScopedView):
    """End an action that will not be done, with a reason (kept, never deleted)."""

    serializer_class = ReasonSerializer

    @extend_schema(responses={200: ActionOutSerializer})
    def post(self, request, child_id, action_id):
        action = _action_of(_plan(request), action_id)
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan_services.action_end(action=action, acting_user=request.user, request=request, **data.validated_data)
        return Response(ActionOutSerializer(action).data)


class OutcomeSerializer(serializers.Serializer):
    goal_id = serializers.IntegerField()
    outcome = serializers.ChoiceField(choices=[c for c in Goal.Outcome.values if c])


class FollowUpInputSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    outcomes = OutcomeSerializer(many=True, help_text="one per goal still pursued")
    next_review_on = serializers.DateField(help_text="GET plan/ suggests one from the support level")
    note = serializers.CharField(max_length=LONG_TEXT_MAX_LENGTH, required=False, allow_blank=True, default="")


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanFollowUp
        fields = ["id", "version", "held_on", "outcomes", "review_before", "review_after", "note"]
        read_only_fields = fields


class FollowUps(ChildScopedView):
    """GET: the plan's follow-ups. POST: a follow-up: each goal's outcome, and the next review date."""

    serializer_class = FollowUpInputSerializer
    pagination_class = None  # one list, not paged

    @extend_schema(responses={200: FollowUpSerializer(many=True)})
    def get(self, request, child_id):
        return Response(FollowUpSerializer(_plan(request).follow_ups.all(), many=True).data)

    @extend_schema(responses={201: FollowUpSerializer})
    def post(self, request, child_id):
        plan = _plan(request)
        data = FollowUpInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        follow_up = plan_services.plan_follow_up(
            plan=plan,
            acting_user=request.user,
            held_on=values["held_on"],
            outcomes={row["goal_id"]: row["outcome"] for row in values["outcomes"]},
            next_review_on=values["next_review_on"],
            note=values["note"],
            request=request,
        )
        return Response(FollowUpSerializer(follow_up).data, status=status.HTTP_201_CREATED)


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanVersion
        fields = ["number", "superseded_at", "revision_reason"]
        read_only_fields = fields


class VersionDetailSerializer(VersionSerializer):
    content = serializers.JSONField(read_only=True, help_text="goals, actions and agreements as they stood")

    class Meta(VersionSerializer.Meta):
        fields = [*VersionSerializer.Meta.fields, "content"]
        read_only_fields = fields


class Versions(ChildScopedView):
    """GET: the plan's earlier versions. POST: revise the plan: the current one is frozen as a version and
    the plan goes on as the next, marked as not yet agreed."""

    serializer_class = ReasonSerializer
    pagination_class = None  # one list, not paged

    @extend_schema(responses={200: VersionSerializer(many=True)})
    def get(self, request, child_id):
        return Response(VersionSerializer(_plan(request).versions.all(), many=True).data)

    @extend_schema(responses={201: VersionSerializer})
    def post(self, request, child_id):
        plan = _plan(request)
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = plan_services.plan_revise(plan=plan, acting_user=request.user, request=request, **data.validated_data)
        return Response(VersionSerializer(plan.versions.last()).data, status=status.HTTP_201_CREATED)


class VersionDetail(ChildScopedView):
    """An earlier version of the plan, as it stood."""

    serializer_class = VersionDetailSerializer

    def get(self, request, child_id, number):
        version = _plan(request).versions.filter(number=number).first()
        if version is None:
            raise NotFound
        return Response(VersionDetailSerializer(version).data)


class AgreementInputSerializer(serializers.Serializer):
    party = serializers.ChoiceField(choices=PlanAgreement.Party.choices)
    guardian = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, help_text="the guardian's id (party guardian)"
    )
    agreed_on = serializers.DateField()
    method = serializers.ChoiceField(choices=PlanAgreement.Method.choices)


class AgreementSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanAgreement
        fields = ["id", "version", "party", "guardian", "name", "agreed_on", "method", "recorded_at"]
        read_only_fields = fields


class AgreementStateSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=["agreed", "partly", "changed", "under_revision", "not_agreed"], source="code"
    )
    label = serializers.CharField()
    valid = AgreementSerializer(many=True, help_text="agreements covering the plan as it stands")
    stale = AgreementSerializer(many=True, help_text="given to this version before it last changed")
    missing = serializers.ListField(child=serializers.CharField(), help_text="guardians yet to agree")


class Agreements(ChildScopedView):
    """GET: whether the guardians (and the child) have agreed to the plan as it stands. POST: record an
    agreement: who, when, how (at a meeting, on paper, digitally)."""

    serializer_class = AgreementInputSerializer

    @extend_schema(responses={200: AgreementStateSerializer})
    def get(self, request, child_id):
        return Response(AgreementStateSerializer(agreement_state(plan=_plan(request))).data)

    @extend_schema(responses={201: AgreementSerializer})
    def post(self, request, child_id):
        plan = _plan(request)
        data = AgreementInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        guardian_id = values.pop("guardian")
        guardian = request.child.guardians.filter(pk=guardian_id).first() if guardian_id else None
        agreement = plan_services.plan_agreement_record(
            plan=plan, acting_user=request.user, guardian=guardian, request=request, **values
        )
        return Response(AgreementSerializer(agreement).data, status=status.HTTP_201_CREATED)


class MyActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    child_id = serializers.IntegerField(source="plan.child_id")
    child_name = serializers.CharField(source="plan.child.full_name")
    what = serializers.CharField()
    due_on = serializers.DateField()
    overdue = serializers.BooleanField()


class MyActions(AtomicAPIView):
    """The open actions in Barnets plan one is responsible for, overdue first; each child named is logged."""

    serializer_class = MyActionSerializer
    pagination_class = None  # one list (at most 100), not paged

    @extend_schema(responses=MyActionSerializer(many=True))
    def get(self, request):
        from django.utils import timezone

        today = timezone.localdate()
        actions = list(actions_responsible(user=request.user, today=today)[:100])
        audit_record_children(
            acting_user=request.user,
            action="list",
            child_ids=sorted({action.plan.child_id for action in actions}),
            request=request,
        )
        for action in actions:
            action.overdue = action.due_on < today
        return Response(MyActionSerializer(actions, many=True).data)
