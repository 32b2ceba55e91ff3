from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from modules.accounts.mail import in_language_of
from modules.accounts.services import site_url
from modules.consent.models import Consent
from modules.consent.selectors import consents_expired_unhandled
from modules.consent.services import consent_affected_people, consent_expiry_handle


@shared_task
def notify_consent_ended(*, consent_id: int) -> None:
    """Tell the people affected and the Barnkontakt. The mail names no child: it links to the record."""
    consent = Consent.objects.select_related("child").filter(pk=consent_id).first()
    if consent is None:
        return
    link = f"{site_url()}/barn/{consent.child_id}/"
    for user in consent_affected_people(consent=consent):
        with in_language_of(user):
            reason = _("återkallats") if consent.withdrawn_at else _("gått ut")
            send_mail(
                subject=_("Ett samtycke har %(reason)s") % {"reason": reason},
                message=_(
                    "Hej!\n\nEtt samtycke som gällde ett barn du arbetar med har %(reason)s. Åtkomst som vilade "
                    "på samtycket har upphört. Barnkontakten ser barnets akt här:\n\n%(link)s\n"
                )
                % {"reason": reason, "link": link},
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[user.email],
            )


@shared_task
def handle_expired_consents() -> int:
    """Run per tenant (e.g. daily from beat via tenant-schemas-celery); records and notifies expiries."""
    handled = 0
    for consent in consents_expired_unhandled().order_by("pk")[:500]:
        consent_expiry_handle(consent=consent)
        handled += 1
    return handled
