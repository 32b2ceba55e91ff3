"""Organisations and units: every staff member reads them (to pick a team member's organisation); local
admins create them."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListCreateAPIView
from rest_framework.response import Response

from api.children import AtomicAPIView
from api.permissions import IsLocalAdminOrReadOnly
from modules.organisations.models import Organisation, Unit
from modules.organisations.selectors import organisations_list, units_list
from modules.organisations.services import (
    organisation_close,
    organisation_create,
    organisation_delete,
    organisation_update,
    unit_close,
    unit_create,
    unit_delete,
    unit_update,
)


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "organisation", "name", "kind", "closed_at"]
        read_only_fields = ["closed_at"]


class OrganisationSerializer(serializers.ModelSerializer):
    units = UnitSerializer(many=True, read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "units", "closed_at"]
        read_only_fields = ["closed_at"]


class OrganisationChangeSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Organisation.Kind.choices)


class UnitChangeSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Unit.Kind.choices)


class OrganisationList(AtomicAPIView, ListCreateAPIView):
    """Organisations (kommun, region, polis) with their units."""

    serializer_class = OrganisationSerializer
    permission_classes = [IsLocalAdminOrReadOnly]

    def get_queryset(self):
        return organisations_list()

    def create(self, request, *args, **kwargs):
        data = OrganisationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = organisation_create(**data.validated_data, acting_user=request.user, request=request)
        return Response(OrganisationSerializer(organisation).data, status=status.HTTP_201_CREATED)


class UnitList(AtomicAPIView, ListCreateAPIView):
    """Units (förskola, skola, elevhälsa, socialtjänst, BHV/BVC, BUP, ...) under organisations."""

    serializer_class = UnitSerializer
    permission_classes = [IsLocalAdminOrReadOnly]

    def get_queryset(self):
        return units_list()

    def create(self, request, *args, **kwargs):
        data = UnitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = unit_create(**data.validated_data, acting_user=request.user, request=request)
        return Response(UnitSerializer(unit).data, status=status.HTTP_201_CREATED)


class OrganisationDetail(AtomicAPIView):
    """One organisation: read it, rename it or change its kind (PUT), or remove it (DELETE) while it has no
    units and no consent names it (otherwise 400: close it instead)."""

    serializer_class = OrganisationChangeSerializer
    permission_classes = [IsLocalAdminOrReadOnly]

    @extend_schema(responses={200: OrganisationSerializer})
    def get(self, request, pk):
        return Response(OrganisationSerializer(get_object_or_404(organisations_list(), pk=pk)).data)

    @extend_schema(responses={200: OrganisationSerializer})
    def put(self, request, pk):
        organisation = get_object_or_404(Organisation, pk=pk)
        data = OrganisationChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organisation_update(organisation=organisation, **data.validated_data, acting_user=request.user, request=request)
        return Response(OrganisationSerializer(organisation).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        organisation_delete(
            organisation=get_object_or_404(Organisation, pk=pk), acting_user=request.user, request=request
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class OrganisationClose(AtomicAPIView):
    """Close an organisation whose units are all closed (400 otherwise); it stays with its history."""

    serializer_class = None
    permission_classes = [IsLocalAdminOrReadOnly]

    @extend_schema(request=None, responses={200: OrganisationSerializer})
    def post(self, request, pk):
        organisation = organisation_close(
            organisation=get_object_or_404(Organisation, pk=pk), acting_user=request.user, request=request
        )
        return Response(OrganisationSerializer(organisation).data)


class UnitDetail(AtomicAPIView):
    """One unit: read it, rename it or change its kind (PUT), or remove it (DELETE) while it has no history
    (staff, invitations, children; otherwise 400: close it instead)."""

    serializer_class = UnitChangeSerializer
    permission_classes = [IsLocalAdminOrReadOnly]

    @extend_schema(responses={200: UnitSerializer})
    def get(self, request, pk):
        return Response(UnitSerializer(get_object_or_404(Unit, pk=pk)).data)

    @extend_schema(responses={200: UnitSerializer})
    def put(self, request, pk):
        unit = get_object_or_404(Unit.objects.select_related("organisation"), pk=pk)
        data = UnitChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit_update(unit=unit, **data.validated_data, acting_user=request.user, request=request)
        return Response(UnitSerializer(unit).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        unit_delete(unit=get_object_or_404(Unit, pk=pk), acting_user=request.user, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UnitClose(AtomicAPIView):
    """Close a unit: refused (400) while active staff work there or invitations into it wait."""

    serializer_class = None
    permission_classes = [IsLocalAdminOrReadOnly]

    @extend_schema(request=None, responses={200: UnitSerializer})
    def post(self, request, pk):
        unit = unit_close(unit=get_object_or_404(Unit, pk=pk), acting_user=request.user, request=request)
        return Response(UnitSerializer(unit).data)
