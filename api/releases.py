"""Central API: releases, their diffs, proposing and approving (four eyes), rollouts and each tenant's state."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView, ListCreateAPIView, RetrieveAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import IsNationalCoordinator, MayAuthorContent
from backa_platform.core.validators import LONG_TEXT_MAX_LENGTH
from tenants.releases.models import Release, ReleaseProposal, Rollout, RolloutTarget
from tenants.releases.selectors import (
    release_proposals_open,
    releases_published,
    rollout_progress,
    rollout_targets,
    rollouts,
)
from tenants.releases.services import draft_preview, release_proposal_approve, release_propose, rollout_target_retry


class ReleaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Release
        fields = ["version", "checksum", "notes", "published_at"]


class ReleaseDetailSerializer(serializers.ModelSerializer):
    diff = serializers.JSONField(help_text="Added, removed and changed items per section against the previous release.")

    class Meta:
        model = Release
        fields = ["version", "checksum", "notes", "published_at", "diff"]


class ReleaseList(ListAPIView):
    """Published releases, newest first. A release is published by proposing it (``/api/releases/proposals/``)
    and a national coordinator other than the proposer approving it."""

    serializer_class = ReleaseSerializer
    permission_classes = [MayAuthorContent]

    def get_queryset(self):
        return releases_published()


class ProposalSerializer(serializers.ModelSerializer):
    proposed_by = serializers.CharField(source="proposed_by.full_name", read_only=True, allow_null=True)
    decided_by = serializers.CharField(source="decided_by.full_name", read_only=True, allow_null=True)
    release = serializers.IntegerField(source="release.version", read_only=True, allow_null=True)

    class Meta:
        model = ReleaseProposal
        fields = [
            "id",
            "state",
            "notes",
            "base_version",
            "proposed_by",
            "proposed_at",
            "decided_by",
            "decided_at",
            "publish_at",
            "decision_note",
            "release",
        ]
        read_only_fields = [name for name in fields if name != "notes"]
        extra_kwargs = {"notes": {"max_length": LONG_TEXT_MAX_LENGTH, "help_text": "What changed and why."}}


class ProposeSerializer(serializers.Serializer):
    notes = serializers.CharField(max_length=LONG_TEXT_MAX_LENGTH, help_text="Release notes: what changed and why.")


class ProposalList(ListCreateAPIView):
    """Proposals waiting for review or their date; POST freezes the drafts as a proposal (four eyes: another
    person, a national coordinator, approves it)."""

    serializer_class = ProposalSerializer
    permission_classes = [MayAuthorContent]
    pagination_class = None

    def get_queryset(self):
        return release_proposals_open()

    @extend_schema(request=ProposeSerializer, responses={201: ProposalSerializer})
    def post(self, request, *args, **kwargs):
        form = ProposeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        proposal = release_propose(notes=form.validated_data["notes"], acting_user=request.user)
        return Response(ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)


class ApproveSerializer(serializers.Serializer):
    publish_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="Empty: published and rolled out now."
    )


class ProposalApprove(APIView):
    """A national coordinator other than the proposer approves: published now, or at ``publish_at``."""

    permission_classes = [IsNationalCoordinator]

    @extend_schema(request=ApproveSerializer, responses={200: ProposalSerializer})
    def post(self, request, pk: int):
        proposal = get_object_or_404(ReleaseProposal, pk=pk)
        form = ApproveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        proposal = release_proposal_approve(
            proposal=proposal, acting_user=request.user, publish_at=form.validated_data["publish_at"]
        )
        proposal.refresh_from_db()
        return Response(ProposalSerializer(proposal).data)


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
