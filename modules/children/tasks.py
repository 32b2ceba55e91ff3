"""Notices about a child's record. Tasks carry ids only; they run in the tenant's schema."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from modules.accounts.mail import in_language_of
from modules.accounts.services import site_url
from modules.children.models import EmergencyAccess
from modules.children.selectors import current_child_contact


@shared_task
def notify_emergency_access(*, emergency_access_id: int) -> None:
    """Tell the child's Barnkontakt that someone opened the record by Nödåtkomst: who, until when, why. The mail
    names no child (it may be read on any device); the link leads to the record, behind sign-in."""
    grant = EmergencyAccess.objects.select_related("user", "child").filter(pk=emergency_access_id).first()
    if grant is None:
        return
    contact = current_child_contact(child=grant.child)
    if contact is None or not contact.user.is_active or contact.user_id == grant.user_id:
        return
    with in_language_of(contact.user):
        send_mail(
            subject=_("Nödåtkomst till ett barn där du är barnkontakt"),
            message=_(
                "Hej!\n\n%(name)s har öppnat akten för ett barn där du är barnkontakt med nödåtkomst, till och "
                "med %(until)s. Skäl som angavs:\n\n%(reason)s\n\nAkten:\n%(link)s\n\nNödåtkomsten granskas av "
                "den lokala administratören.\n"
            )
            % {
                "name": grant.user.full_name,
                "until": formats.date_format(timezone.localtime(grant.expires_at), "SHORT_DATETIME_FORMAT"),
                "reason": grant.reason,
                "link": f"{site_url()}/barn/{grant.child_id}/",
            },
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[contact.user.email],
        )
