"""Writes on the tenant registry. Keyword-only, atomic, one TenantEvent per change."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name

from backa_platform.core.errors import ServiceError
from tenants.models import Domain, Tenant, TenantEvent
from tenants.routing import tenant_cache_clear_on_commit
from tenants.validators import normalise_organisation_number

# DNS label: lower-case letters, digits and hyphens, not starting or ending with a hyphen. A DNS label may
# be 63 characters, but the tenant's schema is named "t_" + subdomain and PostgreSQL cuts identifiers at 63.
SCHEMA_PREFIX = "t_"
SUBDOMAIN_MAX_LENGTH = 63 - len(SCHEMA_PREFIX)
_SUBDOMAIN = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")  # fullmatch: "$" would let "ystad\n" through
RESERVED_SUBDOMAINS = frozenset(
    {"www", "api", "admin", "static", "media", "mail", "smtp", "central", "public", "localhost", "test"}
)


class TenantError(ServiceError):
    """A tenant operation refused with a message a national coordinator can act on."""


def tenant_domain_for(subdomain: str) -> str:
    return f"{subdomain}.{settings.CENTRAL_DOMAIN}"


def subdomain_validate(subdomain: str) -> str:
    if len(subdomain or "") > SUBDOMAIN_MAX_LENGTH:
        raise TenantError(
            _("Subdomänen får vara högst %(max)s tecken lång (den är %(n)s).")
            % {"max": SUBDOMAIN_MAX_LENGTH, "n": len(subdomain)},
            code="subdomain_too_long",
        )
    if not _SUBDOMAIN.fullmatch(subdomain or ""):
        raise TenantError(
            _(
                "Ogiltig subdomän %(value)s: använd 1–61 gemena bokstäver a–z, siffror och bindestreck, "
                "inte först eller sist."
            )
            % {"value": repr(subdomain)},
            code="invalid_subdomain",
        )
    if subdomain in RESERVED_SUBDOMAINS:
        raise TenantError(_("Subdomänen %(value)s är reserverad.") % {"value": subdomain}, code="reserved_subdomain")
    if Domain.objects.filter(domain=tenant_domain_for(subdomain)).exists():
        raise TenantError(_("Subdomänen %(value)s är redan tagen.") % {"value": subdomain}, code="subdomain_taken")
    return subdomain


def schema_name_for(subdomain: str) -> str:
    # PostgreSQL identifiers: hyphens would need quoting everywhere; a prefix keeps clear of pg_ and public.
    return SCHEMA_PREFIX + subdomain.replace("-", "_")


def record_event(
    *,
    kind: str,
    tenant: Tenant | None = None,
    application=None,
    acting_user=None,
    actor_name: str = "",
    reason: str = "",
    **detail,
) -> TenantEvent:
    """The one way a tenant event is written: who (a national user, or a name), when, what, why."""
    if acting_user is not None and not actor_name:
        actor_name = f"{acting_user.full_name} <{acting_user.email}>"
    return TenantEvent.objects.create(
        tenant=tenant,
        application=application,
        kind=kind,
        actor=acting_user,
        actor_name=actor_name,
        reason=reason,
        detail=detail,
    )


def _event(*, tenant: Tenant, kind: str, acting_user=None, **detail) -> TenantEvent:
    return record_event(tenant=tenant, kind=kind, acting_user=acting_user, **detail)


def require_public_schema(error: type[ValidationError] = TenantError, message: str | None = None) -> None:
    """National writes run in the public schema only: from a tenant's, their rows would land in its tables."""
    if connection.schema_name != get_public_schema_name():
        raise error(message or _("Tenants can only be managed from the central (public) schema."))


@transaction.atomic
def central_tenant_bootstrap(*, name: str = "Backa barnet – nationellt", domain: str | None = None) -> Tenant:
    """Create the central tenant (schema public) with its domain, or return the existing one."""
    require_public_schema()
    domain = domain or settings.CENTRAL_DOMAIN
    tenant = Tenant.objects.filter(kind=Tenant.Kind.CENTRAL).first()
    if tenant is None:
        tenant = Tenant(
            schema_name=get_public_schema_name(),
            name=name,
            kind=Tenant.Kind.CENTRAL,
            status=Tenant.Status.ACTIVE,
            status_changed_at=timezone.now(),
        )
        tenant.save()
        _event(tenant=tenant, kind=TenantEvent.Kind.CREATED, name=name)
    if not Domain.objects.filter(domain=domain).exists():
        Domain.objects.create(tenant=tenant, domain=domain, is_primary=True)
        _event(tenant=tenant, kind=TenantEvent.Kind.DOMAIN_ADDED, domain=domain)
    return tenant


@transaction.atomic
def tenant_create(
    *,
    name: str,
    kind: str,
    organisation_number: str,
    county: str,
    subdomain: str,
    status: str = Tenant.Status.ONBOARDING,
    acting_user=None,
) -> Tenant:
    """Create a municipality or region with its schema and domain.

    The schema is built by running the tenant migrations; the onboarding flow replaces this with
    provisioning in a worker.
    """
    require_public_schema()
    if kind not in (Tenant.Kind.MUNICIPALITY, Tenant.Kind.REGION):
        raise TenantError(_("Typen måste vara kommun eller region."), code="invalid_kind")
    try:
        organisation_number = normalise_organisation_number(organisation_number)
    except ValidationError as error:
        raise TenantError(error.messages, code="invalid_organisation_number") from error
    if Tenant.objects.filter(organisation_number=organisation_number).exists():
        raise TenantError(
            _("Det finns redan en instans för organisationsnummer %(value)s.") % {"value": organisation_number},
            code="duplicate_organisation",
        )
    subdomain_validate(subdomain)
    tenant = Tenant(
        schema_name=schema_name_for(subdomain),
        name=name,
        kind=kind,
        organisation_number=organisation_number,
        county=county,
        status=status,
        status_changed_at=timezone.now(),
    )
    tenant.full_clean(exclude=["schema_name"])
    tenant.save(verbosity=0)
    domain = Domain.objects.create(tenant=tenant, domain=tenant_domain_for(subdomain), is_primary=True)
    _event(tenant=tenant, kind=TenantEvent.Kind.CREATED, acting_user=acting_user, name=name, status=status)
    _event(tenant=tenant, kind=TenantEvent.Kind.DOMAIN_ADDED, acting_user=acting_user, domain=domain.domain)
    return tenant


# --- Lifecycle: suspend, reactivate, export, archive ---------------------------------------------

_SUSPENDABLE = (Tenant.Status.ONBOARDING, Tenant.Status.ACTIVE)


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise TenantError(
            _("Ange ett skäl: varje ändring av en instans status sparas med skäl."), code="reason_required"
        )
    return reason


def _set_status(*, tenant: Tenant, status: str, kind: str, acting_user, reason: str, **detail) -> Tenant:
    old = tenant.status
    tenant.status = status
    tenant.status_changed_at = timezone.now()
    # Never Tenant.save() here: django-tenants re-creates (by migrations) a schema it finds missing on save,
    # which would resurrect an archived tenant's dropped schema.
    Tenant.objects.filter(pk=tenant.pk).update(
        status=status, status_changed_at=tenant.status_changed_at, updated_at=tenant.status_changed_at
    )
    record_event(tenant=tenant, kind=kind, acting_user=acting_user, reason=reason, old=old, new=status, **detail)
    tenant_cache_clear_on_commit()
    return tenant


def _locked(tenant: Tenant) -> Tenant:
    require_public_schema()
    if tenant.is_central:
        raise TenantError(_("Den nationella instansen kan inte pausas eller arkiveras."), code="central")
    return Tenant.objects.select_for_update().get(pk=tenant.pk)


@transaction.atomic
def tenant_suspend(*, tenant: Tenant, acting_user, reason: str) -> Tenant:
    """Pause a tenant: its users see a page saying so, its API answers with an error, its data is kept."""
    reason = _require_reason(reason)
    tenant = _locked(tenant)
    if tenant.status not in _SUSPENDABLE:
        raise TenantError(
            _("%(name)s kan inte pausas när status är %(status)s; bara en instans i införande eller drift kan pausas.")
            % {"name": tenant.name, "status": tenant.get_status_display()},
            code="transition_refused",
        )
    return _set_status(
        tenant=tenant,
        status=Tenant.Status.SUSPENDED,
        kind=TenantEvent.Kind.SUSPENDED,
        acting_user=acting_user,
        reason=reason,
    )


@transaction.atomic
def tenant_reactivate(*, tenant: Tenant, acting_user, reason: str) -> Tenant:
    """Undo a pause: back to the status the tenant had before it was suspended."""
    reason = _require_reason(reason)
    tenant = _locked(tenant)
    if tenant.status != Tenant.Status.SUSPENDED:
        raise TenantError(
            _("%(name)s kan inte återaktiveras när status är %(status)s; bara en pausad instans kan återaktiveras.")
            % {"name": tenant.name, "status": tenant.get_status_display()},
            code="transition_refused",
        )
    last = tenant.events.filter(kind=TenantEvent.Kind.SUSPENDED).order_by("-created_at", "-pk").first()
    previous = (last.detail.get("old") if last else None) or Tenant.Status.ACTIVE
    return _set_status(
        tenant=tenant, status=previous, kind=TenantEvent.Kind.REACTIVATED, acting_user=acting_user, reason=reason
    )


def tenant_export_create(*, tenant: Tenant, acting_user):
    """Dump a paused tenant's schema with manifest and checksum, and prove it restores with the same rows.

    Not one transaction on purpose: pg_dump and psql run in their own sessions and must see committed data.
    """
    from tenants.exports import dump_schema, export_directory, restore_check
    from tenants.models import TenantExport

    require_public_schema()
    tenant = Tenant.objects.get(pk=tenant.pk)
    if tenant.status != Tenant.Status.SUSPENDED:
        raise TenantError(
            _("Pausa %(name)s innan den exporteras, så att inga uppgifter ändras under exporten.")
            % {"name": tenant.name},
            code="transition_refused",
        )
    path, manifest = dump_schema(schema_name=tenant.schema_name, directory=export_directory() / str(tenant.pk))
    restore_check(path=path, manifest=manifest)
    with transaction.atomic():
        export = TenantExport.objects.create(
            tenant=tenant,
            path=str(path),
            size_bytes=manifest["size_bytes"],
            sha256=manifest["sha256"],
            manifest=manifest,
            verified_at=timezone.now(),
            created_by=acting_user,
        )
        record_event(
            tenant=tenant,
            kind=TenantEvent.Kind.EXPORTED,
            acting_user=acting_user,
            export_id=export.pk,
            sha256=export.sha256,
            size_bytes=export.size_bytes,
            tables=len(manifest["row_counts"]),
        )
    return export


# Advisory lock keys of export jobs (provisioning jobs use 4_004_100_000 + id).
_EXPORT_JOB_LOCK_BASE = 4_004_200_000


def tenant_export_request(*, tenant: Tenant, acting_user):
    """Ask for an export of a paused tenant, run by a worker; a request while one is open joins that one."""
    from backa_platform.core.tasks import enqueue_on_commit
    from tenants.models import TenantExportJob
    from tenants.tasks import export_tenant

    require_public_schema()
    with transaction.atomic():
        tenant = _locked(tenant)
        if tenant.status != Tenant.Status.SUSPENDED:
            raise TenantError(
                _("Pausa %(name)s innan den exporteras, så att inga uppgifter ändras under exporten.")
                % {"name": tenant.name},
                code="transition_refused",
            )
        job = tenant.export_jobs.filter(status__in=TenantExportJob.OPEN).first()
        if job is None:
            job = TenantExportJob.objects.create(tenant=tenant, requested_by=acting_user)
            enqueue_on_commit(export_tenant, job_id=job.pk)
    return job


def tenant_export_job_run(*, job_id: int):
    """Run one export job in this worker, unless it is finished or another live worker runs it.

    The job's session advisory lock is held for the whole run: a redelivered message or a resume by the sweep
    finds it taken and leaves; a worker that dies lets go with its connection, which is how the sweep tells a
    lost export from a long one (a pg_dump of a large instance takes minutes).
    """
    from backa_platform.core.db import session_lock_release, session_lock_try
    from tenants.models import TenantExportJob
    from tenants.provisioning.schema import SchemaError

    lock = _EXPORT_JOB_LOCK_BASE + job_id
    if not session_lock_try(lock):
        return None
    try:
        job = TenantExportJob.objects.select_related("tenant", "requested_by").filter(pk=job_id).first()
        if job is None or job.status not in TenantExportJob.OPEN:
            return job
        job.status = TenantExportJob.Status.RUNNING
        job.heartbeat_at = timezone.now()
        job.save(update_fields=["status", "heartbeat_at"])
        try:
            export = tenant_export_create(tenant=job.tenant, acting_user=job.requested_by)
        except (TenantError, SchemaError) as error:
            job.status, job.error = TenantExportJob.Status.FAILED, str(error)[:1000]
        else:
            job.status, job.export = TenantExportJob.Status.SUCCEEDED, export
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "export", "finished_at"])
        return job
    finally:
        session_lock_release(lock)


def tenant_export_jobs_resume(*, lease_seconds: int, max_resumes: int) -> list[int]:
    """Send again every open export job whose worker is gone (lease older than ``lease_seconds`` and its lock
    free); one resumed ``max_resumes`` times is recorded as failed for a person to ask again. Returns the ids sent."""
    from datetime import timedelta

    from backa_platform.core.db import session_lock_held_elsewhere
    from backa_platform.core.tasks import enqueue_on_commit
    from tenants.models import TenantExportJob
    from tenants.tasks import export_tenant

    cutoff = timezone.now() - timedelta(seconds=lease_seconds)
    stale = TenantExportJob.objects.filter(status__in=TenantExportJob.OPEN).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )
    resumed = []
    for job_id in stale.order_by("pk").values_list("pk", flat=True):
        if session_lock_held_elsewhere(_EXPORT_JOB_LOCK_BASE + job_id):
            continue  # a live worker is still dumping
        with transaction.atomic():
            job = TenantExportJob.objects.select_for_update(skip_locked=True).filter(pk=job_id).first()
            if job is None or job.status not in TenantExportJob.OPEN or (job.heartbeat_at or job.created_at) >= cutoff:
                continue
            if job.resumes >= max_resumes:
                job.status, job.finished_at = TenantExportJob.Status.FAILED, timezone.now()
                job.error = f"worker lost {job.resumes + 1} times; ask again when the cause is known"
                job.save(update_fields=["status", "finished_at", "error"])
                continue
            job.resumes += 1
            job.heartbeat_at = timezone.now()  # one resend per lease, however long the queue
            job.save(update_fields=["resumes", "heartbeat_at"])
            enqueue_on_commit(export_tenant, job_id=job.pk)
            resumed.append(job.pk)
    return resumed


@transaction.atomic
def tenant_archive(*, tenant: Tenant, acting_user, reason: str, confirmation: str) -> Tenant:
    """Drop a paused tenant's schema, after a verified export made since it was paused, when confirmed."""
    reason = _require_reason(reason)
    tenant = _locked(tenant)
    if tenant.status != Tenant.Status.SUSPENDED:
        raise TenantError(
            _("%(name)s kan inte arkiveras när status är %(status)s: pausa instansen och exportera den först.")
            % {"name": tenant.name, "status": tenant.get_status_display()},
            code="transition_refused",
        )
    export = tenant.exports.filter(verified_at__isnull=False, created_at__gte=tenant.status_changed_at).first()
    if export is None:
        raise TenantError(
            _("Exportera %(name)s (och låt exporten verifieras) innan instansen arkiveras.") % {"name": tenant.name},
            code="export_required",
        )
    if (confirmation or "").strip() != tenant.schema_name:
        raise TenantError(
            _("Bekräfta arkiveringen genom att skriva instansens schemanamn, %(schema)s.")
            % {"schema": tenant.schema_name},
            code="confirmation_required",
        )
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{tenant.schema_name}" CASCADE')
    return _set_status(
        tenant=tenant,
        status=Tenant.Status.ARCHIVED,
        kind=TenantEvent.Kind.ARCHIVED,
        acting_user=acting_user,
        reason=reason,
        export_id=export.pk,
        schema_dropped=tenant.schema_name,
    )
