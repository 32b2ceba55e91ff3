"""Writes on applications and onboarding checklists. Keyword-only, atomic, one tenant event per change."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from backa_platform.core.errors import ServiceError
from backa_platform.core.tasks import enqueue_on_commit
from backa_platform.core.validators import validate_phone_number
from modules.accounts.mail import in_language_of, supported_language
from tenants.models import County, Tenant, TenantEvent
from tenants.onboarding.models import Agreement, Application, Checklist, ChecklistItem, Partner, Signatory
from tenants.services import (
    TenantError,
    record_event,
    require_public_schema,
    schema_name_for,
    subdomain_validate,
)
from tenants.validators import normalise_organisation_number


class ApplicationError(ServiceError):
    """Refused input, keyed by field so forms and the API show each message beside its field."""


def _subdomain_errors(subdomain: str) -> list[str]:
    if not subdomain:
        return [_("Ange önskad subdomän.")]
    if subdomain != subdomain.lower():
        return [_("Subdomänen får bara innehålla gemener: skriv %(value)s.") % {"value": subdomain.lower()}]
    try:
        subdomain_validate(subdomain)
    except ValidationError as error:
        return error.messages
    if Application.objects.filter(subdomain=subdomain).exclude(status=Application.Status.REJECTED).exists():
        return [_("Subdomänen %(value)s är redan sökt av en annan organisation.") % {"value": subdomain}]
    return []


def application_validate(
    *,
    organisation_name: str,
    organisation_number: str,
    kind: str,
    county: str,
    subdomain: str,
    contact_name: str,
    contact_email: str,
    partners: list[str],
    contact_phone: str = "",
) -> str:
    """Every rule of an application, each refusal beside its field. Returns the normalised organisationsnummer."""
    errors: dict[str, list[str]] = {}
    normalised = ""
    if not (organisation_name or "").strip():
        errors["organisation_name"] = [_("Ange organisationens namn, t.ex. Ystads kommun.")]
    try:
        if not (organisation_number or "").strip():
            raise ValidationError(_("Ange organisationsnumret, tio siffror, t.ex. 212000-1173."))
        normalised = normalise_organisation_number(organisation_number.strip())
    except ValidationError as error:
        errors["organisation_number"] = error.messages
    else:
        if Tenant.objects.filter(organisation_number=normalised).exists():
            errors["organisation_number"] = [
                _("Organisationsnummer %(value)s är redan anslutet till Backa barnet.") % {"value": normalised}
            ]
        else:
            earlier = (
                Application.objects.filter(organisation_number=normalised)
                .exclude(status=Application.Status.REJECTED)
                .first()
            )
            if earlier is not None:
                errors["organisation_number"] = [
                    _("Det finns redan en ansökan för organisationsnummer %(value)s, inkommen %(date)s.")
                    % {"value": normalised, "date": timezone.localtime(earlier.created_at).strftime("%Y-%m-%d")}
                ]
    if kind not in (Tenant.Kind.MUNICIPALITY, Tenant.Kind.REGION):
        errors["kind"] = [_("Välj kommun eller region.")]
    if county not in County.values:
        errors["county"] = [_("Välj ett av Sveriges 21 län.")]
    subdomain_messages = _subdomain_errors(subdomain or "")
    if subdomain_messages:
        errors["subdomain"] = subdomain_messages
    if not (contact_name or "").strip():
        errors["contact_name"] = [_("Ange kontaktpersonens namn.")]
    try:
        validate_email(contact_email or "")
    except ValidationError:
        errors["contact_email"] = [_("Ange en giltig e-postadress till kontaktpersonen, t.ex. namn@kommun.se.")]
    try:
        validate_phone_number(contact_phone or "")
    except ValidationError as error:
        errors["contact_phone"] = error.messages
    unknown = [partner for partner in partners or [] if partner not in Partner.values]
    if not partners:
        errors["partners"] = [_("Välj minst en samverkanspart: kommun, region eller polis.")]
    elif unknown:
        errors["partners"] = [_("Okänd samverkanspart: %(value)s.") % {"value": ", ".join(unknown)}]
    if errors:
        raise ApplicationError(errors)
    return normalised


@transaction.atomic
def application_submit(
    *,
    organisation_name: str,
    organisation_number: str,
    kind: str,
    county: str,
    subdomain: str,
    contact_name: str,
    contact_email: str,
    contact_phone: str = "",
    partners: list[str],
) -> Application:
    from tenants.onboarding.tasks import send_application_receipt

    require_public_schema()
    normalised = application_validate(
        organisation_name=organisation_name,
        organisation_number=organisation_number,
        kind=kind,
        county=county,
        subdomain=subdomain,
        contact_name=contact_name,
        contact_email=contact_email,
        partners=partners,
        contact_phone=contact_phone,
    )
    try:
        with transaction.atomic():
            application = Application.objects.create(
                organisation_name=organisation_name.strip(),
                organisation_number=normalised,
                kind=kind,
                county=county,
                subdomain=subdomain,
                contact_name=contact_name.strip(),
                contact_email=contact_email.strip().lower(),
                contact_phone=(contact_phone or "").strip(),
                partners=[partner for partner in Partner.values if partner in partners],
                # The applicant has no account to keep a language on: the one they applied in stands for it.
                language=supported_language(translation.get_language()),
            )
    except IntegrityError as error:
        # Two submissions at once for the same organisation or subdomain: the database kept one.
        raise ApplicationError(
            {
                "organisation_number": [
                    _("Det finns redan en ansökan för organisationsnummer %(value)s.") % {"value": normalised}
                ]
            }
        ) from error
    record_event(
        kind=TenantEvent.Kind.APPLICATION_SUBMITTED, application=application, actor_name=application.contact_name
    )
    enqueue_on_commit(send_application_receipt, application_id=application.pk)
    return application


def _lock_submitted(application: Application) -> Application:
    require_public_schema()
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Application.Status.SUBMITTED:
        raise TenantError(
            _("Ansökan är redan beslutad (%(status)s).") % {"status": application.get_status_display()},
            code="already_decided",
        )
    return application


@transaction.atomic
def application_approve(*, application: Application, acting_user, reason: str = "") -> Application:
    """Approve: the tenant is registered (not reachable yet) and a worker provisions it."""
    from tenants.onboarding.tasks import send_application_decision
    from tenants.provisioning.services import provisioning_job_create

    application = _lock_submitted(application)
    if Tenant.objects.filter(organisation_number=application.organisation_number).exists():
        raise TenantError(_("Organisationen är redan ansluten."), code="duplicate_organisation")
    subdomain_validate(application.subdomain)
    tenant = Tenant(
        schema_name=schema_name_for(application.subdomain),
        name=application.organisation_name,
        kind=application.kind,
        organisation_number=application.organisation_number,
        county=application.county,
        status=Tenant.Status.PROVISIONING,
        status_changed_at=timezone.now(),
    )
    tenant.full_clean(exclude=["schema_name"])
    # The schema is made by the provisioning worker, from the template, never here by migrations.
    tenant.auto_create_schema = False
    tenant.save(verbosity=0)
    application.status = Application.Status.APPROVED
    application.decided_by = acting_user
    application.decided_at = timezone.now()
    application.decision_reason = (reason or "").strip()
    application.tenant = tenant
    application.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "tenant"])
    record_event(
        kind=TenantEvent.Kind.APPLICATION_APPROVED,
        tenant=tenant,
        application=application,
        acting_user=acting_user,
        reason=application.decision_reason,
    )
    record_event(
        kind=TenantEvent.Kind.CREATED, tenant=tenant, acting_user=acting_user, name=tenant.name, status=tenant.status
    )
    provisioning_job_create(
        tenant=tenant,
        subdomain=application.subdomain,
        admin_email=application.contact_email,
        admin_name=application.contact_name,
        acting_user=acting_user,
    )
    enqueue_on_commit(send_application_decision, application_id=application.pk)
    return application


@transaction.atomic
def application_reject(*, application: Application, acting_user, reason: str) -> Application:
    from tenants.onboarding.tasks import send_application_decision

    reason = (reason or "").strip()
    if not reason:
        raise TenantError(_("Ange ett skäl till avslaget; det skickas till den sökande."), code="reason_required")
    application = _lock_submitted(application)
    application.status = Application.Status.REJECTED
    application.decided_by = acting_user
    application.decided_at = timezone.now()
    application.decision_reason = reason
    application.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    record_event(
        kind=TenantEvent.Kind.APPLICATION_REJECTED, application=application, acting_user=acting_user, reason=reason
    )
    enqueue_on_commit(send_application_decision, application_id=application.pk)
    return application


@transaction.atomic
def application_decision_send(*, application_id: int) -> bool:
    """Mail the decision once and record it; False when there is nothing (more) to send.

    The row stays locked while the mail goes out, so a second delivery waits and then finds it sent.
    """
    application = Application.objects.select_for_update().filter(pk=application_id).first()
    if application is None or application.status == Application.Status.SUBMITTED:
        return False
    if application.decision_sent_at is not None:
        return False
    with in_language_of(application):
        if application.status == Application.Status.APPROVED:
            subject = _("Er ansökan till Backa barnet är beviljad")
            body = _(
                "Hej %(name)s!\n\nAnsökan från %(organisation)s är beviljad. Er instans sätts upp nu; ni får "
                "strax en separat inbjudan med en länk för att välja lösenord.\n"
            )
        else:
            subject = _("Besked om er ansökan till Backa barnet")
            body = _("Hej %(name)s!\n\nAnsökan från %(organisation)s har tyvärr avslagits. Skäl: %(reason)s\n")
        send_mail(
            subject=subject,
            message=body
            % {
                "name": application.contact_name,
                "organisation": application.organisation_name,
                "reason": application.decision_reason,
            },
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[application.contact_email],
        )
    application.decision_sent_at = timezone.now()
    application.save(update_fields=["decision_sent_at"])
    return True


# A decision whose mail has not gone out this long after it was made is sent again by the sweep, for this long:
# an address the mail server refuses for good is not retried forever.
DECISION_RESEND_WITHIN = timedelta(days=2)


def application_decisions_resend(*, lease_seconds: int) -> list[int]:
    """Queue the decision e-mail again for every decision older than ``lease_seconds`` not recorded as sent."""
    from tenants.onboarding.tasks import send_application_decision

    now = timezone.now()
    ids = list(
        Application.objects.exclude(status=Application.Status.SUBMITTED)
        .filter(
            decision_sent_at__isnull=True,
            decided_at__lt=now - timedelta(seconds=lease_seconds),
            decided_at__gte=now - DECISION_RESEND_WITHIN,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        for application_id in ids:
            enqueue_on_commit(send_application_decision, application_id=application_id)
    return ids


# --- Checklist ------------------------------------------------------------------------------------


@transaction.atomic
def checklist_ensure(*, tenant: Tenant) -> Checklist:
    checklist, _created = Checklist.objects.get_or_create(tenant=tenant)
    existing = set(checklist.items.values_list("key", flat=True))
    ChecklistItem.objects.bulk_create(
        ChecklistItem(checklist=checklist, key=key) for key in ChecklistItem.Key.values if key not in existing
    )
    return checklist


def _checklist_event(*, tenant: Tenant, acting_user, actor_name: str, **detail) -> None:
    record_event(
        kind=TenantEvent.Kind.CHECKLIST_UPDATED, tenant=tenant, acting_user=acting_user, actor_name=actor_name, **detail
    )


@transaction.atomic
def checklist_item_set(
    *, tenant: Tenant, key: str, state: str, note: str = "", acting_user=None, actor_name: str = ""
) -> ChecklistItem:
    from tenants.onboarding.selectors import AUTOMATIC_KEYS

    if key not in ChecklistItem.Key.values:
        raise TenantError(_("Okänd punkt på checklistan."), code="unknown_item")
    if key in AUTOMATIC_KEYS:
        raise TenantError(
            _("Den här punkten följer uppgifterna i systemet och ändras inte för hand."), code="automatic"
        )
    if state not in ChecklistItem.State.values:
        raise TenantError(_("Välj status: ej påbörjad, pågår eller klar."), code="invalid_state")
    checklist = checklist_ensure(tenant=tenant)
    item = checklist.items.select_for_update().get(key=key)
    item.state, item.note, item.updated_by_name = (
        state,
        (note or "").strip()[:500],
        actor_name or str(acting_user or ""),
    )
    item.save(update_fields=["state", "note", "updated_by_name", "updated_at"])
    _checklist_event(tenant=tenant, acting_user=acting_user, actor_name=actor_name, item=key, state=state)
    return item


@transaction.atomic
def checklist_plan_go_live(*, tenant: Tenant, planned_go_live, acting_user=None, actor_name: str = "") -> Checklist:
    checklist = checklist_ensure(tenant=tenant)
    checklist.planned_go_live = planned_go_live
    checklist.save(update_fields=["planned_go_live", "updated_at"])
    _checklist_event(
        tenant=tenant,
        acting_user=acting_user,
        actor_name=actor_name,
        planned_go_live=str(planned_go_live) if planned_go_live else None,
    )
    return checklist


def _document_check(document) -> tuple[str, int, str]:
    if document.size > settings.AGREEMENT_MAX_BYTES:
        raise ApplicationError(
            {
                "document": [
                    _("Filen är för stor (%(size)s MB); högst %(max)s MB.")
                    % {
                        "size": round(document.size / 1_048_576, 1),
                        "max": settings.AGREEMENT_MAX_BYTES // 1_048_576,
                    }
                ]
            }
        )
    head = document.read(5)
    document.seek(0)
    if head != b"%PDF-" or (document.content_type or "application/pdf") != "application/pdf":
        raise ApplicationError({"document": [_("Ladda upp den undertecknade överenskommelsen som PDF.")]})
    digest = hashlib.sha256()
    for chunk in document.chunks():
        digest.update(chunk)
    document.seek(0)
    return "application/pdf", document.size, digest.hexdigest()


@transaction.atomic
def agreement_save(
    *,
    tenant: Tenant,
    parties: list[str],
    signed_on,
    signatories: list[dict],
    document=None,
    acting_user=None,
    actor_name: str = "",
) -> Agreement:
    """The signed överenskommelse: parties, signatories (name, role, party), date and the signed PDF."""
    errors: dict[str, list[str]] = {}
    if not parties or any(party not in Partner.values for party in parties):
        errors["parties"] = [_("Välj överenskommelsens parter: kommun, region och/eller polis.")]
    if signed_on is None:
        errors["signed_on"] = [_("Ange datum då överenskommelsen undertecknades.")]
    elif signed_on > timezone.localdate():
        errors["signed_on"] = [_("Undertecknandedatumet kan inte ligga i framtiden.")]
    clean_signatories = [s for s in signatories if (s.get("name") or "").strip() or (s.get("role") or "").strip()]
    if not clean_signatories:
        errors["signatories"] = [_("Ange minst en undertecknare med namn och roll.")]
    for signatory in clean_signatories:
        if not (signatory.get("name") or "").strip() or not (signatory.get("role") or "").strip():
            errors["signatories"] = [_("Varje undertecknare behöver både namn och roll.")]
        elif signatory.get("party") not in (parties or []):
            errors["signatories"] = [_("Varje undertecknare ska företräda en av överenskommelsens parter.")]
    checked = None
    if document is not None:
        try:
            checked = _document_check(document)
        except ApplicationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ApplicationError(errors)
    agreement = Agreement.objects.filter(tenant=tenant).first() or Agreement(tenant=tenant)
    agreement.parties = [party for party in Partner.values if party in parties]
    agreement.signed_on = signed_on
    agreement.updated_by_name = actor_name or str(acting_user or "")
    if checked is not None:
        agreement.document_content_type, agreement.document_size, agreement.document_sha256 = checked
        agreement.document.save("agreement.pdf", document, save=False)
    agreement.save()
    agreement.signatories.all().delete()
    Signatory.objects.bulk_create(
        Signatory(agreement=agreement, name=s["name"].strip(), role=s["role"].strip(), party=s["party"])
        for s in clean_signatories
    )
    _checklist_event(
        tenant=tenant,
        acting_user=acting_user,
        actor_name=actor_name,
        item="agreement",
        signatories=len(clean_signatories),
    )
    return agreement


@transaction.atomic
def tenant_go_live(*, tenant: Tenant, actual_go_live=None, acting_user=None, actor_name: str = "") -> Tenant:
    """The tenant moves to active at go-live, once every other checklist item is done."""
    from tenants.onboarding.selectors import checklist_view

    tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
    if tenant.status != Tenant.Status.ONBOARDING:
        raise TenantError(
            _("Driftstart kan bara markeras för en instans i införande (status nu: %(status)s).")
            % {"status": tenant.get_status_display()},
            code="transition_refused",
        )
    view = checklist_view(tenant=tenant)
    missing = [str(item.label) for item in view.items if item.key != ChecklistItem.Key.GO_LIVE and item.state != "done"]
    if missing:
        raise TenantError(
            _("Driftstart kräver att alla punkter är klara. Kvar: %(items)s.") % {"items": ", ".join(missing)},
            code="checklist_incomplete",
        )
    checklist = checklist_ensure(tenant=tenant)
    checklist.actual_go_live = actual_go_live or timezone.localdate()
    checklist.save(update_fields=["actual_go_live", "updated_at"])
    checklist.items.filter(key=ChecklistItem.Key.GO_LIVE).update(
        state=ChecklistItem.State.DONE, updated_by_name=actor_name or str(acting_user or "")
    )
    old = tenant.status
    tenant.status = Tenant.Status.ACTIVE
    tenant.status_changed_at = timezone.now()
    tenant.auto_create_schema = False  # a save must never run migrations for a tenant
    tenant.save(update_fields=["status", "status_changed_at", "updated_at"])
    record_event(
        kind=TenantEvent.Kind.WENT_LIVE,
        tenant=tenant,
        acting_user=acting_user,
        actor_name=actor_name,
        old=old,
        new=tenant.status,
        actual_go_live=str(checklist.actual_go_live),
    )
    return tenant


def agreement_open(*, tenant: Tenant, acting_user=None, actor_name: str = "") -> tuple | None:
    """Open the signed överenskommelse for download and record who fetched it. Returns (file handle, file
    name, content type), or None when no document was uploaded or its file is gone.

    The uploader's file name is never stored (it may carry a person's name): the download is named after the
    tenant and the signing date."""
    agreement = Agreement.objects.filter(tenant=tenant).exclude(document="").first()
    if agreement is None:
        return None
    try:
        handle = agreement.document.open("rb")
    except FileNotFoundError:
        return None
    with transaction.atomic():
        record_event(
            tenant=tenant,
            kind=TenantEvent.Kind.AGREEMENT_DOWNLOADED,
            acting_user=acting_user,
            actor_name=actor_name,
            sha256=agreement.document_sha256,
        )
    name = f"overenskommelse-{tenant.schema_name}-{agreement.signed_on:%Y-%m-%d}.pdf"
    return handle, name, agreement.document_content_type or "application/pdf"
