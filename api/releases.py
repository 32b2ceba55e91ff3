"""Central API: releases, their diffs, publishing, rollouts and each tenant's state in them."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import MayAuthorContent
from backa_platform.core.validators import LONG_TEXT_MAX_LENGTH
from tenants.releases.models import Release, Rollout, RolloutTarget
from tenants.releases.selectors import releases_published, rollout_progress, rollout_targets, rollouts
from tenants.releases.services import draft_preview, release_publish, rollout_target_retry


class ReleaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Release
        fields = ["version", "checksum", "notes", "published_at"]


class ReleaseDetailSerializer(serializers.ModelSerializer):
    diff = serializers.JSONField(help_text="Added, removed and changed items per section against the previous release.")

    class Meta:
        model = Release
        fields = ["version", "checksum", "notes", "published_at", "diff"]


class PublishSerializer(serializers.Serializer):
    notes = serializers.CharField(max_length=LONG_TEXT_MAX_LENGTH, help_text="Release notes: what changed and why.")
    start_rollout = serializers.BooleanField(default=True)


class ReleaseList(ListAPIView):
    """Published releases, newest first."""

    serializer_class = ReleaseSerializer
    permission_classes = [MayAuthorContent]

    def get_queryset(self):
        return releases_published()

    @extend_schema(request=PublishSerializer, responses={201: ReleaseDetailSerializer})
    def post(self, request):
        """Publish the central drafts as the next release and roll it out."""
        form = PublishSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        release = release_publish(
            notes=form.validated_data["notes"],
            acting_user=request.user,
            start_rollout=form.validated_data["start_rollout"],
        )
        return Response(ReleaseDetailSerializer(release).data, status=status.HTTP_201_CREATED)


class ReleaseDetail(RetrieveAPIView):
    """One release with its diff against the previous one."""

    serializer_class = ReleaseDetailSerializer
    permission_classes = [MayAuthorContent]
    lookup_field = "version"

    def get_queryset(self):
        return releases_published()


class DraftPreviewSerializer(serializers.Serializer):
    next_version = serializers.IntegerField()
    valid = serializers.BooleanField()
    error = serializers.CharField(allow_null=True)
    diff = serializers.JSONField()


class DraftPreview(APIView):
    """What publishing the drafts now would change against the latest release."""

    permission_classes = [MayAuthorContent]

    @extend_schema(responses=DraftPreviewSerializer)
    def get(self, request):
        preview = draft_preview()
        return Response(
            DraftPreviewSerializer(
                {
                    "next_version": preview["bundle"]["version"],
                    "valid": preview["error"] is None,
                    "error": preview["error"],
                    "diff": preview["diff"],
                }
            ).data
        )


class RolloutSerializer(serializers.ModelSerializer):
    release = serializers.IntegerField(source="release.version")
    total = serializers.IntegerField()
    installed = serializers.IntegerField()
    failed = serializers.IntegerField()

    class Meta:
        model = Rollout
        fields = ["id", "release", "started_at", "total", "installed", "failed"]


class RolloutTargetSerializer(serializers.ModelSerializer):
    tenant = serializers.CharField(source="tenant.name")
    schema_name = serializers.CharField(source="tenant.schema_name")

    class Meta:
        model = RolloutTarget
        fields = ["id", "tenant", "schema_name", "state", "reason", "attempts", "installed_at", "updated_at"]


class ProgressSerializer(serializers.Serializer):
    rollout = serializers.IntegerField()
    release = serializers.IntegerField()
    total = serializers.IntegerField()
    pending = serializers.IntegerField()
    installed = serializers.IntegerField()
    failed = serializers.IntegerField()
    pinned = serializers.IntegerField()
    done = serializers.IntegerField()
    percent = serializers.FloatField()
    finished = serializers.BooleanField()


class RolloutDetailSerializer(serializers.Serializer):
    progress = ProgressSerializer()
    targets = RolloutTargetSerializer(many=True)


class RolloutList(ListAPIView):
    """Rollouts, newest first, with counts."""

    serializer_class = RolloutSerializer
    permission_classes = [MayAuthorContent]

    def get_queryset(self):
        return rollouts()


class RolloutDetail(APIView):
    """A rollout's live progress and every tenant's state (pending, installed, failed with reason, pinned)."""

    permission_classes = [MayAuthorContent]

    @extend_schema(responses=RolloutDetailSerializer)
    def get(self, request, pk: int):
        rollout = get_object_or_404(Rollout.objects.select_related("release"), pk=pk)
        return Response(
            RolloutDetailSerializer({"progress": rollout_progress(rollout), "targets": rollout_targets(rollout)}).data
        )


class RolloutTargetRetry(APIView):
    """Send a failed tenant's install again."""

    permission_classes = [MayAuthorContent]

    @extend_schema(request=None, responses={202: RolloutTargetSerializer})
    def post(self, request, pk: int, target_id: int):
        target = get_object_or_404(RolloutTarget.objects.select_related("tenant"), pk=target_id, rollout_id=pk)
        target = rollout_target_retry(target=target, acting_user=request.user)
        return Response(RolloutTargetSerializer(target).data, status=status.HTTP_202_ACCEPTED)
