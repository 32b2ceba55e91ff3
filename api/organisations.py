"""Organisations and units: every staff member reads them (to pick a team member's organisation); local
admins create them."""

from rest_framework import serializers, status
from rest_framework.generics import ListCreateAPIView
from rest_framework.response import Response

from api.children import AtomicAPIView
from api.permissions import IsLocalAdminOrReadOnly
from modules.organisations.models import Organisation, Unit
from modules.organisations.selectors import organisations_list, units_list
from modules.organisations.services import organisation_create, unit_create


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "organisation", "name", "kind"]


class OrganisationSerializer(serializers.ModelSerializer):
    units = UnitSerializer(many=True, read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "units"]


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
