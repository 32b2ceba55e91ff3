"""Tenant API: the installed model configuration, the release state, and (local admins) pin or follow."""

from django.db import connection
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import ListCreateAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import IsLocalAdmin
from backa_platform.core.validators import LONG_TEXT_MAX_LENGTH, PHONE_MAX_LENGTH, validate_phone_number
from modules.model_config.models import InstalledRelease, LocalResource, ModelItem
from modules.model_config.selectors import installed_release, installed_release_current, local_resources, model_items
from modules.model_config.services import local_resource_create
from tenants.releases.models import Release
from tenants.releases.selectors import tenant_release_overview
from tenants.releases.services import tenant_release_follow, tenant_release_pin


class ModelItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ModelItem
        fields = ["kind", "key", "position", "name_sv", "name_en", "description_sv", "description_en", "details"]


class InstalledConfigurationSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    checksum = serializers.CharField()
    is_current = serializers.BooleanField()
    installed_at = serializers.DateTimeField()
    items = ModelItemSerializer(many=True)


def _configuration(release: InstalledRelease) -> dict:
    return {
        "version": release.version,
        "checksum": release.checksum,
        "is_current": release.is_current,
        "installed_at": release.installed_at,
        "items": model_items(release=release),
    }


class CurrentConfiguration(APIView):
    """The model configuration this tenant works with now (the current installed release)."""

    @extend_schema(responses=InstalledConfigurationSerializer)
    def get(self, request):
        release = installed_release_current()
        if release is None:
            raise NotFound(_("Ingen release är installerad ännu."))
        return Response(InstalledConfigurationSerializer(_configuration(release)).data)


class ConfigurationByVersion(APIView):
    """An installed release's definitions, kept so older records show the wording they were made with."""

    @extend_schema(responses=InstalledConfigurationSerializer, operation_id="model_configuration_version_retrieve")
    def get(self, request, version: int):
        release = installed_release(version)
        if release is None:
            raise NotFound(_("Den releasen är inte installerad här."))
        return Response(InstalledConfigurationSerializer(_configuration(release)).data)


class NewerReleaseSerializer(serializers.Serializer):
    version = serializers.IntegerField(source="release.version")
    notes = serializers.CharField(source="release.notes")
    published_at = serializers.DateTimeField(source="release.published_at")
    diff = serializers.JSONField()


class ReleaseStateSerializer(serializers.Serializer):
    current_version = serializers.IntegerField(allow_null=True)
    follows_latest = serializers.BooleanField()
    pinned_version = serializers.IntegerField(allow_null=True)
    installed_versions = serializers.ListField(child=serializers.IntegerField())
    newer = NewerReleaseSerializer(many=True)


class ReleaseChoiceSerializer(serializers.Serializer):
    follow_latest = serializers.BooleanField()
    pinned_version = serializers.IntegerField(required=False, allow_null=True)


def _state(tenant) -> dict:
    overview = tenant_release_overview(tenant)
    return {
        "current_version": overview["current_version"],
        "follows_latest": overview["pinned"] is None,
        "pinned_version": overview["pinned"].version if overview["pinned"] else None,
        "installed_versions": overview["installed_versions"],
        "newer": overview["newer"],
    }


class ReleaseState(APIView):
    """Which release this tenant has, whether it follows the latest or is pinned, and what newer ones change."""

    permission_classes = [IsLocalAdmin]

    @extend_schema(responses=ReleaseStateSerializer)
    def get(self, request):
        return Response(ReleaseStateSerializer(_state(connection.tenant)).data)

    @extend_schema(request=ReleaseChoiceSerializer, responses=ReleaseStateSerializer)
    def put(self, request):
        """Follow the latest release, or pin one (installing and adopting it)."""
        form = ReleaseChoiceSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        tenant = connection.tenant
        if form.validated_data["follow_latest"]:
            tenant_release_follow(tenant=tenant, acting_user=request.user)
        else:
            version = form.validated_data.get("pinned_version")
            if version is None:
                raise ValidationError({"pinned_version": [_("Ange vilken release som ska låsas.")]})
            release = get_object_or_404(Release, version=version)
            tenant_release_pin(tenant=tenant, release=release, acting_user=request.user)
        return Response(ReleaseStateSerializer(_state(tenant)).data)


class LocalResourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = LocalResource
        fields = ["id", "kind", "title", "description", "url", "phone", "email"]
        extra_kwargs = {
            "description": {"max_length": LONG_TEXT_MAX_LENGTH},
            "phone": {"max_length": PHONE_MAX_LENGTH, "validators": [validate_phone_number]},
        }


class LocalResources(ListCreateAPIView):
    """This tenant's own resources and contacts: never touched by a release update. Local admins add them."""

    serializer_class = LocalResourceSerializer

    def get_permissions(self):
        return [IsLocalAdmin()] if self.request.method == "POST" else super().get_permissions()

    def get_queryset(self):
        return local_resources()

    def perform_create(self, serializer):
        serializer.instance = local_resource_create(**serializer.validated_data)
