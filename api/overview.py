"""Översikt: the caseload of a processledare or a local admin, filtered, sorted and paged. Only children the
access decision gives the user (``children_visible_to``); every child on the page is logged as a list read."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated

from api.children import AtomicAPIView
from api.pagination import CountedPagePagination
from api.permissions import MaySeeCaseload
from modules.audit.services import audit_record_children
from modules.overview.selectors import NEEDS, SORTS, CaseloadFilter, caseload


class CaseloadRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")
    support_level_key = serializers.CharField(allow_null=True)
    child_contact = serializers.CharField(source="child_contact_name", allow_null=True)
    support_coordinator = serializers.CharField(source="support_coordinator_name", allow_null=True)
    next_review_on = serializers.DateField(allow_null=True)
    overdue_actions = serializers.IntegerField()
    open_concerns = serializers.IntegerField(help_text="concerns not yet acknowledged")
    consents_expiring = serializers.IntegerField(help_text="consents running out within 30 days")


class CaseloadQuerySerializer(serializers.Serializer):
    unit = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    support_level = serializers.CharField(required=False, max_length=60)
    needs = serializers.ListField(child=serializers.ChoiceField(choices=NEEDS), required=False, default=list)
    sort = serializers.ChoiceField(choices=list(SORTS), required=False, default="name")


class Caseload(AtomicAPIView):
    """The children with an open process the user may see: support level, Barnkontakt, Stödsamordnare, next
    review, overdue actions, unacknowledged concerns, consents about to expire."""

    serializer_class = CaseloadRowSerializer
    pagination_class = CountedPagePagination
    permission_classes = [IsAuthenticated, MaySeeCaseload]

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", int, description="only children attending this unit"),
            OpenApiParameter("support_level", str, description="the latest assessment's support level key"),
            OpenApiParameter("needs", str, many=True, enum=list(NEEDS), description="any of these outstanding"),
            OpenApiParameter("sort", str, enum=list(SORTS)),
        ],
        responses=CaseloadRowSerializer(many=True),
    )
    def get(self, request):
        query = CaseloadQuerySerializer(
            data={
                **{key: value for key, value in request.query_params.items() if key != "needs"},
                "needs": request.query_params.getlist("needs"),
            }
        )
        query.is_valid(raise_exception=True)
        values = query.validated_data
        filters = CaseloadFilter(
            unit_id=values.get("unit"),
            support_level_key=values.get("support_level", ""),
            needs=values["needs"],
            sort=values["sort"],
        )
        page = self.paginate_queryset(caseload(user=request.user, filters=filters))
        audit_record_children(acting_user=request.user, action="list", child_ids=[c.pk for c in page], request=request)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
