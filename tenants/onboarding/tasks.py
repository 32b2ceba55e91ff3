from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from modules.accounts.mail import in_language_of
from tenants.onboarding.models import Application
from tenants.onboarding.services import application_decision_send


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


# Late acknowledgement, handed back when the pool process dies, and recorded as sent: a worker killed before or
# while sending leaves decision_sent_at empty, and the message comes back (or the sweep sends it again).
@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_application_decision(*, application_id: int) -> None:
    application_decision_send(application_id=application_id)
