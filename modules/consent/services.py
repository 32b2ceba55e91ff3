"""Writes on consent. Withdrawal and expiry cut access at once (the access selector reads the consent's
state in the same query that decides access); the people affected and the Barnkontakt are told by e-mail."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backa_platform.core.errors import ServiceError
from backa_platform.core.tasks import enqueue_on_commit
from modules.audit.services import audit_record
from modules.chronology.models import Event
from modules.chronology.services import chronology_record
from modules.consent.models import Consent


class ConsentError(ServiceError):
    pass


@transaction.atomic
def consent_record(
    *,
    child,
    acting_user,
    organisations,
    purpose: str,
    given_on: date,
    valid_until: date,
    method: str,
    given_by_guardian=None,
    given_by_child: bool = False,
    request=None,
) -> Consent:
    if given_by_guardian is None and not given_by_child:
        raise ConsentError(_("Ange vem som gav samtycket: en vårdnadshavare eller barnet."), code="given_by")
    if given_by_guardian is not None and given_by_guardian.child_id != child.pk:
        raise ConsentError(_("Vårdnadshavaren hör inte till barnet."), code="given_by")
    organisations = list(organisations)
    if not organisations:
        raise ConsentError(_("Välj minst en organisation som samtycket omfattar."), code="organisations")
    if not purpose.strip():
        raise ConsentError(_("Ange syftet med samtycket."), code="purpose")
    if valid_until < given_on:
        raise ConsentError(_("Slutdatumet kan inte ligga före datumet då samtycket gavs."), code="valid_until")
    if given_on > timezone.localdate():
        raise ConsentError(_("Ett samtycke kan inte registreras innan det har getts."), code="given_on")
    if method not in Consent.Method.values:
        raise ConsentError(_("Ange om samtycket gavs skriftligt eller muntligt."), code="method")
    consent = Consent.objects.create(
        child=child,
        given_by_guardian=given_by_guardian,
        given_by_child=given_by_child,
        given_on=given_on,
        purpose=purpose.strip(),
        valid_until=valid_until,
        method=method,
        recorded_by=acting_user,
    )
    consent.organisations.set(organisations)
    chronology_record(
        child=child,
        acting_user=acting_user,
        kind=Event.Kind.CONSENT_GIVEN,
        code="consent_given",
        params={
            "method": consent.method,
            "organisations": ", ".join(o.name for o in organisations),
            "until": valid_until.isoformat(),
        },
    )
    audit_record(acting_user=acting_user, action="create", child=child, obj=consent, request=request)
    return consent


@transaction.atomic
def consent_withdraw(*, consent: Consent, acting_user, reason: str = "", request=None) -> Consent:
    from modules.consent.tasks import notify_consent_ended

    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at is not None:
        raise ConsentError(_("Samtycket är redan återkallat."), code="withdrawn")
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = acting_user
    consent.withdrawal_reason = reason.strip()
    consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    chronology_record(child=consent.child, acting_user=acting_user, kind=Event.Kind.CONSENT_WITHDRAWN)
    audit_record(acting_user=acting_user, action="update", child=consent.child, obj=consent, request=request)
    enqueue_on_commit(notify_consent_ended, consent_id=consent.pk)
    return consent


@transaction.atomic
def consent_expiry_handle(*, consent: Consent) -> Consent:
    """Record that a consent ran out and tell those affected. Access already ended when it ran out: this
    is the record and the message, not the cut."""
    from modules.consent.tasks import notify_consent_ended

    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.expiry_handled_at is not None or consent.withdrawn_at is not None:
        return consent
    consent.expiry_handled_at = timezone.now()
    consent.save(update_fields=["expiry_handled_at"])
    chronology_record(child=consent.child, acting_user=None, kind=Event.Kind.CONSENT_EXPIRED)
    enqueue_on_commit(notify_consent_ended, consent_id=consent.pk)
    return consent


def consent_affected_people(*, consent: Consent):
    """Team members whose access rested on this consent, and the Barnkontakt: whom to tell."""
    from modules.accounts.models import User

    member_ids = consent.team_members.filter(ended_at__isnull=True).values_list("user_id", flat=True)
    contact_ids = consent.child.contacts.filter(ended_at__isnull=True).values_list("user_id", flat=True)
    return User.objects.filter(pk__in=[*member_ids, *contact_ids], is_active=True).order_by("pk")
