"""Importing units and staff from a file (local admins): upload (read and checked at once, nothing else saved),
the preview's rows, confirm (a worker creates the units and invitations and mails the links), progress."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from api.children import AtomicAPIView
from api.permissions import IsLocalAdmin
from modules.accounts.models import StaffImport, StaffImportRow
from modules.accounts.selectors import staff_import_progress, staff_imports_recent
from modules.accounts.services import staff_import_confirm, staff_import_create


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV or XLSX in the template's layout (Swedish or English column names)")


class StaffImportSerializer(serializers.ModelSerializer):
    class Meta:
        model = StaffImport
        fields = [
            "id",
            "file_name",
            "file_format",
            "size",
            "created_at",
            "status",
            "rows_total",
            "rows_valid",
            "rows_unchanged",
            "rows_error",
            "confirmed_at",
            "organisations_created",
            "units_created",
            "invitations_total",
            "invitations_sent",
            "finished_at",
        ]
        read_only_fields = fields


class RowErrorSerializer(serializers.Serializer):
    field = serializers.CharField(
        help_text="the column: organisation, organisation_kind, unit, unit_kind, full_name, email, role or phone"
    )
    message = serializers.CharField()


class StaffImportRowSerializer(serializers.ModelSerializer):
    errors = RowErrorSerializer(many=True, read_only=True)
    unit = serializers.CharField(source="unit_name", read_only=True)

    class Meta:
        model = StaffImportRow
        fields = [
            "line",
            "status",
            "errors",
            "organisation",
            "organisation_kind",
            "unit",
            "unit_kind",
            "full_name",
            "email",
            "role",
            "phone",
        ]
        read_only_fields = fields


class ProgressSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=StaffImport.Status.choices)
    status_label = serializers.CharField()
    organisations_created = serializers.IntegerField()
    units_created = serializers.IntegerField()
    invitations_total = serializers.IntegerField(help_text="invitations this import sends (known once it runs)")
    invitations_sent = serializers.IntegerField()
    percent = serializers.IntegerField()
    finished = serializers.BooleanField()


class StaffImportList(AtomicAPIView, ListAPIView):
    """The latest imports; POST a file (multipart, field ``file``) to read and check it: 201 with the preview's
    counts, or 400 naming what is wrong with the file (too large, not CSV or XLSX, missing columns)."""

    serializer_class = StaffImportSerializer
    permission_classes = [IsLocalAdmin]
    parser_classes = [MultiPartParser, FormParser]
    pagination_class = None

    def get_queryset(self):
        return staff_imports_recent()

    @extend_schema(request={"multipart/form-data": UploadSerializer}, responses={201: StaffImportSerializer})
    def post(self, request):
        data = UploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        staff_import = staff_import_create(
            file_name=upload.name, data=upload.read(), acting_user=request.user, request=request
        )
        return Response(StaffImportSerializer(staff_import).data, status=status.HTTP_201_CREATED)


class StaffImportDetail(AtomicAPIView):
    """One import: its counts and state."""

    serializer_class = StaffImportSerializer
    permission_classes = [IsLocalAdmin]

    def get(self, request, pk):
        return Response(StaffImportSerializer(get_object_or_404(StaffImport.objects.defer("data"), pk=pk)).data)


class StaffImportRows(AtomicAPIView, ListAPIView):
    """The preview: every row of the file as read, valid, unchanged (already in place) or with its errors."""

    serializer_class = StaffImportRowSerializer
    permission_classes = [IsLocalAdmin]

    def get_queryset(self):
        staff_import = get_object_or_404(StaffImport.objects.only("pk"), pk=self.kwargs["pk"])
        rows = staff_import.rows.order_by("line")
        wanted = self.request.query_params.get("status")
        return rows.filter(status=wanted) if wanted in StaffImportRow.Status.values else rows

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status", str, enum=list(StaffImportRow.Status.values), description="only rows in this state"
            )
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class StaffImportConfirm(AtomicAPIView):
    """Confirm the preview: 202, and a worker adds the new organisations and units, creates an invitation for
    every valid row and mails them (follow ``progress/``). Refused (400) when already confirmed or nothing is
    valid."""

    serializer_class = None
    permission_classes = [IsLocalAdmin]

    @extend_schema(request=None, responses={202: StaffImportSerializer})
    def post(self, request, pk):
        staff_import = get_object_or_404(StaffImport.objects.defer("data"), pk=pk)
        staff_import = staff_import_confirm(staff_import=staff_import, acting_user=request.user, request=request)
        return Response(StaffImportSerializer(staff_import).data, status=status.HTTP_202_ACCEPTED)


class StaffImportProgress(AtomicAPIView):
    """How far the invitations have gone out (counts only)."""

    serializer_class = ProgressSerializer
    permission_classes = [IsLocalAdmin]

    def get(self, request, pk):
        staff_import = get_object_or_404(StaffImport.objects.defer("data"), pk=pk)
        return Response(ProgressSerializer(staff_import_progress(staff_import)).data)
