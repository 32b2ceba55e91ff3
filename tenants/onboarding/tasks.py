from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from modules.accounts.mail import in_language_of
from tenants.onboarding.models import Application


@shared_task
def send_application_receipt(*, application_id: int) -> None:
    application = Application.objects.filter(pk=application_id).first()
    if application is None:
        return
    with in_language_of(application):
        send_mail(
            subject=_("Vi har tagit emot er ansökan till Backa barnet"),
            message=_(
                "Hej %(name)s!\n\nTack för ansökan från %(organisation)s (organisationsnummer %(number)s) om att "
                "ansluta till Backa barnet med adressen %(subdomain)s. Ärendenummer: %(id)s.\n\n"
                "En nationell samordnare går igenom ansökan och ni får besked via e-post.\n"
            )
            % {
                "name": application.contact_name,
                "organisation": application.organisation_name,
                "number": application.organisation_number,
                "subdomain": application.subdomain,
                "id": application.pk,
            },
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[application.contact_email],
        )


@shared_task
def send_application_decision(*, application_id: int) -> None:
    application = Application.objects.filter(pk=application_id).first()
    if application is None or application.status == Application.Status.SUBMITTED:
        return
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
