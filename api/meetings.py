"""A child's Barnteam meetings: plan, change and cancel (the kallelse goes out as a calendar request, update or
cancellation), attendance, and the record whose decisions become actions in Barnets plan. Every view reaches
the child through ``ChildAccessPermission``; writes go through modules/casework/meetings."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from api.children import ChildScopedView
from backa_platform.core.validators import (
    LONG_TEXT_MAX_LENGTH,
    MINUTES_MAX_LENGTH,
    NAME_MAX_LENGTH,
    SHORT_TEXT_MAX_LENGTH,
)
from modules.accounts.models import User
from modules.casework import meetings
from modules.casework.models import Decision, Meeting, MeetingGuest, MeetingParticipant
from modules.children.models import Guardian


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "text", "action"]


class ParticipantSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.full_name", read_only=True)

    class Meta:
        model = MeetingParticipant
        fields = ["user", "name", "attended"]


class GuestSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingGuest
        fields = ["id", "kind", "guardian", "name", "role", "attended"]


class OtherSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=NAME_MAX_LENGTH)
    role = serializers.CharField(max_length=NAME_MAX_LENGTH)


class MeetingSerializer(serializers.ModelSerializer):
    participants = ParticipantSerializer(many=True, read_only=True)
    guests = GuestSerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "starts_at",
            "ends_at",
            "place",
            "video_link",
            "agenda",
            "participants",
            "guests",
            "sequence",
            "cancelled_at",
            "cancel_reason",
            "attendance_recorded_at",
            "minutes",
            "held_at",
            "decisions",
        ]
        read_only_fields = fields


class MeetingInputSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    video_link = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    agenda = serializers.CharField(max_length=LONG_TEXT_MAX_LENGTH)
    staff = serializers.PrimaryKeyRelatedField(many=True, queryset=User.objects.filter(is_active=True))
    guardians = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Guardian.objects.all(), required=False, default=list
    )
    child_takes_part = serializers.BooleanField(required=False, default=False)
    others = OtherSerializer(many=True, required=False, default=list)

    def data_for_service(self) -> meetings.MeetingData:
        values = dict(self.validated_data)
        values["others"] = [meetings.GuestData(**other) for other in values["others"]]
        return meetings.MeetingData(**values)


def _meeting(request, meeting_id) -> Meeting:
    meeting = request.child.meetings.filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFound
    return meeting


def _shown(meeting_id) -> Meeting:
    return Meeting.objects.prefetch_related("participants__user", "guests", "decisions").get(pk=meeting_id)


class MeetingList(ChildScopedView):
    """GET: the child's Barnteam meetings. POST: plan one; the staff called get the kallelse by e-mail with an
    .ics calendar request."""

    serializer_class = MeetingInputSerializer
    pagination_class = None  # one list, not paged

    @extend_schema(responses=MeetingSerializer(many=True))
    def get(self, request, child_id):
        meetings_of_child = request.child.meetings.prefetch_related("participants__user", "guests", "decisions")
        return Response(MeetingSerializer(meetings_of_child, many=True).data)

    @extend_schema(responses={201: MeetingSerializer})
    def post(self, request, child_id):
        data = MeetingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        meeting = meetings.meeting_plan(
            child=request.child, acting_user=request.user, data=data.data_for_service(), request=request
        )
        return Response(MeetingSerializer(_shown(meeting.pk)).data, status=status.HTTP_201_CREATED)


class MeetingDetail(ChildScopedView):
    """GET: one meeting. PUT: change a planned meeting; the kallelse goes out again as an update of the same
    calendar event (higher SEQUENCE), staff no longer called get a cancellation."""

    serializer_class = MeetingInputSerializer

    @extend_schema(responses=MeetingSerializer)
    def get(self, request, child_id, meeting_id):
        return Response(MeetingSerializer(_shown(_meeting(request, meeting_id).pk)).data)

    @extend_schema(responses={200: MeetingSerializer})
    def put(self, request, child_id, meeting_id):
        meeting = _meeting(request, meeting_id)
        data = MeetingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        meetings.meeting_change(
            meeting=meeting, acting_user=request.user, data=data.data_for_service(), request=request
        )
        return Response(MeetingSerializer(_shown(meeting.pk)).data)


class CancelInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=LONG_TEXT_MAX_LENGTH)


class MeetingCancel(ChildScopedView):
    """Cancel a planned meeting: the staff called get the calendar event's cancellation."""

    serializer_class = CancelInputSerializer

    @extend_schema(responses={200: MeetingSerializer})
    def post(self, request, child_id, meeting_id):
        meeting = _meeting(request, meeting_id)
        data = CancelInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        meetings.meeting_cancel(
            meeting=meeting, acting_user=request.user, reason=data.validated_data["reason"], request=request
        )
        return Response(MeetingSerializer(_shown(meeting.pk)).data)


class AttendanceInputSerializer(serializers.Serializer):
    present_staff = serializers.ListField(child=serializers.IntegerField(min_value=1), default=list)
    present_guests = serializers.ListField(child=serializers.IntegerField(min_value=1), default=list)


class MeetingAttendance(ChildScopedView):
    """Who came (staff by user id, guests by their id); everyone else called is recorded as absent. Refused
    before the meeting starts."""

    serializer_class = AttendanceInputSerializer

    @extend_schema(responses={200: MeetingSerializer})
    def post(self, request, child_id, meeting_id):
        meeting = _meeting(request, meeting_id)
        data = AttendanceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        meetings.meeting_attendance_record(
            meeting=meeting,
            acting_user=request.user,
            present_user_ids=data.validated_data["present_staff"],
            present_guest_ids=data.validated_data["present_guests"],
            request=request,
        )
        return Response(MeetingSerializer(_shown(meeting.pk)).data)


class DecisionInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=SHORT_TEXT_MAX_LENGTH)
    responsible = serializers.CharField(max_length=NAME_MAX_LENGTH, required=False, allow_blank=True, default="")
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class MeetingRecordInputSerializer(serializers.Serializer):
    minutes = serializers.CharField(max_length=MINUTES_MAX_LENGTH)
    decisions = DecisionInputSerializer(many=True, required=False, default=list)


class MeetingRecord(ChildScopedView):
    """Record a held meeting (not before it starts): minutes and decisions; every decision becomes an action in
    Barnets plan and needs a responsible party (without a date it is due by the next review)."""

    serializer_class = MeetingRecordInputSerializer

    @extend_schema(responses={200: MeetingSerializer})
    def post(self, request, child_id, meeting_id):
        meeting = _meeting(request, meeting_id)
        data = MeetingRecordInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        meetings.meeting_record(
            meeting=meeting,
            minutes=data.validated_data["minutes"],
            decisions=[meetings.DecisionData(**row) for row in data.validated_data["decisions"]],
            acting_user=request.user,
            request=request,
        )
        return Response(MeetingSerializer(_shown(meeting.pk)).data)
