"""Writes on releases: publishing, installing into a tenant, rollouts, retries, pinning.

``release_install(tenant=…, release=…)`` is the one way a release's definitions get into a tenant's schema
(provisioning uses it too): checked against checksum and schema before anything is written, then written in
one transaction, idempotently.
"""

import time
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tenants.utils import get_public_schema_name, schema_context

from backa_platform.core.errors import ServiceError
from backa_platform.core.tasks import enqueue_on_commit
from modules.accounts import rules
from modules.model_config.models import InstalledRelease
from tenants.models import Tenant
from tenants.releases.bundle import (
    BundleError,
    bundle_checksum,
    bundle_diff,
    bundle_export,
    bundle_install,
    bundle_validate,
)
from tenants.releases.models import (
    Release,
    ReleaseEvent,
    ReleaseProposal,
    Rollout,
    RolloutTarget,
    TenantReleaseChoice,
)
from tenants.releases.selectors import release_latest, tenants_for_rollout
from tenants.services import require_public_schema

_PUBLISHED_CENTRALLY_ONLY = gettext_lazy("Releaser publiceras bara från den nationella plattformen.")

# Serialises publishing: two editors pressing "publish" at once must not get the same version number.
_PUBLISH_LOCK = 5_000_001


class ReleaseError(ServiceError):
    """A release operation refused, with a message a national or local admin can act on."""


def _event(*, kind: str, release=None, tenant=None, acting_user=None, **detail) -> ReleaseEvent:
    return ReleaseEvent.objects.create(
        kind=kind,
        release=release,
        tenant=tenant,
        actor_id=getattr(acting_user, "pk", None),
        actor_schema=connection.schema_name if acting_user is not None else "",
        detail=detail,
    )


def draft_change_record(*, acting_user, what: str, key: str, action: str, **_signal) -> None:
    """Who changed which central draft: the receiver of the content apps' ``draft_changed`` signal, which
    they send inside their change's transaction (connected in ReleasesConfig.ready).

    Tenant-local courses use the same services; their changes are the tenant's own and not recorded here.
    """
    if connection.schema_name == get_public_schema_name():
        _event(kind=ReleaseEvent.Kind.DRAFT_CHANGED, acting_user=acting_user, what=what, key=key, action=action)


def draft_bundle(*, version: int) -> dict:
    """The central drafts as a bundle, as they would be published with ``version``."""
    with schema_context(get_public_schema_name()):
        return bundle_export(version=version, release=None)


def draft_preview() -> dict:
    """What publishing now would give: the bundle, whether it validates, and its diff to the latest release."""
    latest = release_latest()
    bundle = draft_bundle(version=(latest.version + 1) if latest else 1)
    try:
        bundle_validate(bundle)
        error = None
    except BundleError as problem:
        error = " ".join(problem.messages)
    return {
        "bundle": bundle,
        "error": error,
        "diff": bundle_diff(latest.bundle if latest else None, bundle),
        "previous": latest,
    }


def _notes_required(notes: str) -> str:
    if not notes.strip():
        raise ReleaseError({"notes": [_("Skriv releaseanteckningar: vad har ändrats och varför.")]})
    return notes.strip()


def _publish_lock() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PUBLISH_LOCK])


def _drafts_frozen() -> tuple[Release | None, dict]:
    """The latest release and the drafts as the bundle that would follow it; refused if invalid or unchanged."""
    latest = release_latest()
    bundle = draft_bundle(version=(latest.version + 1) if latest else 1)
    bundle_validate(bundle)
    if latest is not None and bundle_diff(latest.bundle, bundle)["is_empty"]:
        raise ReleaseError(_("Inget har ändrats sedan release %(version)s.") % {"version": latest.version})
    return latest, bundle


def _release_create(*, bundle: dict, notes: str, acting_user, proposed_by=None, start_rollout: bool) -> Release:
    latest = release_latest()
    diff = bundle_diff(latest.bundle if latest else None, bundle)
    release = Release.objects.create(
        version=bundle["version"],
        bundle=bundle,
        checksum=bundle_checksum(bundle),
        notes=notes,
        diff=diff,
        published_by=acting_user,
        proposed_by=proposed_by,
    )
    _event(kind=ReleaseEvent.Kind.PUBLISHED, release=release, acting_user=acting_user, checksum=release.checksum)
    if start_rollout:
        rollout_start(release=release, acting_user=acting_user)
    return release


@transaction.atomic
def release_publish(*, notes: str, acting_user=None, start_rollout: bool = True) -> Release:
    """Freeze the central drafts into the next immutable release at once and, by default, roll it out.

    For the platform's own tools (``content_defaults_load --publish``, the API's publish); people in the console
    go through ``release_propose`` and a second person's ``release_proposal_approve``.
    """
    require_public_schema(ReleaseError, _PUBLISHED_CENTRALLY_ONLY)
    notes = _notes_required(notes)
    _publish_lock()
    _latest, bundle = _drafts_frozen()
    return _release_create(bundle=bundle, notes=notes, acting_user=acting_user, start_rollout=start_rollout)


# --- Four eyes: propose, approve (now or on a date), reject -----------------------------------------
@transaction.atomic
def release_propose(*, notes: str, acting_user) -> ReleaseProposal:
    """Freeze the drafts as they are now for a national coordinator (not the proposer) to approve."""
    require_public_schema(ReleaseError, _PUBLISHED_CENTRALLY_ONLY)
    notes = _notes_required(notes)
    _publish_lock()
    latest, bundle = _drafts_frozen()
    waiting = ReleaseProposal.objects.filter(
        state__in=[ReleaseProposal.State.PROPOSED, ReleaseProposal.State.SCHEDULED],
        base_version=latest.version if latest else None,
    )
    if any(bundle_checksum(other.bundle) == bundle_checksum(bundle) for other in waiting):
        raise ReleaseError(_("Ett förslag med precis det här innehållet väntar redan på granskning."), code="duplicate")
    proposal = ReleaseProposal.objects.create(
        notes=notes, bundle=bundle, base_version=latest.version if latest else None, proposed_by=acting_user
    )
    _event(kind=ReleaseEvent.Kind.PROPOSED, acting_user=acting_user, proposal=proposal.pk)
    return proposal


def _proposal_locked(proposal: ReleaseProposal) -> ReleaseProposal:
    return ReleaseProposal.objects.select_for_update().get(pk=proposal.pk)


def _proposal_publish(proposal: ReleaseProposal, *, acting_user) -> Release:
    """Publish a proposal's frozen bundle as the next release (the caller holds the lock and transaction)."""
    _publish_lock()
    latest = release_latest()
    if (latest.version if latest else None) != proposal.base_version:
        raise ReleaseError(
            _(
                "Release %(version)s har publicerats sedan förslaget gjordes; förslaget skulle ta bort dess "
                "ändringar. Föreslå en ny release utifrån utkasten."
            )
            % {"version": latest.version}
        )
    bundle = {**proposal.bundle, "version": (latest.version + 1) if latest else 1}
    bundle_validate(bundle)
    release = _release_create(
        bundle=bundle,
        notes=proposal.notes,
        acting_user=acting_user,
        proposed_by=proposal.proposed_by,
        start_rollout=True,
    )
    proposal.state, proposal.release = ReleaseProposal.State.PUBLISHED, release
    proposal.save(update_fields=["state", "release"])
    return release


@transaction.atomic
def release_proposal_approve(*, proposal: ReleaseProposal, acting_user, publish_at=None) -> ReleaseProposal:
    """A national coordinator other than the proposer approves: published at once, or at ``publish_at``."""
    require_public_schema(ReleaseError, _PUBLISHED_CENTRALLY_ONLY)
    proposal = _proposal_locked(proposal)
    if not rules.is_national_coordinator(acting_user):
        raise ReleaseError(_("Bara en nationell samordnare kan godkänna en release."), code="not_coordinator")
    if proposal.proposed_by_id is not None and proposal.proposed_by_id == acting_user.pk:
        raise ReleaseError(
            _("Du föreslog releasen själv: en annan person måste granska och godkänna den."), code="four_eyes"
        )
    if proposal.state != ReleaseProposal.State.PROPOSED:
        raise ReleaseError(_("Förslaget är redan beslutat."), code="already_decided")
    proposal.decided_by, proposal.decided_at = acting_user, timezone.now()
    proposal.publish_at = publish_at
    _event(kind=ReleaseEvent.Kind.APPROVED, acting_user=acting_user, proposal=proposal.pk)
    if publish_at is not None and publish_at > timezone.now():
        proposal.state = ReleaseProposal.State.SCHEDULED
        proposal.save()
        return proposal
    proposal.save()
    _proposal_publish(proposal, acting_user=acting_user)
    return proposal


@transaction.atomic
def release_proposal_reject(*, proposal: ReleaseProposal, acting_user, note: str) -> ReleaseProposal:
    require_public_schema(ReleaseError, _PUBLISHED_CENTRALLY_ONLY)
    proposal = _proposal_locked(proposal)
    if proposal.state not in (ReleaseProposal.State.PROPOSED, ReleaseProposal.State.SCHEDULED):
        raise ReleaseError(_("Förslaget är redan beslutat."), code="already_decided")
    if not note.strip():
        raise ReleaseError({"note": [_("Skriv varför förslaget avslås.")]})
    proposal.state, proposal.decision_note = ReleaseProposal.State.REJECTED, note.strip()
    proposal.decided_by, proposal.decided_at = acting_user, timezone.now()
    proposal.save()
    _event(kind=ReleaseEvent.Kind.REJECTED, acting_user=acting_user, proposal=proposal.pk)
    return proposal


def release_proposals_publish_due() -> list[int]:
    """Publish every scheduled proposal whose date has come (the beat task); each in its own transaction.

    The approver of record publishes it. One that can no longer be published (another release came first)
    is set back to proposed, with the reason, for the team to look at.
    """
    published = []
    due = ReleaseProposal.objects.filter(state=ReleaseProposal.State.SCHEDULED, publish_at__lte=timezone.now())
    for proposal_id in due.order_by("publish_at", "pk").values_list("pk", flat=True):
        with transaction.atomic():
            proposal = (
                ReleaseProposal.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("decided_by", "proposed_by")
                .filter(pk=proposal_id, state=ReleaseProposal.State.SCHEDULED)
                .first()
            )
            if proposal is None:
                continue
            try:
                with transaction.atomic():
                    _proposal_publish(proposal, acting_user=proposal.decided_by)
            except (ReleaseError, BundleError) as error:
                proposal.state = ReleaseProposal.State.PROPOSED
                proposal.decision_note = " ".join(error.messages)
                proposal.save(update_fields=["state", "decision_note"])
            else:
                published.append(proposal.pk)
    return published


def release_install(*, tenant: Tenant, release: Release, make_current: bool | None = True) -> InstalledRelease:
    """Install ``release`` into ``tenant``'s schema, in one transaction, idempotently.

    The bundle is checked against its checksum and the schema before anything is written: a tampered or
    malformed bundle raises BundleError and the tenant is left as it was. Installing a release the tenant
    already holds writes nothing (apart from making it current when asked and it is not). Every installed
    release is kept; tenant-local courses, resources and contacts are never touched.

    ``make_current``: True makes it the tenant's current release, False only stores it, None makes it current
    when it is newer than the current one (what a rollout does).
    """
    bundle_validate(release.bundle, checksum=release.checksum)
    if release.bundle["version"] != release.version:
        raise BundleError(_("Paketets version stämmer inte med releasens."))
    if tenant.schema_name == get_public_schema_name():
        raise ReleaseError(_("Releaser installeras i kommuner och regioner, inte i den nationella plattformen."))
    with transaction.atomic(), schema_context(tenant.schema_name):
        with connection.cursor() as cursor:
            # A schema without its own tables would fall through search_path to public's drafts tables.
            # Two workers installing into the same tenant at once (a retry racing a rollout) take turns.
            cursor.execute(
                "SELECT to_regclass(%s), pg_advisory_xact_lock(hashtext(%s))",
                [f'"{tenant.schema_name}".model_config_installedrelease', f"release-install:{tenant.schema_name}"],
            )
            if cursor.fetchone()[0] is None:
                raise ReleaseError(
                    _("Instansens schema %(schema)s saknar modellkonfigurationens tabeller (inte migrerat).")
                    % {"schema": tenant.schema_name}
                )
        held = {
            row.version: row for row in InstalledRelease.objects.filter(Q(version=release.version) | Q(is_current=True))
        }
        current = next((row for row in held.values() if row.is_current), None)
        if make_current is None:
            make_current = current is None or release.version >= current.version
        installed = held.get(release.version)
        if installed is not None:
            if installed.checksum != release.checksum:
                raise BundleError(
                    _("Instansen har redan en annan release %(version)s med en annan kontrollsumma.")
                    % {"version": release.version}
                )
            if make_current and not installed.is_current:
                _make_current(installed)
            return installed
        installed = InstalledRelease.objects.create(
            version=release.version, checksum=release.checksum, notes=release.notes, is_current=False
        )
        bundle_install(installed_release=installed, bundle=release.bundle)
        if make_current:
            _make_current(installed)
        _event(kind=ReleaseEvent.Kind.INSTALLED, release=release, tenant=tenant, current=make_current)
        return installed


def _make_current(installed: InstalledRelease) -> None:
    InstalledRelease.objects.filter(is_current=True).exclude(pk=installed.pk).update(is_current=False)
    installed.is_current = True
    installed.save(update_fields=["is_current"])


def _send_install_tasks(targets: list[tuple[int, str]]) -> None:
    from tenants.releases.tasks import rollout_target_install

    for target_id, schema_name in targets:
        # The tenant travels in the header (tenant-schemas-celery); the task carries an id only. Through the
        # outbox: a broker that is down delays the installs instead of failing the rollout after its commit.
        enqueue_on_commit(rollout_target_install, in_schema=schema_name, target_id=target_id)


def _enqueue_on_commit(targets: list[RolloutTarget]) -> None:
    pairs = [(target.pk, target.tenant.schema_name) for target in targets]
    if pairs:
        _send_install_tasks(pairs)


@transaction.atomic
def rollout_start(*, release: Release, acting_user=None, tenants: list[Tenant] | None = None) -> Rollout:
    """One install task per ready tenant; tenants pinned to another release are recorded, not touched."""
    require_public_schema(ReleaseError, _PUBLISHED_CENTRALLY_ONLY)
    rollout = Rollout.objects.create(release=release, started_by=acting_user)
    tenants = list(tenants if tenants is not None else tenants_for_rollout())
    pinned = dict(
        TenantReleaseChoice.objects.filter(tenant__in=tenants, pinned_release__isnull=False).values_list(
            "tenant_id", "pinned_release_id"
        )
    )
    now = timezone.now()
    targets = RolloutTarget.objects.bulk_create(
        RolloutTarget(
            rollout=rollout,
            tenant=tenant,
            state=RolloutTarget.State.PINNED
            if pinned.get(tenant.pk, release.pk) != release.pk
            else RolloutTarget.State.PENDING,
            enqueued_at=now,
        )
        for tenant in tenants
    )
    _event(kind=ReleaseEvent.Kind.ROLLOUT_STARTED, release=release, acting_user=acting_user, tenants=len(targets))
    _enqueue_on_commit([target for target in targets if target.state == RolloutTarget.State.PENDING])
    return rollout


def rollout_target_run(*, target_id: int) -> RolloutTarget | None:
    """Install one rollout target's release into its tenant and record the outcome.

    The install and the target's new state commit together; a failure is recorded with its reason in a
    transaction of its own, and the rollout goes on with the other tenants.
    """
    try:
        with transaction.atomic():
            target = (
                RolloutTarget.objects.select_for_update(of=("self",))
                .select_related("rollout__release", "tenant")
                .filter(pk=target_id)
                .first()
            )
            if target is None or target.state != RolloutTarget.State.PENDING:
                return target
            target.started_at = timezone.now()
            target.attempts += 1
            started = time.perf_counter()
            # Current when newer than what the tenant has: a late retry of an old rollout does not step back.
            release_install(tenant=target.tenant, release=target.rollout.release, make_current=None)
            target.install_ms = (time.perf_counter() - started) * 1000
            target.state = RolloutTarget.State.INSTALLED
            target.installed_at = timezone.now()
            target.reason = ""
            target.save()
            return target
    except Exception as error:  # noqa: BLE001 - any failure of one tenant is recorded, never fatal to the rollout
        return _target_failed(target_id=target_id, error=error)


@transaction.atomic
def _target_failed(*, target_id: int, error: Exception) -> RolloutTarget | None:
    target = (
        RolloutTarget.objects.select_for_update(of=("self",))
        .select_related("rollout__release", "tenant")
        .get(pk=target_id)
    )
    if isinstance(error, ValidationError):
        reason = " ".join(error.messages)
    else:
        # Database and programming errors carry table and constraint names, not personal data.
        reason = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
    target.state = RolloutTarget.State.FAILED
    target.reason = reason[:1000]
    target.attempts += 1  # the attempt's own increment was rolled back with it
    target.save()
    _event(kind=ReleaseEvent.Kind.INSTALL_FAILED, release=target.rollout.release, tenant=target.tenant, reason=reason)
    return target


@transaction.atomic
def rollout_targets_resume(*, lease_seconds: int) -> list[int]:
    """Send again every target still pending ``lease_seconds`` after it was sent; return their ids.

    A target being installed is locked by the installing transaction (SKIP LOCKED leaves it alone); a worker
    that died took its transaction and lock with it, and the target is pending again.
    """
    cutoff = timezone.now() - timedelta(seconds=lease_seconds)
    targets = list(
        RolloutTarget.objects.select_for_update(of=("self",), skip_locked=True)
        .select_related("tenant")
        .filter(state=RolloutTarget.State.PENDING)
        .filter(Q(enqueued_at__lt=cutoff) | Q(enqueued_at__isnull=True))
        .order_by("pk")
    )
    if targets:
        RolloutTarget.objects.filter(pk__in=[target.pk for target in targets]).update(enqueued_at=timezone.now())
        _enqueue_on_commit(targets)
    return [target.pk for target in targets]


@transaction.atomic
def rollout_target_retry(*, target: RolloutTarget, acting_user=None) -> RolloutTarget:
    """Send a failed tenant's install again."""
    target = (
        RolloutTarget.objects.select_for_update(of=("self",))
        .select_related("tenant", "rollout__release")
        .get(pk=target.pk)
    )
    if target.state != RolloutTarget.State.FAILED:
        raise ReleaseError(_("Bara en misslyckad installation kan försökas igen."))
    target.state = RolloutTarget.State.PENDING
    target.reason = ""
    target.enqueued_at = timezone.now()
    target.save()
    _event(
        kind=ReleaseEvent.Kind.RETRIED, release=target.rollout.release, tenant=target.tenant, acting_user=acting_user
    )
    _enqueue_on_commit([target])
    return target


@transaction.atomic
def tenant_release_pin(*, tenant: Tenant, release: Release, acting_user=None) -> TenantReleaseChoice:
    """Stay on ``release`` (installing it if needed, and making it current) until the tenant chooses otherwise."""
    release_install(tenant=tenant, release=release, make_current=True)
    choice, _created = TenantReleaseChoice.objects.update_or_create(tenant=tenant, defaults={"pinned_release": release})
    _event(kind=ReleaseEvent.Kind.PINNED, release=release, tenant=tenant, acting_user=acting_user)
    return choice


@transaction.atomic
def tenant_release_follow(*, tenant: Tenant, acting_user=None) -> TenantReleaseChoice:
    """Follow the latest release from now on, installing it at once."""
    choice, _created = TenantReleaseChoice.objects.update_or_create(tenant=tenant, defaults={"pinned_release": None})
    latest = release_latest()
    if latest is not None:
        release_install(tenant=tenant, release=latest, make_current=True)
    _event(kind=ReleaseEvent.Kind.FOLLOWING, release=latest, tenant=tenant, acting_user=acting_user)
    return choice
