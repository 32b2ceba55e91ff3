from celery import shared_task

from modules.accounts.models import Invitation
from modules.accounts.services import invitation_send


@shared_task
def send_invitation(*, invitation_id: int) -> None:
    invitation = Invitation.objects.filter(pk=invitation_id, accepted_at__isnull=True).first()
    if invitation is not None:
        invitation_send(invitation=invitation)
