"""The author's draft of a Behovskompassen assessment being written step by step (the page's form values by
field name), so a client can save between steps and continue later; saving the assessment removes it."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from api.children import ChildScopedView
from modules.casework.drafts import (
    DRAFT_MAX_FIELDS,
    DRAFT_MAX_LENGTH,
    DRAFT_MAX_VALUES,
    assessment_draft_discard,
    assessment_draft_of,
    assessment_draft_save,
)


class AssessmentDraftSerializer(serializers.Serializer):
    values = serializers.DictField(
        child=serializers.ListField(
            child=serializers.CharField(max_length=DRAFT_MAX_LENGTH, allow_blank=True), max_length=DRAFT_MAX_VALUES
        ),
        help_text="the assessment form's values by field name, each a list (a group of boxes has several)",
    )
    step = serializers.IntegerField(min_value=0, max_value=20, default=0, help_text="the step to continue at")
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def validate_values(self, values):
        if len(values) > DRAFT_MAX_FIELDS:
            raise serializers.ValidationError(f"At most {DRAFT_MAX_FIELDS} fields.")
        return values


class AssessmentDraftView(ChildScopedView):
    """GET: one's own draft (empty when there is none). PUT: save it, field by field over what it held.
    DELETE: discard it."""

    serializer_class = AssessmentDraftSerializer

    @extend_schema(responses=AssessmentDraftSerializer)
    def get(self, request, child_id):
        draft = assessment_draft_of(child=request.child, user=request.user)
        if draft is None:
            return Response({"values": {}, "step": 0, "updated_at": None})
        return Response(AssessmentDraftSerializer(draft).data)

    @extend_schema(responses=AssessmentDraftSerializer)
    def put(self, request, child_id):
        data = AssessmentDraftSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        draft = assessment_draft_save(
            child=request.child,
            acting_user=request.user,
            values=data.validated_data["values"],
            step=data.validated_data["step"],
            request=request,
        )
        return Response(AssessmentDraftSerializer(draft).data)

    @extend_schema(responses={204: None})
    def delete(self, request, child_id):
        assessment_draft_discard(child=request.child, acting_user=request.user, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)
